"""The reports are a pure function of the events: rebuilt from the log into a fresh database, they are equal."""

from __future__ import annotations

import contextlib
import dataclasses
from collections.abc import AsyncIterator
from datetime import date
from typing import Any
from uuid import uuid4

import httpx
import pytest
from aiokafka import ConsumerRecord
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine
from werkkloket_contracts import AANMELDINGEN, BY_CE_TYPE, PLAATSINGEN, TOEWIJZINGEN, DecodeError, decode
from werkkloket_deploy.bus.acls import ADMIN, WAARNEMER
from werkkloket_deploy.sleutels import bestand_van
from werkkloket_rapportage.adapters import rapport, tables
from werkkloket_rapportage.adapters.programma import laad
from werkkloket_rapportage.domain.vraag import GROEPERINGEN, Vraag
from werkkloket_rapportage.entrypoints import events as rapportage_events
from werkkloket_rapportage.entrypoints.events import on_connection
from werkkloket_runtime.kafka import KafkaConnection
from werkkloket_runtime.outbox import first_delivery
from werkkloket_runtime.sleutelring import Sleutelring
from werkkloket_runtime.versleuteling import lees_sleutels

from ..conftest import Stack
from .helpers import BusReader, caught_up, wait_for
from .test_lifecycle import aangemeld_en_toegewezen

pytestmark = pytest.mark.integration

TOPICS = [AANMELDINGEN.name, TOEWIJZINGEN.name, PLAATSINGEN.name]


async def read_log(kafka: KafkaConnection) -> list[ConsumerRecord[bytes, bytes]]:
    """Every record of the event topics, from the beginning up to the current end."""
    reader = await BusReader(kafka, TOPICS).start(from_beginning=True)
    consumer = reader.consumer
    try:
        ends = await consumer.end_offsets(list(consumer.assignment()))
        records: list[ConsumerRecord[bytes, bytes]] = []

        async def behind() -> bool:
            return any([await consumer.position(tp) < end for tp, end in ends.items()])

        while await behind():
            batch = await consumer.getmany(timeout_ms=500)
            for tp, recs in batch.items():
                records.extend(r for r in recs if r.offset < ends[tp])
        return records
    finally:
        await consumer.stop()


async def outboxes_drained(database_url: str) -> None:
    """Wait until every producing service's outbox has been published."""
    engine = create_async_engine(database_url)

    async def drained() -> bool:
        async with engine.connect() as conn:
            pending = [
                await conn.scalar(text(f"SELECT count(*) FROM {schema}.outbox WHERE published_at IS NULL"))
                for schema in ("intake", "matching", "plaatsing")
            ]
        return not any(pending)

    try:
        await wait_for(drained, timeout=60, what="the outboxes to be published")
    finally:
        await engine.dispose()


@contextlib.asynccontextmanager
async def rapportage_sleutels(infra: Any) -> AsyncIterator[Sleutelring]:
    """Rapportage's persons' keys in this process, as the service holds them (for its handlers in a rebuild)."""
    kek = lees_sleutels(bestand_van(infra.sleutels, "rapportage")).kek
    ring = Sleutelring("rapportage", kek, infra.kafka("rapportage"))
    await ring.start()
    rapportage_events.sleutels.ring = ring
    try:
        yield ring
    finally:
        rapportage_events.sleutels.ring = None
        await ring.stop()


async def rebuild(engine: AsyncEngine, schema: str, records: list[ConsumerRecord[bytes, bytes]]) -> None:
    """A fresh schema with rapportage's tables, filled by rapportage's own handlers from the records."""
    translate = {tables.SCHEMA: schema}
    async with engine.begin() as conn:
        await conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        await (await conn.execution_options(schema_translate_map=translate)).run_sync(tables.metadata.create_all)
    for start in range(0, len(records), 500):
        async with engine.begin() as conn:
            conn = await conn.execution_options(schema_translate_map=translate)
            for record in records[start : start + 500]:
                try:
                    env = decode(record.headers or (), record.value, BY_CE_TYPE)
                except DecodeError:
                    continue  # what the live consumer dead-lettered
                handler = on_connection(type(env.data))
                if handler is not None and await first_delivery(conn, tables.inbox, "rebuild", env.id):
                    await handler(conn, env)


async def every_report(conn: AsyncConnection, peildatum: date) -> dict[str, Any]:
    instellingen = laad()
    v = Vraag(peildatum=peildatum)
    out: dict[str, Any] = {}
    for groepeer in GROEPERINGEN:
        totaal, groepen, _ = await rapport.funnel(conn, v, groepeer)
        out[f"funnel/{groepeer}"] = (vars(totaal), [(g, vars(f)) for g, f in groepen])
    for maanden in (1, 6):
        out[f"funnel/duurzaam{maanden}"] = vars(
            (await rapport.funnel(conn, dataclasses.replace(v, duurzaam_maanden=maanden)))[0]
        )
    out["doorlooptijden"] = await rapport.doorlooptijden(conn, v, instellingen.contacttermijn_dagen)
    out["per_maand"] = await rapport.plaatsingen_per_maand(conn, v)
    out["duurzaamheid"] = await rapport.duurzaamheid(conn, v)
    out["doelen"] = await rapport.doelen(conn, v, instellingen)
    out["besparing"] = await rapport.besparing(conn, v, instellingen)
    return out


async def test_report_live_equals_report_rebuilt_from_the_events(stack: Stack) -> None:
    async with httpx.AsyncClient(timeout=10) as client:
        # Some lifecycle of this test's own, in Houten: placements, one ended, one confirmed.
        kandidaten = await aangemeld_en_toegewezen(
            client, stack, "gemeente-houten", 3, gemeente="GM0321", postcode="3991 AB", aanmelddatum="2025-03-03"
        )
        for i, k in enumerate(kandidaten):
            base = f"{stack.url('plaatsing')}/api/v1/kandidaten/{k['kandidaat_id']}"
            auth = stack.auth(k["uitzendbureau"])
            assert (
                await client.post(f"{base}/eerste-contact", json={"datum": "2025-03-05"}, headers=auth)
            ).status_code == 201
            if i < 2:
                r = await client.post(
                    f"{base}/plaatsingen",
                    json={"werkgever": "Houten Logistiek", "startdatum": "2025-04-01", "uren_per_week": 36},
                    headers=auth,
                )
                assert r.status_code == 201, r.text
                r = await client.post(
                    f"{stack.url('intake')}/api/v1/kandidaten/{k['kandidaat_id']}/plaatsing-bevestiging",
                    json={"bron": "uitkering_verlaagd", "datum": "2025-04-20"},
                    headers=stack.auth("gemeente-houten"),
                )
                assert r.status_code == 201, r.text
        # Everything this test caused is on the bus (no service holds an unpublished event), and consumed.
        await outboxes_drained(stack.infra.database_url)
        await caught_up(
            stack.infra.kafka(ADMIN), "werkkloket-plaatsing", [AANMELDINGEN.name, TOEWIJZINGEN.name], timeout=60
        )
        await outboxes_drained(stack.infra.database_url)
        await caught_up(stack.infra.kafka(ADMIN), "werkkloket-rapportage", TOPICS, timeout=60)
        live_api = await client.get(
            f"{stack.url('rapportage')}/api/v1/rapportage/funnel",
            params={"peildatum": "2025-12-31", "groepeer": "gemeente"},
            headers=stack.auth("gemeente-houten"),  # its own figures: restricted to Houten, exact
        )

    records = await read_log(stack.infra.kafka(WAARNEMER))
    engine = create_async_engine(stack.infra.database_url)
    schema = f"rapportage_rebuild_{uuid4().hex[:8]}"
    try:
        async with rapportage_sleutels(stack.infra):
            await rebuild(engine, schema, records)
        for peildatum in (date(2025, 3, 31), date(2025, 7, 31), date(2026, 12, 31)):
            async with engine.connect() as a, engine.connect() as b:
                b = await b.execution_options(schema_translate_map={tables.SCHEMA: schema})
                assert await every_report(a, peildatum) == await every_report(b, peildatum), peildatum
        async with engine.connect() as b:
            b = await b.execution_options(schema_translate_map={tables.SCHEMA: schema})
            totaal, _, _ = await rapport.funnel(b, Vraag(peildatum=date(2025, 12, 31), gemeenten=frozenset({"GM0321"})))
    finally:
        async with engine.begin() as conn:
            await conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        await engine.dispose()
    # The live API says the same as the rebuilt read model, and this test's own candidates are in it.
    body = live_api.json()
    assert body["onderdrukt"] is False and body["filters"] == {"gemeenten": "GM0321"}
    assert body["totaal"] == {**vars(totaal)}
    houten = next(g for g in body["groepen"] if g["groep"] == "GM0321")
    assert (houten["aangemeld"], houten["eerste_contact"], houten["geplaatst"]) >= (3, 3, 2)
