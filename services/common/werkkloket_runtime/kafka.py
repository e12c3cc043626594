"""Kafka wiring with every delivery default set on purpose."""

from __future__ import annotations

import logging
from collections.abc import Iterable

from aiokafka.admin import AIOKafkaAdminClient, NewTopic
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
        return created
    finally:
        await admin.close()
