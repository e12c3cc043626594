"""The outbox relay against a real PostgreSQL and a fake broker: order, exactly-once marking, retries, lock, wake."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, cast
from uuid import uuid4

import pytest
from faststream.kafka import KafkaBroker
from sqlalchemy import MetaData, Table, func, select
from sqlalchemy.ext.asyncio import AsyncEngine
from werkkloket_runtime.outbox import OutboxRelay, outbox_table

pytestmark = pytest.mark.integration


@dataclass(frozen=True)
class Sent:
    topic: str
    key: bytes
    value: bytes
    headers: dict[str, str]


class FakeBroker:
    """Records what is published. `failing` makes publish raise; `hold` keeps the delivery futures pending."""

    def __init__(self) -> None:
        self.sent: list[Sent] = []
        self.calls: list[float] = []  # loop time of every publish call
        self.failing = False
        self.hold: asyncio.Event | None = None

    async def publish(
        self, value: bytes, topic: str, *, key: bytes, headers: dict[str, str], no_confirm: bool
    ) -> Awaitable[object]:
        assert no_confirm  # the relay gathers the deliveries itself
        loop = asyncio.get_running_loop()
        self.calls.append(loop.time())
        if self.failing:
            raise ConnectionError("broker unreachable")
        self.sent.append(Sent(topic, key, value, headers))
        if self.hold is not None:
            return self.hold.wait()
        done: asyncio.Future[object] = loop.create_future()
        done.set_result(None)
        return done


def relay(engine: AsyncEngine, outbox: Table, broker: FakeBroker, **options: Any) -> OutboxRelay:
    return OutboxRelay(engine, outbox, cast(KafkaBroker, broker), **options)


async def make_outbox(engine: AsyncEngine, schema: str) -> Table:
    metadata = MetaData(schema=schema)
    outbox = outbox_table(metadata)
    async with engine.begin() as conn:
        await conn.run_sync(metadata.create_all)
    return outbox


async def add(engine: AsyncEngine, outbox: Table, n: int) -> list[Sent]:
    """Queue n rows (each on a topic of its own); returns what the broker should get, in order."""
    expected: list[Sent] = []
    async with engine.begin() as conn:
        for _ in range(n):
            tag = uuid4().hex[:8]
            row = Sent(f"werkkloket.test-{tag}", f"key-{tag}".encode(), f'{{"n": "{tag}"}}'.encode(), {"ce_id": tag})
            await conn.execute(
                outbox.insert().values(
                    event_id=uuid4(), topic=row.topic, key=row.key, value=row.value, headers=row.headers
                )
            )
            expected.append(row)
    return expected


async def pending(engine: AsyncEngine, outbox: Table) -> int:
    async with engine.connect() as conn:
        return int(await conn.scalar(select(func.count()).where(outbox.c.published_at.is_(None))) or 0)


async def eventually(check: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while not check():
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"not within {timeout} s: {what}")
        await asyncio.sleep(0.02)


async def test_pending_rows_are_published_in_id_order_and_marked(engine: AsyncEngine, schema: str) -> None:
    outbox = await make_outbox(engine, schema)
    broker = FakeBroker()
    r = relay(engine, outbox, broker)
    expected = await add(engine, outbox, 5)

    assert await r.publish_pending() == 5
    assert broker.sent == expected  # topic, key, value and headers of each row, in id order
    assert await pending(engine, outbox) == 0
    async with engine.connect() as conn:
        marked = (await conn.execute(select(outbox.c.published_at).order_by(outbox.c.id))).scalars().all()
    assert len(marked) == 5 and all(m is not None for m in marked)


async def test_nothing_is_published_twice(engine: AsyncEngine, schema: str) -> None:
    outbox = await make_outbox(engine, schema)
    broker = FakeBroker()
    r = relay(engine, outbox, broker)
    first = await add(engine, outbox, 3)
    assert await r.publish_pending() == 3
    assert await r.publish_pending() == 0
    assert broker.sent == first

    later = await add(engine, outbox, 2)
    assert await r.publish_pending() == 2
    assert broker.sent == first + later


async def test_batches_keep_the_order_and_run_drains_them_without_idling(engine: AsyncEngine, schema: str) -> None:
    outbox = await make_outbox(engine, schema)
    broker = FakeBroker()
    expected = await add(engine, outbox, 5)
    r = relay(engine, outbox, broker, batch_size=2, idle_seconds=30)
    assert await r.publish_pending() == 2
    assert broker.sent == expected[:2]

    # The remaining 3 rows need two more batches; a full batch means "look again at once", not "idle 30 s".
    task = asyncio.create_task(r.run())
    try:
        await eventually(lambda: len(broker.sent) == 5, 5, "the other batches published")
        assert broker.sent == expected
    finally:
        r.stop()
        await asyncio.wait_for(task, 2)


async def test_a_broker_failure_leaves_rows_pending_and_run_retries_until_it_works(
    engine: AsyncEngine, schema: str
) -> None:
    outbox = await make_outbox(engine, schema)
    broker = FakeBroker()
    r = relay(engine, outbox, broker, idle_seconds=0.05)
    expected = await add(engine, outbox, 3)

    broker.failing = True
    with pytest.raises(ConnectionError):
        await r.publish_pending()
    assert await pending(engine, outbox) == 3
    broker.calls.clear()

    task = asyncio.create_task(r.run())
    try:
        await eventually(lambda: len(broker.calls) >= 2, 5, "a second attempt")
        assert broker.sent == [] and await pending(engine, outbox) == 3
        # Backed off (tenacity, exponential from 0.5 s), not a hot loop.
        assert broker.calls[1] - broker.calls[0] >= 0.4
        broker.failing = False
        await eventually(lambda: len(broker.sent) == 3, 5, "published once the broker works again")
        assert broker.sent == expected
        assert not task.done()
        assert await pending(engine, outbox) == 0
    finally:
        r.stop()
        await asyncio.wait_for(task, 5)


async def test_a_failed_delivery_rolls_the_batch_back(engine: AsyncEngine, schema: str) -> None:
    outbox = await make_outbox(engine, schema)

    class LostDelivery(FakeBroker):
        async def publish(
            self, value: bytes, topic: str, *, key: bytes, headers: dict[str, str], no_confirm: bool
        ) -> Awaitable[object]:
            await super().publish(value, topic, key=key, headers=headers, no_confirm=no_confirm)
            lost: asyncio.Future[object] = asyncio.get_running_loop().create_future()
            lost.set_exception(TimeoutError("no acknowledgement"))
            return lost

    await add(engine, outbox, 2)
    with pytest.raises(TimeoutError):
        await relay(engine, outbox, LostDelivery()).publish_pending()
    assert await pending(engine, outbox) == 2  # not marked: published again later, never lost


async def test_stop_ends_run(engine: AsyncEngine, schema: str) -> None:
    outbox = await make_outbox(engine, schema)
    broker = FakeBroker()
    r = relay(engine, outbox, broker, idle_seconds=30)
    await add(engine, outbox, 1)
    task = asyncio.create_task(r.run())
    await eventually(lambda: len(broker.sent) == 1, 5, "the row published")
    await asyncio.sleep(0.1)
    assert not task.done()  # idling, up to 30 s
    r.stop()
    await asyncio.wait_for(task, 1)
    assert task.result() is None


async def test_a_second_relay_publishes_nothing_while_the_first_holds_the_lock(
    engine: AsyncEngine, schema: str
) -> None:
    outbox = await make_outbox(engine, schema)
    first_broker, second_broker = FakeBroker(), FakeBroker()
    first_broker.hold = asyncio.Event()
    first, second = relay(engine, outbox, first_broker), relay(engine, outbox, second_broker)
    expected = await add(engine, outbox, 3)

    task = asyncio.create_task(first.publish_pending())
    try:
        # The first relay is inside its transaction (lock taken, rows sent, deliveries pending).
        await eventually(lambda: len(first_broker.sent) == 3, 5, "the first relay publishing")
        assert await second.publish_pending() == 0
        assert second_broker.calls == []
        assert not task.done()
    finally:
        first_broker.hold.set()
    assert await asyncio.wait_for(task, 5) == 3
    assert first_broker.sent == expected

    # The lock went with the first relay's transaction: the second one now publishes new rows, and only those.
    later = await add(engine, outbox, 1)
    assert await second.publish_pending() == 1
    assert second_broker.sent == later


async def test_wake_publishes_without_waiting_for_the_idle_interval(engine: AsyncEngine, schema: str) -> None:
    outbox = await make_outbox(engine, schema)
    broker = FakeBroker()
    r = relay(engine, outbox, broker, idle_seconds=30)
    first = await add(engine, outbox, 1)
    task = asyncio.create_task(r.run())
    try:
        await eventually(lambda: len(broker.sent) == 1, 5, "the first row published")
        await asyncio.sleep(0.1)  # its pass is over: the relay idles
        later = await add(engine, outbox, 2)
        await asyncio.sleep(0.3)
        assert broker.sent == first  # not woken: it would wait out its 30 s
        r.wake()
        await eventually(lambda: len(broker.sent) == 3, 2, "published after wake()")
        assert broker.sent == first + later
    finally:
        r.stop()
        await asyncio.wait_for(task, 2)
