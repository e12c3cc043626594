"""Transactional outbox and inbox (processed-event) tables, and the relay that publishes the outbox.

A state change and its outgoing event are written in one database transaction; the relay publishes pending rows
to Kafka and marks them. A crash between publish and mark publishes a row twice, never zero times; consumers drop
the duplicate by its CloudEvents id (inbox).
"""

from __future__ import annotations

import asyncio
import logging
import zlib
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any

from faststream.kafka import KafkaBroker
from sqlalchemy import (
    BigInteger,
    Column,
    DateTime,
    Index,
    LargeBinary,
    MetaData,
    String,
    Table,
    bindparam,
    func,
    literal,
    select,
    text,
    update,
)
from sqlalchemy import cast as sql_cast
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, UUID, insert
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine
from tenacity import AsyncRetrying, RetryError, retry_if_exception_type, wait_exponential
from werkkloket_contracts import SLEUTELS, KafkaRecord

log = logging.getLogger(__name__)


def outbox_table(metadata: MetaData) -> Table:
    return Table(
        "outbox",
        metadata,
        Column("id", BigInteger, primary_key=True, autoincrement=True),
        Column("event_id", UUID(as_uuid=True), nullable=False, unique=True),
        Column("topic", String(200), nullable=False),
        Column("key", LargeBinary, nullable=False),
        Column("value", LargeBinary, nullable=True),  # None: a tombstone (werkkloket.sleutels)
        Column("headers", JSONB, nullable=False),
        Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
        Column("published_at", DateTime(timezone=True), nullable=True),
        Index("outbox_pending", "id", postgresql_where=text("published_at IS NULL")),
    )


def inbox_table(metadata: MetaData) -> Table:
    return Table(
        "verwerkte_events",
        metadata,
        Column("consumer", String(100), primary_key=True),
        Column("event_id", UUID(as_uuid=True), primary_key=True),
        Column("verwerkt_op", DateTime(timezone=True), nullable=False, server_default=func.now()),
    )


# True while a replay re-applies old events: their outgoing events were published the first time.
replaying: ContextVar[bool] = ContextVar("replaying", default=False)


async def enqueue(conn: AsyncConnection, outbox: Table, record: KafkaRecord) -> None:
    """Add an outgoing event to the outbox, inside the caller's transaction (nothing during a replay)."""
    if replaying.get():
        return
    await conn.execute(
        outbox.insert().values(
            event_id=record.headers["ce_id"],
            topic=record.topic,
            key=record.key,
            value=record.value,
            headers=record.headers,
        )
    )


async def first_delivery(conn: AsyncConnection, inbox: Table, consumer: str, event_id: Any) -> bool:
    """Record an event id as processed; False when it was processed before (a redelivery)."""
    result = await conn.execute(
        insert(inbox).values(consumer=consumer, event_id=event_id).on_conflict_do_nothing().returning(inbox.c.event_id)
    )
    return result.first() is not None


async def first_deliveries(conn: AsyncConnection, inbox: Table, consumer: str, event_ids: list[Any]) -> set[Any]:
    """Record many event ids as processed in one statement; returns those not processed before."""
    if not event_ids:
        return set()
    ids = sql_cast(bindparam("ids", list(dict.fromkeys(event_ids))), ARRAY(UUID(as_uuid=True)))
    # One statement of one shape for any number of ids (cached once; no multi-row VALUES to compile).
    stmt = (
        insert(inbox)
        .from_select(["consumer", "event_id"], select(literal(consumer, String), func.unnest(ids)))
        .on_conflict_do_nothing()
        .returning(inbox.c.event_id)
    )
    result = await conn.execute(stmt)
    return {r[0] for r in result}


class OutboxRelay:
    """Publishes pending outbox rows in id order; one relay per schema at a time (advisory lock)."""

    def __init__(
        self,
        engine: AsyncEngine,
        outbox: Table,
        broker: KafkaBroker,
        *,
        batch_size: int = 500,
        idle_seconds: float = 0.25,
    ) -> None:
        self._engine = engine
        self._outbox = outbox
        self._broker = broker
        self._batch_size = batch_size
        self._idle = idle_seconds
        self._wake = asyncio.Event()
        self._stopping = False
        self._lock_key = zlib.crc32(f"outbox:{outbox.schema}".encode())

    def wake(self) -> None:
        self._wake.set()

    def stop(self) -> None:
        self._stopping = True
        self._wake.set()

    async def publish_pending(self) -> int:
        """Publish one batch; returns how many rows were published."""
        t = self._outbox
        async with self._engine.begin() as conn:
            locked = await conn.scalar(select(func.pg_try_advisory_xact_lock(self._lock_key)))
            if not locked:
                return 0
            rows = (
                await conn.execute(
                    select(t.c.id, t.c.topic, t.c.key, t.c.value, t.c.headers)
                    .where(t.c.published_at.is_(None))
                    .order_by(t.c.id)
                    .limit(self._batch_size)
                )
            ).all()
            if not rows:
                return 0
            # Persons' keys first, acknowledged, then the rest in order: a key is in the log before any event of
            # this batch (or a later one) that needs it is sent.
            eerst = [row for row in rows if row.topic == SLEUTELS.name]
            for deel in (eerst, [row for row in rows if row.topic != SLEUTELS.name]):
                futures = [
                    await self._broker.publish(
                        row.value, row.topic, key=row.key, headers=dict(row.headers), no_confirm=True
                    )
                    for row in deel
                ]
                await asyncio.gather(*futures)
            await conn.execute(update(t).where(t.c.id.in_([r.id for r in rows])).values(published_at=datetime.now(UTC)))
            return len(rows)

    async def run(self) -> None:
        """Publish until stopped: at once when woken, else every `idle_seconds`; failures back off (tenacity)."""
        while not self._stopping:
            self._wake.clear()
            published = await self._publish_retrying()
            if published < self._batch_size:
                try:
                    await asyncio.wait_for(self._wake.wait(), timeout=self._idle)
                except TimeoutError:
                    pass

    async def _publish_retrying(self) -> int:
        retrying = AsyncRetrying(
            retry=retry_if_exception_type(Exception),
            wait=wait_exponential(multiplier=0.5, max=10.0),
            stop=lambda _: self._stopping,
            before_sleep=lambda s: log.warning(
                "outbox relay failed (%s); retrying", s.outcome.exception() if s.outcome else None
            ),
            reraise=False,
        )
        try:
            async for attempt in retrying:
                with attempt:
                    return await self.publish_pending()
        except RetryError:
            pass  # stopping
        return 0
