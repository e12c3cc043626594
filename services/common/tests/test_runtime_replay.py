"""A replay's switch against a real PostgreSQL: the schema swap, and the lock between it and live batches."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import Any, cast
from uuid import uuid4

import pytest
from faststream.kafka import KafkaBroker
from runtime_records import aanmelding, record
from sqlalchemy import Column, MetaData, String, Table, select, text
from sqlalchemy.dialects.postgresql import UUID as PgUUID
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine
from werkkloket_contracts import AanmeldingOntvangen, Envelope, encode, source_of
from werkkloket_runtime.consumer import EventConsumer, switch_lock_key
from werkkloket_runtime.db import ensure_schema
from werkkloket_runtime.outbox import inbox_table
from werkkloket_runtime.replay import POSITIONS, hold_switch_lock, swap_schemas
from werkkloket_runtime.unit_of_work import UnitOfWork

pytestmark = pytest.mark.integration


async def make_schema(conn: AsyncConnection, schema: str, rows: list[str], *, positions: bool = False) -> None:
    await conn.run_sync(ensure_schema, schema)  # `_next`, `_vorige`: through the admin's function
    await conn.execute(text(f'CREATE TABLE "{schema}".rijen (waarde text PRIMARY KEY)'))
    for waarde in rows:
        await conn.execute(text(f'INSERT INTO "{schema}".rijen VALUES (:w)'), {"w": waarde})
    if positions:
        await conn.execute(
            text(f'CREATE TABLE "{schema}".{POSITIONS} (topic text, partitie integer, volgende_offset bigint)')
        )


async def rows_of(engine: AsyncEngine, schema: str) -> list[str]:
    async with engine.connect() as conn:
        return list((await conn.execute(text(f'SELECT waarde FROM "{schema}".rijen ORDER BY waarde'))).scalars())


async def exists(engine: AsyncEngine, name: str) -> bool:
    async with engine.connect() as conn:
        return bool(await conn.scalar(text("SELECT to_regclass(:n) IS NOT NULL"), {"n": name}))


async def schema_exists(engine: AsyncEngine, name: str) -> bool:
    async with engine.connect() as conn:
        return await conn.scalar(text("SELECT 1 FROM pg_namespace WHERE nspname = :n"), {"n": name}) is not None


async def switch(engine: AsyncEngine, schema: str) -> None:
    async with engine.begin() as conn:
        await hold_switch_lock(conn, schema)
        await swap_schemas(conn, schema)


async def test_the_rebuilt_schema_replaces_the_live_one(engine: AsyncEngine, schema: str) -> None:
    async with engine.begin() as conn:
        await make_schema(conn, schema, ["live-1", "live-2"])
        await make_schema(conn, f"{schema}_next", ["rebuilt-1", "rebuilt-2", "rebuilt-3"], positions=True)
        await make_schema(conn, f"{schema}_vorige", ["from-an-earlier-replay"])
        await conn.execute(text(f'CREATE TABLE "{schema}_vorige".alleen_vorige (x integer)'))

    await switch(engine, schema)

    assert await rows_of(engine, schema) == ["rebuilt-1", "rebuilt-2", "rebuilt-3"]
    assert await rows_of(engine, f"{schema}_vorige") == ["live-1", "live-2"]
    assert not await exists(engine, f'"{schema}".{POSITIONS}')  # the replay's bookkeeping is not kept
    assert not await exists(engine, f'"{schema}_vorige".alleen_vorige')  # the earlier _vorige was dropped
    assert not await schema_exists(engine, f"{schema}_next")


async def test_the_first_switch_needs_no_earlier_previous_schema(engine: AsyncEngine, schema: str) -> None:
    async with engine.begin() as conn:
        await make_schema(conn, schema, ["live"])
        await make_schema(conn, f"{schema}_next", ["rebuilt"], positions=True)

    await switch(engine, schema)

    assert await rows_of(engine, schema) == ["rebuilt"]
    assert await rows_of(engine, f"{schema}_vorige") == ["live"]


async def test_a_failed_switch_changes_nothing(engine: AsyncEngine, schema: str) -> None:
    async with engine.begin() as conn:
        await make_schema(conn, schema, ["live"])
        await make_schema(conn, f"{schema}_next", ["rebuilt"])  # no positions table: not a replay's schema
    with pytest.raises(Exception, match=POSITIONS):
        await switch(engine, schema)
    assert await rows_of(engine, schema) == ["live"]
    assert await rows_of(engine, f"{schema}_next") == ["rebuilt"]


async def test_the_switch_waits_for_a_live_transaction_holding_the_shared_lock(
    engine: AsyncEngine, schema: str
) -> None:
    async with engine.begin() as conn:
        await make_schema(conn, schema, ["live"])
        await make_schema(conn, f"{schema}_next", ["rebuilt"], positions=True)
    loop = asyncio.get_running_loop()

    async with engine.connect() as live:
        await live.begin()
        await live.execute(text("SELECT pg_advisory_xact_lock_shared(:k)"), {"k": switch_lock_key(schema)})
        switching = asyncio.create_task(switch(engine, schema))
        await asyncio.sleep(0.5)
        assert not switching.done()  # waiting for the live batch
        assert await rows_of(engine, schema) == ["live"]
        live_committed = loop.time()
        await live.commit()
    await asyncio.wait_for(switching, 5)
    switched = loop.time()
    assert switched >= live_committed
    assert await rows_of(engine, schema) == ["rebuilt"]


async def test_the_lock_is_per_schema(engine: AsyncEngine, schema: str) -> None:
    async with engine.begin() as conn:
        await make_schema(conn, schema, ["live"])
        await make_schema(conn, f"{schema}_next", ["rebuilt"], positions=True)
    async with engine.connect() as live:
        await live.begin()
        other = f"{schema}_ander"
        await live.execute(text("SELECT pg_advisory_xact_lock_shared(:k)"), {"k": switch_lock_key(other)})
        await asyncio.wait_for(switch(engine, schema), 5)  # a live batch of another schema does not hold it up
        await live.rollback()
    assert await rows_of(engine, schema) == ["rebuilt"]


class NoDeadLetters:
    async def publish(self, *args: Any, **kwargs: Any) -> Awaitable[None]:
        raise AssertionError("nothing should be dead-lettered")


async def test_a_live_batch_waits_for_the_switch_and_then_applies_to_the_rebuilt_schema(
    engine: AsyncEngine, schema: str
) -> None:
    metadata = MetaData(schema=schema)
    rows = Table(
        "rijen", metadata, Column("kandidaat_id", PgUUID(as_uuid=True), primary_key=True), Column("bron", String)
    )
    inbox = inbox_table(metadata)
    async with engine.begin() as conn:
        await conn.run_sync(metadata.create_all)
        await conn.execute(rows.insert().values(kandidaat_id=uuid4(), bron="live"))
        nxt = await conn.execution_options(schema_translate_map={schema: f"{schema}_next"})
        await nxt.run_sync(ensure_schema, f"{schema}_next")
        await nxt.run_sync(metadata.create_all)
        await nxt.execute(rows.insert().values(kandidaat_id=uuid4(), bron="rebuilt"))
        await nxt.execute(text(f'CREATE TABLE "{schema}_next".{POSITIONS} (topic text)'))

    async def handler(uow: UnitOfWork, env: Envelope[Any]) -> None:
        await uow.conn.execute(rows.insert().values(kandidaat_id=env.data.kandidaat_id, bron="batch"))

    consumer = EventConsumer(
        broker=cast(KafkaBroker, NoDeadLetters()),
        engine=engine,
        inbox=inbox,
        group_id="werkkloket-runtime-test",
        handlers={AanmeldingOntvangen: handler},
    )
    kid = uuid4()
    records = [record(encode(aanmelding(kid), source=source_of("intake")), 0)]

    async with engine.begin() as switching:
        await hold_switch_lock(switching, schema)
        applying = asyncio.create_task(consumer.process(records))
        await asyncio.sleep(0.5)
        assert not applying.done()  # no live batch starts while the switch holds the lock
        await swap_schemas(switching, schema)
    assert await asyncio.wait_for(applying, 5)

    async def sources(name: str) -> list[str]:
        async with engine.connect() as conn:
            t = rows.to_metadata(MetaData(), schema=name)
            return sorted((await conn.execute(select(t.c.bron))).scalars())

    # The batch ran after the switch, so it landed in the rebuilt schema; the previous one is untouched.
    assert await sources(schema) == ["batch", "rebuilt"]
    assert await sources(f"{schema}_vorige") == ["live"]
