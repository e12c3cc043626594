"""Unit of work: one database transaction in which a use case changes state and queues its events.

The state change and its outbox rows commit together; after a commit that queued events, the outbox relay is
woken. A unit of work either owns its transaction (an HTTP request, a scheduled step) or joins one that a caller
owns (a consumer batch, which commits once for many events).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, datetime
from types import TracebackType
from typing import Self, TypeVar
from uuid import UUID

from sqlalchemy import Table
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine
from werkkloket_contracts import Gebeurtenis, KafkaRecord, Persoonlijk, Versleuteld, encode

from . import tracing
from .clock import Clock
from .logboek import Actor, Betrokkene, Logboek, Verantwoording
from .outbox import enqueue
from .sleutelring import Sleutelring

P = TypeVar("P", bound=Persoonlijk)


class UnitOfWork:
    def __init__(
        self,
        *,
        outbox: Table | None,
        clock: Clock,
        source: str,
        engine: AsyncEngine | None = None,
        conn: AsyncConnection | None = None,
        on_commit: Callable[[], None] | None = None,
        log: Verantwoording | None = None,
        sleutelring: Sleutelring | None = None,
    ) -> None:
        if (engine is None) == (conn is None):
            raise ValueError("a unit of work needs an engine (its own transaction) or a connection (a joined one)")
        self._engine = engine
        self._conn = conn
        self._outbox = outbox
        self._on_commit = on_commit
        self._tx: object | None = None
        self.clock = clock
        self.source = source
        self.published = 0
        self._log = log
        self._sleutelring = sleutelring

    @property
    def heeft_log(self) -> bool:
        return self._log is not None

    @property
    def heeft_sleutelring(self) -> bool:
        return self._sleutelring is not None

    @property
    def sleutelring(self) -> Sleutelring:
        """The persons' data keys this service holds (a service that reads encrypted fields)."""
        if self._sleutelring is None:
            raise RuntimeError("this service holds no person keys")
        return self._sleutelring

    async def open(self, kandidaat_id: UUID, versleuteld: Versleuteld | None, soort: type[P]) -> P | None:
        """An event's encrypted part about a person; None when absent or unreadable (the person is erased)."""
        if versleuteld is None:
            return None
        return await self.sleutelring.open(kandidaat_id, versleuteld, soort)

    async def versleutel(self, kandidaat_id: UUID, velden: Persoonlijk) -> Versleuteld:
        """Encrypt fields about a person for an event (`sleutelring.Gewist` when they are erased)."""
        return await self.sleutelring.versleutel(kandidaat_id, velden)

    @property
    def log(self) -> Verantwoording:
        """The processing log of this unit of work's actor (a change logs in the transaction that makes it)."""
        if self._log is None:
            raise RuntimeError("this unit of work has no processing log")
        return self._log

    async def vastleggen(self, activiteit: str, naam: str, betrokkenen: Iterable[Betrokkene]) -> int:
        """Log an action on these data subjects in this transaction."""
        return await self.log.vastleggen(self.conn, activiteit, naam, betrokkenen)

    @property
    def conn(self) -> AsyncConnection:
        if self._conn is None:
            raise RuntimeError("the unit of work is not open: use `async with uow:`")
        return self._conn

    def now(self) -> datetime:
        return self.clock.now()

    def today(self) -> date:
        return self.clock.now().date()

    async def publish(self, event: Gebeurtenis, *, source: str | None = None, time: datetime | None = None) -> None:
        """Queue an event in the outbox, inside this transaction (nothing during a replay); its time is the
        clock's unless given."""
        if self._outbox is None:
            raise RuntimeError("this service publishes no events")
        record = encode(event, source=source or self.source, time=time or self.now(), traceparent=tracing.traceparent())
        await enqueue(self.conn, self._outbox, record)
        self.published += 1

    async def publish_record(self, record: KafkaRecord) -> None:
        """Queue a record that is not an event (a werkkloket.sleutels record or tombstone), in this transaction."""
        if self._outbox is None:
            raise RuntimeError("this service publishes no events")
        await enqueue(self.conn, self._outbox, record)
        self.published += 1

    async def __aenter__(self) -> Self:
        if self._engine is not None:
            tx = self._engine.begin()
            self._conn = await tx.__aenter__()
            self._tx = tx
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        tx, self._tx = self._tx, None
        if tx is None:
            return  # joined: the owner commits
        try:
            await tx.__aexit__(exc_type, exc, tb)  # type: ignore[attr-defined]
        finally:
            self._conn = None
        if exc_type is None and self.published and self._on_commit is not None:
            self._on_commit()


class UnitOfWorkFactory:
    """Makes the units of work of one service: its engine, outbox, clock and source."""

    def __init__(
        self,
        engine: AsyncEngine,
        outbox: Table | None,
        clock: Clock,
        source: str,
        on_commit: Callable[[], None] | None = None,
        logboek: Logboek | None = None,
        sleutelring: Sleutelring | None = None,
    ) -> None:
        self.engine = engine
        self.sleutelring = sleutelring
        self.outbox = outbox
        self.clock = clock
        self.source = source
        self.on_commit = on_commit
        self.logboek = logboek

    def __call__(self, *, source: str | None = None, log: Verantwoording | None = None) -> UnitOfWork:
        """A unit of work with its own transaction; `log`: the processing log of the request's caller (else the
        service's own, as for a scheduled step)."""
        return UnitOfWork(
            engine=self.engine,
            outbox=self.outbox,
            clock=self.clock,
            source=source or self.source,
            on_commit=self.on_commit,
            log=log or self.eigen_log(),
            sleutelring=self.sleutelring,
        )

    def joined(self, conn: AsyncConnection) -> UnitOfWork:
        """A unit of work inside a transaction someone else commits (a consumer batch); the service acts."""
        return UnitOfWork(
            conn=conn,
            outbox=self.outbox,
            clock=self.clock,
            source=self.source,
            log=self.eigen_log(),
            sleutelring=self.sleutelring,
        )

    def eigen_log(self) -> Verantwoording | None:
        """The service itself as the actor (on an event or a schedule)."""
        if self.logboek is None:
            return None
        return Verantwoording(self.logboek, Actor.dienst(self.logboek.dienst), None)
