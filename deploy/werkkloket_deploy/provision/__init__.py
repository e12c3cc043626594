"""Provision real Apache Kafka (KRaft, from Maven Central jars) and PostgreSQL servers without Docker.

Used by the `werkkloket` command line and by the integration test fixtures. Every server binds 127.0.0.1, keeps
its state in a directory of its own (Kafka's under `.run/`, PostgreSQL's in a home outside the clone, see
`postgres_home`), and is stopped by its own pid, never by name.
"""

from __future__ import annotations

from ..paths import REPO_ROOT, RUN_DIR
from .kafka import KAFKA_DIR, KAFKA_LIBS, KafkaServer, ensure_kafka_jars, java, start_kafka
from .postgres import PG_DB, PG_PASSWORD, PG_USER, PostgresServer, postgres_home, remove_postgres, start_postgres
from .processes import ProvisionError, free_port, pid_alive, stop_pid, wait_for_port

__all__ = [
    "KAFKA_DIR",
    "KAFKA_LIBS",
    "PG_DB",
    "PG_PASSWORD",
    "PG_USER",
    "REPO_ROOT",
    "RUN_DIR",
    "KafkaServer",
    "PostgresServer",
    "ProvisionError",
    "ensure_kafka_jars",
    "free_port",
    "java",
    "pid_alive",
    "postgres_home",
    "remove_postgres",
    "start_kafka",
    "start_postgres",
    "stop_pid",
    "wait_for_port",
]
