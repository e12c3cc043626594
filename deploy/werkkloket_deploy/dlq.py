"""Inspect the dead-letter topic and re-drive dead letters to their original topic after a fix."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, ConsumerRecord, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient
from werkkloket_contracts import DEAD_LETTERS
from werkkloket_runtime.kafka import KafkaConnection

from .bus.acls import DLQ_REPLAY_GROUP

# The consumer group whose committed offset marks how far `dlq replay` has re-driven.
REDRIVE_GROUP = DLQ_REPLAY_GROUP


@dataclass(frozen=True)
class DeadLetter:
    offset: int
    key: bytes | None
    value: bytes
    headers: dict[str, str]

    @property
    def reason_code(self) -> str:
        return self.headers.get("dlq_reason_code", "")

    @property
    def reason(self) -> str:
        return self.headers.get("dlq_reason", "")

    @property
    def group(self) -> str:
        return self.headers.get("dlq_consumer_group", "")

    @property
    def origin(self) -> tuple[str, int, int]:
        h = self.headers
        return (
            h.get("dlq_original_topic", ""),
            int(h.get("dlq_original_partition", -1)),
            int(h.get("dlq_original_offset", -1)),
        )

    def original_headers(self) -> list[tuple[str, bytes]]:
        return [(k, v.encode()) for k, v in self.headers.items() if not k.startswith("dlq_")]


def _dead_letter(record: ConsumerRecord[bytes, bytes]) -> DeadLetter:
    headers: dict[str, str] = {}
    for name, value in record.headers or ():
        headers[name] = value.decode(errors="replace")
    return DeadLetter(record.offset, record.key, record.value or b"", headers)


async def read(kafka: KafkaConnection, start: int = 0) -> list[DeadLetter]:
    """Every dead letter from offset `start` up to the current end of the topic."""
    tp = TopicPartition(DEAD_LETTERS.name, 0)
    consumer = AIOKafkaConsumer(**kafka.client(), enable_auto_commit=False)
    await consumer.start()
    try:
        consumer.assign([tp])
        end = (await consumer.end_offsets([tp]))[tp]
        begin = (await consumer.beginning_offsets([tp]))[tp]
        consumer.seek(tp, max(start, begin))
        found: list[DeadLetter] = []
        while await consumer.position(tp) < end:
            batch = await consumer.getmany(tp, timeout_ms=1000, max_records=5000)
            found.extend(_dead_letter(r) for r in batch.get(tp, []) if r.offset < end)
        return found
    finally:
        await consumer.stop()


async def redriven_up_to(kafka: KafkaConnection) -> int:
    admin = AIOKafkaAdminClient(**kafka.client())
    await admin.start()
    try:
        committed = await admin.list_consumer_group_offsets(REDRIVE_GROUP)
    finally:
        await admin.close()
    meta = committed.get(TopicPartition(DEAD_LETTERS.name, 0))
    return meta.offset if meta is not None and meta.offset >= 0 else 0


async def redrive(
    kafka: KafkaConnection,
    *,
    group: str | None = None,
    reason_code: str | None = None,
    from_beginning: bool = False,
) -> list[DeadLetter]:
    """Publish the dead letters not re-driven before (optionally only one group's or one reason's) back to
    their original topic, with their original key and headers; then remember how far this went.

    A message dead-lettered by several groups is re-driven once. Consumers that had processed it drop the
    copy by its event id; one that still cannot handle it dead-letters it again (a new dead letter).
    """
    start = 0 if from_beginning else await redriven_up_to(kafka)
    letters = await read(kafka, start)
    chosen: list[DeadLetter] = []
    seen: set[tuple[str, int, int]] = set()
    for letter in letters:
        if group is not None and letter.group != group:
            continue
        if reason_code is not None and letter.reason_code != reason_code:
            continue
        if letter.origin in seen or not letter.origin[0]:
            continue
        seen.add(letter.origin)
        chosen.append(letter)
    producer = AIOKafkaProducer(**kafka.client(), acks="all", enable_idempotence=True)
    await producer.start()
    try:
        futures = [
            await producer.send(letter.origin[0], letter.value, key=letter.key, headers=letter.original_headers())
            for letter in chosen
        ]
        await asyncio.gather(*futures)
    finally:
        await producer.stop()
    if letters:
        await _commit(kafka, letters[-1].offset + 1)
    return chosen


async def _commit(kafka: KafkaConnection, offset: int) -> None:
    tp = TopicPartition(DEAD_LETTERS.name, 0)
    consumer = AIOKafkaConsumer(**kafka.client(), group_id=REDRIVE_GROUP, enable_auto_commit=False)
    await consumer.start()
    try:
        consumer.assign([tp])
        await consumer.commit({tp: offset})
    finally:
        await consumer.stop()
