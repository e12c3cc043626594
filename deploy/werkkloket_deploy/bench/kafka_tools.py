"""Kafka's own performance tools, and plain aiokafka reading, as the yardstick for the services."""

from __future__ import annotations

import asyncio
import re
import subprocess
import time
from uuid import uuid4

from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient, NewTopic

from ..provision import ensure_kafka_jars, java


def kafka_tool(main: str, *args: str) -> str:
    libs = ensure_kafka_jars()
    cmd = [java(), "-Xmx512m", "-cp", f"{libs}/*", main, *args]
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=900, check=True)
    return out.stdout + out.stderr


def consumer_perf(bootstrap: str, topic: str, records: int) -> float:
    """ConsumerPerformance reading `records` of a topic: records per second."""
    out = kafka_tool(
        "org.apache.kafka.tools.ConsumerPerformance",
        "--bootstrap-server", bootstrap,
        "--topic", topic,
        "--messages", str(records),
        "--timeout", "60000",
    )  # fmt: skip
    row = [line for line in out.splitlines() if re.match(r"^\d{4}-", line)][-1].split(",")
    return float(row[5])  # start.time, end.time, data.consumed.in.MB, MB.sec, data.consumed.in.nMsg, nMsg.sec


def kafka_perf(bootstrap: str, records: int) -> dict[str, float]:
    topic = f"bench.perf-{uuid4().hex[:6]}"
    asyncio.run(create_topic(bootstrap, topic, 6))
    out = kafka_tool(
        "org.apache.kafka.tools.ProducerPerformance",
        "--topic", topic,
        "--num-records", str(records),
        "--record-size", "100",
        "--throughput", "-1",
        "--producer-props", f"bootstrap.servers={bootstrap}", "acks=all",
    )  # fmt: skip
    last = [line for line in out.splitlines() if "records sent" in line][-1]
    produced = float(re.search(r"([\d.]+) records/sec", last).group(1))  # type: ignore[union-attr]
    return {"producer_records_per_s": produced, "consumer_records_per_s": consumer_perf(bootstrap, topic, records)}


def kafka_consume_rate(bootstrap: str, counts: dict[str, int]) -> float:
    """ConsumerPerformance on the replay's own topics (the same events), one topic at a time, combined."""
    seconds = sum(n / consumer_perf(bootstrap, topic, n) for topic, n in counts.items())
    return sum(counts.values()) / seconds


async def create_topic(bootstrap: str, topic: str, partitions: int) -> None:
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        await admin.create_topics([NewTopic(topic, partitions, 1)])
    finally:
        await admin.close()


async def partitions_of(consumer: AIOKafkaConsumer, topics: list[str]) -> list[TopicPartition]:
    """Every partition of the topics, once the consumer's metadata knows them all."""
    for _ in range(100):
        tps = [TopicPartition(t, p) for t in topics for p in sorted(consumer.partitions_for_topic(t) or ())]
        if {tp.topic for tp in tps} == set(topics):
            return tps
        await consumer._client.force_metadata_update()
        await asyncio.sleep(0.1)
    raise RuntimeError(f"topics {topics} not found")


async def plain_consumer_rate(bootstrap: str, topics: list[str], records: int) -> float:
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False)
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


async def group_caught_up(bootstrap: str, group: str, topics: list[str]) -> bool:
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    probe = AIOKafkaConsumer(bootstrap_servers=bootstrap)
    await admin.start()
    await probe.start()
    try:
        tps = await partitions_of(probe, topics)
        ends = await probe.end_offsets(tps)
        committed = await admin.list_consumer_group_offsets(group)
        return all(tp in committed and committed[tp].offset >= end for tp, end in ends.items())
    finally:
        await probe.stop()
        await admin.close()
