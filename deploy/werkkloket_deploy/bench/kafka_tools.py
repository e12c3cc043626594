"""Kafka's own performance tools, and plain aiokafka reading, as the yardstick for the services.

Kafka's Java tools connect with a client properties file of one principal (`ToolClient`): SASL_SSL and
SCRAM-SHA-512 like every other client of the closed bus.
"""

from __future__ import annotations

import asyncio
import re
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from uuid import uuid4

from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from werkkloket_runtime.kafka import KafkaConnection

from ..bus.secrets import write_client_properties
from ..provision import ensure_kafka_jars, java


@dataclass(frozen=True)
class ToolClient:
    """How Kafka's Java tools connect as one principal: the bootstrap servers and its client properties file."""

    bootstrap_servers: str
    config: Path

    @classmethod
    def of(cls, kafka: KafkaConnection, directory: Path) -> ToolClient:
        """Write the principal's client properties (mode 600) into `directory`."""
        path = write_client_properties(directory / f"{kafka.username}.client.properties", kafka)
        return cls(kafka.bootstrap_servers, path)


def kafka_tool(main: str, *args: str) -> str:
    libs = ensure_kafka_jars()
    cmd = [java(), "-Xmx512m", "-cp", f"{libs}/*", main, *args]
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=900, check=False)
    if out.returncode != 0:
        raise RuntimeError(f"{main} failed (exit {out.returncode}):\n{(out.stdout + out.stderr)[-4000:]}")
    return out.stdout + out.stderr


def consumer_perf(client: ToolClient, topic: str, records: int) -> float:
    """ConsumerPerformance reading `records` of a topic: records per second. It joins a consumer group of its own
    (perf-consumer-…), so the principal needs a group ACL: the bench uses the bus admin."""
    out = kafka_tool(
        "org.apache.kafka.tools.ConsumerPerformance",
        "--bootstrap-server", client.bootstrap_servers,
        "--consumer.config", str(client.config),
        "--topic", topic,
        "--messages", str(records),
        "--timeout", "60000",
    )  # fmt: skip
    row = [line for line in out.splitlines() if re.match(r"^\d{4}-", line)][-1].split(",")
    return float(row[5])  # start.time, end.time, data.consumed.in.MB, MB.sec, data.consumed.in.nMsg, nMsg.sec


def kafka_perf(admin: KafkaConnection, client: ToolClient, records: int) -> dict[str, float]:
    """ProducerPerformance then ConsumerPerformance on a scratch topic of the bus admin's."""
    topic = f"bench.perf-{uuid4().hex[:6]}"
    asyncio.run(create_topic(admin, topic, 6))
    out = kafka_tool(
        "org.apache.kafka.tools.ProducerPerformance",
        "--topic", topic,
        "--num-records", str(records),
        "--record-size", "100",
        "--throughput", "-1",
        "--producer.config", str(client.config),
        "--producer-props", "acks=all",
    )  # fmt: skip
    last = [line for line in out.splitlines() if "records sent" in line][-1]
    produced = float(re.search(r"([\d.]+) records/sec", last).group(1))  # type: ignore[union-attr]
    return {"producer_records_per_s": produced, "consumer_records_per_s": consumer_perf(client, topic, records)}


def kafka_consume_rate(client: ToolClient, counts: dict[str, int]) -> float:
    """ConsumerPerformance on the replay's own topics (the same events), one topic at a time, combined."""
    seconds = sum(n / consumer_perf(client, topic, n) for topic, n in counts.items())
    return sum(counts.values()) / seconds


async def create_topic(admin: KafkaConnection, topic: str, partitions: int) -> None:
    client = AIOKafkaAdminClient(**admin.client())
    await client.start()
    try:
        await client.create_topics([NewTopic(topic, partitions, 1)])
    finally:
        await client.close()


async def partitions_of(consumer: AIOKafkaConsumer, topics: list[str]) -> list[TopicPartition]:
    """Every partition of the topics, once the consumer's metadata knows them all."""
    for _ in range(100):
        tps = [TopicPartition(t, p) for t in topics for p in sorted(consumer.partitions_for_topic(t) or ())]
        if {tp.topic for tp in tps} == set(topics):
            return tps
        await consumer._client.force_metadata_update()
        await asyncio.sleep(0.1)
    raise RuntimeError(f"topics {topics} not found")


async def plain_consumer_rate(reader: KafkaConnection, topics: list[str], records: int) -> float:
    """A plain aiokafka consumer (assign + seek, no group) reading `records` of the topics: records per second."""
    consumer = AIOKafkaConsumer(**reader.client(), enable_auto_commit=False)
    await consumer.start()
    try:
        tps = await partitions_of(consumer, topics)
        consumer.assign(tps)
        await consumer.seek_to_beginning(*tps)
        seen, t0 = 0, time.monotonic()
        while seen < records:
            batch = await consumer.getmany(timeout_ms=1000, max_records=10_000)
            seen += sum(len(v) for v in batch.values())
        return seen / (time.monotonic() - t0)
    finally:
        await consumer.stop()


async def group_caught_up(admin: KafkaConnection, group: str, topics: list[str]) -> bool:
    """Whether the group has committed up to the end of every partition (another principal's group offsets: the
    bus admin reads them)."""
    client = AIOKafkaAdminClient(**admin.client())
    probe = AIOKafkaConsumer(**admin.client())
    await client.start()
    await probe.start()
    try:
        tps = await partitions_of(probe, topics)
        ends = await probe.end_offsets(tps)
        committed = await client.list_consumer_group_offsets(group)
        return all(tp in committed and committed[tp].offset >= end for tp, end in ends.items())
    finally:
        await probe.stop()
        await client.close()
