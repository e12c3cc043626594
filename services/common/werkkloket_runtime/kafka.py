"""Kafka wiring with every delivery default set on purpose."""

from __future__ import annotations

import logging
import ssl
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from aiokafka.admin import AIOKafkaAdminClient
from aiokafka.admin.config_resource import ConfigResource, ConfigResourceType
from aiokafka.helpers import create_ssl_context
from faststream.kafka import KafkaBroker
from faststream.security import SASLScram512
from werkkloket_contracts import Topic

log = logging.getLogger(__name__)

SECURITY_PROTOCOL = "SASL_SSL"
SASL_MECHANISM = "SCRAM-SHA-512"


class TopicsMissing(RuntimeError):
    """The topics a service needs are not there: the bus is provisioned by its admin, never by a service."""


@dataclass(frozen=True)
class KafkaConnection:
    """How one principal reaches the bus: TLS (trusting `ca_file`) and SCRAM-SHA-512; there is no other way."""

    bootstrap_servers: str
    username: str
    password: str = field(repr=False)
    ca_file: Path

    @cached_property
    def ssl_context(self) -> ssl.SSLContext:
        # Verifies the broker's certificate and host name against the installation's CA.
        context: ssl.SSLContext = create_ssl_context(cafile=str(self.ca_file))
        return context

    def client(self) -> dict[str, Any]:
        """Keyword arguments for any aiokafka client (producer, consumer, admin)."""
        return {
            "bootstrap_servers": self.bootstrap_servers,
            "security_protocol": SECURITY_PROTOCOL,
            "sasl_mechanism": SASL_MECHANISM,
            "sasl_plain_username": self.username,
            "sasl_plain_password": self.password,
            "ssl_context": self.ssl_context,
        }

    def security(self) -> SASLScram512:
        """The same, for FastStream's broker."""
        return SASLScram512(self.username, self.password, ssl_context=self.ssl_context, use_ssl=True)


def make_broker(kafka: KafkaConnection, client_id: str) -> KafkaBroker:
    """A broker whose producer waits for all in-sync replicas and never writes a record twice."""
    return KafkaBroker(
        kafka.bootstrap_servers,
        security=kafka.security(),
        client_id=client_id,
        acks="all",
        enable_idempotence=True,
        allow_auto_create_topics=False,
        linger_ms=1,
        graceful_timeout=30.0,
        log_level=logging.INFO,
    )


async def verify_topics(kafka: KafkaConnection, topics: Iterable[Topic]) -> None:
    """Fail when a topic this service uses is missing or has fewer partitions than the registry asks for."""
    wanted = list(topics)
    admin = AIOKafkaAdminClient(**kafka.client(), client_id=f"{kafka.username}-verify")
    await admin.start()
    try:
        described = await admin.describe_topics([t.name for t in wanted])
    finally:
        await admin.close()
    found = {d["topic"]: d for d in described if d.get("error_code", 0) == 0}
    problems = [
        f"{t.name}: missing" if t.name not in found else f"{t.name}: {len(found[t.name]['partitions'])} partitions"
        for t in wanted
        if t.name not in found or len(found[t.name]["partitions"]) < t.partitions
    ]
    if problems:
        raise TopicsMissing(
            f"topics not provisioned for {kafka.username} ({'; '.join(problems)}): the bus admin creates them"
            " (`werkkloket up`, or `werkkloket bus provision`)"
        )


async def topic_configs(admin: AIOKafkaAdminClient, names: list[str]) -> dict[str, dict[str, str]]:
    """The current configuration of topics, e.g. {"werkkloket.aanmeldingen": {"retention.ms": "-1", ...}}."""
    if not names:
        return {}
    found: dict[str, dict[str, str]] = {}
    for response in await admin.describe_configs([ConfigResource(ConfigResourceType.TOPIC, n) for n in names]):
        for resource in response.resources:
            found[resource[3]] = {entry[0]: entry[1] for entry in resource[4]}
    return found
