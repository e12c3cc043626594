"""The BSN at rest: encrypted under a data key per person, found by keyed hash only; a possible duplicate in another
gemeente is answered as `elders_aangemeld`, never with its id. And revision 0005 converts the rows it finds."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import date
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

import httpx
import pytest
from alembic import command
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine
from werkkloket_deploy.provision import free_port
from werkkloket_deploy.sleutels import maak
from werkkloket_deploy.stack import start_service, wait_healthy
from werkkloket_intake import bootstrap as intake
from werkkloket_intake.adapters import aanmeldingen, persoonssleutels
from werkkloket_intake.domain.aanmelding import Dubbeling
from werkkloket_intake.domain.profiel import Profiel, dubbel_sleutel
from werkkloket_runtime.db import alembic_config, migrate
from werkkloket_runtime.versleuteling import Sleutels, lees_sleutels

from ..conftest import Infra, Stack
from .helpers import profiel
from .test_intake_toewijzing import nieuw_bsn, post, status

pytestmark = pytest.mark.integration

DEN_HAAG, DELFT = "gemeente-den-haag", "gemeente-delft"
MIGRATIONS = Path(intake.__file__).parent / "migrations"


@pytest.fixture
async def superuser(infra: Infra) -> AsyncIterator[AsyncEngine]:
    engine = create_async_engine(infra.database_url)
    try:
        yield engine
    finally:
        await engine.dispose()


async def _rij(engine: AsyncEngine, aanmelding_id: str) -> dict[str, Any]:
    query = text("SELECT a.*, a::text AS als_tekst FROM intake.aanmeldingen a WHERE id = :id")
    async with engine.connect() as conn:
        row = (await conn.execute(query, {"id": aanmelding_id})).one()
    return dict(row._mapping)


async def _in_intake(engine: AsyncEngine, waarde: str) -> list[str]:
    """The tables of intake whose rows hold `waarde` anywhere in their text."""
    query = text("SELECT table_name FROM information_schema.tables WHERE table_schema = 'intake'")
    async with engine.connect() as conn:
        found = []
        for table in list((await conn.execute(query)).scalars()):
            n = await conn.scalar(
                text(f'SELECT count(*) FROM intake."{table}" t WHERE t::text LIKE :p'), {"p": f"%{waarde}%"}
            )
            if n:
                found.append(table)
    return found


async def _alleen_versleuteld(stack: Stack, engine: AsyncEngine, a: dict[str, Any], bsn: str, sleutel: str) -> None:
    """No plain BSN nor duplicate key in the database: no such columns, no row anywhere in intake with either;
    the ciphertext opens with intake's keys only, under the person's data key."""
    rij = await _rij(engine, a["id"])
    assert "bsn" not in rij and "dubbel_sleutel" not in rij
    assert bsn not in rij["als_tekst"] and bsn.encode() not in rij["bsn_versleuteld"]
    assert len(rij["bsn_hmac"]) == len(rij["dubbel_sleutel_hmac"]) == 32
    assert await _in_intake(engine, bsn) == []
    assert await _in_intake(engine, sleutel) == []
    async with engine.connect() as conn:
        verpakt = await conn.scalar(
            text("SELECT sleutel_versleuteld FROM intake.persoonssleutels WHERE kandidaat_id = :k"),
            {"k": a["kandidaat_id"]},
        )
    assert verpakt is not None and len(verpakt) == 1 + 12 + 32 + 16  # format, nonce, wrapped key, tag
    persoonssleutels.stel_in(lees_sleutels(stack.infra.sleutels))
    try:
        k = persoonssleutels.kluis()
        assert k.bsn(UUID(a["kandidaat_id"]), verpakt, rij["bsn_versleuteld"]) == bsn
        assert rij["bsn_hmac"] == k.bsn_hash(bsn) and rij["dubbel_sleutel_hmac"] == k.dubbel_hash(sleutel)
    finally:
        persoonssleutels.stel_in(None)


async def test_the_bsn_is_stored_encrypted_and_a_duplicate_in_the_gemeente_is_found_by_it(
    stack: Stack, superuser: AsyncEngine
) -> None:
    bsn = nieuw_bsn()
    async with httpx.AsyncClient(timeout=10) as client:
        eerste = profiel(bsn=bsn, geboortedatum="1975-11-02")
        r1 = await post(client, stack, eerste)
        assert r1.status_code == 201, r1.text
        a1 = r1.json()
        assert a1["bsn"] == bsn and a1["status"] == "ontvangen" and a1["elders_aangemeld"] is False
        sleutel = dubbel_sleutel(eerste["naam"], date(1975, 11, 2), eerste["postcode"])
        assert sleutel is not None
        await _alleen_versleuteld(stack, superuser, a1, bsn, sleutel)

        # The same BSN (typed with dots) under another name is found, with its id.
        r2 = await post(client, stack, profiel(bsn=f"{bsn[:4]}.{bsn[4:6]}.{bsn[6:]}"))
        assert r2.status_code == 201, r2.text
        a2 = r2.json()
        assert a2["status"] == "mogelijk_dubbel" and a2["bsn"] == bsn
        assert a2["mogelijke_dubbelingen"] == [a1["id"]] and a2["elders_aangemeld"] is False
        assert (await status(client, stack, a1["id"]))["bsn"] == bsn  # decrypted on read


async def test_a_duplicate_in_another_gemeente_is_only_elders_aangemeld(stack: Stack) -> None:
    bsn = nieuw_bsn()
    async with httpx.AsyncClient(timeout=10) as client:
        eerste = profiel(bsn=bsn, geboortedatum="1975-11-02")
        a1 = (await post(client, stack, eerste)).json()
        a2 = (await post(client, stack, profiel(bsn=bsn))).json()
        assert a2["mogelijke_dubbelingen"] == [a1["id"]]

        # Delft registers the same BSN: held as a possible duplicate, answered as "registered elsewhere" only.
        r3 = await post(client, stack, profiel(bsn=bsn, gemeente="GM0503", postcode="2611 AB"), org=DELFT)
        assert r3.status_code == 201, r3.text
        a3 = r3.json()
        assert a3["status"] == "mogelijk_dubbel" and a3["bsn"] == bsn  # Delft recorded it: Delft sees it
        assert a3["mogelijke_dubbelingen"] == [] and a3["elders_aangemeld"] is True
        for of_den_haag in (a1["id"], a1["kandidaat_id"], a2["id"], a2["kandidaat_id"]):
            assert of_den_haag not in r3.text
        gelezen = await status(client, stack, a3["id"], org=DELFT)
        assert gelezen["mogelijke_dubbelingen"] == [] and gelezen["elders_aangemeld"] is True
        url = f"{stack.url('intake')}/api/v1/aanmeldingen"
        lijst = await client.get(url, params={"status": "mogelijk_dubbel"}, headers=stack.auth(DELFT))
        assert a3["id"] in lijst.text and a1["id"] not in lijst.text and a2["id"] not in lijst.text
        # Den Haag's name + date of birth + postcode, in Delft, without a BSN: the same answer.
        zelfde = profiel(naam=eerste["naam"].upper(), geboortedatum="1975-11-02", postcode="2512ab", gemeente="GM0503")
        r4 = await post(client, stack, zelfde, org=DELFT)
        assert r4.json()["status"] == "mogelijk_dubbel" and r4.json()["elders_aangemeld"] is True
        assert r4.json()["mogelijke_dubbelingen"] == [] and a1["id"] not in r4.text

        # Nor does Delft's right of access to what intake holds about the person name Den Haag's records.
        r = await client.get(f"{stack.url('intake')}/api/v1/personen/{a3['kandidaat_id']}", headers=stack.auth(DELFT))
        assert r.status_code == 200, r.text
        (rij,) = r.json()["tabellen"]["aanmeldingen"]
        assert rij["mogelijke_dubbelingen"] == [] and rij["elders_aangemeld"] is True
        assert "persoonssleutels" not in r.json()["tabellen"]
        for of_den_haag in (a1["id"], a2["id"], "GM0518"):
            assert of_den_haag not in r.text

        # UWV acts for every gemeente: it sees every possible duplicate by id (and no BSN it did not record).
        uwv = await status(client, stack, a3["id"], org="uwv")
        assert uwv["mogelijke_dubbelingen"] == [a1["id"], a2["id"]] and uwv["elders_aangemeld"] is False
        assert uwv["bsn"] is None

        # Delft's consultant decides on what Delft may know.
        d = await client.post(
            f"{url}/{a3['id']}/dubbelcontrole",
            json={"besluit": "geen_dubbel", "toelichting": "elders aangemeld, hier de bemiddeling"},
            headers=stack.auth(DELFT),
        )
        assert d.status_code == 200 and d.json()["status"] in {"ontvangen", "bij_gemeente", "toegewezen"}


async def test_a_bsn_added_later_is_encrypted_and_found(stack: Stack, superuser: AsyncEngine) -> None:
    bsn = nieuw_bsn()
    async with httpx.AsyncClient(timeout=10) as client:
        a = (await post(client, stack, profiel())).json()
        assert a["bsn"] is None
        url = f"{stack.url('intake')}/api/v1/aanmeldingen/{a['id']}"
        r = await client.patch(url, json={"bsn": bsn}, headers=stack.auth(DEN_HAAG))
        assert r.status_code == 200 and r.json()["bsn"] == bsn
        assert (await status(client, stack, a["id"]))["bsn"] == bsn
        rij = await _rij(superuser, a["id"])
        assert bsn not in rij["als_tekst"] and rij["bsn_versleuteld"] and rij["bsn_hmac"]
        # Another field changed: the BSN stays as it was.
        r = await client.patch(url, json={"woonplaats": "Den Haag"}, headers=stack.auth(DEN_HAAG))
        assert r.status_code == 200 and r.json()["bsn"] == bsn
        assert (await _rij(superuser, a["id"]))["bsn_versleuteld"] == rij["bsn_versleuteld"]
        dubbel = (await post(client, stack, profiel(bsn=bsn))).json()
        assert dubbel["mogelijke_dubbelingen"] == [a["id"]]
        # Removed: gone from the database, not found any more.
        r = await client.patch(url, json={"bsn": None}, headers=stack.auth(DEN_HAAG))
        assert r.status_code == 200 and r.json()["bsn"] is None
        leeg = await _rij(superuser, a["id"])
        assert leeg["bsn_versleuteld"] is None and leeg["bsn_hmac"] is None
        assert (await post(client, stack, profiel(bsn=bsn))).json()["mogelijke_dubbelingen"] == [dubbel["id"]]


# --- revision 0005 on rows from before it ----------------------------------------------------------------------


@pytest.fixture
async def lege_database(infra: Infra, superuser: AsyncEngine) -> AsyncIterator[str]:
    """A database of its own (revisions run on schema `intake` as it is named in them); its superuser's URL."""
    name = f"werkkloket_0005_{uuid4().hex[:8]}"
    async with superuser.connect() as conn:
        await (await conn.execution_options(isolation_level="AUTOCOMMIT")).execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(infra.database_url).set(database=name).render_as_string(hide_password=False)
    finally:
        async with superuser.connect() as conn:
            auto = await conn.execution_options(isolation_level="AUTOCOMMIT")
            await auto.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


async def _oude_rijen(engine: AsyncEngine) -> list[dict[str, Any]]:
    """Three registrations as revision 0004 left them: two with a plain BSN (one a duplicate of the other, in
    another gemeente), one without."""
    bsn, fatima = nieuw_bsn(), "Fatima de Vries"
    rijen: list[dict[str, Any]] = [
        {"gemeente": "GM0518", "bsn": bsn, "naam": fatima, "postcode": "2512 AB", "geboren": date(1980, 5, 17)},
        {"gemeente": "GM0503", "bsn": bsn, "naam": fatima, "postcode": "2611 AB", "geboren": None},
        {"gemeente": "GM0518", "bsn": None, "naam": "Jan  Jansen", "postcode": "2511 AB", "geboren": date(1970, 1, 2)},
    ]
    async with engine.begin() as conn:
        for i, r in enumerate(rijen):
            r |= {"id": uuid4(), "kandidaat_id": uuid4()}
            r["dubbel_sleutel"] = dubbel_sleutel(r["naam"], r["geboren"], r["postcode"])
            dubbelingen = f'["{rijen[0]["id"]}"]' if i == 1 else "[]"
            await conn.execute(
                text(
                    "INSERT INTO intake.aanmeldingen (id, kandidaat_id, gemeente, arbeidsmarktregio, "
                    "geregistreerd_door, naam, postcode, geboortedatum, profiel, toestemming, status, bsn, "
                    "dubbel_sleutel, mogelijke_dubbelingen) VALUES (:id, :kandidaat_id, :gemeente, 'haaglanden', "
                    "'gemeente-den-haag', :naam, :postcode, :geboren, '{}', 'null', 'mogelijk_dubbel', :bsn, "
                    f"CAST(:dubbel_sleutel AS varchar), '{dubbelingen}')"
                ),
                r,
            )
    return rijen


async def _kolommen(engine: AsyncEngine) -> set[str]:
    query = text(
        "SELECT column_name FROM information_schema.columns "
        "WHERE table_schema = 'intake' AND table_name = 'aanmeldingen'"
    )
    async with engine.connect() as conn:
        return set((await conn.execute(query)).scalars())


async def _zoals_de_dienst_leest(engine: AsyncEngine, sleutels: Sleutels, rijen: list[dict[str, Any]]) -> None:
    """The BSNs decrypt, the hashes find them, the duplicate knows its gemeente."""
    persoonssleutels.stel_in(sleutels)
    try:
        async with engine.connect() as conn:
            gelezen = [await aanmeldingen.met_id(conn, r["id"]) for r in rijen]
            assert [a.profiel.bsn if a else "?" for a in gelezen] == [rijen[0]["bsn"], rijen[0]["bsn"], None]
            assert gelezen[1] is not None
            assert gelezen[1].mogelijke_dubbelingen == (Dubbeling(rijen[0]["id"], "GM0518"),)
            zelfde_bsn = await aanmeldingen.dubbelingen(conn, uuid4(), Profiel(bsn=rijen[0]["bsn"]))
            assert {d.id for d in zelfde_bsn} == {rijen[0]["id"], rijen[1]["id"]}
            jan = Profiel(naam="jan jansen", geboortedatum=date(1970, 1, 2), postcode="2511AB")
            assert await aanmeldingen.dubbelingen(conn, uuid4(), jan) == (Dubbeling(rijen[2]["id"], "GM0518"),)
    finally:
        persoonssleutels.stel_in(None)


async def test_revision_0005_encrypts_the_rows_it_finds_and_needs_the_keys_for_them(lege_database: str) -> None:
    await asyncio.to_thread(migrate, lege_database, MIGRATIONS, "intake", None, None, "0004")
    engine = create_async_engine(lege_database)
    try:
        rijen = await _oude_rijen(engine)
        # Without intake's keys the revision refuses, and nothing changed.
        with pytest.raises(RuntimeError, match="WERKKLOKET_SLEUTELS_FILE"):
            await asyncio.to_thread(migrate, lege_database, MIGRATIONS, "intake")
        async with engine.connect() as conn:
            assert await conn.scalar(text("SELECT version_num FROM intake.alembic_version")) == "0004"
            assert await conn.scalar(text("SELECT count(*) FROM intake.aanmeldingen WHERE bsn IS NOT NULL")) == 2

        sleutels = Sleutels.nieuw()
        await asyncio.to_thread(migrate, lege_database, MIGRATIONS, "intake", None, {"sleutels": sleutels})
        kolommen = await _kolommen(engine)
        assert {"bsn", "dubbel_sleutel"}.isdisjoint(kolommen)
        assert {"bsn_versleuteld", "bsn_hmac", "dubbel_sleutel_hmac"} <= kolommen
        async with engine.connect() as conn:
            tekst = " ".join((await conn.execute(text("SELECT a::text FROM intake.aanmeldingen a"))).scalars())
            assert rijen[0]["bsn"] not in tekst and "fatima de vries|" not in tekst
            assert await conn.scalar(text("SELECT count(*) FROM intake.persoonssleutels")) == 3
        await _zoals_de_dienst_leest(engine, sleutels, rijen)

        # And back: the plain columns as 0004 had them.
        cfg = alembic_config(lege_database, MIGRATIONS, "intake", attributes={"sleutels": sleutels})
        await asyncio.to_thread(command.downgrade, cfg, "0004")
        query = text("SELECT id, bsn, dubbel_sleutel, mogelijke_dubbelingen FROM intake.aanmeldingen")
        async with engine.connect() as conn:
            terug = {r.id: r for r in (await conn.execute(query)).all()}
        for r in rijen:
            assert (terug[r["id"]].bsn, terug[r["id"]].dubbel_sleutel) == (r["bsn"], r["dubbel_sleutel"])
        assert terug[rijen[1]["id"]].mogelijke_dubbelingen == [str(rijen[0]["id"])]
    finally:
        await engine.dispose()


async def test_intake_refuses_to_start_without_the_databases_keys(stack: Stack, tmp_path: Path) -> None:
    async with httpx.AsyncClient(timeout=10) as client:  # at least one person's data key is stored
        assert (await post(client, stack, profiel(bsn=nieuw_bsn()))).status_code == 201
    andere, open_bestand = tmp_path / "andere.json", tmp_path / "open.json"
    maak(andere)
    maak(open_bestand)
    open_bestand.chmod(0o644)
    for sleutels, reden in ((andere, "do not open the data keys in the database"), (open_bestand, "chmod 600")):
        svc = start_service(
            "intake",
            port=free_port(),
            kafka=stack.infra.kafka("intake"),
            database_url=stack.infra.database_urls["intake"],
            oidc_issuer=stack.issuer,
            log_dir=tmp_path / sleutels.stem,
            sleutels=sleutels,
        )
        try:
            with pytest.raises(RuntimeError, match="exited during start-up") as exc:
                await asyncio.to_thread(wait_healthy, [svc], 120)
            assert reden in str(exc.value)
        finally:
            svc.stop()
