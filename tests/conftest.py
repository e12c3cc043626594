"""Real infrastructure for the integration tests.

Kafka and PostgreSQL come from, in this order: KAFKA_BOOTSTRAP_SERVERS + DATABASE_URL when both are set;
testcontainers when a Docker engine answers; else the project's own provisioning (Kafka jars from Maven Central
run with the machine's Java, PostgreSQL from the machine's packages). A missing broker or database fails the
run; it never skips.

`Infra.database_url` is the superuser's (tests look across schemas); each service runs as its own role
(`Infra.database_urls`), set up by the same code for a provisioned server and for a container. With
DATABASE_URL from the environment every service uses that URL.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from werkkloket_deploy import keys as keyfile
from werkkloket_deploy.provision import (
    RUN_DIR,
    SERVICE_SCHEMAS,
    free_port,
    new_password,
    service_urls,
    setup_roles_sync,
    start_kafka,
    start_postgres,
)
from werkkloket_deploy.stack import SERVICES, ServiceProcess, start_service, wait_healthy


@dataclass
class Infra:
    kafka_bootstrap_servers: str
    database_url: str  # the superuser's
    how: str
    database_urls: dict[str, str]  # service -> its own role's URL


@dataclass
class Stack:
    infra: Infra
    services: dict[str, ServiceProcess]
    credentials: dict[str, str]
    api_keys_file: Path
    log_dir: Path
    extra: dict[str, str] = field(default_factory=dict)

    def url(self, service: str) -> str:
        return self.services[service].url

    def auth(self, organisatie: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.credentials[organisatie]}"}


def _docker_answers() -> bool:
    try:
        import docker  # type: ignore[import-untyped]

        docker.from_env(timeout=3).ping()
        return True
    except Exception:
        return False


@pytest.fixture(scope="session")
def infra() -> Iterator[Infra]:
    env_kafka, env_db = os.environ.get("KAFKA_BOOTSTRAP_SERVERS"), os.environ.get("DATABASE_URL")
    if env_kafka and env_db:
        yield Infra(env_kafka, env_db, "environment", {service: env_db for service in SERVICE_SCHEMAS})
        return
    if _docker_answers():
        from testcontainers.kafka import KafkaContainer
        from testcontainers.postgres import PostgresContainer

        with (
            KafkaContainer("apache/kafka:4.1.1").with_kraft() as kafka,
            PostgresContainer("postgres:17", driver="asyncpg") as pg,
        ):
            admin_url = pg.get_connection_url()
            passwords = {service: new_password() for service in SERVICE_SCHEMAS}
            setup_roles_sync(admin_url, passwords)
            yield Infra(kafka.get_bootstrap_server(), admin_url, "testcontainers", service_urls(admin_url, passwords))
        return
    base = RUN_DIR / f"test-{os.getpid()}"
    kafka = start_kafka(base / "kafka")
    try:
        pg = start_postgres(base / "postgres")
    except BaseException:
        kafka.stop()
        raise
    try:
        yield Infra(kafka.bootstrap_servers, pg.admin_url, "local provisioning", pg.service_urls())
    finally:
        pg.remove()  # its home lies outside the clone, not under `base`
        kafka.stop()
        shutil.rmtree(base, ignore_errors=True)


def start_stack(infra: Infra, base: Path, extra_env: dict[str, str] | None = None) -> Stack:
    _, api_keys_file = keyfile.write_keys(base / "keys")
    log_dir = base / "logs"
    services: dict[str, ServiceProcess] = {}
    try:
        for name in SERVICES:
            services[name] = start_service(
                name,
                port=free_port(),
                kafka_bootstrap_servers=infra.kafka_bootstrap_servers,
                database_url=infra.database_urls[name],
                api_keys_file=api_keys_file,
                log_dir=log_dir,
                extra_env=extra_env,
            )
        wait_healthy(list(services.values()), timeout=180)
    except BaseException:
        for svc in services.values():
            svc.stop()
        raise
    return Stack(infra, services, keyfile.read_credentials(base / "keys"), api_keys_file, log_dir)


@pytest.fixture(scope="session")
def stack(infra: Infra) -> Iterator[Stack]:
    base = RUN_DIR / f"stack-{os.getpid()}"
    running = start_stack(infra, base, {"WERKKLOKET_KLOK_INSTELBAAR": "true"})
    try:
        yield running
    finally:
        for svc in running.services.values():
            svc.stop()
        shutil.rmtree(base, ignore_errors=True)
