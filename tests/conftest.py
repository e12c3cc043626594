"""Real infrastructure for the integration tests.

Kafka is the project's own closed bus (SASL_SSL, SCRAM, ACLs; jars from Maven Central run with the machine's
Java), unless KAFKA_BOOTSTRAP_SERVERS and WERKKLOKET_BUS_SECRETS name one provisioned by `werkkloket`.
PostgreSQL comes from DATABASE_URL when set; from testcontainers when a Docker engine answers; else from the
project's own provisioning (the machine's packages). A missing broker or database fails the run; it never skips.
Keycloak (`keycloak`) is the project's own too: started once per session, only when a test asks for it.

`Infra.database_url` is the superuser's (tests look across schemas); each service runs as its own role
(`Infra.database_urls`), set up by the same code for a provisioned server and for a container. With
DATABASE_URL from the environment every service uses that URL.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families
from werkkloket_deploy.bus.platform import SECRETS_ENV, Bus
from werkkloket_deploy.identities import Identities, allow_dashboard_origin, provision_identities
from werkkloket_deploy.provision import (
    RUN_DIR,
    SERVICE_SCHEMAS,
    KeycloakServer,
    ProvisionError,
    ensure_keycloak,
    free_port,
    new_password,
    remove_keycloak,
    service_urls,
    setup_roles_sync,
    start_kafka,
    start_keycloak,
    start_postgres,
)
from werkkloket_deploy.provision.keycloak import OTHER_REALM_FILE, REALM_FILE, Distribution
from werkkloket_deploy.sleutels import LOKAAL as LOKALE_SLEUTELS
from werkkloket_deploy.sleutels import sleutelbestand
from werkkloket_deploy.stack import SERVICES, ServiceProcess, start_service, wait_healthy
from werkkloket_runtime.kafka import KafkaConnection

from . import persoonsgegevens


@dataclass
class Infra:
    bus: Bus
    database_url: str  # the superuser's
    how: str
    database_urls: dict[str, str]  # service -> its own role's URL
    sleutels: Path  # intake's keys file: as long-lived as the database

    def kafka(self, principal: str) -> KafkaConnection:
        """How a named principal connects (a service's, `waarnemer` to observe, `admin` for scratch topics)."""
        return self.bus.connection(principal)


@dataclass
class Stack:
    infra: Infra
    services: dict[str, ServiceProcess]
    idp: Idp
    log_dir: Path
    extra: dict[str, str] = field(default_factory=dict)

    def url(self, service: str) -> str:
        return self.services[service].url

    @property
    def issuer(self) -> str:
        return self.idp.server.issuer()

    def token(self, organisatie: str) -> str:
        """A current access token of the organisation's machine client (cached until shortly before it expires)."""
        return self.idp.identities.token(organisatie)

    def auth(self, organisatie: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token(organisatie)}"}

    def another(self, name: str, log_dir: Path, extra_env: dict[str, str] | None = None) -> ServiceProcess:
        """One more instance of a service on the stack's servers and identity provider (started, not waited for)."""
        return start_service(
            name,
            port=free_port(),
            kafka=self.infra.kafka(name),
            database_url=self.infra.database_urls[name],
            oidc_issuer=self.issuer,
            log_dir=log_dir,
            extra_env=extra_env,
            sleutels=self.infra.sleutels,
        )


def _docker_answers() -> bool:
    try:
        import docker  # type: ignore[import-untyped]

        docker.from_env(timeout=3).ping()
        return True
    except Exception:
        return False


@contextmanager
def _bus(base: Path) -> Iterator[Bus]:
    env_kafka, env_secrets = os.environ.get("KAFKA_BOOTSTRAP_SERVERS"), os.environ.get(SECRETS_ENV)
    if env_kafka and env_secrets:
        yield Bus.at(env_kafka, env_secrets)
        return
    kafka = start_kafka(base / "kafka", short_lived=True)
    try:
        kafka.bus.provision()
        yield kafka.bus
    finally:
        kafka.stop()


@contextmanager
def _database(base: Path) -> Iterator[tuple[str, dict[str, str], str]]:
    """(the superuser's URL, each service's own role's URL, where it comes from)."""
    from_env = os.environ.get("DATABASE_URL")
    if from_env:
        yield from_env, dict.fromkeys(SERVICE_SCHEMAS, from_env), "environment"
    elif _docker_answers():
        from testcontainers.postgres import PostgresContainer

        with PostgresContainer("postgres:17", driver="asyncpg") as container:
            admin_url = container.get_connection_url()
            passwords = {service: new_password() for service in SERVICE_SCHEMAS}
            setup_roles_sync(admin_url, passwords)
            yield admin_url, service_urls(admin_url, passwords), "testcontainers"
    else:
        pg = start_postgres(base / "postgres")
        try:
            yield pg.admin_url, pg.service_urls(), "local provisioning"
        finally:
            pg.remove()  # its home lies outside the clone, not under `base`


@pytest.fixture(scope="session")
def infra() -> Iterator[Infra]:
    base = RUN_DIR / f"test-{os.getpid()}"
    try:
        with _bus(base) as bus, _database(base) as (admin_url, database_urls, how):
            # A database of this session gets keys of this session; one from the environment (e.g. `werkkloket
            # up`'s) outlives it, and so do its keys: the local stack's.
            sleutels = sleutelbestand(LOKALE_SLEUTELS if how == "environment" else base / "sleutels" / "intake.json")
            yield Infra(bus, admin_url, how, database_urls, sleutels)
    finally:
        shutil.rmtree(base, ignore_errors=True)


def start_stack(infra: Infra, idp: Idp, base: Path, extra_env: dict[str, str] | None = None) -> Stack:
    log_dir = base / "logs"
    services: dict[str, ServiceProcess] = {}
    try:
        for name in SERVICES:
            services[name] = start_service(
                name,
                port=free_port(),
                kafka=infra.kafka(name),
                database_url=infra.database_urls[name],
                oidc_issuer=idp.server.issuer(),
                log_dir=log_dir,
                extra_env=extra_env,
                sleutels=infra.sleutels,
            )
        wait_healthy(list(services.values()), timeout=180)
        # The dashboard's port is known only now: the browser calls Keycloak's token endpoint from its origin.
        allow_dashboard_origin(idp.server.url, idp.server.admin_credentials(), services["rapportage"].url)
    except BaseException:
        for svc in services.values():
            svc.stop()
        raise
    return Stack(infra, services, idp, log_dir)


# Set by `make test` (the whole suite): at its end every operation of every service answered 2xx at least once.
EVERY_OPERATION_ENV = "WERKKLOKET_ELKE_OPERATIE_BEANTWOORD"


def unanswered(stack: Stack) -> list[str]:
    """The operations (from each running service's OpenAPI document) its metrics count no 2xx answer for."""
    missing: list[str] = []
    for name, svc in stack.services.items():
        paths = httpx.get(f"{svc.url}/openapi.json", timeout=10).json()["paths"]
        answered = {
            (sample.labels["method"], sample.labels["route"])
            for family in text_string_to_metric_families(httpx.get(f"{svc.url}/metrics", timeout=10).text)
            if family.name == "werkkloket_http_requests"
            for sample in family.samples
            if sample.name.endswith("_total") and sample.labels["status"].startswith("2") and sample.value > 0
        }
        missing += [
            f"{name}: {method.upper()} {path}"
            for path, operations in paths.items()
            for method in operations
            if (method.upper(), path) not in answered
        ]
    return missing


@pytest.fixture(scope="session")
def stack(infra: Infra, keycloak: Idp) -> Iterator[Stack]:
    base = RUN_DIR / f"stack-{os.getpid()}"
    running = start_stack(infra, keycloak, base, {"WERKKLOKET_KLOK_INSTELBAAR": "true"})
    missing: list[str] = []
    leaked: list[str] = []
    try:
        yield running
        if os.environ.get(EVERY_OPERATION_ENV):
            missing = unanswered(running)
    finally:
        for svc in running.services.values():
            svc.stop()
        # Logs carry no personal data: none of the test people's, and no phone number or e-mail address at all.
        leaked = persoonsgegevens.in_logs(sorted(running.log_dir.glob("*.log")))
        shutil.rmtree(base, ignore_errors=True)
    if missing:
        pytest.fail("no test got a 2xx answer from:\n  " + "\n  ".join(missing), pytrace=False)
    if leaked:
        pytest.fail("personal data in the service logs:\n  " + "\n  ".join(leaked[:50]), pytrace=False)


@dataclass
class Idp:
    """A running Keycloak with the realms werkkloket and werkkloket-anders, and identities to get tokens with."""

    server: KeycloakServer
    identities: Identities
    distribution: Distribution
    ready_after: float  # seconds from its start to /health/ready
    provisioned_in: float
    # A token of the short-lived client issued at the session's start: expired by the time a test looks at it, so
    # tests of expiry need not wait for one.
    early_short_lived: str


# Every organisation gets a machine client (the tests call as each); one of each kind also a person (each takes
# a password hash): enough for logins and the token contract.
PEOPLE = (
    "gemeente-den-haag",
    "centraal-werkt",
    "havenbedrijf-maasvlakte",
    "programmamanager",
    "beheer",
    "mobiliteitsteam-rijnmond",
    "werknemer-demo",
)


# Launched (not waited for) as soon as collection shows that a test asks for `keycloak`: it gets ready on the
# core pytest leaves free while the tests before it run.
_launched: dict[str, Any] = {}


def _keycloak_base() -> Path:
    return RUN_DIR / f"keycloak-{os.getpid()}"


def _launch_keycloak() -> KeycloakServer:
    if "server" not in _launched:
        _launched["distribution"] = ensure_keycloak()
        _launched["server"] = start_keycloak(
            _keycloak_base(), realms=(REALM_FILE, OTHER_REALM_FILE), wait=False, short_lived=True
        )
    server: KeycloakServer = _launched["server"]
    return server


def pytest_collection_finish(session: pytest.Session) -> None:
    if session.config.option.collectonly:
        return
    if any("keycloak" in getattr(item, "fixturenames", ()) for item in session.items):
        # Without a Java 21+ or Maven, the tests that ask for it fail with the reason (the fixture tries again);
        # the others still run.
        with contextlib.suppress(ProvisionError):
            _launch_keycloak()


def _stop_keycloak() -> None:
    server = _launched.pop("server", None)
    if server is not None:
        server.stop()
        remove_keycloak(_keycloak_base())


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    _stop_keycloak()  # launched, but its tests did not run (deselected, -x, interrupted)


@pytest.fixture(scope="session")
def keycloak() -> Iterator[Idp]:
    """Keycloak from the cached distribution, on a fresh base directory (so a fresh realm), once per session."""
    try:
        server = _launch_keycloak()
        ready_after = server.wait_ready()
        t0 = time.monotonic()
        identities = provision_identities(
            server.url, server.admin_credentials(), _keycloak_base() / "identities", other_realm=True, people=PEOPLE
        )
        provisioned_in = time.monotonic() - t0
        yield Idp(
            server, identities, _launched["distribution"], ready_after, provisioned_in, identities.short_lived_token()
        )
    finally:
        _stop_keycloak()
