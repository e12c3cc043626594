"""Provision real Apache Kafka (KRaft, from Maven Central jars), PostgreSQL and Keycloak servers without Docker.

Used by the `werkkloket` command line and by the integration test fixtures. Every server binds 127.0.0.1, keeps
its state in a directory of its own (Kafka's and Keycloak's under `.run/`, PostgreSQL's in a home outside the
clone, see `postgres_home`), and is stopped by its own pid, never by name. PostgreSQL takes no connection without
a password; each service has a role of its own (`roles`). Keycloak's distribution is cached outside the clone and
built once (`keycloak`).
"""

from __future__ import annotations

from ..paths import REPO_ROOT, RUN_DIR
from .kafka import KAFKA_DIR, KAFKA_LIBS, KafkaServer, ensure_kafka_jars, java, start_kafka
from .keycloak import (
    KeycloakServer,
    cache_root,
    ensure_keycloak,
    keycloak_java_home,
    remove_keycloak,
    start_keycloak,
    stop_keycloak,
)
from .postgres import PG_DB, PostgresServer, postgres_home, remove_postgres, start_postgres, unlocked_reason
from .processes import CLIENT_COMPILER_ONLY, ProvisionError, free_port, pid_alive, stop_pid, wait_for_port
from .roles import SERVICE_SCHEMAS, new_password, role_url, service_urls, setup_roles, setup_roles_sync

__all__ = [
    "CLIENT_COMPILER_ONLY",
    "KAFKA_DIR",
    "KAFKA_LIBS",
    "PG_DB",
    "REPO_ROOT",
    "RUN_DIR",
    "SERVICE_SCHEMAS",
    "KafkaServer",
    "KeycloakServer",
    "PostgresServer",
    "ProvisionError",
    "cache_root",
    "ensure_kafka_jars",
    "ensure_keycloak",
    "free_port",
    "java",
    "keycloak_java_home",
    "new_password",
    "pid_alive",
    "postgres_home",
    "remove_keycloak",
    "remove_postgres",
    "role_url",
    "service_urls",
    "setup_roles",
    "setup_roles_sync",
    "start_kafka",
    "start_keycloak",
    "start_postgres",
    "stop_keycloak",
    "stop_pid",
    "unlocked_reason",
    "wait_for_port",
]
