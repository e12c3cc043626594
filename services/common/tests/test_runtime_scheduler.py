"""Scheduled steps run on one instance only: leadership by a PostgreSQL advisory lock, on a real server."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from uuid import uuid4

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine
from werkkloket_runtime.scheduler import Leadership, Scheduler, leader_lock_key

pytestmark = pytest.mark.integration

CHECK = 0.2  # seconds between leadership checks
STEP = 0.2  # seconds between steps


@pytest.fixture
async def engines(database_url: str) -> AsyncIterator[tuple[AsyncEngine, AsyncEngine]]:
    """Two instances of a service: each its own engine (its own connections) to the same database."""
    first, second = create_async_engine(database_url), create_async_engine(database_url)
    try:
        yield first, second
    finally:
        await first.dispose()
        await second.dispose()


@pytest.fixture
def service() -> str:
    return f"runtime-test-{uuid4().hex[:8]}"  # a lock of its own, whoever else uses the server


def instance(engine: AsyncEngine, service: str, ran: list[str], name: str) -> Scheduler:
    scheduler = Scheduler(engine, service, leader_check_seconds=CHECK)

    async def step() -> None:
        ran.append(name)

    scheduler.every(STEP, step, name="stap")
    return scheduler


async def eventually(check: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while not check():
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"not within {timeout} s: {what}")
        await asyncio.sleep(0.02)


async def test_only_the_leader_runs_the_steps_and_another_takes_over_when_it_stops(
    engines: tuple[AsyncEngine, AsyncEngine], service: str
) -> None:
    ran: list[str] = []
    a, b = instance(engines[0], service, ran, "a"), instance(engines[1], service, ran, "b")
    await a.start()
    await b.start()
    try:
        await asyncio.sleep(2.0)
        assert a.leadership.held and not b.leadership.held
        assert set(ran) == {"a"}
        assert len(ran) >= 4  # about every 0.2 s
        assert a.runs == {"stap": len(ran)} and b.runs == {"stap": 0}

        await a.stop()
        stopped = len(ran)
        await eventually(lambda: "b" in ran, 10 * CHECK + 2 * STEP + 1, "the other instance takes over")
        await eventually(lambda: ran.count("b") >= 3, 5, "the new leader keeps running the step")
        assert b.leadership.held
        assert ran[:stopped] == ["a"] * stopped
        assert "a" not in ran[stopped:]  # the stopped instance runs nothing more
    finally:
        await a.stop()
        await b.stop()


async def test_a_scheduler_that_is_not_ready_runs_no_step(
    engines: tuple[AsyncEngine, AsyncEngine], service: str
) -> None:
    ran: list[str] = []
    scheduler = instance(engines[0], service, ran, "a")
    ready = False
    scheduler.ready = lambda: ready
    await scheduler.start()
    try:
        await asyncio.sleep(1.0)
        assert scheduler.leadership.held  # it leads, but waits until the service is ready
        assert ran == [] and scheduler.runs == {"stap": 0}
        ready = True
        await eventually(lambda: len(ran) >= 2, 3, "steps once ready")
    finally:
        await scheduler.stop()


async def test_a_failing_step_runs_again_at_its_next_time(
    engines: tuple[AsyncEngine, AsyncEngine], service: str
) -> None:
    tries = 0
    scheduler = Scheduler(engines[0], service, leader_check_seconds=CHECK)

    async def step() -> None:
        nonlocal tries
        tries += 1
        raise RuntimeError("step failed")

    scheduler.every(STEP, step, name="stap")
    await scheduler.start()
    try:
        await eventually(lambda: tries >= 3, 5, "the step tried again")
        assert scheduler.runs == {"stap": 0}  # only successful runs count
    finally:
        await scheduler.stop()


async def test_leadership_is_taken_by_one_and_passed_on_after_release(
    engines: tuple[AsyncEngine, AsyncEngine], service: str
) -> None:
    first, second = Leadership(engines[0], service), Leadership(engines[1], service)
    try:
        assert await first.check()
        assert not await second.check()
        assert await first.check()  # still held: confirmed, not taken twice
        assert first.held and not second.held

        await first.release()
        assert not first.held
        assert await second.check()
        assert not await first.check()
        assert second.held
    finally:
        await first.release()
        await second.release()


async def test_leadership_is_lost_with_the_connection_that_held_it(
    engines: tuple[AsyncEngine, AsyncEngine], service: str
) -> None:
    first, second = Leadership(engines[0], service), Leadership(engines[1], service)
    try:
        assert await first.check()
        async with engines[1].connect() as admin:
            holders = (
                await admin.execute(
                    text("SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND objid = :k AND granted"),
                    {"k": leader_lock_key(service)},
                )
            ).scalars()
            [holder] = list(holders)
            await admin.execute(text("SELECT pg_terminate_backend(:p)"), {"p": holder})
            await admin.commit()
        assert not await first.check()  # it notices, and no longer leads
        assert not first.held
        assert await second.check()
    finally:
        await first.release()
        await second.release()
