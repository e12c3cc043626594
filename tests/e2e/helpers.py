"""Helpers for end-to-end tests: profiles, a plain aiokafka reader of the bus, polling."""

from __future__ import annotations

import asyncio
import itertools
import json
from collections.abc import Awaitable, Callable
from datetime import date, timedelta
from typing import Any, TypeVar
from uuid import uuid4

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, ConsumerRecord, TopicPartition
from werkkloket_contracts import EVENT_TYPES, Persoonlijk
from werkkloket_runtime.kafka import KafkaConnection

from ..persoonsgegevens import gebruikt

T = TypeVar("T")
_counter = itertools.count(1)


def profiel(**overrides: Any) -> dict[str, Any]:
    n = next(_counter)
    # Recently out of work, so the screening hands the candidate to an agency (category 1).
    werkloos = date.today() - timedelta(days=60)
    body: dict[str, Any] = {
        "naam": f"Fatima de Vries-{uuid4().hex[:8]}",
        "telefoon": f"06{12000000 + n * 7919 % 8000000:08d}",
        "email": f"fatima.{uuid4().hex[:10]}@voorbeeld.nl",
        "postcode": "2512 AB",
        "gemeente": "GM0518",
        "opleidingsniveau": "mbo3",
        "werkervaring": [{"beroep": "4110", "van": "2015-03-01", "tot": (werkloos - timedelta(days=1)).isoformat()}],
        "wensberoepen": ["4110", "4222"],
        "werkloos_sinds": werkloos.isoformat(),
        "uitkering": "ww",
        "toestemming": {
            "gegeven_op": "2025-01-06T10:00:00+01:00",
            "door": "consulent J. Bakker",
            "doel": "bemiddeling naar werk via Werkkloket",
        },
    }
    body.update(overrides)
    gebruikt(body.get("naam", ""), body.get("bsn") or "")
    return body


async def wait_for(check: Callable[[], Awaitable[T | None]], timeout: float = 30, what: str = "condition") -> T:
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        result = await check()
        if result is not None and result is not False:
            return result
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what}")
        await asyncio.sleep(0.1)


class BusReader:
    """Reads topics from a chosen position without a consumer group (assign + seek)."""

    def __init__(self, kafka: KafkaConnection, topics: list[str]) -> None:
        self.topics = topics
        self.consumer = AIOKafkaConsumer(**kafka.client(), enable_auto_commit=False)
        self.records: list[ConsumerRecord[bytes, bytes]] = []

    async def start(self, from_beginning: bool = False) -> BusReader:
        await self.consumer.start()
        partitions = [
            TopicPartition(t, p) for t in self.topics for p in sorted(self.consumer.partitions_for_topic(t) or ())
        ]
        if not partitions:  # metadata not loaded yet
            await self.consumer._client.force_metadata_update()
            partitions = [
                TopicPartition(t, p) for t in self.topics for p in sorted(self.consumer.partitions_for_topic(t) or ())
            ]
        self.consumer.assign(partitions)
        if from_beginning:
            await self.consumer.seek_to_beginning(*partitions)
        else:
            await self.consumer.seek_to_end(*partitions)
            for tp in partitions:  # resolve the position now, before anything is produced
                await self.consumer.position(tp)
        return self

    async def poll(self) -> None:
        batch = await self.consumer.getmany(timeout_ms=200)
        for records in batch.values():
            self.records.extend(records)

    async def until(
        self, match: Callable[[ConsumerRecord[bytes, bytes]], bool], count: int = 1, timeout: float = 30
    ) -> list[ConsumerRecord[bytes, bytes]]:
        async def check() -> list[ConsumerRecord[bytes, bytes]] | None:
            await self.poll()
            found = [r for r in self.records if match(r)]
            return found if len(found) >= count else None

        return await wait_for(check, timeout, f"{count} matching record(s) on {self.topics}")

    async def stop(self) -> None:
        await self.consumer.stop()


def headers_of(record: ConsumerRecord[bytes, bytes]) -> dict[str, str]:
    return {k: v.decode() for k, v in record.headers}


# The ce_type each event type is published under now (its current version).
CE_TYPES = {e.event_name: e.ce_type() for e in EVENT_TYPES}


def ce_type_is(name: str, subject: str | None = None) -> Callable[[ConsumerRecord[bytes, bytes]], bool]:
    def match(record: ConsumerRecord[bytes, bytes]) -> bool:
        h = headers_of(record)
        return h.get("ce_type") == CE_TYPES[name] and (subject is None or h.get("ce_subject") == subject)

    return match


async def producer(kafka: KafkaConnection) -> AIOKafkaProducer:
    p = AIOKafkaProducer(**kafka.client(), acks="all", enable_idempotence=True)
    await p.start()
    return p


def data_of(record: ConsumerRecord[bytes, bytes]) -> dict[str, Any]:
    result: dict[str, Any] = json.loads(record.value or b"{}")
    return result


async def caught_up(kafka: KafkaConnection, group: str, topics: list[str], timeout: float = 30) -> None:
    """Wait until a consumer group has committed up to the end of every partition of the topics (reading another
    principal's group offsets takes the bus admin)."""
    from aiokafka.admin import AIOKafkaAdminClient

    admin = AIOKafkaAdminClient(**kafka.client())
    probe = AIOKafkaConsumer(**kafka.client(), enable_auto_commit=False)
    await admin.start()
    await probe.start()
    try:
        partitions = [TopicPartition(t, p) for t in topics for p in sorted(probe.partitions_for_topic(t) or ())]
        ends = await probe.end_offsets(partitions)

        async def check() -> bool:
            committed = await admin.list_consumer_group_offsets(group)
            return all(tp in committed and committed[tp].offset >= end for tp, end in ends.items() if end > 0)

        await wait_for(check, timeout, f"group {group} to catch up on {topics}")
    finally:
        await probe.stop()
        await admin.close()


P = TypeVar("P", bound=Persoonlijk)


async def geopend(
    infra: Any, record: ConsumerRecord[bytes, bytes], soort: type[P], dienst: str = "matching"
) -> P | None:
    """A bus record's encrypted part as `dienst` opens it (with its own wrapping key and the key topic), or None
    when the person's key is gone."""
    from werkkloket_contracts import BY_CE_TYPE, decode
    from werkkloket_deploy.sleutels import bestand_van
    from werkkloket_runtime.sleutelring import Sleutelring
    from werkkloket_runtime.versleuteling import lees_sleutels

    event = decode(record.headers or (), record.value, BY_CE_TYPE).data
    ring = Sleutelring(dienst, lees_sleutels(bestand_van(infra.sleutels, dienst)).kek, infra.kafka(dienst))
    await ring.start()
    try:
        return await ring.open(event.kandidaat_id, event.persoonlijk, soort)
    finally:
        await ring.stop()
