"""Erasure (AVG art. 17) while events flow: the person's key is destroyed, every service deletes what it holds
about them and gives a receipt; no database, readable topic record, dead letter or rebuilt read model holds
anything about them afterwards, and the funnel's totals stay the same."""

from __future__ import annotations

import asyncio
from datetime import date, timedelta
from typing import Any
from uuid import uuid4

import httpx
import pytest
from aiokafka import ConsumerRecord
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine
from werkkloket_contracts import (
    ALL_TOPICS,
    BY_CE_TYPE,
    DEAD_LETTERS,
    PLAATSINGEN,
    SLEUTELS,
    TOEWIJZINGEN,
    AanmeldingOntvangen,
    Afwijzingsgegevens,
    Beeindigingsgegevens,
    KandidaatAfgewezen,
    KandidaatHertoegewezen,
    Persoonlijk,
    Persoonskenmerken,
    PlaatsingBeeindigd,
    Werkgevergegevens,
    decode,
)
from werkkloket_deploy.bus.acls import ADMIN, WAARNEMER
from werkkloket_deploy.sleutels import bestand_van
from werkkloket_rapportage.adapters import tables as rapportage_tables
from werkkloket_runtime.persoonsgegevens import tabellen
from werkkloket_runtime.sleutelring import Sleutelring
from werkkloket_runtime.versleuteling import lees_sleutels

from ..conftest import Stack
from .helpers import BusReader, caught_up, geopend, profiel, wait_for
from .test_een_houder import BINNEN, DEN_HAAG, plaats
from .test_intake_toewijzing import nieuw_bsn
from .test_rebuild import TOPICS, every_report, outboxes_drained, rapportage_sleutels, rebuild

pytestmark = pytest.mark.integration

DELFT = "gemeente-delft"
DIENSTEN = ("intake", "matching", "plaatsing", "rapportage")


async def funnel(client: httpx.AsyncClient, stack: Stack) -> dict[str, Any]:
    r = await client.get(
        f"{stack.url('rapportage')}/api/v1/rapportage/funnel",
        params={"peildatum": (date.today() + timedelta(days=2)).isoformat(), "groepeer": "gemeente"},
        headers=stack.auth(DELFT),
    )
    assert r.status_code == 200, r.text
    totaal: dict[str, Any] = r.json()["totaal"]
    return totaal


async def everything_on_the_bus(stack: Stack) -> list[ConsumerRecord[bytes, bytes]]:
    reader = await BusReader(stack.infra.kafka(WAARNEMER), [t.name for t in ALL_TOPICS]).start(from_beginning=True)
    consumer = reader.consumer
    try:
        ends = await consumer.end_offsets(list(consumer.assignment()))
        records: list[ConsumerRecord[bytes, bytes]] = []

        async def behind() -> bool:
            return any([await consumer.position(tp) < end for tp, end in ends.items()])

        while await behind():
            for tp, recs in (await consumer.getmany(timeout_ms=500)).items():
                records.extend(r for r in recs if r.offset < ends[tp])
        return records
    finally:
        await consumer.stop()


async def test_an_erased_person_leaves_nothing_readable_and_the_counts_stay(stack: Stack) -> None:
    uniek = uuid4().hex[:10]
    persoon = profiel(
        naam=f"Wies Wissel-{uniek}",
        email=f"wies.{uniek}@voorbeeld.nl",
        bsn=nieuw_bsn(),
        gemeente="GM0503",
        postcode="2611 AB",
        skills=[f"wisvaardigheid-{uniek}"],
        doelgroepen=["statushouder"],
    )
    werkgever = f"Bakkerij Wis-{uniek}"
    geheim = [persoon["naam"], persoon["email"], persoon["telefoon"], persoon["bsn"], werkgever, *persoon["skills"]]
    async with httpx.AsyncClient(timeout=15) as client:
        a = await geplaatst_en_beeindigd(client, stack, persoon, werkgever)
        kandidaat = a["kandidaat_id"]
        await alles_verwerkt(stack)
        voor = await funnel(client, stack)
        verzoek = await gewist_terwijl_anderen_stromen(client, stack, a)
        await bewijzen_per_dienst(client, stack, kandidaat, verzoek, geheim)
        await alles_verwerkt(stack)
        # The funnel counts the person as before.
        assert await funnel(client, stack) == voor
    await niets_in_de_databases(stack, kandidaat, geheim)
    records = await everything_on_the_bus(stack)
    await niets_leesbaar_op_de_bus(stack, records, kandidaat, geheim)
    await herbouwd_gelijk(stack, [r for r in records if r.topic in TOPICS], kandidaat)


async def geplaatst_en_beeindigd(
    client: httpx.AsyncClient, stack: Stack, persoon: dict[str, Any], werkgever: str
) -> dict[str, Any]:
    """Registered in Delft, assigned, placed and the placement ended (ziekte); the employer and the reason are
    on the bus only encrypted for the person, and rapportage has read them."""
    r = await client.post(f"{stack.url('intake')}/api/v1/aanmeldingen", json=persoon, headers=stack.auth(DELFT))
    assert r.status_code == 201, r.text
    a: dict[str, Any] = r.json()
    kandidaat = a["kandidaat_id"]

    async def houder() -> str | None:
        r = await client.get(f"{stack.url('intake')}/api/v1/aanmeldingen/{a['id']}", headers=stack.auth(DELFT))
        bureau: str | None = r.json()["uitzendbureau"]
        return bureau

    bureau = await wait_for(houder, what="the assignment in intake")
    plaatsing_id = await plaats(client, stack, kandidaat, bureau, date.today(), werkgever=werkgever)
    r = await client.post(
        f"{stack.url('plaatsing')}/api/v1/plaatsingen/{plaatsing_id}/beeindiging",
        json={"einddatum": (date.today() + timedelta(days=1)).isoformat(), "reden": "ziekte"},
        headers=stack.auth(bureau),
    )
    assert r.status_code == 201, r.text

    reader = await BusReader(stack.infra.kafka(WAARNEMER), [PLAATSINGEN.name]).start(from_beginning=True)
    try:
        (geplaatst,) = await reader.until(lambda rec: _is(rec, "PlaatsingGerealiseerd", kandidaat))
        (beeindigd,) = await reader.until(lambda rec: _is(rec, "PlaatsingBeeindigd", kandidaat))
    finally:
        await reader.stop()
    assert werkgever.encode() not in geplaatst.value and b"ziekte" not in beeindigd.value
    geopend_werkgever = await geopend(stack.infra, geplaatst, Werkgevergegevens, "rapportage")
    assert geopend_werkgever is not None and geopend_werkgever.werkgever == werkgever
    einde = await geopend(stack.infra, beeindigd, Beeindigingsgegevens, "rapportage")
    assert einde is not None and einde.reden == "ziekte"

    async def in_rapportage() -> bool:
        r = await client.get(f"{stack.url('rapportage')}/api/v1/personen/{kandidaat}", headers=stack.auth(DELFT))
        rijen = r.json()["tabellen"].get("plaatsingen", []) if r.status_code == 200 else []
        return any(p["werkgever"] == werkgever and p["einde_reden"] == "ziekte" for p in rijen)

    await wait_for(in_rapportage, timeout=BINNEN, what="the ended placement in rapportage")
    return a


async def gewist_terwijl_anderen_stromen(client: httpx.AsyncClient, stack: Stack, a: dict[str, Any]) -> str:
    """Erase while other registrations flow (in Den Haag: Delft's counts are this test's to compare); the
    erasure's id."""

    async def anderen() -> None:
        for _ in range(6):
            r = await client.post(
                f"{stack.url('intake')}/api/v1/aanmeldingen", json=profiel(), headers=stack.auth(DEN_HAAG)
            )
            assert r.status_code == 201, r.text

    stroom = asyncio.create_task(anderen())
    aanmelding = f"{stack.url('intake')}/api/v1/aanmeldingen/{a['id']}"
    r = await client.post(f"{aanmelding}/verwijdering", headers=stack.auth(DELFT))
    assert r.status_code == 202, r.text
    gestart = r.json()
    await stroom
    assert gestart["kandidaat_id"] == a["kandidaat_id"] and gestart["sleutel_vernietigd"] is True
    assert gestart["intake"]["aanmeldingen"] == 1 and gestart["intake"]["persoonssleutels"] == 1
    assert (await client.get(aanmelding, headers=stack.auth(DELFT))).status_code == 404
    verzoek: str = gestart["verzoek_id"]
    return verzoek


async def bewijzen_per_dienst(
    client: httpx.AsyncClient, stack: Stack, kandidaat: str, verzoek: str, geheim: list[str]
) -> None:
    """Every service gives its receipt (404 until it has done its part); the right of access finds nothing any
    more, but rapportage's anonymous counts."""

    async def bewijzen() -> dict[str, dict[str, Any]] | None:
        uit = {}
        for dienst in DIENSTEN:
            r = await client.get(f"{stack.url(dienst)}/api/v1/verwijderingen/{verzoek}", headers=stack.auth(DELFT))
            if r.status_code != 200:
                return None
            uit[dienst] = r.json()
        return uit

    bewijs = await wait_for(bewijzen, timeout=BINNEN, what="every service's receipt")
    assert all(b["kandidaat_id"] == kandidaat and b["sleutel_vernietigd"] for b in bewijs.values())
    assert bewijs["intake"]["verwijderd"]["toestemmingen"] >= 1
    assert {"toewijzingen", "kandidaten"} <= set(bewijs["matching"]["verwijderd"])
    assert {"kandidaten", "plaatsingen", "opvolgingen"} <= set(bewijs["plaatsing"]["verwijderd"])
    assert bewijs["rapportage"]["geanonimiseerd"] == {"plaatsingen": ["werkgever", "einde_reden"]}
    # Another gemeente does not even learn that there was an erasure.
    r = await client.get(f"{stack.url('matching')}/api/v1/verwijderingen/{verzoek}", headers=stack.auth(DEN_HAAG))
    assert r.status_code == 404

    for dienst in ("intake", "matching", "plaatsing"):
        r = await client.get(f"{stack.url(dienst)}/api/v1/personen/{kandidaat}", headers=stack.auth(DELFT))
        assert r.status_code == 404, (dienst, r.text)
    r = await client.get(f"{stack.url('rapportage')}/api/v1/personen/{kandidaat}", headers=stack.auth(DELFT))
    assert r.status_code == 200 and all(x not in r.text for x in geheim)
    (plaatsing,) = r.json()["tabellen"]["plaatsingen"]
    assert (plaatsing["werkgever"], plaatsing["einde_reden"]) == (None, None)


async def niets_in_de_databases(stack: Stack, kandidaat: str, geheim: list[str]) -> None:
    """No row keyed by the person outside rapportage's counts and the receipts, and no row anywhere with their
    name, contact data, BSN, employer or skills."""
    engine = create_async_engine(stack.infra.database_url)
    try:
        async with engine.connect() as conn:
            for schema in DIENSTEN:
                for tabel in await tabellen(conn, schema):
                    if tabel != "verwijderingen" and (schema, tabel) not in _TELLINGEN:
                        rijen = await conn.scalar(
                            text(f'SELECT count(*) FROM "{schema}"."{tabel}" WHERE kandidaat_id = :k'), {"k": kandidaat}
                        )
                        assert rijen == 0, f"{schema}.{tabel}"
                alles = await conn.execute(
                    text("SELECT table_name FROM information_schema.tables WHERE table_schema = :s"), {"s": schema}
                )
                for tabel in alles.scalars().all():
                    # Every row as text; the outbox's events (bytes) as the JSON they are.
                    rij = "convert_from(t.value, 'UTF8')" if tabel == "outbox" else "t::text"
                    tekst = await conn.scalar(text(f'SELECT string_agg({rij}, \'|\') FROM "{schema}"."{tabel}" t'))
                    assert not [x for x in geheim if x in (tekst or "")], f"{schema}.{tabel}"
    finally:
        await engine.dispose()


async def niets_leesbaar_op_de_bus(
    stack: Stack, records: list[ConsumerRecord[bytes, bytes]], kandidaat: str, geheim: list[str]
) -> None:
    """No topic record (dead letters included) holds anything of theirs in clear; their encrypted parts open for
    no service, and the key topic's last word on them is a tombstone."""
    over = [r for r in records if r.key == kandidaat.encode()]
    assert any(r.topic == PLAATSINGEN.name for r in over) and any(r.topic == TOEWIJZINGEN.name for r in over)
    for record in records:
        blob = (record.value or b"") + b"".join(v for _, v in record.headers)
        assert not [x for x in geheim if x.encode() in blob], (record.topic, record.offset)
    sleutels = [r for r in over if r.topic == SLEUTELS.name]
    assert sleutels and sleutels[-1].value is None
    events = [decode(r.headers or (), r.value, BY_CE_TYPE).data for r in over if r.topic not in _GEEN_EVENTS]
    versleuteld = [e for e in events if getattr(e, "persoonlijk", None) is not None]
    assert len(versleuteld) >= 3  # the profile, the placement and its end
    for dienst in SLEUTELS.consumers:
        kek = lees_sleutels(bestand_van(stack.infra.sleutels, dienst)).kek
        ring = Sleutelring(dienst, kek, stack.infra.kafka(dienst))
        await ring.start()
        try:
            for event in versleuteld:
                assert await ring.open(event.kandidaat_id, event.persoonlijk, _soort(event)) is None, dienst
        finally:
            await ring.stop()


async def herbouwd_gelijk(stack: Stack, log: list[ConsumerRecord[bytes, bytes]], kandidaat: str) -> None:
    """A read model rebuilt from the log holds what the live one holds: the same reports, the same emptied row."""
    engine = create_async_engine(stack.infra.database_url)
    schema = f"rapportage_rebuild_{uuid4().hex[:8]}"
    try:
        async with rapportage_sleutels(stack.infra):
            await rebuild(engine, schema, log)
        async with engine.connect() as live, engine.connect() as rebuilt:
            rebuilt = await rebuilt.execution_options(schema_translate_map={rapportage_tables.SCHEMA: schema})
            assert await every_report(live, date.today()) == await every_report(rebuilt, date.today())
            rij = (
                await rebuilt.execute(
                    text(f'SELECT werkgever, einde_reden FROM "{schema}".plaatsingen WHERE kandidaat_id = :k'),
                    {"k": kandidaat},
                )
            ).one()
            assert tuple(rij) == (None, None)
    finally:
        async with engine.begin() as conn:
            await conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        await engine.dispose()


_GEEN_EVENTS = (SLEUTELS.name, DEAD_LETTERS.name)


# Rows that stay as anonymous counts, keyed by the pseudonym that no key opens any more.
_TELLINGEN = {("rapportage", "funnel_kandidaten"), ("rapportage", "plaatsingen")}


def _is(record: ConsumerRecord[bytes, bytes], naam: str, kandidaat: str) -> bool:
    h = {k: v.decode() for k, v in record.headers}
    return h.get("ce_type", "").startswith(f"nl.werkkloket.{naam}.") and h.get("ce_subject") == kandidaat


async def alles_verwerkt(stack: Stack) -> None:
    """Every event published so far is applied by every service."""
    admin = stack.infra.kafka(ADMIN)
    await outboxes_drained(stack.infra.database_url)
    for dienst in ("matching", "plaatsing", "intake"):
        topics = [t.name for t in ALL_TOPICS if dienst in t.consumers and t is not SLEUTELS]
        await caught_up(admin, f"werkkloket-{dienst}", topics, timeout=60)
    await outboxes_drained(stack.infra.database_url)
    await caught_up(admin, "werkkloket-rapportage", TOPICS, timeout=60)


def _soort(event: Any) -> type[Persoonlijk]:
    """The encrypted part an event carries."""
    if isinstance(event, AanmeldingOntvangen):
        return Persoonskenmerken
    if isinstance(event, KandidaatAfgewezen | KandidaatHertoegewezen):
        return Afwijzingsgegevens
    if isinstance(event, PlaatsingBeeindigd):
        return Beeindigingsgegevens
    return Werkgevergegevens
