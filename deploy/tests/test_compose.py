"""docker-compose.yml runs on the closed bus with secrets from the generated env file only; no Docker needed.

The integration test at the end runs the Kafka service's own start script and environment (from the compose file,
with the addresses moved to this machine) on the Maven jars, and provisions it as `bus-init` does.
"""

from __future__ import annotations

import os
import re
import signal
import stat
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from confluent_kafka import Producer
from typer.testing import CliRunner
from werkkloket_contracts import AANMELDINGEN, TOEWIJZINGEN
from werkkloket_deploy.bus import acls
from werkkloket_deploy.bus.platform import Bus
from werkkloket_deploy.bus.secrets import BusSecrets
from werkkloket_deploy.cli import app
from werkkloket_deploy.compose import bus_password_var, db_password_var, read_env
from werkkloket_deploy.paths import REPO_ROOT
from werkkloket_deploy.provision import CLIENT_COMPILER_ONLY, ensure_kafka_jars, free_port, java, wait_for_port
from werkkloket_runtime.kafka import SASL_MECHANISM, SECURITY_PROTOCOL

COMPOSE_FILE = REPO_ROOT / "docker-compose.yml"
KAFKA_START = REPO_ROOT / "deploy" / "compose" / "kafka-start.sh"
# ${VAR}, ${VAR:?message}, ${VAR:-default}: compose's interpolation
REFERENCE = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)(?::?[-?+][^}]*)?\}")
ONLY_REFERENCE = re.compile(rf"^{REFERENCE.pattern}$")
SECRET_KEY = re.compile(r"(PASSWORD|SECRET|TOKEN|CREDENTIALS?)$", re.IGNORECASE)
runner = CliRunner()


def _compose() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load(COMPOSE_FILE.read_text())
    return loaded


def _services() -> dict[str, dict[str, Any]]:
    services: dict[str, dict[str, Any]] = _compose()["services"]
    return services


def _env(service: str) -> dict[str, str]:
    return {k: str(v) for k, v in (_services()[service].get("environment") or {}).items()}


def _strings(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            yield str(key)
            yield from _strings(value)
    elif isinstance(node, list):
        for item in node:
            yield from _strings(item)
    elif node is not None:
        yield str(node)


def _referenced() -> set[str]:
    return set(REFERENCE.findall(COMPOSE_FILE.read_text()))


def _interpolate(value: str, env: dict[str, str]) -> str:
    return REFERENCE.sub(lambda m: env[m.group(1)], value)


def test_no_literal_secret_anywhere() -> None:
    text = COMPOSE_FILE.read_text()
    assert "werkkloket:werkkloket" not in text
    for service, spec in _services().items():
        for key, value in (spec.get("environment") or {}).items():
            if SECRET_KEY.search(key):
                assert ONLY_REFERENCE.match(str(value)), f"{service}: {key} must be a ${{VAR}} reference"
    for string in _strings(_compose()):
        # passwords inside JAAS configurations and URLs
        for found in re.findall(r'(?:password|user_\w+)="([^"]*)"', string):
            assert ONLY_REFERENCE.match(found), f"literal password in {string!r}"
        for found in re.findall(r"://[^:/@\s]+:([^@\s]*)@", string):
            assert ONLY_REFERENCE.match(found), f"literal password in a URL: {string!r}"
    assert ONLY_REFERENCE.match(_env("postgres")["POSTGRES_PASSWORD"])


def test_kafka_listens_sasl_ssl_only_with_acls() -> None:
    env = _env("kafka")
    protocols = dict(item.split(":") for item in env["KAFKA_LISTENER_SECURITY_PROTOCOL_MAP"].split(","))
    assert set(protocols.values()) == {"SASL_SSL"}
    for key in ("KAFKA_LISTENERS", "KAFKA_ADVERTISED_LISTENERS"):
        names = {listener.split("://")[0] for listener in env[key].split(",")}
        assert names <= set(protocols), f"{key} names a listener without a protocol"
    assert env["KAFKA_INTER_BROKER_LISTENER_NAME"] in protocols
    assert env["KAFKA_SASL_ENABLED_MECHANISMS"] == "SCRAM-SHA-512"
    assert env["KAFKA_SASL_MECHANISM_INTER_BROKER_PROTOCOL"] == "SCRAM-SHA-512"
    assert env["KAFKA_SASL_MECHANISM_CONTROLLER_PROTOCOL"] == "PLAIN"
    assert env["KAFKA_AUTHORIZER_CLASS_NAME"] == "org.apache.kafka.metadata.authorizer.StandardAuthorizer"
    assert env["KAFKA_ALLOW_EVERYONE_IF_NO_ACL_FOUND"] == "false"
    assert env["KAFKA_SUPER_USERS"].split(";") == [f"User:{u}" for u in acls.SUPER_USERS]
    assert env["KAFKA_AUTO_CREATE_TOPICS_ENABLE"] == "false"
    assert env["KAFKA_SSL_KEYSTORE_TYPE"] == env["KAFKA_SSL_TRUSTSTORE_TYPE"] == "PEM"
    # the first SCRAM users are made by the start script when it formats the storage
    assert _services()["kafka"]["entrypoint"][-1] == "/opt/werkkloket/kafka-start.sh"
    assert "--add-scram" in KAFKA_START.read_text()


def test_every_service_has_its_own_principal_and_database_role() -> None:
    users, urls = set(), set()
    for service in acls.SERVICES:
        env = _env(service)
        assert env["KAFKA_USERNAME"] == service
        assert REFERENCE.fullmatch(env["KAFKA_PASSWORD"])
        assert REFERENCE.findall(env["KAFKA_PASSWORD"]) == [bus_password_var(service)]
        url = re.fullmatch(r"postgresql\+asyncpg://([^:]+):(\$\{[^}]+\})@postgres:5432/werkkloket", env["DATABASE_URL"])
        assert url, env["DATABASE_URL"]
        assert url.group(1) == service
        assert REFERENCE.findall(url.group(2)) == [db_password_var(service)]
        assert env["KAFKA_CA_FILE"] and env["KAFKA_BOOTSTRAP_SERVERS"] == "kafka:9092"
        users.add(env["KAFKA_USERNAME"])
        urls.add(env["DATABASE_URL"])
        depends = _services()[service]["depends_on"]
        assert depends["bus-init"]["condition"] == depends["db-init"]["condition"] == "service_completed_successfully"
    assert len(users) == len(urls) == len(acls.SERVICES)


def test_provisioning_jobs() -> None:
    services = _services()
    assert services["bus-init"]["command"] == ["werkkloket", "bus", "provision"]
    assert services["bus-init"]["depends_on"]["kafka"]["condition"] == "service_healthy"
    assert services["db-init"]["command"] == ["werkkloket", "db", "provision"]
    db_env = _env("db-init")
    assert set(db_env) == {"DATABASE_ADMIN_URL", *(db_password_var(s) for s in acls.SERVICES)}
    assert REFERENCE.findall(db_env["DATABASE_ADMIN_URL"]) == ["POSTGRES_PASSWORD"]


def test_compose_secrets_define_every_reference(tmp_path: Path) -> None:
    result = runner.invoke(app, ["compose", "secrets", "--directory", str(tmp_path)])
    assert result.exit_code == 0, result.output
    env_file = tmp_path / ".env"
    assert stat.S_IMODE(env_file.stat().st_mode) == 0o600
    env = read_env(env_file)
    assert _referenced() <= set(env), f"not in the env file: {_referenced() - set(env)}"
    assert all(len(v) >= 32 for v in env.values()) and len(set(env.values())) == len(env)
    # the bus secrets directory holds the same Kafka passwords, for `werkkloket bus provision`
    bus = BusSecrets(tmp_path / "secrets")
    assert bus.exists()
    assert set(bus.principals()) == {*acls.SUPER_USERS, *acls.platform_acls()}
    for principal, password in bus.principals().items():
        assert env[bus_password_var(principal)] == password
    assert stat.S_IMODE(bus.principals_file.stat().st_mode) == 0o600

    before = env_file.read_text()
    kept = runner.invoke(app, ["compose", "secrets", "--directory", str(tmp_path)])
    assert kept.exit_code == 0 and "kept" in kept.output
    assert env_file.read_text() == before
    forced = runner.invoke(app, ["compose", "secrets", "--directory", str(tmp_path), "--force"])
    assert forced.exit_code == 0 and env_file.read_text() != before


def test_compose_secrets_refuses_an_incomplete_directory(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("POSTGRES_PASSWORD=x\n")
    result = runner.invoke(app, ["compose", "secrets", "--directory", str(tmp_path)])
    assert result.exit_code == 1 and "--force" in result.output
    assert (tmp_path / ".env").read_text() == "POSTGRES_PASSWORD=x\n"


def test_secrets_stay_out_of_git_and_the_build_context() -> None:
    ignored = (REPO_ROOT / ".gitignore").read_text().splitlines()
    assert "deploy/compose/.env" in ignored and "deploy/compose/secrets/" in ignored
    dockerignore = (REPO_ROOT / ".dockerignore").read_text().splitlines()
    assert "deploy/compose/.env" in dockerignore and "deploy/compose/secrets" in dockerignore


# --- the Kafka service's start script and environment, run on this machine -------------------------------------


def _fake_kafka_home(home: Path) -> Path:
    """bin/ scripts of the image's layout, running the Maven jars with the machine's Java (a short-lived JVM)."""
    libs, java_bin = ensure_kafka_jars(), java()
    (home / "bin").mkdir(parents=True)
    for script, main in {"kafka-storage.sh": "kafka.tools.StorageTool", "kafka-server-start.sh": "kafka.Kafka"}.items():
        path = home / "bin" / script
        jvm = f'"{java_bin}" $KAFKA_HEAP_OPTS {CLIENT_COMPILER_ONLY}'
        path.write_text(f'#!/usr/bin/env bash\nexec {jvm} -cp "{libs}/*" {main} "$@"\n')
        path.chmod(0o755)
    return home


def _local_kafka_env(tmp_path: Path, env_file: dict[str, str], ports: dict[int, int]) -> dict[str, str]:
    """The kafka service's environment, interpolated from the env file, its addresses and paths moved here."""
    env = {k: _interpolate(v, env_file) for k, v in _env("kafka").items()}
    for key in ("KAFKA_LISTENERS", "KAFKA_ADVERTISED_LISTENERS", "KAFKA_CONTROLLER_QUORUM_VOTERS"):
        value = env[key].replace("0.0.0.0", "localhost").replace("kafka:", "localhost:")
        value = value.replace("127.0.0.1:", "localhost:")
        for port, local in ports.items():
            value = value.replace(f"localhost:{port}", f"localhost:{local}")
        env[key] = value
    secrets = tmp_path / "secrets"
    env["KAFKA_SSL_KEYSTORE_LOCATION"] = str(secrets / "broker.pem")
    env["KAFKA_SSL_TRUSTSTORE_LOCATION"] = str(secrets / "ca.pem")
    env["KAFKA_LOG_DIRS"] = str(tmp_path / "data")
    env["KAFKA_HEAP_OPTS"] = "-Xms256m -Xmx256m"
    env["KAFKA_HOME"] = str(_fake_kafka_home(tmp_path / "kafka-home"))
    env["WERKKLOKET_KAFKA_CONFIG_DIR"] = str(tmp_path / "config")
    return env


class NotDelivered(Exception):
    pass


def _produce(bootstrap: str, username: str, password: str, ca: Path, topic: str, timeout_ms: int = 10000) -> None:
    producer = Producer(
        {
            "bootstrap.servers": bootstrap,
            "security.protocol": SECURITY_PROTOCOL,
            "sasl.mechanisms": SASL_MECHANISM,
            "sasl.username": username,
            "sasl.password": password,
            "ssl.ca.location": str(ca),
            "message.timeout.ms": timeout_ms,
            "log_level": 0,
        }
    )
    errors: list[str | None] = []

    def delivered(err: Any, _msg: Any) -> None:
        errors.append(None if err is None else err.name())

    producer.produce(topic, b"{}", key=b"k", on_delivery=delivered)
    producer.flush(30)
    if errors != [None]:
        raise NotDelivered(errors[0] if errors else "not delivered")


def _start(env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    with log.open("ab") as out:
        return subprocess.Popen(
            ["bash", str(KAFKA_START)],
            env={"PATH": os.environ["PATH"], **env},
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def _stop(proc: subprocess.Popen[bytes]) -> None:
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=40)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


@pytest.mark.integration
def test_the_compose_kafka_starts_closed_and_bus_init_provisions_it(tmp_path: Path) -> None:
    assert runner.invoke(app, ["compose", "secrets", "--directory", str(tmp_path)]).exit_code == 0
    env_file = read_env(tmp_path / ".env")
    ports = {9092: free_port(), 9093: free_port(), 19092: free_port()}
    env = _local_kafka_env(tmp_path, env_file, ports)
    log = tmp_path / "kafka.log"
    proc = _start(env, log)
    try:
        wait_for_port("localhost", ports[9092], 90, proc=proc, log_file=log)
        properties = tmp_path / "config" / "server.properties"
        assert "listener.name.internal.scram-sha-512.sasl.jaas.config=" in properties.read_text()
        assert "heap" not in properties.read_text()
        assert stat.S_IMODE(properties.stat().st_mode) == 0o600
        assert log.read_text().count("===> Formatting") == 1

        # bus-init: topics, principals and ACLs as the admin the start script created
        internal = f"localhost:{ports[9092]}"
        bus = Bus.at(internal, tmp_path / "secrets")
        assert set(bus.provision()) >= {AANMELDINGEN.name, TOEWIJZINGEN.name}

        # a service with its password from the env file, on the host listener too: only its own topics
        ca, password = bus.secrets.ca_file, env_file[bus_password_var("intake")]
        for bootstrap in (internal, f"localhost:{ports[19092]}"):
            _produce(bootstrap, "intake", password, ca, AANMELDINGEN.name)
            with pytest.raises(NotDelivered):
                _produce(bootstrap, "intake", password, ca, TOEWIJZINGEN.name)
        with pytest.raises(NotDelivered):
            _produce(internal, "intake", "wrong-" + password, ca, AANMELDINGEN.name, timeout_ms=1000)
        # the health check's client settings: the admin over SASL_SSL
        health = (tmp_path / "config" / "healthcheck.properties").read_text()
        assert 'username="admin"' in health and env_file[bus_password_var(acls.ADMIN)] in health
    finally:
        _stop(proc)

    # a restart keeps the formatted storage (and its users): no second format, the topics are still there
    proc = _start(env, log)
    try:
        wait_for_port("localhost", ports[9092], 90, proc=proc, log_file=log)
        assert log.read_text().count("===> Formatting") == 1
        assert bus.provision() == []
    finally:
        _stop(proc)
