"""Kafka wiring with every delivery default set on purpose."""

from __future__ import annotations

import logging
from collections.abc import Iterable

from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.admin.config_resource import ConfigResource, ConfigResourceType
from aiokafka.errors import TopicAlreadyExistsError
from faststream.kafka import KafkaBroker
from werkkloket_contracts import ALL_TOPICS, Topic

log = logging.getLogger(__name__)


def make_broker(bootstrap_servers: str, client_id: str) -> KafkaBroker:
    """A broker whose producer waits for all in-sync replicas and never writes a record twice."""
    return KafkaBroker(
        bootstrap_servers,
        client_id=client_id,
        acks="all",
        enable_idempotence=True,
        allow_auto_create_topics=False,
        linger_ms=1,
        graceful_timeout=30.0,
        log_level=logging.INFO,
    )


async def ensure_topics(bootstrap_servers: str, topics: Iterable[Topic] = ALL_TOPICS) -> list[str]:
    """Create missing topics with their partitions and retention; returns the names created."""
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap_servers, client_id="werkkloket-admin")
    await admin.start()
    try:
        existing = set(await admin.list_topics())
        wanted = [t for t in topics if t.name not in existing]
        created: list[str] = []
        for topic in wanted:
            try:
                await admin.create_topics([NewTopic(topic.name, topic.partitions, 1, topic_configs=dict(topic.config))])
                created.append(topic.name)
            except TopicAlreadyExistsError:
                pass  # another service created it meanwhile
        if created:
            log.info("created topics %s", created)
        await _align_configs(admin, [t for t in topics if t.name in existing and t.config])
        return created
    finally:
        await admin.close()


async def topic_configs(admin: AIOKafkaAdminClient, names: list[str]) -> dict[str, dict[str, str]]:
    """The current configuration of topics, e.g. {"werkkloket.aanmeldingen": {"retention.ms": "-1", ...}}."""
    if not names:
        return {}
    found: dict[str, dict[str, str]] = {}
    for response in await admin.describe_configs([ConfigResource(ConfigResourceType.TOPIC, n) for n in names]):
        for resource in response.resources:
            found[resource[3]] = {entry[0]: entry[1] for entry in resource[4]}
    return found


async def _align_configs(admin: AIOKafkaAdminClient, topics: list[Topic]) -> None:
    """Topics made earlier (or by hand) get the configuration the registry asks for, e.g. unlimited retention."""
    current = await topic_configs(admin, [t.name for t in topics])
    for topic in topics:
        wrong = {k: v for k, v in topic.config.items() if current.get(topic.name, {}).get(k) != v}
        if wrong:
            # alter_configs replaces the topic's whole set of overrides: send every wanted value.
            await admin.alter_configs([ConfigResource(ConfigResourceType.TOPIC, topic.name, dict(topic.config))])
            log.warning("topic %s: set %s", topic.name, wrong)
