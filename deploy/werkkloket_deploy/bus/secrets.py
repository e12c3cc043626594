"""The bus's secrets, generated once per installation into a directory of their own (mode 700, files 600).

Layout: `ca.pem` (the CA certificate clients trust), `ca-key.pem`, `broker.pem` (the broker's key and certificate
chain, PEM, read by Kafka directly) and `principals.json` (user name -> SCRAM password). Nothing here is ever
committed; `werkkloket` and the tests read it to connect as one named principal.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import json
import os
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from werkkloket_runtime.kafka import SASL_MECHANISM, SECURITY_PROTOCOL, KafkaConnection

# Names the broker's certificate is valid for: loopback for local provisioning, `kafka` on the compose network.
BROKER_HOSTS: tuple[str, ...] = ("127.0.0.1", "localhost", "kafka")
VALIDITY = dt.timedelta(days=825)


def new_password() -> str:
    """A random password of URL- and JAAS-safe characters."""
    return secrets.token_hex(24)


def write_private(path: Path, data: bytes | str, owner: tuple[int, int] | None = None) -> None:
    """Write a file only its owner can read (mode 600 from its creation on), atomically; `owner` (uid, gid) gives
    it to another account (when root)."""
    raw = data.encode() if isinstance(data, str) else data
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.unlink(missing_ok=True)
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        if owner is not None:
            os.fchown(fd, *owner)
        os.write(fd, raw)
    finally:
        os.close(fd)
    os.replace(tmp, path)


SCRAM_LOGIN_MODULE = "org.apache.kafka.common.security.scram.ScramLoginModule"


def client_properties(connection: KafkaConnection, ca_file: Path | None = None) -> str:
    """A Java client's settings (`--command-config`, `--producer.config`, `--consumer.config` of Kafka's tools,
    or any JVM client) to connect as this principal: SASL_SSL, SCRAM-SHA-512, trusting the CA in PEM form
    (`ca_file`, else the connection's own). Holds the password: write it with `write_client_properties`."""
    for value in (connection.username, connection.password):
        if any(c in value for c in '"\\\n\r'):
            raise ValueError(f"credentials of {connection.username!r} cannot be quoted in a JAAS configuration")
    jaas = f'{SCRAM_LOGIN_MODULE} required username="{connection.username}" password="{connection.password}";'
    settings = {
        "bootstrap.servers": connection.bootstrap_servers,
        "security.protocol": SECURITY_PROTOCOL,
        "sasl.mechanism": SASL_MECHANISM,
        "sasl.jaas.config": jaas,
        "ssl.truststore.type": "PEM",
        "ssl.truststore.location": str((ca_file or connection.ca_file).resolve()),
    }
    return f"# Kafka client settings of {connection.username} (holds its password)\n" + "".join(
        f"{k}={v}\n" for k, v in settings.items()
    )


def write_client_properties(path: Path, connection: KafkaConnection, ca_file: Path | None = None) -> Path:
    """Write `client_properties` to `path` (mode 600, never readable by others in between); returns `path`."""
    path.parent.mkdir(parents=True, exist_ok=True)
    write_private(path, client_properties(connection, ca_file))
    return path


def _key() -> ec.EllipticCurvePrivateKey:
    return ec.generate_private_key(ec.SECP256R1())


def _key_pem(key: ec.EllipticCurvePrivateKey) -> bytes:
    pkcs8 = serialization.PrivateFormat.PKCS8
    return key.private_bytes(serialization.Encoding.PEM, pkcs8, serialization.NoEncryption())


def cert_pem(cert: x509.Certificate) -> bytes:
    return cert.public_bytes(serialization.Encoding.PEM)


def _name(common_name: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Werkkloket"),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


def make_ca() -> tuple[ec.EllipticCurvePrivateKey, x509.Certificate]:
    key = _key()
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(_name("Werkkloket bus CA"))
        .issuer_name(_name("Werkkloket bus CA"))
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + VALIDITY)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(False, False, False, False, False, True, True, False, False), critical=True
        )  # keyCertSign, cRLSign
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    return key, cert


def _san(hosts: Iterable[str]) -> x509.SubjectAlternativeName:
    names: list[x509.GeneralName] = []
    for host in hosts:
        try:
            names.append(x509.IPAddress(ipaddress.ip_address(host)))
        except ValueError:
            names.append(x509.DNSName(host))
    return x509.SubjectAlternativeName(names)


def make_server_cert(
    ca_key: ec.EllipticCurvePrivateKey, ca_cert: x509.Certificate, hosts: Iterable[str]
) -> tuple[ec.EllipticCurvePrivateKey, x509.Certificate]:
    key = _key()
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(_name("kafka"))
        .issuer_name(ca_cert.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + VALIDITY)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(_san(hosts), critical=False)
        .add_extension(
            x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH, ExtendedKeyUsageOID.CLIENT_AUTH]), critical=False
        )
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    return key, cert


@dataclass(frozen=True)
class BusSecrets:
    """The secrets directory of one bus installation."""

    directory: Path

    @property
    def ca_file(self) -> Path:
        return self.directory / "ca.pem"

    @property
    def broker_pem(self) -> Path:
        return self.directory / "broker.pem"

    @property
    def principals_file(self) -> Path:
        return self.directory / "principals.json"

    def exists(self) -> bool:
        return self.ca_file.exists() and self.broker_pem.exists() and self.principals_file.exists()

    def principals(self) -> dict[str, str]:
        found: dict[str, str] = json.loads(self.principals_file.read_text())
        return found

    def password(self, principal: str) -> str:
        try:
            return self.principals()[principal]
        except KeyError:
            raise KeyError(f"no credentials for principal {principal!r} in {self.principals_file}") from None

    def add_principal(self, principal: str) -> str:
        """The principal's password, generated and stored when it has none yet."""
        known = self.principals()
        if principal not in known:
            known[principal] = new_password()
            write_private(self.principals_file, json.dumps(known, indent=2, sort_keys=True) + "\n")
        return known[principal]

    def create(self, principals: Iterable[str], hosts: Iterable[str] = BROKER_HOSTS) -> None:
        """A new CA, broker certificate and a password per principal (replacing whatever was there)."""
        self.directory.mkdir(parents=True, exist_ok=True)
        os.chmod(self.directory, 0o700)
        ca_key, ca_cert = make_ca()
        key, cert = make_server_cert(ca_key, ca_cert, hosts)
        write_private(self.directory / "ca-key.pem", _key_pem(ca_key))
        write_private(self.broker_pem, _key_pem(key) + cert_pem(cert) + cert_pem(ca_cert))
        write_private(self.principals_file, json.dumps({p: new_password() for p in principals}, indent=2) + "\n")
        # The CA certificate is public: clients of any local account may read it.
        self.ca_file.write_bytes(cert_pem(ca_cert))
        os.chmod(self.ca_file, 0o644)

    def connection(self, bootstrap_servers: str, principal: str) -> KafkaConnection:
        """How `principal` connects: SASL_SSL, SCRAM-SHA-512, trusting this installation's CA."""
        return KafkaConnection(
            bootstrap_servers=bootstrap_servers,
            username=principal,
            password=self.password(principal),
            ca_file=self.ca_file,
        )
