"""Idempotent, at-least-once event consumption with dead letters.

Every subscriber: its own consumer group, starts at the beginning of the log, manual commits. A message is
committed only after the transaction that applied it (and recorded its event id) has committed. Undecodable
messages and messages that keep failing go to the dead-letter topic with the reason; transient failures
(database unreachable) are retried with backoff and never dead-lettered.
"""

from __future__ import annotations

import asyncio
import logging
import zlib
from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from aiokafka import ConsumerRecord
from faststream import AckPolicy
from faststream.kafka import KafkaBroker
from faststream.kafka.annotations import KafkaMessage
from sqlalchemy import Table, text
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine
from tenacity import (
    AsyncRetrying,
    RetryCallState,
    RetryError,
    retry_if_exception,
    stop_after_attempt,
    stop_after_delay,
    wait_exponential,
)
from werkkloket_contracts import (
    BY_CE_TYPE,
    DEAD_LETTERS,
    DecodeError,
    Envelope,
    Gebeurtenis,
    KandidaatGebeurtenis,
    decode,
)

from . import tracing
from .batching import Batched, Groups
from .clock import SystemClock
from .dead_letters import carries_direct_identifier, dead_letter_headers
from .outbox import first_deliveries, first_delivery
from .unit_of_work import UnitOfWork, UnitOfWorkFactory
from .verwijdering import gewist

log = logging.getLogger(__name__)

Handler = Callable[[UnitOfWork, Envelope[Any]], Awaitable[None]]


def is_transient(exc: BaseException) -> bool:
    """Failures of the infrastructure rather than of the message: retry, never dead-letter."""
    if isinstance(exc, OperationalError | InterfaceError | ConnectionError | OSError | TimeoutError):
        return True
    if isinstance(exc, DBAPIError):
        return bool(exc.connection_invalidated)
    name = type(exc).__name__
    return name in {"ConnectionDoesNotExistError", "CannotConnectNowError", "ConnectionFailureError"}


def switch_lock_key(schema: str) -> int:
    """Advisory lock between a schema's live consumers (shared) and a replay switching it (exclusive)."""
    return zlib.crc32(f"switch:{schema}".encode())


async def _raw_body(msg: Any) -> Any:
    # Decoding is ours (envelope.decode), so that garbage reaches the handler and the dead-letter topic.
    return msg.body


class _HandlerFailed(Exception):
    """A handler failed on one event of a batch: redo the batch event by event to isolate it."""


def _wait_for(transient: Callable[[RetryCallState], float]) -> Callable[[RetryCallState], float]:
    """Back off on a transient failure; redo at once after a handler failure (then event by event)."""

    def wait(state: RetryCallState) -> float:
        exc = state.outcome.exception() if state.outcome is not None else None
        return 0.0 if isinstance(exc, _HandlerFailed) else transient(state)

    return wait


@dataclass
class _Item:
    record: ConsumerRecord[Any, Any]
    envelope: Envelope[Any]
    handler: Handler | Batched


@dataclass
class _DeadLetter:
    record: ConsumerRecord[Any, Any]
    code: str
    reason: str


class EventConsumer:
    """Applies events to one service's database through typed handlers, exactly once in effect.

    Records arrive in batches (up to `batch_size`, across the assigned partitions, each partition in offset
    order). A batch is applied in ONE database transaction and committed to Kafka with ONE offset commit, after
    the transaction. When a handler fails, the batch is rolled back and redone with a savepoint per event, so the
    failing event is retried on its own and, after `max_attempts`, dead-lettered while the rest of the batch
    commits.
    """

    def __init__(
        self,
        *,
        broker: KafkaBroker,
        engine: AsyncEngine,
        inbox: Table,
        group_id: str,
        handlers: Mapping[type[Gebeurtenis], Handler | Batched],
        after_commit: Callable[[], None] | None = None,
        transient_retry_seconds: float = 60.0,
        max_attempts: int = 5,
        batch_size: int = 500,
        units: UnitOfWorkFactory | None = None,
        erased: Table | None = None,
    ) -> None:
        self.broker = broker
        self.engine = engine
        # What handlers get: a unit of work joined to the batch's transaction (a service's publishes events).
        self.units = units or UnitOfWorkFactory(engine, None, SystemClock(), group_id)
        self.inbox = inbox
        self.group_id = group_id
        self.handlers = dict(handlers)
        self.after_commit = after_commit
        self.transient_retry_seconds = transient_retry_seconds
        self.max_attempts = max_attempts
        self.batch_size = batch_size
        self.topics: set[str] = set()
        self.processed = 0
        self.dead_lettered = 0
        self.batches = 0
        self._switch_lock = switch_lock_key(inbox.schema or "public")
        # The service's erasure receipts: an event about an erased person is not applied (see `verwijdering`).
        self.erased = erased

    def subscribe(self, topics: Iterable[str]) -> None:
        self.topics = set(topics)
        subscriber = self.broker.subscriber(
            *sorted(self.topics),
            group_id=self.group_id,
            auto_offset_reset="earliest",
            ack_policy=AckPolicy.MANUAL,
            batch=True,
            max_records=self.batch_size,
            # getmany returns at once when records are buffered; an empty poll waits this long (twice).
            batch_timeout_ms=20,
            fetch_max_wait_ms=100,
            max_poll_interval_ms=300_000,
            # A member that died is replaced after this long: a restarted instance joins (and the group
            # rebalances) within ~10 s instead of 30. Heartbeats run in the background, apart from the handlers.
            session_timeout_ms=10_000,
            heartbeat_interval_ms=2_000,
            title=f"{self.group_id}:events",
            decoder=_raw_body,
        )

        @subscriber
        async def on_batch(msg: KafkaMessage) -> None:
            await self.handle(msg)

    async def handle(self, msg: KafkaMessage) -> None:
        raw = msg.raw_message
        records: tuple[ConsumerRecord[Any, Any], ...] = raw if isinstance(raw, tuple) else (raw,)
        if not records:
            return
        try:
            done = await self.process(records)
        except asyncio.CancelledError:
            raise
        except Exception:
            # E.g. the broker refused the dead letters: nothing may be committed past this batch.
            log.exception("%s: batch failed; seeking back to retry it", self.group_id)
            await asyncio.sleep(1.0)
            done = False
        if done:
            await msg.ack()  # one commit: the position after the whole batch, on every partition in it
        else:
            await msg.nack()  # seek back to the batch's start: applied events are skipped by the inbox

    def sort(self, records: Iterable[ConsumerRecord[Any, Any]]) -> tuple[list[_Item], list[_DeadLetter]]:
        items: list[_Item] = []
        dead: list[_DeadLetter] = []
        for record in records:
            try:
                envelope = decode(record.headers or (), record.value, BY_CE_TYPE)
            except DecodeError as exc:
                dead.append(_DeadLetter(record, exc.code, exc.reason))
                continue
            identifier = carries_direct_identifier(record.value)
            if identifier is not None:
                dead.append(_DeadLetter(record, "direct-identifier", f"field {identifier!r} is a direct identifier"))
                continue
            handler = self.handlers.get(type(envelope.data))
            if handler is not None:  # else: an event this service does not need
                items.append(_Item(record, envelope, handler))
        return items, dead

    async def process(self, records: Iterable[ConsumerRecord[Any, Any]]) -> bool:
        """Apply a batch; False when a transient failure outlasted the retry window (nothing committed)."""
        items, dead = self.sort(records)
        if items:
            poison = await self.apply(items)
            if poison is None:
                return False
            dead.extend(poison)
        if dead:
            await self.dead_letter_many(dead)
        return True

    async def apply(self, items: list[_Item]) -> list[_DeadLetter] | None:
        """One transaction for the whole batch; returns the events that had to be dead-lettered.

        Transient failures are retried with backoff for `transient_retry_seconds`, then None (seek back).
        """
        isolate = False
        retrying = AsyncRetrying(
            retry=retry_if_exception(lambda e: isinstance(e, _HandlerFailed) or is_transient(e)),
            wait=_wait_for(wait_exponential(multiplier=0.2, max=5.0)),
            stop=stop_after_delay(self.transient_retry_seconds),
            before_sleep=self._log_retry,
            reraise=True,
        )
        try:
            async for attempt in retrying:
                with attempt:
                    try:
                        return await self._apply_once(items, isolate)
                    except _HandlerFailed:
                        isolate = True
                        raise
        except Exception as exc:
            if not is_transient(exc):
                raise
            log.warning("%s: still failing transiently (%s); seeking back", self.group_id, exc)
        return None

    def _log_retry(self, state: RetryCallState) -> None:
        exc = state.outcome.exception() if state.outcome is not None else None
        if isinstance(exc, _HandlerFailed):
            log.warning("%s: a handler failed (%s); redoing the batch event by event", self.group_id, exc)
        else:
            log.warning("%s: transient failure (%s); retrying", self.group_id, exc)

    async def _apply_once(self, items: list[_Item], isolate: bool) -> list[_DeadLetter]:
        async with self.engine.begin() as conn:
            # Shared with every other batch; a replay's switch takes it exclusively.
            await conn.execute(text("SELECT pg_advisory_xact_lock_shared(:k)"), {"k": self._switch_lock})
            if isolate:
                poison = await self._apply_one_by_one(conn, items)
            else:
                await self.apply_all(conn, items)
                poison = []
        self.processed += len(items) - len(poison)
        self.batches += 1
        if self.after_commit is not None:
            self.after_commit()
        return poison

    async def _erased(self, conn: AsyncConnection, items: Iterable[_Item]) -> set[Any]:
        if self.erased is None:
            return set()
        ids = [i.envelope.data.kandidaat_id for i in items if isinstance(i.envelope.data, KandidaatGebeurtenis)]
        return await gewist(conn, self.erased, ids)

    async def _keys_read(self, items: Iterable[_Item]) -> None:
        """Every person key the batch's encrypted parts may need is read before any handler runs, with one wait
        for the whole batch (a batched handler says whether it opens them: `opent`)."""
        ring = self.units.sleutelring
        if ring is not None:
            await ring.zorg_voor(
                i.envelope.data.kandidaat_id
                for i in items
                if getattr(i.envelope.data, "persoonlijk", None) is not None
                and (i.handler.opent if isinstance(i.handler, Batched) else True)
            )

    async def apply_all(self, conn: AsyncConnection, items: list[_Item]) -> None:
        await self._keys_read(items)
        fresh = await first_deliveries(conn, self.inbox, self.group_id, [i.envelope.id for i in items])
        erased = await self._erased(conn, items)
        if erased:
            items = [i for i in items if getattr(i.envelope.data, "kandidaat_id", None) not in erased]
        uow = self.units.joined(conn)
        groups = Groups()
        try:
            for item in items:
                if item.envelope.id not in fresh:
                    continue  # a redelivery
                fresh.discard(item.envelope.id)  # the same event twice in one batch: apply once
                if isinstance(item.handler, Batched):
                    for rij in item.handler.rows(item.envelope):
                        groups.add(item.envelope.subject, rij)
                else:
                    await groups.flush(conn)  # what came before runs first
                    with tracing.event_span(item.envelope):
                        await item.handler(uow, item.envelope)
            await groups.flush(conn)
        except Exception as exc:
            if is_transient(exc):
                raise
            raise _HandlerFailed(f"{type(exc).__name__}: {exc}") from exc

    async def _apply_one_by_one(self, conn: AsyncConnection, items: list[_Item]) -> list[_DeadLetter]:
        uow = self.units.joined(conn)
        poison: list[_DeadLetter] = []
        for item in items:
            try:
                await self._apply_with_attempts(conn, uow, item)
            except RetryError as failed:
                exc = failed.last_attempt.exception()
                log.error(
                    "%s: event %s failed %d times; dead-lettered: %s",
                    self.group_id,
                    item.envelope.id,
                    self.max_attempts,
                    exc,
                )
                poison.append(_DeadLetter(item.record, "handler-error", f"{type(exc).__name__}: {exc}"))
        return poison

    async def _apply_with_attempts(self, conn: AsyncConnection, uow: UnitOfWork, item: _Item) -> None:
        """Apply one event in a savepoint; a handler error is retried, a transient one goes up at once."""
        await self._keys_read([item])
        async for attempt in AsyncRetrying(
            # A transient failure ends the attempts and goes up to the batch's own retry.
            retry=retry_if_exception(lambda e: not is_transient(e)),
            stop=stop_after_attempt(self.max_attempts),
            before_sleep=lambda s: log.warning(
                "%s: handler failed on %s (%s), attempt %d",
                self.group_id,
                item.envelope.id,
                s.outcome.exception() if s.outcome else None,
                s.attempt_number,
            ),
        ):
            with attempt:
                async with conn.begin_nested():
                    if await first_delivery(conn, self.inbox, self.group_id, item.envelope.id) and not (
                        await self._erased(conn, [item])
                    ):
                        with tracing.event_span(item.envelope):
                            await item.handler(uow, item.envelope)

    async def dead_letter_many(self, dead: list[_DeadLetter]) -> None:
        """Publish dead letters and wait until Kafka has them all, before the batch's offsets are committed."""
        futures = []
        for d in dead:
            log.warning(
                "%s: dead-lettering %s[%d]@%d: %s",
                self.group_id,
                d.record.topic,
                d.record.partition,
                d.record.offset,
                d.reason,
            )
            futures.append(
                await self.broker.publish(
                    d.record.value or b"",
                    DEAD_LETTERS.name,
                    key=d.record.key,
                    headers=dead_letter_headers(d.record, self.group_id, d.code, d.reason),
                    no_confirm=True,
                )
            )
        await asyncio.gather(*futures)
        self.dead_lettered += len(dead)

    async def dead_letter(self, record: ConsumerRecord[Any, Any], code: str, reason: str) -> None:
        await self.dead_letter_many([_DeadLetter(record, code, reason)])
