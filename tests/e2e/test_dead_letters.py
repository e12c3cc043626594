"""The runtime's consumer against the real broker and database: batches, poison, transient errors, re-drive."""

from __future__ import annotations

import asyncio
from typing import Any
from uuid import UUID, uuid4

import pytest
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from sqlalchemy import Column, Integer, MetaData, Table, text
from sqlalchemy.dialects.postgresql import UUID as PgUUID
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import create_async_engine
from werkkloket_contracts import AanmeldingOntvangen, Envelope, encode, source_of
from werkkloket_deploy import dlq
from werkkloket_runtime.consumer import EventConsumer
from werkkloket_runtime.kafka import ensure_topics, make_broker
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
        postcodegebied="7511",
        opleidingsniveau="mbo2",
        wensberoepen=["9333"],
        uitkering="ww",
    )


async def test_poison_is_dead_lettered_transient_is_retried_and_dlq_replay_redrives(infra: Infra) -> None:
    schema = f"dlqtest_{uuid4().hex[:8]}"
    topic = f"werkkloket.test-{schema}"
    group = f"werkkloket-{schema}"
    metadata = MetaData(schema=schema)
    rows = Table(
        "rijen", metadata, Column("kandidaat_id", PgUUID(as_uuid=True), primary_key=True), Column("n", Integer)
    )
    inbox = inbox_table(metadata)
    engine = create_async_engine(infra.database_url)
    async with engine.begin() as conn:
        await conn.execute(text(f"CREATE SCHEMA {schema}"))
        await conn.run_sync(metadata.create_all)
    await ensure_topics(infra.kafka_bootstrap_servers)
    admin = AIOKafkaAdminClient(bootstrap_servers=infra.kafka_bootstrap_servers)
    await admin.start()
    await admin.create_topics([NewTopic(topic, 2, 1)])
    await admin.close()

    poison, flaky = uuid4(), uuid4()
    fixed = False
    flaky_failures = 0

    async def handler(uow: UnitOfWork, env: Envelope[Any]) -> None:
        nonlocal flaky_failures
        kid = env.data.kandidaat_id
        if kid == poison and not fixed:
            raise ValueError("cannot handle this candidate")
        if kid == flaky and flaky_failures < 2:
            flaky_failures += 1
            raise ConnectionError("database restarting")
        await uow.conn.execute(
            insert(rows)
            .values(kandidaat_id=kid, n=1)
            .on_conflict_do_update(index_elements=["kandidaat_id"], set_={"n": rows.c.n + 1})
        )

    broker = make_broker(infra.kafka_bootstrap_servers, client_id=group)
    consumer = EventConsumer(
        broker=broker,
        engine=engine,
        inbox=inbox,
        group_id=group,
        handlers={AanmeldingOntvangen: handler},
        transient_retry_seconds=30,
        max_attempts=3,
        batch_size=50,
    )
    consumer.subscribe([topic])
    valid = [uuid4() for _ in range(300)]
    p = await producer(infra.kafka_bootstrap_servers)
    try:
        # Same key as the poison: these must not be blocked behind it on their partition.
        sequence = [*valid[:100], poison, *valid[100:200], flaky, *valid[200:]]
        for i, kid in enumerate(sequence):
            rec = encode(aanmelding(kid), source=source_of("test"))
            key = poison.bytes if i % 2 else rec.key
            await p.send(topic, rec.value, key=key, headers=[(k, v.encode()) for k, v in rec.headers.items()])
            if i % 50 == 0:
                await p.send(topic, b"{not json", key=key, headers=[("ce_specversion", b"1.0")])
        await p.flush()
    finally:
        await p.stop()

    async def count() -> int:
        async with engine.connect() as conn:
            return int(await conn.scalar(text(f"SELECT count(*) FROM {schema}.rijen")) or 0)

    await broker.start()
    try:
        await wait_for(lambda: _at_least(count, len(valid) + 1), timeout=60, what="every valid event applied")
        async with engine.connect() as conn:
            doubled = await conn.scalar(text(f"SELECT count(*) FROM {schema}.rijen WHERE n <> 1"))
            has_poison = await conn.scalar(
                text(f"SELECT count(*) FROM {schema}.rijen WHERE kandidaat_id = :k"), {"k": poison}
            )
        assert doubled == 0 and has_poison == 0
        assert flaky_failures == 2  # retried, then applied, never dead-lettered
        mine: list[dlq.DeadLetter] = []

        async def dead() -> bool:
            mine[:] = [d for d in await dlq.read(infra.kafka_bootstrap_servers) if d.group == group]
            return len(mine) >= 8

        await wait_for(dead, timeout=30, what="the dead letters")
        codes = sorted(d.reason_code for d in mine)
        assert codes.count("handler-error") == 1 and len(codes) == 8  # 7 garbage records + 1 poison
        poisoned = next(d for d in mine if d.reason_code == "handler-error")
        assert "ValueError: cannot handle this candidate" in poisoned.reason
        assert poisoned.origin[0] == topic and poisoned.origin[2] >= 0
        assert poisoned.headers["ce_subject"] == str(poison)
        assert all(d.origin[0] == topic and d.reason for d in mine)

        # The fix is deployed: re-drive this group's handler errors; the poison is applied once.
        fixed = True
        sent = await dlq.redrive(infra.kafka_bootstrap_servers, group=group, reason_code="handler-error")
        assert [d.offset for d in sent] == [poisoned.offset]
        await wait_for(lambda: _at_least(count, len(valid) + 2), timeout=30, what="the re-driven event")
        again = await dlq.redrive(infra.kafka_bootstrap_servers, group=group, reason_code="handler-error")
        assert again == []  # re-driven once
        async with engine.connect() as conn:
            assert await conn.scalar(text(f"SELECT count(*) FROM {schema}.rijen WHERE n <> 1")) == 0
    finally:
        await broker.stop()
        async with engine.begin() as conn:
            await conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        await engine.dispose()


async def _at_least(count: Any, n: int) -> bool:
    return bool(await count() >= n)


async def test_stop_lets_the_batch_in_flight_finish_and_commit(infra: Infra) -> None:
    """What SIGTERM does in a service: the broker stops after the handler of the batch in flight committed."""
    from aiokafka import TopicPartition

    schema = f"stoptest_{uuid4().hex[:8]}"
    topic = f"werkkloket.test-{schema}"
    group = f"werkkloket-{schema}"
    metadata = MetaData(schema=schema)
    rows = Table("rijen", metadata, Column("kandidaat_id", PgUUID(as_uuid=True), primary_key=True))
    inbox = inbox_table(metadata)
    engine = create_async_engine(infra.database_url)
    async with engine.begin() as conn:
        await conn.execute(text(f"CREATE SCHEMA {schema}"))
        await conn.run_sync(metadata.create_all)
    admin = AIOKafkaAdminClient(bootstrap_servers=infra.kafka_bootstrap_servers)
    await admin.start()
    await admin.create_topics([NewTopic(topic, 1, 1)])
    started = 0

    async def slow(uow: UnitOfWork, env: Envelope[Any]) -> None:
        nonlocal started
        started += 1
        await asyncio.sleep(0.2)
        await uow.conn.execute(insert(rows).values(kandidaat_id=env.data.kandidaat_id))

    broker = make_broker(infra.kafka_bootstrap_servers, client_id=group)
    consumer = EventConsumer(
        broker=broker, engine=engine, inbox=inbox, group_id=group, handlers={AanmeldingOntvangen: slow}, batch_size=10
    )
    consumer.subscribe([topic])
    p = await producer(infra.kafka_bootstrap_servers)
    try:
        for _ in range(30):
            rec = encode(aanmelding(uuid4()), source=source_of("test"))
            await p.send(topic, rec.value, key=rec.key, headers=[(k, v.encode()) for k, v in rec.headers.items()])
        await p.flush()
    finally:
        await p.stop()
    await broker.start()
    try:
        await wait_for(lambda: _true(started >= 3), timeout=60, what="a batch in flight")
    finally:
        await broker.stop()  # mid-batch
    async with engine.connect() as conn:
        applied = int(await conn.scalar(text(f"SELECT count(*) FROM {schema}.rijen")) or 0)
    committed = await admin.list_consumer_group_offsets(group)
    await admin.close()
    offset = committed[TopicPartition(topic, 0)].offset
    assert applied % 10 == 0 and applied >= 10  # whole batches only: the one in flight was finished
    assert offset == applied  # and committed: nothing applied is read again, nothing committed is missing
    async with engine.begin() as conn:
        await conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
    await engine.dispose()


async def _true(value: bool) -> bool:
    return value


async def test_source_of_truth_topics_keep_their_events_forever(infra: Infra) -> None:
    from aiokafka.admin.config_resource import ConfigResource, ConfigResourceType
    from werkkloket_contracts import AANMELDINGEN, PLAATSINGEN, TOEWIJZINGEN
    from werkkloket_runtime.kafka import topic_configs

    await ensure_topics(infra.kafka_bootstrap_servers)
    admin = AIOKafkaAdminClient(bootstrap_servers=infra.kafka_bootstrap_servers)
    await admin.start()
    try:
        # Someone shortened the retention by hand: the next service start puts it back.
        day = str(24 * 3600 * 1000)
        await admin.alter_configs([ConfigResource(ConfigResourceType.TOPIC, AANMELDINGEN.name, {"retention.ms": day})])
        assert (await topic_configs(admin, [AANMELDINGEN.name]))[AANMELDINGEN.name]["retention.ms"] == day
        await ensure_topics(infra.kafka_bootstrap_servers)
        names = [AANMELDINGEN.name, TOEWIJZINGEN.name, PLAATSINGEN.name]
        configs = await topic_configs(admin, names)
    finally:
        await admin.close()
    assert len(configs) == 3
    for name in names:
        assert configs[name]["retention.ms"] == "-1", name
        assert configs[name]["retention.bytes"] == "-1", name
