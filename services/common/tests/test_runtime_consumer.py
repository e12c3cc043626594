"""The consumer's batches, retries and dead letters against a real PostgreSQL, with a fake broker and no Kafka."""

from __future__ import annotations

import asyncio
import json
from collections import Counter
from collections.abc import Awaitable
from dataclasses import dataclass
from typing import Any, cast
from uuid import UUID, uuid4

import pytest
from aiokafka import ConsumerRecord
from faststream.kafka import KafkaBroker
from runtime_records import aanmelding, record
from sqlalchemy import Column, Integer, MetaData, Table, bindparam, func, select
from sqlalchemy.dialects.postgresql import UUID as PgUUID
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncEngine
from werkkloket_contracts import DEAD_LETTERS, AanmeldingOntvangen, Envelope, encode, source_of
from werkkloket_runtime.batching import Batched, Rij
from werkkloket_runtime.consumer import EventConsumer, Handler
from werkkloket_runtime.outbox import inbox_table
from werkkloket_runtime.unit_of_work import UnitOfWork

pytestmark = pytest.mark.integration

GROUP = "werkkloket-runtime-test"


@dataclass(frozen=True)
class DeadLetter:
    topic: str
    key: bytes | None
    value: bytes
    headers: dict[str, str]


class FakeBroker:
    """Records dead letters; each publish returns a delivery that has already succeeded."""

    def __init__(self) -> None:
        self.dead: list[DeadLetter] = []

    async def publish(
        self, value: bytes, topic: str, *, key: bytes | None, headers: dict[str, str], no_confirm: bool
    ) -> Awaitable[None]:
        self.dead.append(DeadLetter(topic, key, value, headers))
        done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        done.set_result(None)
        return done

    def codes(self) -> list[str]:
        return [d.headers["dlq_reason_code"] for d in self.dead]


@dataclass
class Setup:
    engine: AsyncEngine
    rows: Table
    inbox: Table
    broker: FakeBroker
    calls: Counter[UUID]

    def consumer(self, handler: Handler | Batched, **options: Any) -> EventConsumer:
        return EventConsumer(
            broker=cast(KafkaBroker, self.broker),
            engine=self.engine,
            inbox=self.inbox,
            group_id=GROUP,
            handlers={AanmeldingOntvangen: handler},
            **options,
        )

    async def apply(self, uow: UnitOfWork, env: Envelope[Any]) -> None:
        """The real work of a handler: count the event's candidate (an upsert, so doubles would show)."""
        await uow.conn.execute(
            insert(self.rows)
            .values(kandidaat_id=env.data.kandidaat_id, n=1)
            .on_conflict_do_update(index_elements=["kandidaat_id"], set_={"n": self.rows.c.n + 1})
        )

    async def applied(self) -> dict[UUID, int]:
        async with self.engine.connect() as conn:
            return {r.kandidaat_id: r.n for r in await conn.execute(select(self.rows))}

    async def in_inbox(self) -> set[UUID]:
        async with self.engine.connect() as conn:
            return set((await conn.execute(select(self.inbox.c.event_id))).scalars())


@pytest.fixture
async def setup(engine: AsyncEngine, schema: str) -> Setup:
    metadata = MetaData(schema=schema)
    rows = Table(
        "rijen", metadata, Column("kandidaat_id", PgUUID(as_uuid=True), primary_key=True), Column("n", Integer)
    )
    inbox = inbox_table(metadata)
    async with engine.begin() as conn:
        await conn.run_sync(metadata.create_all)
    return Setup(engine, rows, inbox, FakeBroker(), Counter())


def batch(kids: list[UUID]) -> tuple[list[ConsumerRecord[bytes, bytes]], dict[UUID, UUID]]:
    """Records of one AanmeldingOntvangen per candidate; also each candidate's event id."""
    records: list[ConsumerRecord[bytes, bytes]] = []
    ids: dict[UUID, UUID] = {}
    for offset, kid in enumerate(kids):
        rec = encode(aanmelding(kid), source=source_of("intake"))
        records.append(record(rec, offset))
        ids[kid] = UUID(rec.headers["ce_id"])
    return records, ids


async def test_a_batch_applies_every_event_once_and_a_redelivery_changes_nothing(setup: Setup) -> None:
    commits = 0

    def after_commit() -> None:
        nonlocal commits
        commits += 1

    async def handler(uow: UnitOfWork, env: Envelope[Any]) -> None:
        setup.calls[env.data.kandidaat_id] += 1
        await setup.apply(uow, env)

    kids = [uuid4() for _ in range(10)]
    records, ids = batch(kids)
    consumer = setup.consumer(handler, after_commit=after_commit)

    # The same event twice within the batch, too: applied once.
    assert await consumer.process([*records, records[3]])
    assert await setup.applied() == dict.fromkeys(kids, 1)
    assert await setup.in_inbox() == set(ids.values())
    assert setup.calls == Counter(kids)
    assert consumer.batches == 1 and commits == 1  # one transaction, then the relay is woken once

    assert await consumer.process(records)  # redelivered after a crash before the offset commit
    assert await setup.applied() == dict.fromkeys(kids, 1)
    assert setup.calls == Counter(kids)  # no handler ran again
    assert setup.broker.dead == []


async def test_batched_handlers_apply_once_and_a_failing_row_is_dead_lettered(setup: Setup) -> None:
    upsert = (
        insert(setup.rows)
        .values(kandidaat_id=bindparam("k"), n=1)
        .on_conflict_do_update(index_elements=["kandidaat_id"], set_={"n": setup.rows.c.n + 1})
    )
    poison = uuid4()

    def rows(env: Envelope[Any]) -> list[Rij]:
        kid = env.data.kandidaat_id
        setup.calls[kid] += 1
        return [Rij(upsert, {"k": "geen uuid" if kid == poison else kid})]

    good = [uuid4() for _ in range(5)]
    records, ids = batch([*good[:2], poison, *good[2:]])
    consumer = setup.consumer(Batched(rows), max_attempts=2)

    assert await consumer.process(records)
    assert await setup.applied() == dict.fromkeys(good, 1)
    assert setup.broker.codes() == ["handler-error"]
    assert setup.broker.dead[0].value == records[2].value
    assert setup.calls[poison] == 1 + 2
    assert await setup.in_inbox() == {ids[k] for k in good}

    # Redelivered: the applied events are skipped; the poison was not recorded, so it fails (and goes) again.
    calls = setup.calls.copy()
    assert await consumer.process(records)
    assert await setup.applied() == dict.fromkeys(good, 1)
    assert setup.calls - calls == Counter({poison: 1 + 2})
    assert setup.broker.codes() == ["handler-error", "handler-error"]


async def test_a_handler_that_keeps_failing_is_dead_lettered_and_the_rest_commits(setup: Setup) -> None:
    poison = uuid4()

    async def handler(uow: UnitOfWork, env: Envelope[Any]) -> None:
        kid = env.data.kandidaat_id
        setup.calls[kid] += 1
        if kid == poison:
            raise ValueError("cannot handle this candidate")
        await setup.apply(uow, env)

    good = [uuid4() for _ in range(4)]
    records, ids = batch([good[0], good[1], poison, good[2], good[3]])
    consumer = setup.consumer(handler, max_attempts=3)

    assert await consumer.process(records)
    assert await setup.applied() == dict.fromkeys(good, 1)
    # Once within the whole batch, then max_attempts times on its own.
    assert setup.calls[poison] == 1 + 3
    # Not recorded as processed: a re-drive from the dead-letter topic applies it.
    assert await setup.in_inbox() == {ids[k] for k in good}
    assert consumer.dead_lettered == 1 and consumer.processed == 4

    [dead] = setup.broker.dead
    original = records[2]
    assert dead.topic == DEAD_LETTERS.name
    assert (dead.key, dead.value) == (original.key, original.value)
    assert dead.headers["ce_id"] == str(ids[poison])  # the original headers travel along
    assert dead.headers["dlq_reason_code"] == "handler-error"
    assert "ValueError: cannot handle this candidate" in dead.headers["dlq_reason"]
    assert dead.headers["dlq_consumer_group"] == GROUP
    assert dead.headers["dlq_original_topic"] == original.topic
    assert dead.headers["dlq_original_partition"] == str(original.partition)
    assert dead.headers["dlq_original_offset"] == str(original.offset)
    assert dead.headers["dlq_original_timestamp"] == str(original.timestamp)


async def test_a_handler_that_fails_twice_then_succeeds_is_applied_once(setup: Setup) -> None:
    flaky = uuid4()

    async def handler(uow: UnitOfWork, env: Envelope[Any]) -> None:
        kid = env.data.kandidaat_id
        setup.calls[kid] += 1
        if kid == flaky and setup.calls[kid] <= 2:
            raise ValueError("not yet")
        await setup.apply(uow, env)

    kids = [uuid4(), flaky, uuid4()]
    records, _ = batch(kids)
    consumer = setup.consumer(handler, max_attempts=3)

    assert await consumer.process(records)
    assert setup.calls[flaky] == 3
    assert await setup.applied() == dict.fromkeys(kids, 1)  # the failed attempts left nothing behind
    assert setup.broker.dead == []


async def test_undecodable_records_and_direct_identifiers_are_dead_lettered_with_their_codes(setup: Setup) -> None:
    async def handler(uow: UnitOfWork, env: Envelope[Any]) -> None:
        setup.calls[env.data.kandidaat_id] += 1
        await setup.apply(uow, env)

    good, leaky = uuid4(), uuid4()
    first = encode(aanmelding(good), source=source_of("intake"))
    garbage = record(first, 1, value=b"{not json", headers={"ce_specversion": "1.0"})
    unknown = record(first, 2, headers={**first.headers, "ce_type": "nl.werkkloket.Onbekend.v1"})
    broken = record(first, 3, value=b'{"kandidaat_id": "geen uuid"}')
    with_bsn = encode(aanmelding(leaky), source=source_of("intake"))
    assert with_bsn.value is not None
    leaking = record(with_bsn, 4, value=json.dumps({**json.loads(with_bsn.value), "bsn": "123456782"}).encode())
    consumer = setup.consumer(handler)

    assert await consumer.process([record(first, 0), garbage, unknown, broken, leaking])
    assert await setup.applied() == {good: 1}
    assert setup.calls == Counter([good])  # no handler saw the others
    assert setup.broker.codes() == ["missing-headers", "unknown-type", "invalid-data", "direct-identifier"]
    assert [d.value for d in setup.broker.dead] == [r.value for r in (garbage, unknown, broken, leaking)]
    assert "'bsn'" in setup.broker.dead[3].headers["dlq_reason"]
    assert all(d.topic == DEAD_LETTERS.name for d in setup.broker.dead)


async def test_a_transient_failure_is_retried_with_backoff_and_never_dead_lettered(setup: Setup) -> None:
    flaky = uuid4()
    attempts: list[float] = []

    async def handler(uow: UnitOfWork, env: Envelope[Any]) -> None:
        kid = env.data.kandidaat_id
        setup.calls[kid] += 1
        if kid == flaky:
            attempts.append(asyncio.get_running_loop().time())
            if len(attempts) <= 2:
                raise ConnectionError("database restarting")
        await setup.apply(uow, env)

    kids = [uuid4(), flaky, uuid4()]
    records, _ = batch(kids)
    # With a handler failure this would be dead-lettered after 1 attempt: a transient one must not be.
    consumer = setup.consumer(handler, max_attempts=1, transient_retry_seconds=30)

    assert await consumer.process(records)
    assert len(attempts) == 3
    # Exponential backoff from 0.2 s between the batch's attempts.
    assert attempts[1] - attempts[0] >= 0.15 and attempts[2] - attempts[1] >= 0.3
    assert await setup.applied() == dict.fromkeys(kids, 1)
    assert setup.broker.dead == [] and consumer.dead_lettered == 0


async def test_a_transient_failure_while_isolating_a_poison_event_is_not_counted_as_an_attempt(
    setup: Setup,
) -> None:
    poison, flaky, good = uuid4(), uuid4(), uuid4()

    async def handler(uow: UnitOfWork, env: Envelope[Any]) -> None:
        kid = env.data.kandidaat_id
        setup.calls[kid] += 1
        if kid == poison:
            raise ValueError("cannot handle this candidate")
        if kid == flaky and setup.calls[kid] in (2, 3):  # the database drops out once the batch is split up
            raise ConnectionError("database restarting")
        await setup.apply(uow, env)

    records, _ = batch([flaky, poison, good])
    consumer = setup.consumer(handler, max_attempts=2, transient_retry_seconds=30)

    assert await consumer.process(records)
    assert setup.calls[flaky] == 4
    assert await setup.applied() == {flaky: 1, good: 1}
    assert setup.broker.codes() == ["handler-error"]
    assert setup.broker.dead[0].value == records[1].value


async def test_a_transient_failure_past_the_retry_window_commits_nothing(setup: Setup) -> None:
    down = uuid4()

    async def handler(uow: UnitOfWork, env: Envelope[Any]) -> None:
        kid = env.data.kandidaat_id
        setup.calls[kid] += 1
        await setup.apply(uow, env)
        if kid == down:
            raise ConnectionError("database unreachable")

    kids = [uuid4(), down, uuid4()]
    records, _ = batch(kids)
    consumer = setup.consumer(handler, transient_retry_seconds=0.5)
    garbage = record(encode(aanmelding(uuid4()), source=source_of("intake")), 9, value=b"garbage")

    started = asyncio.get_running_loop().time()
    assert await consumer.process([*records, garbage]) is False
    assert asyncio.get_running_loop().time() - started < 10
    assert setup.calls[down] >= 2  # retried before giving up
    assert await setup.applied() == {}
    assert await setup.in_inbox() == set()
    # The batch is sought back as a whole: not even its undecodable record is dead-lettered yet.
    assert setup.broker.dead == []
    assert consumer.processed == 0 and consumer.batches == 0


async def test_the_same_records_after_a_transient_outage_are_applied_once(setup: Setup) -> None:
    down = True

    async def handler(uow: UnitOfWork, env: Envelope[Any]) -> None:
        await setup.apply(uow, env)
        if down:
            raise OSError("connection reset")

    kids = [uuid4() for _ in range(3)]
    records, ids = batch(kids)
    consumer = setup.consumer(handler, transient_retry_seconds=0.3)
    assert await consumer.process(records) is False
    down = False
    assert await consumer.process(records)
    assert await setup.applied() == dict.fromkeys(kids, 1)
    assert await setup.in_inbox() == set(ids.values())


async def test_inbox_rows_belong_to_the_consumer_group(setup: Setup) -> None:
    async def handler(uow: UnitOfWork, env: Envelope[Any]) -> None:
        await setup.apply(uow, env)

    records, _ = batch([uuid4()])
    assert await setup.consumer(handler).process(records)
    async with setup.engine.connect() as conn:
        groups = (
            await conn.execute(select(setup.inbox.c.consumer, func.count()).group_by(setup.inbox.c.consumer))
        ).all()
    assert [tuple(g) for g in groups] == [(GROUP, 1)]


async def test_an_event_from_a_service_that_does_not_own_its_type_is_dead_lettered(setup: Setup) -> None:
    async def handler(uow: UnitOfWork, env: Envelope[Any]) -> None:
        setup.calls[env.data.kandidaat_id] += 1
        await setup.apply(uow, env)

    own, forged = uuid4(), uuid4()
    genuine = encode(aanmelding(own), source=source_of("intake", "gemeente-enschede"))
    # AanmeldingOntvangen belongs to intake: the same event from plaatsing is a forgery.
    forgery = encode(aanmelding(forged), source=source_of("plaatsing", "uitzendbureau-a"))
    consumer = setup.consumer(handler)

    assert await consumer.process([record(genuine, 0), record(forgery, 1)])
    assert await setup.applied() == {own: 1}
    assert setup.calls == Counter([own])
    assert setup.broker.codes() == ["foreign-producer"]
    assert "type not owned by producer" in setup.broker.dead[0].headers["dlq_reason"]
    assert setup.broker.dead[0].headers["ce_source"] == source_of("plaatsing", "uitzendbureau-a")
