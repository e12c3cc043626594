"""The runtime's consumer against the real broker and database: batches, poison, transient errors, re-drive."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any
from uuid import UUID, uuid4

import pytest
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from sqlalchemy import Column, Integer, MetaData, Table, text
from sqlalchemy.dialects.postgresql import UUID as PgUUID
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine
from werkkloket_contracts import AanmeldingOntvangen, Envelope, encode, source_of
from werkkloket_deploy import dlq
from werkkloket_deploy.bus.acls import ADMIN
from werkkloket_runtime.consumer import EventConsumer
from werkkloket_runtime.kafka import KafkaConnection, make_broker
from werkkloket_runtime.outbox import inbox_table
from werkkloket_runtime.unit_of_work import UnitOfWork

from ..conftest import Infra
from .helpers import producer, wait_for

pytestmark = pytest.mark.integration


def aanmelding(kid: UUID) -> AanmeldingOntvangen:
    return AanmeldingOntvangen(
        kandidaat_id=kid,
        arbeidsmarktregio="twente",
        gemeente="GM0153",
        aanmelding_id=uuid4(),
        opleidingsniveau="mbo2",
        wensberoepen=["9333"],
        uitkering="ww",
    )


@dataclass
class Scratch:
    """A schema and a topic of one test's own."""

    schema: str
    topic: str
    group: str
    engine: AsyncEngine

    async def count(self, where: str = "true") -> int:
        async with self.engine.connect() as conn:
            return int(await conn.scalar(text(f"SELECT count(*) FROM {self.schema}.rijen WHERE {where}")) or 0)

    async def drop(self) -> None:
        async with self.engine.begin() as conn:
            await conn.execute(text(f"DROP SCHEMA {self.schema} CASCADE"))
        await self.engine.dispose()


async def scratch(infra: Infra, metadata: MetaData, partitions: int) -> Scratch:
    """Create the schema (with the tables of `metadata`) and a topic of `partitions` partitions."""
    schema = str(metadata.schema)
    engine = create_async_engine(infra.database_url)
    async with engine.begin() as conn:
        await conn.execute(text(f"CREATE SCHEMA {schema}"))
        await conn.run_sync(metadata.create_all)
    topic = f"werkkloket.test-{schema}"
    admin = AIOKafkaAdminClient(**infra.kafka(ADMIN).client())
    await admin.start()
    try:
        await admin.create_topics([NewTopic(topic, partitions, 1)])
    finally:
        await admin.close()
    return Scratch(schema, topic, f"werkkloket-{schema}", engine)


class Flaky:
    """A handler that fails on the poison until it is fixed, and twice on the flaky candidate (transiently)."""

    def __init__(self, rows: Table) -> None:
        self.rows = rows
        self.poison, self.flaky = uuid4(), uuid4()
        self.fixed = False
        self.flaky_failures = 0

    async def __call__(self, uow: UnitOfWork, env: Envelope[Any]) -> None:
        kid = env.data.kandidaat_id
        if kid == self.poison and not self.fixed:
            raise ValueError("cannot handle this candidate")
        if kid == self.flaky and self.flaky_failures < 2:
            self.flaky_failures += 1
            raise ConnectionError("database restarting")
        await uow.conn.execute(
            insert(self.rows)
            .values(kandidaat_id=kid, n=1)
            .on_conflict_do_update(index_elements=["kandidaat_id"], set_={"n": self.rows.c.n + 1})
        )


async def produce_aanmeldingen(kafka: KafkaConnection, topic: str, n: int) -> None:
    p = await producer(kafka)
    try:
        for _ in range(n):
            rec = encode(aanmelding(uuid4()), source=source_of("intake"))
            await p.send(topic, rec.value, key=rec.key, headers=[(k, v.encode()) for k, v in rec.headers.items()])
        await p.flush()
    finally:
        await p.stop()


async def produce_with_poison(kafka: KafkaConnection, topic: str, valid: list[UUID], handler: Flaky) -> None:
    p = await producer(kafka)
    try:
        # Same key as the poison: these must not be blocked behind it on their partition.
        sequence = [*valid[:100], handler.poison, *valid[100:200], handler.flaky, *valid[200:]]
        for i, kid in enumerate(sequence):
            rec = encode(aanmelding(kid), source=source_of("intake"))
            key = handler.poison.bytes if i % 2 else rec.key
            await p.send(topic, rec.value, key=key, headers=[(k, v.encode()) for k, v in rec.headers.items()])
            if i % 50 == 0:
                await p.send(topic, b"{not json", key=key, headers=[("ce_specversion", b"1.0")])
        await p.flush()
    finally:
        await p.stop()


async def dead_letters(kafka: KafkaConnection, sc: Scratch, handler: Flaky) -> dlq.DeadLetter:
    """7 garbage records and the poison are dead-lettered, with their reasons and origins; the poison's letter."""
    mine: list[dlq.DeadLetter] = []

    async def dead() -> bool:
        mine[:] = [d for d in await dlq.read(kafka) if d.group == sc.group]
        return len(mine) >= 8

    await wait_for(dead, timeout=30, what="the dead letters")
    codes = sorted(d.reason_code for d in mine)
    assert codes.count("handler-error") == 1 and len(codes) == 8  # 7 garbage records + 1 poison
    poisoned = next(d for d in mine if d.reason_code == "handler-error")
    assert "ValueError: cannot handle this candidate" in poisoned.reason
    assert poisoned.origin[0] == sc.topic and poisoned.origin[2] >= 0
    assert poisoned.headers["ce_subject"] == str(handler.poison)
    assert all(d.origin[0] == sc.topic and d.reason for d in mine)
    return poisoned


async def test_poison_is_dead_lettered_transient_is_retried_and_dlq_replay_redrives(infra: Infra) -> None:
    # Scratch topics and groups of the test's own: the bus admin (the services' principals cannot use them).
    kafka = infra.kafka(ADMIN)
    metadata = MetaData(schema=f"dlqtest_{uuid4().hex[:8]}")
    rows = Table(
        "rijen", metadata, Column("kandidaat_id", PgUUID(as_uuid=True), primary_key=True), Column("n", Integer)
    )
    inbox = inbox_table(metadata)
    await asyncio.to_thread(infra.bus.provision)
    sc = await scratch(infra, metadata, partitions=2)
    handler = Flaky(rows)
    broker = make_broker(kafka, client_id=sc.group)
    consumer = EventConsumer(
        broker=broker,
        engine=sc.engine,
        inbox=inbox,
        group_id=sc.group,
        handlers={AanmeldingOntvangen: handler},
        transient_retry_seconds=30,
        max_attempts=3,
        batch_size=50,
    )
    consumer.subscribe([sc.topic])
    valid = [uuid4() for _ in range(300)]
    await produce_with_poison(kafka, sc.topic, valid, handler)

    await broker.start()
    try:
        await wait_for(lambda: _at_least(sc.count, len(valid) + 1), timeout=60, what="every valid event applied")
        doubled = await sc.count("n <> 1")
        has_poison = await sc.count(f"kandidaat_id = '{handler.poison}'")
        assert doubled == 0 and has_poison == 0
        assert handler.flaky_failures == 2  # retried, then applied, never dead-lettered
        poisoned = await dead_letters(kafka, sc, handler)

        # The fix is deployed: re-drive this group's handler errors; the poison is applied once.
        handler.fixed = True
        sent = await dlq.redrive(kafka, group=sc.group, reason_code="handler-error")
        assert [d.offset for d in sent] == [poisoned.offset]
        await wait_for(lambda: _at_least(sc.count, len(valid) + 2), timeout=30, what="the re-driven event")
        again = await dlq.redrive(kafka, group=sc.group, reason_code="handler-error")
        assert again == []  # re-driven once
        assert await sc.count("n <> 1") == 0
    finally:
        await broker.stop()
        await sc.drop()


async def _at_least(count: Any, n: int) -> bool:
    return bool(await count() >= n)


async def test_stop_lets_the_batch_in_flight_finish_and_commit(infra: Infra) -> None:
    """What SIGTERM does in a service: the broker stops after the handler of the batch in flight committed."""
    from aiokafka import TopicPartition

    metadata = MetaData(schema=f"stoptest_{uuid4().hex[:8]}")
    rows = Table("rijen", metadata, Column("kandidaat_id", PgUUID(as_uuid=True), primary_key=True))
    inbox = inbox_table(metadata)
    sc = await scratch(infra, metadata, partitions=1)
    started = 0

    async def slow(uow: UnitOfWork, env: Envelope[Any]) -> None:
        nonlocal started
        started += 1
        await asyncio.sleep(0.2)
        await uow.conn.execute(insert(rows).values(kandidaat_id=env.data.kandidaat_id))

    broker = make_broker(infra.kafka(ADMIN), client_id=sc.group)
    consumer = EventConsumer(
        broker=broker,
        engine=sc.engine,
        inbox=inbox,
        group_id=sc.group,
        handlers={AanmeldingOntvangen: slow},
        batch_size=10,
    )
    consumer.subscribe([sc.topic])
    await produce_aanmeldingen(infra.kafka(ADMIN), sc.topic, 30)
    await broker.start()
    try:
        await wait_for(lambda: _true(started >= 3), timeout=60, what="a batch in flight")
    finally:
        await broker.stop()  # mid-batch
    applied = await sc.count()
    admin = AIOKafkaAdminClient(**infra.kafka(ADMIN).client())
    await admin.start()
    try:
        committed = await admin.list_consumer_group_offsets(sc.group)
    finally:
        await admin.close()
    offset = committed[TopicPartition(sc.topic, 0)].offset
    assert applied % 10 == 0 and applied >= 10  # whole batches only: the one in flight was finished
    assert offset == applied  # and committed: nothing applied is read again, nothing committed is missing
    await sc.drop()


async def _true(value: bool) -> bool:
    return value


async def test_source_of_truth_topics_keep_their_events_forever_and_dead_letters_expire(infra: Infra) -> None:
    from aiokafka.admin.config_resource import ConfigResource, ConfigResourceType
    from werkkloket_contracts import AANMELDINGEN, DEAD_LETTERS, PLAATSINGEN, TOEWIJZINGEN
    from werkkloket_runtime.kafka import topic_configs

    await asyncio.to_thread(infra.bus.provision)
    admin = AIOKafkaAdminClient(**infra.kafka(ADMIN).client())
    await admin.start()
    try:
        # Someone shortened the retention by hand: the next provisioning puts it back.
        day = str(24 * 3600 * 1000)
        await admin.alter_configs([ConfigResource(ConfigResourceType.TOPIC, AANMELDINGEN.name, {"retention.ms": day})])
        assert (await topic_configs(admin, [AANMELDINGEN.name]))[AANMELDINGEN.name]["retention.ms"] == day
        await asyncio.to_thread(infra.bus.provision)
        names = [AANMELDINGEN.name, TOEWIJZINGEN.name, PLAATSINGEN.name]
        configs = await topic_configs(admin, [*names, DEAD_LETTERS.name])
    finally:
        await admin.close()
    assert len(configs) == 4
    for name in names:
        assert configs[name]["retention.ms"] == "-1", name
        assert configs[name]["retention.bytes"] == "-1", name
    # Dead letters expire: a record is deleted at most retention + one segment after it was written.
    dag = 24 * 3600 * 1000
    dlq = configs[DEAD_LETTERS.name]
    assert int(dlq["segment.ms"]) <= dag
    assert 0 < int(dlq["retention.ms"]) + int(dlq["segment.ms"]) <= 30 * dag
