"""Replay (beheer): the rebuilt read model equals the live one, row for row, and the switch is atomic."""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any
from uuid import UUID, uuid4

import httpx
import pytest
from aiokafka import AIOKafkaConsumer, TopicPartition
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine
from werkkloket_contracts import (
    AANMELDINGEN,
    PRODUCER_OF,
    TOEWIJZINGEN,
    AanmeldingOntvangen,
    EersteContactGelegd,
    Gebeurtenis,
    KafkaRecord,
    PlaatsingGerealiseerd,
    SollicitatiegesprekGehouden,
    encode,
    source_of,
)
from werkkloket_deploy.bus.acls import ADMIN, BEHEER, WAARNEMER
from werkkloket_deploy.replaying import load_runtime
from werkkloket_runtime.kafka import KafkaConnection
from werkkloket_runtime.replay import Progress

from ..conftest import Stack
from .helpers import BusReader, caught_up, headers_of, producer, wait_for

pytestmark = pytest.mark.integration

SKIP = {"alembic_version", "replay_posities"}


def history(n: int, seed: int) -> tuple[list[KafkaRecord], set[str]]:
    """n candidates of Alkmaar (regio noord-holland-noord) along the funnel, with a few redelivered events."""
    rng = random.Random(seed)
    records: list[KafkaRecord] = []
    subjects: set[str] = set()
    bureau = "start-people"
    for _ in range(n):
        kid = uuid4()
        subjects.add(str(kid))
        base: dict[str, Any] = {"kandidaat_id": kid, "arbeidsmarktregio": "noord-holland-noord", "gemeente": "GM0361"}
        events: list[Gebeurtenis] = [
            AanmeldingOntvangen(
                **base,
                aanmelding_id=uuid4(),
                opleidingsniveau="mbo2",
                wensberoepen=["9333"],
                uitkering="ww",
            )
        ]
        day = date(2025, 3, 1) + timedelta(days=rng.randrange(60))
        if rng.random() < 0.7:
            events.append(EersteContactGelegd(**base, uitzendbureau=bureau, datum=day))
            for _ in range(rng.randrange(3)):
                events.append(SollicitatiegesprekGehouden(**base, gesprek_id=uuid4(), uitzendbureau=bureau, datum=day))
            if rng.random() < 0.5:
                events.append(
                    PlaatsingGerealiseerd(
                        **base,
                        plaatsing_id=uuid4(),
                        uitzendbureau=bureau,
                        startdatum=day + timedelta(days=7),
                        uren_per_week=32,
                    )
                )
        for event in events:
            record = encode(event, source=source_of(PRODUCER_OF[type(event)]))
            records.append(record)
            if rng.random() < 0.1:
                records.append(record)  # redelivered: same ce_id
    return records, subjects


async def tables(conn: AsyncConnection, schema: str) -> list[str]:
    rows = await conn.execute(
        text("SELECT tablename FROM pg_tables WHERE schemaname = :s ORDER BY tablename"), {"s": schema}
    )
    return [r[0] for r in rows if r[0] not in SKIP]


async def snapshot(conn: AsyncConnection, schema: str) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table of a schema (the inbox without its timestamps), in a stable order."""
    result: dict[str, list[tuple[Any, ...]]] = {}
    for table in await tables(conn, schema):
        if table == "verwerkte_events":
            sql = f'SELECT consumer, event_id FROM "{schema}".verwerkte_events ORDER BY 1, 2'
        else:
            sql = f'SELECT * FROM "{schema}"."{table}" ORDER BY 1'
        result[table] = [tuple(r) for r in await conn.execute(text(sql))]
    return result


async def settle(stack: Stack, subjects: set[str], topics: list[str]) -> None:
    """Wait until matching answered every aanmelding and rapportage has read everything on its topics."""
    admin = stack.infra.kafka(ADMIN)
    await caught_up(admin, "werkkloket-matching", [AANMELDINGEN.name], timeout=60)
    reader = await BusReader(stack.infra.kafka(WAARNEMER), [TOEWIJZINGEN.name]).start(from_beginning=True)
    await reader.until(lambda r: headers_of(r).get("ce_subject") in subjects, count=len(subjects), timeout=60)
    await reader.stop()
    await caught_up(admin, "werkkloket-rapportage", topics, timeout=60)


async def filled_partitions(kafka: KafkaConnection, topics: list[str]) -> dict[tuple[str, int], int]:
    """(topic, partition) -> end offset, for every partition of the topics that holds records."""
    probe = AIOKafkaConsumer(**kafka.client(), enable_auto_commit=False)
    await probe.start()
    try:
        await probe._client.force_metadata_update()
        partitions = [TopicPartition(t, p) for t in topics for p in sorted(probe.partitions_for_topic(t) or ())]
        assert {tp.topic for tp in partitions} == set(topics)
        starts, ends = await probe.beginning_offsets(partitions), await probe.end_offsets(partitions)
        return {(tp.topic, tp.partition): ends[tp] for tp in partitions if ends[tp] > starts[tp]}
    finally:
        await probe.stop()


async def produce(kafka: KafkaConnection, records: list[KafkaRecord]) -> None:
    p = await producer(kafka)
    try:
        for r in records:
            await p.send(r.topic, r.value, key=r.key, headers=[(k, v.encode()) for k, v in r.headers.items()])
        await p.flush()
    finally:
        await p.stop()


async def funnel(stack: Stack) -> dict[str, Any]:
    async with httpx.AsyncClient(timeout=10) as client:
        r = await client.get(
            f"{stack.url('rapportage')}/api/v1/rapportage/funnel",
            params={"gemeente": "GM0361"},
            headers=stack.auth("programmamanager"),
        )
    assert r.status_code == 200, r.text
    result: dict[str, Any] = r.json()
    return result


async def build_only(
    stack: Stack, engine: AsyncEngine, records: list[KafkaRecord], subjects: set[str], topics: list[str]
) -> dict[str, list[tuple[Any, ...]]]:
    """Build only: the live model keeps answering, the fresh one is complete and equal. The live snapshot."""
    rt = load_runtime(
        "rapportage", stack.infra.kafka("rapportage"), stack.infra.database_urls["rapportage"], stack.infra.sleutels
    )
    seen: list[Progress] = []
    before = await filled_partitions(stack.infra.kafka(WAARNEMER), topics)
    built = await rt.replay(batch_size=700).run(restart=True, switch=False, on_progress=seen.append)
    await rt.engine.dispose()
    after = await filled_partitions(stack.infra.kafka(WAARNEMER), topics)
    assert built.applied >= len(records)  # the whole log, this test's records included
    assert not built.switched and seen[-1].caught_up and seen[-1].lag == 0
    async with engine.connect() as conn:
        live = await snapshot(conn, "rapportage")
        fresh = await snapshot(conn, "rapportage_next")
        rows = await conn.execute(text("SELECT topic, partitie, volgende_offset FROM rapportage_next.replay_posities"))
        positions = {(r.topic, r.partitie): r.volgende_offset for r in rows}
    # A position for every partition that had records, at its end when the replay began (or later).
    assert set(before) <= set(positions) <= set(after)
    assert all(before.get(tp, 0) <= offset <= after[tp] for tp, offset in positions.items()), (positions, after)
    assert set(fresh) == set(live) and "funnel_kandidaten" in live
    ours = [row for row in live["funnel_kandidaten"] if str(row[0]) in subjects]
    assert len(ours) == len(subjects)
    for table in live:
        assert len(fresh[table]) == len(live[table]), table
        assert fresh[table] == live[table], f"{table} differs after the rebuild"
    return live


async def resume_and_switch(stack: Stack, engine: AsyncEngine, live: dict[str, Any]) -> dict[str, Any]:
    """Resume (nothing new to read), then switch atomically. The previous model's snapshot."""
    rt = load_runtime(
        "rapportage", stack.infra.kafka("rapportage"), stack.infra.database_urls["rapportage"], stack.infra.sleutels
    )
    switched = await rt.replay().run(switch=True)
    await rt.engine.dispose()
    assert switched.switched and switched.applied == 0
    async with engine.connect() as conn:
        now_live = await snapshot(conn, "rapportage")
        previous = await snapshot(conn, "rapportage_vorige")
        gone = await conn.scalar(text("SELECT count(*) FROM pg_namespace WHERE nspname = 'rapportage_next'"))
    assert gone == 0
    assert now_live == previous == live
    return previous


async def live_writes_into_the_rebuilt_schema(
    stack: Stack, engine: AsyncEngine, kid: str, previous: dict[str, Any], live_funnel: dict[str, Any]
) -> None:
    """The live service now answers from, and writes into, the rebuilt schema."""
    contact = EersteContactGelegd(
        kandidaat_id=UUID(kid),
        arbeidsmarktregio="noord-holland-noord",
        gemeente="GM0361",
        uitzendbureau="start-people",
        datum=date(2025, 1, 2),
    )
    await produce(stack.infra.kafka("plaatsing"), [encode(contact, source=source_of("plaatsing"))])

    async def applied() -> bool:
        async with engine.connect() as conn:
            found = await conn.scalar(
                text("SELECT eerste_contact_op FROM rapportage.funnel_kandidaten WHERE kandidaat_id = :k"),
                {"k": UUID(kid)},
            )
        return found == date(2025, 1, 2)

    await wait_for(applied, timeout=30, what="the event after the switch in the rebuilt schema")
    async with engine.connect() as conn:
        assert await snapshot(conn, "rapportage_vorige") == previous  # the old one no longer changes
    assert (await funnel(stack))["totaal"]["aangemeld"] == live_funnel["totaal"]["aangemeld"]


async def test_replay_rebuilds_the_read_model_row_for_row_and_switches(stack: Stack) -> None:
    url = stack.infra.database_url  # the superuser's: to compare
    rt = load_runtime(
        "rapportage", stack.infra.kafka("rapportage"), stack.infra.database_urls["rapportage"], stack.infra.sleutels
    )
    topics = rt.replay().topics()  # every topic rapportage consumes
    await rt.engine.dispose()
    records, subjects = history(200, seed=5)
    await produce(stack.infra.kafka(BEHEER), records)
    await settle(stack, subjects, topics)

    engine = create_async_engine(url)
    try:
        live = await build_only(stack, engine, records, subjects, topics)
        live_funnel = await funnel(stack)
        previous = await resume_and_switch(stack, engine, live)
        await live_writes_into_the_rebuilt_schema(stack, engine, next(iter(sorted(subjects))), previous, live_funnel)
    finally:
        await engine.dispose()


async def test_replay_refuses_a_service_that_is_not_a_read_model(stack: Stack) -> None:
    rt = load_runtime(
        "matching", stack.infra.kafka("matching"), stack.infra.database_urls["matching"], stack.infra.sleutels
    )
    try:
        with pytest.raises(ValueError, match="not a read model"):
            rt.replay()
    finally:
        await rt.engine.dispose()
