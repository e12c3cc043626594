"""docker-compose.yml runs on the closed bus with secrets from the generated env file only, and the services trust
its Keycloak; no Docker needed (`docker-compose config` is checked when that command is installed).

The integration test at the end runs the Kafka service's own start script and environment (from the compose file,
with the addresses moved to this machine) on the Maven jars, and provisions it as `bus-init` does. The Keycloak
service's settings run on the local distribution in tests/identity/test_compose_keycloak.py.
"""

from __future__ import annotations

import os
import re
import shutil
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
from werkkloket_deploy.compose import (
    KEYCLOAK_ADMIN_PASSWORD,
    KEYCLOAK_ADMIN_USERNAME,
    SLEUTELS_FILE,
    bus_password_var,
    db_password_var,
    read_env,
)
from werkkloket_deploy.paths import REPO_ROOT
from werkkloket_deploy.provision import CLIENT_COMPILER_ONLY, ensure_kafka_jars, free_port, java, wait_for_port
from werkkloket_deploy.provision.keycloak import ADMIN_USER, REALM, REALM_FILE, keycloak_version
from werkkloket_deploy.sleutels import GEBRUIKERS
from werkkloket_runtime.kafka import SASL_MECHANISM, SECURITY_PROTOCOL
from werkkloket_runtime.settings import SLEUTELS_ENV
from werkkloket_runtime.versleuteling import lees_sleutels

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
    checked = set()
    for service, spec in _services().items():
        for key, value in (spec.get("environment") or {}).items():
            if SECRET_KEY.search(key):
                assert ONLY_REFERENCE.match(str(value)), f"{service}: {key} must be a ${{VAR}} reference"
                checked.add(f"{service}.{key}")
    # the check reaches Keycloak's bootstrap admin and the job that logs in as it
    assert {"keycloak.KC_BOOTSTRAP_ADMIN_PASSWORD", "identities-init.KEYCLOAK_ADMIN_PASSWORD"} <= checked
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


def _keycloak_hostname() -> str:
    hostname = _env("keycloak")["KC_HOSTNAME"]
    assert re.fullmatch(r"https?://[^/:]+:\d+", hostname), f"KC_HOSTNAME must be a full URL: {hostname}"
    return hostname


def test_keycloak_is_the_version_the_local_stack_runs() -> None:
    keycloak = _services()["keycloak"]
    assert keycloak["image"] == f"quay.io/keycloak/keycloak:{keycloak_version()}"
    assert keycloak["command"] == ["start-dev", "--import-realm"]
    realm = f"./{REALM_FILE.relative_to(REPO_ROOT)}"
    assert f"{realm}:/opt/keycloak/data/import/{REALM_FILE.name}:ro" in keycloak["volumes"]
    env = _env("keycloak")
    assert REFERENCE.findall(env["KC_BOOTSTRAP_ADMIN_USERNAME"]) == [KEYCLOAK_ADMIN_USERNAME]
    assert REFERENCE.findall(env["KC_BOOTSTRAP_ADMIN_PASSWORD"]) == [KEYCLOAK_ADMIN_PASSWORD]


def test_keycloak_names_one_issuer_for_browsers_and_services() -> None:
    env, hostname = _env("keycloak"), _keycloak_hostname()
    # front-channel URLs and the tokens' issuer from KC_HOSTNAME; back-channel URLs follow the request
    assert env["KC_HOSTNAME_BACKCHANNEL_DYNAMIC"] == "true"
    port = hostname.rsplit(":", 1)[1]
    assert f"127.0.0.1:{port}:8080" in _services()["keycloak"]["ports"]


def test_keycloak_health_check_asks_the_management_port() -> None:
    keycloak = _services()["keycloak"]
    assert _env("keycloak")["KC_HEALTH_ENABLED"] == "true"
    test = keycloak["healthcheck"]["test"]
    assert test[:3] == ["CMD", "bash", "-c"]  # the image has bash, no curl
    assert "/dev/tcp/127.0.0.1/9000" in test[3] and "GET /health/ready " in test[3]
    assert "'^HTTP/1.1 200'" in test[3]


def test_every_service_trusts_the_compose_keycloak_and_nothing_else() -> None:
    issuer = f"{_keycloak_hostname()}/realms/{REALM}"
    discovery = f"http://keycloak:8080/realms/{REALM}/.well-known/openid-configuration"
    for service in acls.SERVICES:
        env = _env(service)
        assert env["WERKKLOKET_OIDC_ISSUER"] == issuer
        assert env["WERKKLOKET_OIDC_DISCOVERY_URL"] == discovery
        assert "WERKKLOKET_API_KEYS_FILE" not in env
        assert _services()[service]["depends_on"]["keycloak"]["condition"] == "service_healthy"
    text = COMPOSE_FILE.read_text().lower()
    for remnant in ("api_keys", "api-keys", "api key", "credentials.json", "deploy/config"):
        assert remnant not in text


def test_provisioning_jobs() -> None:
    services = _services()
    assert services["bus-init"]["command"] == ["werkkloket", "bus", "provision"]
    assert services["bus-init"]["depends_on"]["kafka"]["condition"] == "service_healthy"
    assert services["db-init"]["command"] == ["werkkloket", "db", "provision"]
    db_env = _env("db-init")
    assert set(db_env) == {"DATABASE_ADMIN_URL", *(db_password_var(s) for s in acls.SERVICES)}
    assert REFERENCE.findall(db_env["DATABASE_ADMIN_URL"]) == ["POSTGRES_PASSWORD"]

    init = services["identities-init"]
    assert init["command"] == ["werkkloket", "identities", "provision"]
    assert init["depends_on"]["keycloak"]["condition"] == "service_healthy"
    env = _env("identities-init")
    assert env["KEYCLOAK_URL"] == "http://keycloak:8080"
    assert REFERENCE.findall(env["KEYCLOAK_ADMIN_USERNAME"]) == [KEYCLOAK_ADMIN_USERNAME]
    assert REFERENCE.findall(env["KEYCLOAK_ADMIN_PASSWORD"]) == [KEYCLOAK_ADMIN_PASSWORD]
    # passwords and private keys in a volume of its own, made writable for the image's user by bus-secrets
    assert init["volumes"] == [f"identities:{env['WERKKLOKET_IDENTITIES_DIR']}"]
    assert "identities:/out/identities" in services["bus-secrets"]["volumes"]
    assert "install -d -m 0700 -o 10001 /out/identities" in services["bus-secrets"]["command"][0]
    assert init["depends_on"]["bus-secrets"]["condition"] == "service_completed_successfully"


def test_compose_secrets_define_every_reference(tmp_path: Path) -> None:
    result = runner.invoke(app, ["compose", "secrets", "--directory", str(tmp_path)])
    assert result.exit_code == 0, result.output
    env_file = tmp_path / ".env"
    assert stat.S_IMODE(env_file.stat().st_mode) == 0o600
    env = read_env(env_file)
    assert _referenced() <= set(env), f"not in the env file: {_referenced() - set(env)}"
    assert {KEYCLOAK_ADMIN_USERNAME, KEYCLOAK_ADMIN_PASSWORD} <= _referenced()
    assert env[KEYCLOAK_ADMIN_USERNAME] == ADMIN_USER
    passwords = [v for k, v in env.items() if k.endswith("_PASSWORD")]
    assert len(passwords) == len(env) - 1  # all but the admin's name
    assert all(len(v) >= 32 for v in passwords) and len(set(passwords)) == len(passwords)
    # the bus secrets directory holds the same Kafka passwords, for `werkkloket bus provision`
    bus = BusSecrets(tmp_path / "secrets")
    assert bus.exists()
    assert set(bus.principals()) == {*acls.SUPER_USERS, *acls.platform_acls()}
    for principal, password in bus.principals().items():
        assert env[bus_password_var(principal)] == password
    assert stat.S_IMODE(bus.principals_file.stat().st_mode) == 0o600
    # intake's keys, next to the bus's secrets
    sleutels_file = tmp_path / "secrets" / SLEUTELS_FILE
    assert stat.S_IMODE(sleutels_file.stat().st_mode) == 0o600
    sleutels = lees_sleutels(sleutels_file)

    before = env_file.read_text()
    kept = runner.invoke(app, ["compose", "secrets", "--directory", str(tmp_path)])
    assert kept.exit_code == 0 and "kept" in kept.output
    assert env_file.read_text() == before and lees_sleutels(sleutels_file) == sleutels
    forced = runner.invoke(app, ["compose", "secrets", "--directory", str(tmp_path), "--force"])
    assert forced.exit_code == 0 and env_file.read_text() != before
    assert lees_sleutels(sleutels_file) != sleutels


def test_compose_secrets_add_intakes_keys_to_older_secrets(tmp_path: Path) -> None:
    assert runner.invoke(app, ["compose", "secrets", "--directory", str(tmp_path)]).exit_code == 0
    sleutels_file = tmp_path / "secrets" / SLEUTELS_FILE
    sleutels_file.unlink()
    before = (tmp_path / ".env").read_text()
    result = runner.invoke(app, ["compose", "secrets", "--directory", str(tmp_path)])
    assert result.exit_code == 0 and "kept" in result.output and "added the keys of intake" in result.output
    assert (tmp_path / ".env").read_text() == before
    assert stat.S_IMODE(sleutels_file.stat().st_mode) == 0o600 and lees_sleutels(sleutels_file)


def test_each_services_keys_reach_that_service_only() -> None:
    services = _services()
    command = services["bus-secrets"]["command"][0]
    assert "install -d -m 0700 -o 10001 /out/intake" in command
    for dienst in GEBRUIKERS:
        path = Path(_env(dienst)[SLEUTELS_ENV])
        volumes = services[dienst]["volumes"]
        assert f"{dienst}-sleutels:{path.parent}:ro" in volumes, dienst
        assert any("ca.pem" in str(v) for v in volumes)  # the bus's CA too
        # bus-secrets copies the file into the service's own volume, readable by the image's user only
        assert f"{dienst}-sleutels:/out/{dienst}" in services["bus-secrets"]["volumes"]
        # nobody else mounts it
        for name, spec in services.items():
            if name not in (dienst, "bus-secrets"):
                assert not any(f"{dienst}-sleutels" in str(v) for v in spec.get("volumes") or []), (dienst, name)
    assert f"install -m 0400 -o 10001 /in/{SLEUTELS_FILE} /out/intake/sleutels.json" in command
    assert "install -m 0400 -o 10001 /in/$$s.json /out/$$s/sleutels.json" in command
    for name in services:
        if name not in GEBRUIKERS and name != "bus-secrets":
            assert SLEUTELS_ENV not in _env(name), name


def test_compose_secrets_complete_an_env_file_from_before_keycloak(tmp_path: Path) -> None:
    assert runner.invoke(app, ["compose", "secrets", "--directory", str(tmp_path)]).exit_code == 0
    env_file = tmp_path / ".env"
    old = [line for line in env_file.read_text().splitlines() if "KEYCLOAK" not in line.upper()]
    env_file.write_text("\n".join(old) + "\n")
    before = read_env(env_file)
    assert KEYCLOAK_ADMIN_PASSWORD not in before

    result = runner.invoke(app, ["compose", "secrets", "--directory", str(tmp_path)])
    assert result.exit_code == 0 and "kept" in result.output and KEYCLOAK_ADMIN_PASSWORD in result.output
    after = read_env(env_file)
    assert {k: after[k] for k in before} == before  # nothing else changed
    assert _referenced() <= set(after)
    assert len(after[KEYCLOAK_ADMIN_PASSWORD]) >= 32 and after[KEYCLOAK_ADMIN_USERNAME] == ADMIN_USER
    assert stat.S_IMODE(env_file.stat().st_mode) == 0o600
    again = runner.invoke(app, ["compose", "secrets", "--directory", str(tmp_path)])
    assert again.exit_code == 0 and "added" not in again.output and read_env(env_file) == after


@pytest.mark.skipif(shutil.which("docker-compose") is None, reason="docker-compose is not installed")
def test_docker_compose_reads_the_file_with_the_generated_env_file(tmp_path: Path) -> None:
    """docker-compose's own reading (interpolation, merge keys, depends_on conditions); no Docker engine needed."""
    assert runner.invoke(app, ["compose", "secrets", "--directory", str(tmp_path)]).exit_code == 0
    docker_compose = ["docker-compose", "-f", str(COMPOSE_FILE), "--project-directory", str(REPO_ROOT)]
    result = subprocess.run(
        [*docker_compose, "--env-file", str(tmp_path / ".env"), "config"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    config = yaml.safe_load(result.stdout)
    env = read_env(tmp_path / ".env")
    keycloak = config["services"]["keycloak"]["environment"]
    assert keycloak["KC_BOOTSTRAP_ADMIN_PASSWORD"] == env[KEYCLOAK_ADMIN_PASSWORD]
    assert config["services"]["intake"]["environment"]["WERKKLOKET_OIDC_ISSUER"].endswith(f"/realms/{REALM}")
    # without the env file, compose refuses to start and says what to run
    empty = tmp_path / "empty.env"
    empty.write_text("")
    missing = subprocess.run(
        [*docker_compose, "--env-file", str(empty), "config"], capture_output=True, text=True, timeout=120, check=False
    )
    assert missing.returncode != 0 and "make compose-secrets" in missing.stderr


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
