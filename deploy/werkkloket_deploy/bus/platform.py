"""One bus installation: where it listens and its secrets; provisions the platform's principals and topics."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from werkkloket_runtime.kafka import KafkaConnection

from . import acls, admin
from .secrets import BusSecrets, write_client_properties

# Where `werkkloket` finds the secrets of a bus it did not start itself (KAFKA_BOOTSTRAP_SERVERS is set).
SECRETS_ENV = "WERKKLOKET_BUS_SECRETS"


@dataclass(frozen=True)
class Bus:
    bootstrap_servers: str
    secrets: BusSecrets

    @classmethod
    def at(cls, bootstrap_servers: str, secrets_dir: str | Path) -> Bus:
        return cls(bootstrap_servers, BusSecrets(Path(secrets_dir)))

    def connection(self, principal: str) -> KafkaConnection:
        return self.secrets.connection(self.bootstrap_servers, principal)

    def write_client_properties(self, principal: str, path: Path) -> Path:
        """A Java client properties file (mode 600) to connect as `principal`, e.g. for Kafka's own tools."""
        return write_client_properties(path, self.connection(principal))

    def provision(self) -> list[str]:
        """Topics, and the platform's principals with exactly their ACLs; returns the topics created."""
        principals = {name: (self.secrets.add_principal(name), grants) for name, grants in acls.platform_acls().items()}
        return admin.provision(self.connection(acls.ADMIN), principals)

    def add_mobiliteitsteam(self, team: str) -> KafkaConnection:
        """A read-only principal for a mobility team (created once; the same password after that)."""
        principal = acls.mobiliteitsteam_principal(team)
        password = self.secrets.add_principal(principal)
        grants = acls.mobiliteitsteam_acls(team)
        admin.provision(self.connection(acls.ADMIN), {principal: (password, grants)}, topics=False)
        return self.connection(principal)
