"""The Java client properties file of a principal: what Kafka's own tools (and any JVM client) connect with."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from werkkloket_deploy.bus.platform import Bus
from werkkloket_deploy.bus.secrets import BusSecrets, client_properties
from werkkloket_runtime.kafka import KafkaConnection


def _parse(text: str) -> dict[str, str]:
    lines = [line for line in text.splitlines() if line and not line.startswith("#")]
    return dict(line.split("=", 1) for line in lines)


def test_a_principal_s_file_is_sasl_ssl_scram_trusting_the_installation_s_ca(tmp_path: Path) -> None:
    secrets = BusSecrets(tmp_path / "secrets")
    secrets.create(["admin", "waarnemer"], hosts=["127.0.0.1"])
    bus = Bus("127.0.0.1:9093", secrets)

    path = bus.write_client_properties("waarnemer", tmp_path / "run" / "waarnemer.properties")

    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    password = secrets.password("waarnemer")
    assert _parse(path.read_text()) == {
        "bootstrap.servers": "127.0.0.1:9093",
        "security.protocol": "SASL_SSL",
        "sasl.mechanism": "SCRAM-SHA-512",
        "sasl.jaas.config": "org.apache.kafka.common.security.scram.ScramLoginModule required"
        f' username="waarnemer" password="{password}";',
        "ssl.truststore.type": "PEM",
        "ssl.truststore.location": str(secrets.ca_file.resolve()),
    }


def test_a_handed_over_ca_copy_can_be_named(tmp_path: Path) -> None:
    conn = KafkaConnection("kafka:9093", "mobiliteitsteam-rijnmond", "geheim", tmp_path / "secrets" / "ca.pem")
    text = client_properties(conn, ca_file=tmp_path / "teams" / "ca.pem")
    assert _parse(text)["ssl.truststore.location"] == str((tmp_path / "teams" / "ca.pem").resolve())


@pytest.mark.parametrize("password", ['with"quote', "back\\slash", "new\nline"])
def test_credentials_that_cannot_be_quoted_in_jaas_are_refused(tmp_path: Path, password: str) -> None:
    conn = KafkaConnection("127.0.0.1:9093", "beheer", password, tmp_path / "ca.pem")
    with pytest.raises(ValueError, match="JAAS"):
        client_properties(conn)
