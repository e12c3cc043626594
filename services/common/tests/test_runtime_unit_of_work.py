"""The unit of work against a real PostgreSQL: state and outbox commit or roll back together."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from uuid import UUID, uuid4

import pytest
from runtime_records import aanmelding
from sqlalchemy import Column, Integer, MetaData, Table, func, select
from sqlalchemy.ext.asyncio import AsyncEngine
from werkkloket_contracts import AanmeldingOntvangen, decode, source_of, topic_for
from werkkloket_runtime.outbox import outbox_table, replaying
from werkkloket_runtime.unit_of_work import UnitOfWork, UnitOfWorkFactory

pytestmark = pytest.mark.integration

NOW = datetime(2025, 3, 14, 9, 30, tzinfo=UTC)


class FixedClock:
    def now(self) -> datetime:
        return NOW


@dataclass
class Setup:
    engine: AsyncEngine
    stand: Table
    outbox: Table
    commits: list[int] = field(default_factory=list)

    def units(self) -> UnitOfWorkFactory:
        return UnitOfWorkFactory(
            self.engine, self.outbox, FixedClock(), source_of("intake"), on_commit=lambda: self.commits.append(1)
        )

    async def count(self, table: Table) -> int:
        async with self.engine.connect() as conn:
            return int(await conn.scalar(select(func.count()).select_from(table)) or 0)


@pytest.fixture
async def setup(engine: AsyncEngine, schema: str) -> Setup:
    metadata = MetaData(schema=schema)
    stand = Table("stand", metadata, Column("id", Integer, primary_key=True))
    outbox = outbox_table(metadata)
    async with engine.begin() as conn:
        await conn.run_sync(metadata.create_all)
    return Setup(engine, stand, outbox)


async def test_a_published_event_commits_with_the_state_change_and_wakes_the_relay(setup: Setup) -> None:
    kid = uuid4()
    event = aanmelding(kid)
    async with setup.units()() as uow:
        await uow.conn.execute(setup.stand.insert().values(id=1))
        await uow.publish(event)
        await uow.publish(aanmelding(uuid4()), source=source_of("intake", "gemeente-enschede"))
        assert setup.commits == []  # not before the commit
    assert uow.published == 2
    assert setup.commits == [1]  # once, after the commit

    assert await setup.count(setup.stand) == 1
    async with setup.engine.connect() as conn:
        rows = (await conn.execute(select(setup.outbox).order_by(setup.outbox.c.id))).all()
    assert [r.topic for r in rows] == [topic_for(AanmeldingOntvangen).name] * 2
    assert [r.headers["ce_source"] for r in rows] == ["/werkkloket/intake", "/werkkloket/intake/gemeente-enschede"]
    assert [r.published_at for r in rows] == [None, None]
    assert decode(rows[0].headers, rows[0].value).data == event
    assert rows[0].key == str(kid).encode() and rows[0].event_id == UUID(rows[0].headers["ce_id"])


async def test_an_exception_rolls_back_state_and_events_and_does_not_wake_the_relay(setup: Setup) -> None:
    with pytest.raises(RuntimeError, match="use case failed"):
        async with setup.units()() as uow:
            await uow.conn.execute(setup.stand.insert().values(id=1))
            await uow.publish(aanmelding(uuid4()))
            raise RuntimeError("use case failed")
    assert await setup.count(setup.stand) == 0
    assert await setup.count(setup.outbox) == 0
    assert setup.commits == []


async def test_a_commit_without_events_does_not_wake_the_relay(setup: Setup) -> None:
    async with setup.units()() as uow:
        await uow.conn.execute(setup.stand.insert().values(id=1))
    assert await setup.count(setup.stand) == 1
    assert setup.commits == []


async def test_nothing_is_queued_during_a_replay(setup: Setup) -> None:
    token = replaying.set(True)
    try:
        async with setup.units()() as uow:
            await uow.conn.execute(setup.stand.insert().values(id=1))
            await uow.publish(aanmelding(uuid4()))
    finally:
        replaying.reset(token)
    assert await setup.count(setup.stand) == 1
    assert await setup.count(setup.outbox) == 0


async def test_a_joined_unit_of_work_leaves_the_commit_to_its_owner(setup: Setup) -> None:
    units = setup.units()
    async with setup.engine.connect() as conn:
        await conn.begin()
        async with units.joined(conn) as uow:
            assert uow.conn is conn
            await uow.conn.execute(setup.stand.insert().values(id=1))
            await uow.publish(aanmelding(uuid4()))
        assert conn.in_transaction()  # still open: the owner decides
        assert await setup.count(setup.stand) == 0  # not visible to others: not committed
        assert await setup.count(setup.outbox) == 0
        await conn.commit()
    assert await setup.count(setup.stand) == 1
    assert await setup.count(setup.outbox) == 1
    assert setup.commits == []  # the owner (a consumer batch) wakes the relay itself

    async with setup.engine.connect() as conn:
        await conn.begin()
        async with units.joined(conn) as uow:
            await uow.conn.execute(setup.stand.insert().values(id=2))
        await conn.rollback()
    assert await setup.count(setup.stand) == 1


async def test_the_clock_is_the_injected_one_and_the_connection_only_exists_inside(setup: Setup) -> None:
    uow = setup.units()()
    assert uow.now() == NOW and uow.today() == date(2025, 3, 14)
    with pytest.raises(RuntimeError):
        _ = uow.conn
    async with uow:
        assert await uow.conn.scalar(select(1)) == 1
    with pytest.raises(RuntimeError):
        _ = uow.conn


async def test_a_service_without_an_outbox_cannot_publish(setup: Setup) -> None:
    units = UnitOfWorkFactory(setup.engine, None, FixedClock(), source_of("rapportage"))
    with pytest.raises(RuntimeError, match="publishes no events"):
        async with units() as uow:
            await uow.conn.execute(setup.stand.insert().values(id=1))
            await uow.publish(aanmelding(uuid4()))
    assert await setup.count(setup.stand) == 0


def test_a_unit_of_work_needs_an_engine_or_a_connection_not_both() -> None:
    with pytest.raises(ValueError):
        UnitOfWork(outbox=None, clock=FixedClock(), source=source_of("intake"))
