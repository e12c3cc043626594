"""Idempotent, at-least-once event consumption with dead letters.

Every subscriber: its own consumer group, starts at the beginning of the log, manual commits. A message is
committed only after the transaction that applied it (and recorded its event id) has committed. Undecodable
messages and messages that keep failing go to the dead-letter topic with the reason; transient failures
(database unreachable) are retried with backoff and never dead-lettered.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Iterable, Mapping
from typing import Any

from aiokafka import ConsumerRecord
from faststream import AckPolicy
from faststream.kafka import KafkaBroker
from faststream.kafka.annotations import KafkaMessage
from sqlalchemy import Table
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine
from werkkloket_contracts import BY_CE_TYPE, DEAD_LETTERS, DecodeError, Envelope, Gebeurtenis, decode

from .outbox import first_delivery

log = logging.getLogger(__name__)

Handler = Callable[[AsyncConnection, Envelope[Any]], Awaitable[None]]


def is_transient(exc: BaseException) -> bool:
    """Failures of the infrastructure rather than of the message: retry, never dead-letter."""
    if isinstance(exc, OperationalError | InterfaceError | ConnectionError | OSError | TimeoutError):
        return True
    if isinstance(exc, DBAPIError):
        return bool(exc.connection_invalidated)
    name = type(exc).__name__
    return name in {"ConnectionDoesNotExistError", "CannotConnectNowError", "ConnectionFailureError"}


def dead_letter_headers(record: ConsumerRecord[Any, Any], group_id: str, code: str, reason: str) -> dict[str, str]:
    headers: dict[str, str] = {}
    for name, value in record.headers or ():
        try:
            headers[name] = value.decode() if isinstance(value, bytes) else str(value)
        except UnicodeDecodeError:
            continue  # an original header that is not text cannot be carried as a header
    headers.update(
        {
            "dlq_reason_code": code,
            "dlq_reason": reason[:2000],
            "dlq_consumer_group": group_id,
            "dlq_original_topic": record.topic,
            "dlq_original_partition": str(record.partition),
            "dlq_original_offset": str(record.offset),
            "dlq_original_timestamp": str(record.timestamp),
        }
    )
    return headers


async def _raw_body(msg: Any) -> Any:
    # Decoding is ours (envelope.decode), so that garbage reaches the handler and the dead-letter topic.
    return msg.body


class EventConsumer:
    """Applies events to one service's database through typed handlers, exactly once in effect."""

    def __init__(
        self,
        *,
        broker: KafkaBroker,
        engine: AsyncEngine,
        inbox: Table,
        group_id: str,
        handlers: Mapping[type[Gebeurtenis], Handler],
        after_commit: Callable[[], None] | None = None,
        transient_retry_seconds: float = 60.0,
        max_attempts: int = 5,
    ) -> None:
        self.broker = broker
        self.engine = engine
        self.inbox = inbox
        self.group_id = group_id
        self.handlers = dict(handlers)
        self.after_commit = after_commit
        self.transient_retry_seconds = transient_retry_seconds
        self.max_attempts = max_attempts
        self.processed = 0
        self.dead_lettered = 0

    def subscribe(self, topics: Iterable[str]) -> None:
        subscriber = self.broker.subscriber(
            *topics,
            group_id=self.group_id,
            auto_offset_reset="earliest",
            ack_policy=AckPolicy.MANUAL,
            max_poll_interval_ms=300_000,
            session_timeout_ms=30_000,
            heartbeat_interval_ms=3_000,
            title=f"{self.group_id}:events",
            decoder=_raw_body,
        )

        @subscriber
        async def on_message(msg: KafkaMessage) -> None:
            await self.handle(msg)

    async def handle(self, msg: KafkaMessage) -> None:
        record: ConsumerRecord[Any, Any] = msg.raw_message
        try:
            envelope = decode(record.headers or (), record.value, BY_CE_TYPE)
        except DecodeError as exc:
            await self.dead_letter(record, exc.code, exc.reason)
            await msg.ack()
            return
        handler = self.handlers.get(type(envelope.data))
        if handler is None:
            await msg.ack()  # an event this service does not need
            return
        if await self.apply(record, envelope, handler):
            await msg.ack()
        else:
            await msg.nack()  # infrastructure still down: seek back and try again later

    async def apply(self, record: ConsumerRecord[Any, Any], envelope: Envelope[Any], handler: Handler) -> bool:
        """Apply an event in one transaction; False when a transient failure outlasted the retry window."""
        deadline = time.monotonic() + self.transient_retry_seconds
        attempts = 0
        delay = 0.2
        while True:
            try:
                async with self.engine.begin() as conn:
                    if await first_delivery(conn, self.inbox, self.group_id, envelope.id):
                        await handler(conn, envelope)
                self.processed += 1
                if self.after_commit is not None:
                    self.after_commit()
                return True
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                if is_transient(exc):
                    if time.monotonic() > deadline:
                        log.warning("%s: still failing transiently on %s; seeking back", self.group_id, envelope.id)
                        return False
                    log.warning("%s: transient failure (%s); retrying in %.1fs", self.group_id, exc, delay)
                else:
                    attempts += 1
                    if attempts >= self.max_attempts:
                        log.exception(
                            "%s: event %s failed %d times; dead-lettered",
                            self.group_id,
                            envelope.id,
                            attempts,
                        )
                        await self.dead_letter(record, "handler-error", f"{type(exc).__name__}: {exc}")
                        return True
                    log.warning("%s: handler failed (%s), attempt %d", self.group_id, exc, attempts)
                await asyncio.sleep(delay)
                delay = min(delay * 2, 5.0)

    async def dead_letter(self, record: ConsumerRecord[Any, Any], code: str, reason: str) -> None:
        log.warning(
            "%s: dead-lettering %s[%d]@%d: %s",
            self.group_id,
            record.topic,
            record.partition,
            record.offset,
            reason,
        )
        await self.broker.publish(
            record.value or b"",
            DEAD_LETTERS.name,
            key=record.key,
            headers=dead_letter_headers(record, self.group_id, code, reason),
        )
        self.dead_lettered += 1
