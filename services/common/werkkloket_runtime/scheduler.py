"""Scheduled steps that run once across all instances of a service.

Every instance runs an APScheduler; the steps fire only on the leader: the instance whose dedicated
connection holds the service's PostgreSQL advisory lock. When the leader stops or loses its connection, the lock
is released and another instance takes over at its next leadership check.
"""

from __future__ import annotations

import logging
import zlib
from collections.abc import Awaitable, Callable
from datetime import UTC
from typing import Any

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.interval import IntervalTrigger
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

log = logging.getLogger(__name__)

Step = Callable[[], Awaitable[Any]]


def leader_lock_key(service: str) -> int:
    return zlib.crc32(f"leader:{service}".encode())


class Leadership:
    """Holds (or tries to take) a service's advisory lock on a connection of its own."""

    def __init__(self, engine: AsyncEngine, service: str) -> None:
        self._engine = engine
        self._key = leader_lock_key(service)
        self._conn: AsyncConnection | None = None

    @property
    def held(self) -> bool:
        return self._conn is not None

    async def check(self) -> bool:
        """Take the lock if free, or confirm it is still held; False when another instance leads."""
        if self._conn is not None:
            try:
                await self._conn.scalar(select(1))
                return True
            except Exception:
                log.warning("lost the connection that held the leader lock")
                await self.release()
                return False
        conn = await self._engine.connect()
        try:
            conn = await conn.execution_options(isolation_level="AUTOCOMMIT")
            if await conn.scalar(select(func.pg_try_advisory_lock(self._key))):
                self._conn = conn
                return True
        except BaseException:
            await conn.close()
            raise
        await conn.close()
        return False

    async def release(self) -> None:
        conn, self._conn = self._conn, None
        if conn is None:
            return
        try:
            await conn.scalar(select(func.pg_advisory_unlock(self._key)))
        except Exception:
            await conn.invalidate()  # a dropped connection released the lock already
        finally:
            await conn.close()


class Scheduler:
    """Periodic steps of one service, fired by APScheduler on the leader instance only."""

    def __init__(self, engine: AsyncEngine, service: str, *, leader_check_seconds: float = 5.0) -> None:
        self.service = service
        self.leadership = Leadership(engine, service)
        self._scheduler = AsyncIOScheduler(timezone=UTC)
        self._leader_check_seconds = leader_check_seconds
        self.runs: dict[str, int] = {}
        self._stopping = False
        # Set when the service is ready for its steps (migrated, consuming); steps wait until then.
        self.ready: Callable[[], bool] = lambda: True

    def every(self, seconds: float, step: Step, *, name: str) -> None:
        self.runs[name] = 0

        async def fire() -> None:
            if not self.ready() or not self.leadership.held:
                return
            try:
                await step()
                self.runs[name] += 1
            except Exception:
                log.exception("%s: scheduled step %s failed; it runs again at its next time", self.service, name)

        self._scheduler.add_job(
            fire,
            IntervalTrigger(seconds=seconds),
            id=name,
            name=f"{self.service}:{name}",
            max_instances=1,
            coalesce=True,
            misfire_grace_time=None,
        )

    async def _check_leadership(self) -> None:
        if self._stopping:
            return
        was = self.leadership.held
        try:
            now = await self.leadership.check()
        except Exception as exc:
            log.warning("%s: leadership check failed (%s)", self.service, exc)
            return
        if self._stopping:  # stop() ran while the check was under way: let the lock go
            await self.leadership.release()
            return
        if now != was:
            log.info("%s: %s the scheduled steps", self.service, "leads" if now else "no longer leads")

    async def start(self) -> None:
        await self._check_leadership()
        self._scheduler.add_job(
            self._check_leadership,
            IntervalTrigger(seconds=self._leader_check_seconds),
            id="leadership",
            max_instances=1,
            coalesce=True,
        )
        self._scheduler.start()

    async def stop(self) -> None:
        self._stopping = True
        if self._scheduler.running:
            self._scheduler.shutdown(wait=False)
        await self.leadership.release()
