"""Intake (profile, coding, completeness, duplicates, screening) and toewijzing with reassignment, end to end."""

from __future__ import annotations

import asyncio
import json
import random
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine
from werkkloket_contracts import AANMELDINGEN, ALL_TOPICS, TOEWIJZINGEN, Persoonskenmerken
from werkkloket_deploy.bus.acls import WAARNEMER

from ..conftest import Stack
from ..persoonsgegevens import gebruikt
from .helpers import BusReader, ce_type_is, data_of, geopend, headers_of, profiel, wait_for

pytestmark = pytest.mark.integration

DEN_HAAG = "gemeente-den-haag"


def nieuw_bsn() -> str:
    """A random 9-digit number that passes the elfproef."""
    while True:
        digits = [random.randint(0, 9) for _ in range(8)]
        rest = sum(d * w for d, w in zip(digits, range(9, 1, -1), strict=True)) % 11
        if rest < 10 and digits[0] != 0:
            bsn = "".join(map(str, digits)) + str(rest)
            gebruikt(bsn)
            return bsn


async def post(client: httpx.AsyncClient, stack: Stack, body: dict[str, Any], org: str = DEN_HAAG) -> httpx.Response:
    return await client.post(f"{stack.url('intake')}/api/v1/aanmeldingen", json=body, headers=stack.auth(org))


async def status(client: httpx.AsyncClient, stack: Stack, aanmelding_id: str, org: str = DEN_HAAG) -> dict[str, Any]:
    r = await client.get(f"{stack.url('intake')}/api/v1/aanmeldingen/{aanmelding_id}", headers=stack.auth(org))
    assert r.status_code == 200, r.text
    result: dict[str, Any] = r.json()
    return result


async def test_free_text_occupations_are_coded_with_alternatives(stack: Stack) -> None:
    async with httpx.AsyncClient(timeout=10) as client:
        body = profiel(
            wensberoepen=["kok", "schoonmaakster"],
            werkervaring=[{"beroep": "stewardess", "van": "2012-01-01", "tot": "2024-03-31"}],
        )
        r = await post(client, stack, body)
        assert r.status_code == 201, r.text
        coded = {c["veld"]: c for c in r.json()["coderingen"]}
        assert coded["wensberoepen.0"]["code"] == "5120" and coded["wensberoepen.1"]["code"] == "9112"
        assert coded["werkervaring.0.beroep"]["code"] == "5111"
        assert all(len(c["alternatieven"]) >= 1 for c in coded.values())
        r = await post(client, stack, profiel(wensberoepen=["xyzzy qwerty"]))
        assert r.status_code == 422 and r.headers["content-type"].startswith("application/problem+json")
        (param,) = r.json()["invalid_params"]
        assert param["name"] == "wensberoepen.0" and "bedoelt u" in param["reason"]
        r = await post(client, stack, profiel(wensberoepen=["0000"]))
        assert r.status_code == 422 and r.json()["invalid_params"][0]["name"] == "wensberoepen.0"


async def test_incomplete_profile_is_held_until_completed(stack: Stack) -> None:
    reader = await BusReader(stack.infra.kafka(WAARNEMER), [AANMELDINGEN.name, TOEWIJZINGEN.name]).start()
    async with httpx.AsyncClient(timeout=10) as client:
        body = profiel()
        for veld in ("wensberoepen", "opleidingsniveau", "telefoon", "email"):
            del body[veld]
        r = await post(client, stack, body)
        assert r.status_code == 201, r.text
        a = r.json()
        assert a["status"] == "onvolledig"
        assert a["ontbrekend"] == ["telefoon_of_email", "opleidingsniveau", "wensberoepen"]
        await asyncio.sleep(2)
        await reader.poll()
        assert not [rec for rec in reader.records if headers_of(rec)["ce_subject"] == a["kandidaat_id"]]
        assert (await status(client, stack, a["id"]))["status"] == "onvolledig"

        url = f"{stack.url('intake')}/api/v1/aanmeldingen/{a['id']}"
        r = await client.patch(url, json={"email": "nog.niet@voorbeeld.nl"}, headers=stack.auth(DEN_HAAG))
        assert r.status_code == 200 and r.json()["ontbrekend"] == ["opleidingsniveau", "wensberoepen"]
        r = await client.patch(
            url, json={"opleidingsniveau": "hbo", "wensberoepen": ["4110"]}, headers=stack.auth(DEN_HAAG)
        )
        assert r.status_code == 200, r.text
        assert r.json()["ontbrekend"] == [] and r.json()["status"] == "ontvangen"
        (aangevuld,) = await reader.until(ce_type_is("ProfielAangevuld", a["kandidaat_id"]))
        assert set(data_of(aangevuld)["aangevulde_velden"]) == {"opleidingsniveau", "wensberoepen"}
        await reader.until(ce_type_is("KandidaatToegewezen", a["kandidaat_id"]))
        assert not [rec for rec in reader.records if ce_type_is("AanmeldingOntvangen", a["kandidaat_id"])(rec)]
    await reader.stop()


async def test_second_registration_of_the_same_person_is_flagged_not_merged(stack: Stack) -> None:
    async with httpx.AsyncClient(timeout=10) as client:
        bsn = nieuw_bsn()
        eerste = profiel(bsn=bsn, geboortedatum="1980-05-17")
        r1 = await post(client, stack, eerste)
        assert r1.status_code == 201 and r1.json()["status"] == "ontvangen"
        assert r1.json()["bsn"] == bsn  # the registering gemeente sees its own dossier
        # Same BSN, other name: flagged.
        r2 = await post(client, stack, profiel(bsn=bsn))
        assert r2.json()["status"] == "mogelijk_dubbel"
        assert r2.json()["mogelijke_dubbelingen"] == [r1.json()["id"]]
        # Same name + date of birth + postcode, no BSN: flagged too.
        r3 = await post(client, stack, profiel(naam=eerste["naam"].upper(), geboortedatum="1980-05-17"))
        assert r3.json()["status"] == "mogelijk_dubbel" and r1.json()["id"] in r3.json()["mogelijke_dubbelingen"]
        # Both records still exist apart; a consultant decides.
        assert (await status(client, stack, r1.json()["id"]))["kandidaat_id"] != r2.json()["kandidaat_id"]
        base = f"{stack.url('intake')}/api/v1/aanmeldingen"
        d = await client.post(
            f"{base}/{r2.json()['id']}/dubbelcontrole",
            json={"besluit": "dubbel", "toelichting": "zelfde persoon, tweede loket"},
            headers=stack.auth(DEN_HAAG),
        )
        assert d.status_code == 200 and d.json()["status"] == "vervallen"
        d = await client.post(
            f"{base}/{r3.json()['id']}/dubbelcontrole",
            json={"besluit": "geen_dubbel", "toelichting": "naamgenoot, andere persoon"},
            headers=stack.auth(DEN_HAAG),
        )
        assert d.status_code == 200 and d.json()["status"] in {"ontvangen", "toegewezen"}
        # Another organisation never sees the BSN.
        r = await client.get(f"{base}/{r1.json()['id']}", headers=stack.auth("gemeente-delft"))
        assert r.status_code == 404


async def test_screening_categories_override_and_per_gemeente_setting(stack: Stack) -> None:
    reader = await BusReader(stack.infra.kafka(WAARNEMER), [AANMELDINGEN.name, TOEWIJZINGEN.name]).start()
    vandaag = date.today()
    org = "gemeente-westland"
    async with httpx.AsyncClient(timeout=10) as client:
        # A gemeente that set nothing hands over categories 1 and 2.
        r = await client.get(
            f"{stack.url('intake')}/api/v1/gemeenten/GM0637/doorverwijzing", headers=stack.auth("gemeente-zoetermeer")
        )
        assert r.json() == {"categorieen": [1, 2]}
        r = await client.put(
            f"{stack.url('intake')}/api/v1/gemeenten/GM1783/doorverwijzing",
            json={"categorieen": [2, 1]},
            headers=stack.auth(org),
        )
        assert r.status_code == 200 and r.json() == {"categorieen": [1, 2]}
        moeilijk = profiel(
            gemeente="GM1783",
            postcode="2671 AA",
            opleidingsniveau="geen",
            taalniveau="a1",
            uren_per_week=8,
            werkervaring=[],
            werkloos_sinds=(vandaag - timedelta(days=4 * 365)).isoformat(),
        )
        r = await post(client, stack, moeilijk, org)
        a = r.json()
        assert a["categorie"] == 4 and a["status"] == "bij_gemeente"
        factoren = {f["factor"]: f for f in a["screening"]["factoren"]}
        assert set(factoren) == {
            "recente_werkervaring",
            "duur_werkloosheid",
            "opleiding",
            "taalniveau",
            "beschikbaarheid",
        }
        assert factoren["taalniveau"]["waarde"] == "a1" and factoren["taalniveau"]["score"] == 2
        assert a["screening"]["regelversie"] == "screening-v1" and a["screening"]["naar_uitzendbureau"] is False
        (gescreend,) = await reader.until(ce_type_is("KandidaatGescreend", a["kandidaat_id"]))
        assert data_of(gescreend)["categorie"] == 4
        middel = profiel(
            gemeente="GM1783",
            postcode="2671 AB",
            opleidingsniveau="mbo1",
            taalniveau="a2",
            uren_per_week=20,
            werkloos_sinds=(vandaag - timedelta(days=400)).isoformat(),
            werkervaring=[{"beroep": "9214", "van": "2019-01-01", "tot": (vandaag - timedelta(days=401)).isoformat()}],
        )
        m = (await post(client, stack, middel, org)).json()
        assert m["categorie"] == 3 and m["status"] == "bij_gemeente"
        # A consultant overrides with a reason: category 2 goes to an agency.
        r = await client.post(
            f"{stack.url('intake')}/api/v1/aanmeldingen/{m['id']}/categorie",
            json={"categorie": 2, "reden": "heeft net een taalcursus afgerond en is gemotiveerd"},
            headers=stack.auth(org),
        )
        assert r.status_code == 200 and r.json()["categorie"] == 2
        assert r.json()["screening"]["handmatig"] is True and r.json()["screening"]["reden"].startswith("heeft net")
        override = await reader.until(lambda rec: ce_type_is("KandidaatGescreend", m["kandidaat_id"])(rec), count=2)
        assert data_of(override[-1])["vorige_categorie"] == 3 and data_of(override[-1])["handmatig"] is True
        await reader.until(ce_type_is("KandidaatToegewezen", m["kandidaat_id"]))
        # The gemeente now hands categories 1-3 to agencies.
        r = await client.put(
            f"{stack.url('intake')}/api/v1/gemeenten/GM1783/doorverwijzing",
            json={"categorieen": [1, 2, 3]},
            headers=stack.auth(org),
        )
        assert r.status_code == 200
        drie = (await post(client, stack, {**middel, "postcode": "2671 AC"}, org)).json()
        assert drie["categorie"] == 3 and drie["status"] == "ontvangen"
        await reader.until(ce_type_is("KandidaatToegewezen", drie["kandidaat_id"]))
        # Category 4 still stays, and is never assigned.
        assert (await status(client, stack, a["id"], org))["status"] == "bij_gemeente"
        assert not [rec for rec in reader.records if ce_type_is("KandidaatToegewezen", a["kandidaat_id"])(rec)]
        r = await client.put(
            f"{stack.url('intake')}/api/v1/gemeenten/GM0518/doorverwijzing",
            json={"categorieen": [1]},
            headers=stack.auth(org),
        )
        assert r.status_code == 404  # another gemeente's setting
    await reader.stop()


async def _toegewezen(reader: BusReader, kandidaat: str) -> str:
    (rec,) = await reader.until(ce_type_is("KandidaatToegewezen", kandidaat))
    bureau: str = data_of(rec)["uitzendbureau"]
    return bureau


@dataclass
class Hertoewijzing:
    client: httpx.AsyncClient
    stack: Stack
    reader: BusReader
    org: str = "gemeente-rijswijk"

    @property
    def matching(self) -> str:
        return f"{self.stack.url('matching')}/api/v1"

    async def contact_voor(self, bureau: str, kandidaat: str) -> int:
        c = await self.client.get(
            f"{self.stack.url('intake')}/api/v1/kandidaten/{kandidaat}/contact", headers=self.stack.auth(bureau)
        )
        return c.status_code

    async def in_plaatsing(self, kandidaat: str, bureau: str) -> bool:
        r = await self.client.get(f"{self.stack.url('plaatsing')}/api/v1/kandidaten", headers=self.stack.auth(bureau))
        return any(k["kandidaat_id"] == kandidaat for k in r.json())

    async def eerste_contact(self, kandidaat: str, bureau: str) -> httpx.Response:
        return await self.client.post(
            f"{self.stack.url('plaatsing')}/api/v1/kandidaten/{kandidaat}/eerste-contact",
            json={"datum": date.today().isoformat()},
            headers=self.stack.auth(bureau),
        )

    async def toewijzing(self, kandidaat: str) -> dict[str, Any]:
        r = await self.client.get(f"{self.matching}/toewijzingen/{kandidaat}", headers=self.stack.auth(self.org))
        result: dict[str, Any] = r.json()
        return result


async def afwijzing(h: Hertoewijzing, kandidaat: str, bureau: str) -> str:
    """The agency declines: the candidate goes to another agency; the old one loses the contact data."""
    r = await h.client.post(
        f"{h.matching}/toewijzingen/{kandidaat}/afwijzing",
        json={"reden": "geen passende vacatures"},
        headers=h.stack.auth(bureau),
    )
    assert r.status_code == 200, r.text
    nieuw: str = r.json()["uitzendbureau"]
    assert nieuw not in (None, bureau) and r.json()["eerdere_uitzendbureaus"] == [bureau]
    assert r.json()["regelversie"] == "toewijzing-v2"
    assert {x["factor"] for x in r.json()["redenen"]} >= {"regio", "belasting"}
    (rec,) = await h.reader.until(ce_type_is("KandidaatHertoegewezen", kandidaat))
    assert data_of(rec)["aanleiding"] == "afgewezen" and data_of(rec)["vorig_uitzendbureau"] == bureau
    assert {x["factor"] for x in data_of(rec)["redenen"]} >= {"regio", "belasting"}

    await wait_for(lambda: _is(h.contact_voor(nieuw, kandidaat), 200), what="new agency sees contact data")
    await wait_for(lambda: h.in_plaatsing(kandidaat, nieuw), what="plaatsing to know the new agency")
    assert await h.contact_voor(bureau, kandidaat) == 404
    assert (await h.eerste_contact(kandidaat, bureau)).status_code == 404
    return nieuw


async def termijn_verlopen(h: Hertoewijzing, ids: list[str], met_contact: list[tuple[str, str]]) -> None:
    """First contact for the first two (the first by its new agency); none for the third: only it is reassigned."""
    for kandidaat, bureau in met_contact:
        await wait_for(lambda k=kandidaat, b=bureau: h.in_plaatsing(k, b), what="plaatsing to know the agency")
        r = await h.eerste_contact(kandidaat, bureau)
        assert r.status_code == 201, r.text

    async def contact_bekend() -> bool:
        return all([(await h.toewijzing(kandidaat))["eerste_contact_op"] is not None for kandidaat in ids[:2]])

    await wait_for(contact_bekend, what="matching to learn of first contact")
    termijn = date.fromisoformat((await h.toewijzing(ids[2]))["termijn_eerste_contact"])
    assert termijn >= date.today() + timedelta(days=7)  # five working days are at least a week
    controle, beheer = f"{h.matching}/beheer/termijncontrole", h.stack.auth("beheer")
    r = await h.client.post(controle, json={"peildatum": termijn.isoformat(), "gemeente": "GM0603"}, headers=beheer)
    assert not set(ids) & set(r.json()["hertoegewezen"])  # the last day of the term still counts
    dag_na = (termijn + timedelta(days=1)).isoformat()
    r = await h.client.post(controle, json={"peildatum": dag_na, "gemeente": "GM0603"}, headers=beheer)
    assert r.status_code == 200
    assert ids[2] in r.json()["hertoegewezen"] and not set(ids[:2]) & set(r.json()["hertoegewezen"])
    (rec,) = await h.reader.until(ce_type_is("KandidaatHertoegewezen", ids[2]))
    # The cause as a code; the reason in words stays in matching (its report of reassignments), not on the bus.
    assert data_of(rec)["aanleiding"] == "geen_eerste_contact" and "reden" not in data_of(rec)
    r = await h.client.post(controle, json={"peildatum": dag_na}, headers=h.stack.auth(h.org))
    assert r.status_code == 403


async def handmatig(h: Hertoewijzing, kandidaat: str) -> None:
    """A consultant reassigns by hand to a chosen agency, with a reason."""
    huidig = (await h.toewijzing(kandidaat))["uitzendbureau"]
    doel = next(
        b["code"]
        for b in (await h.client.get(f"{h.matching}/uitzendbureaus", headers=h.stack.auth(h.org))).json()
        if "haaglanden" in b["regios"] and b["code"] != huidig
    )
    r = await h.client.post(
        f"{h.matching}/toewijzingen/{kandidaat}/hertoewijzing",
        json={"reden": "kandidaat vraagt om bureau dichter bij huis", "uitzendbureau": doel},
        headers=h.stack.auth(h.org),
    )
    assert r.status_code == 200 and r.json()["uitzendbureau"] == doel
    r = await h.client.post(
        f"{h.matching}/toewijzingen/{kandidaat}/hertoewijzing",
        json={"reden": "probeer onbekend bureau", "uitzendbureau": "bestaat-niet"},
        headers=h.stack.auth(h.org),
    )
    assert r.status_code == 422 and r.json()["invalid_params"][0]["name"] == "uitzendbureau"


async def test_decline_deadline_and_manual_reassignment(stack: Stack) -> None:
    reader = await BusReader(stack.infra.kafka(WAARNEMER), [TOEWIJZINGEN.name]).start()
    async with httpx.AsyncClient(timeout=10) as client:
        h = Hertoewijzing(client, stack, reader)
        ids = []
        for i in range(3):
            r = await post(client, stack, profiel(gemeente="GM0603", postcode=f"228{i} AB"), h.org)
            assert r.status_code == 201, r.text
            ids.append(r.json()["kandidaat_id"])
        bureaus = [await _toegewezen(reader, k) for k in ids]

        nieuw = await afwijzing(h, ids[0], bureaus[0])
        await termijn_verlopen(h, ids, [(ids[0], nieuw), (ids[1], bureaus[1])])
        await handmatig(h, ids[1])

        # The report of reassignments shows all three, with cause and reason.
        r = await client.get(
            f"{h.matching}/hertoewijzingen", params={"gemeente": "GM0603"}, headers=stack.auth("programmamanager")
        )
        oorzaken = {(x["kandidaat_id"], x["aanleiding"]) for x in r.json() if x["kandidaat_id"] in ids}
        assert oorzaken == {(ids[0], "afgewezen"), (ids[2], "geen_eerste_contact"), (ids[1], "handmatig")}
        redenen = {x["kandidaat_id"]: x["reden"] for x in r.json() if x["kandidaat_id"] in ids}
        assert "5 werkdagen" in redenen[ids[2]] and "dichter bij huis" in redenen[ids[1]]
    await reader.stop()


async def test_a_candidate_never_goes_to_an_agency_that_does_not_serve_its_gemeente(stack: Stack) -> None:
    reader = await BusReader(stack.infra.kafka(WAARNEMER), [TOEWIJZINGEN.name]).start()
    rotterdam = "gemeente-rotterdam"
    matching = f"{stack.url('matching')}/api/v1"
    async with httpx.AsyncClient(timeout=10) as client:
        r = await client.get(f"{matching}/uitzendbureaus", headers=stack.auth(rotterdam))
        bureaus = {b["code"]: b for b in r.json()}
        # The only construction specialist of Rijnmond works in Schiedam and Vlaardingen, not in Rotterdam.
        bouw = bureaus["bouwkracht-zuidholland"]
        assert "GM0599" not in bouw["gemeenten"] and {"GM0606", "GM0622", "GM0518"} <= set(bouw["gemeenten"])
        assert bouw["doel"] == {"plaatsingen": 30, "periode": "2020-2021"}
        assert bureaus["maasvlakte-personeel"]["gemeenten"] == []
        assert [b for b, v in bureaus.items() if "rijnmond" in v["regios"] and "bouw" in v["sectoren"]] == [
            "bouwkracht-zuidholland"
        ]
        ids = []
        for i in range(3):
            body = profiel(
                gemeente="GM0599",
                postcode=f"30{21 + i} AB",
                wensberoepen=["7112", "7115"],
                werkervaring=[{"beroep": "7112", "van": "2012-04-01", "tot": "2025-01-31"}],
            )
            r = await post(client, stack, body, rotterdam)
            assert r.status_code == 201, r.text
            ids.append(r.json()["kandidaat_id"])
        for kandidaat in ids:
            (rec,) = await reader.until(ce_type_is("KandidaatToegewezen", kandidaat))
            event = data_of(rec)
            assert event["uitzendbureau"] != "bouwkracht-zuidholland"
            gebied = bureaus[event["uitzendbureau"]]["gemeenten"]
            assert not gebied or "GM0599" in gebied
            gemeente = next(x for x in event["redenen"] if x["factor"] == "gemeente")
            assert gemeente["waarde"].startswith("GM0599 (werkgebied: ")
            assert event["regelversie"] == "toewijzing-v2"
        # Nor by hand.
        r = await client.post(
            f"{matching}/toewijzingen/{ids[0]}/hertoewijzing",
            json={"reden": "kandidaat wil in de bouw", "uitzendbureau": "bouwkracht-zuidholland"},
            headers=stack.auth(rotterdam),
        )
        assert r.status_code == 422 and r.json()["invalid_params"][0]["name"] == "uitzendbureau"
        assert "GM0599" in r.json()["detail"]
        # Declined by its agency, the candidate moves on to another that serves Rotterdam, never the specialist.
        eerste = (await client.get(f"{matching}/toewijzingen/{ids[1]}", headers=stack.auth(rotterdam))).json()
        r = await client.post(
            f"{matching}/toewijzingen/{ids[1]}/afwijzing",
            json={"reden": "geen bouwvacatures"},
            headers=stack.auth(eerste["uitzendbureau"]),
        )
        assert r.status_code == 200, r.text
        assert r.json()["uitzendbureau"] not in ("bouwkracht-zuidholland", eerste["uitzendbureau"])
    await reader.stop()


async def _is(value: Any, expected: Any) -> bool:
    return bool(await value == expected)


async def test_bsn_never_leaves_intake(stack: Stack) -> None:
    bsns = [nieuw_bsn(), nieuw_bsn()]
    async with httpx.AsyncClient(timeout=10) as client:
        ids = []
        for bsn in bsns:
            r = await post(client, stack, profiel(bsn=bsn, geboortedatum="1969-02-03"))
            assert r.status_code == 201, r.text
            ids.append(r.json())
        # The gemeente's list shows the BSN only to the organisation that recorded it.
        lijst = (await client.get(f"{stack.url('intake')}/api/v1/aanmeldingen", headers=stack.auth(DEN_HAAG))).json()
        assert {a["bsn"] for a in lijst if a["id"] in {i["id"] for i in ids}} == set(bsns)
    reader = await BusReader(stack.infra.kafka(WAARNEMER), [t.name for t in ALL_TOPICS]).start(from_beginning=True)
    for a in ids:
        rec = await reader.until(ce_type_is("KandidaatToegewezen", a["kandidaat_id"]))
        assert rec
    (ontvangen,) = await reader.until(ce_type_is("AanmeldingOntvangen", ids[0]["kandidaat_id"]))
    # derived; the date of birth itself stays, and the doelgroepen travel encrypted for the person
    assert "50-plus" not in json.dumps(data_of(ontvangen))
    kenmerken = await geopend(stack.infra, ontvangen, Persoonskenmerken)
    assert kenmerken is not None and "50-plus" in kenmerken.doelgroepen
    await reader.stop()
    for record in reader.records:
        blob = (record.value or b"") + (record.key or b"") + b"".join(k.encode() + v for k, v in record.headers)
        for bsn in bsns:
            assert bsn.encode() not in blob, f"BSN found on {record.topic}"
        assert b"1969-02-03" not in blob
    engine = create_async_engine(stack.infra.database_url)
    try:
        async with engine.connect() as conn:
            tables = (
                await conn.execute(
                    text(
                        "SELECT table_schema, table_name FROM information_schema.tables "
                        "WHERE table_schema IN ('matching', 'plaatsing', 'rapportage')"
                    )
                )
            ).all()
            assert len(tables) >= 6
            for schema, table in tables:
                for bsn in bsns:
                    found = await conn.scalar(
                        text(f'SELECT count(*) FROM "{schema}"."{table}" t WHERE t::text LIKE :p'), {"p": f"%{bsn}%"}
                    )
                    assert found == 0, f"BSN in {schema}.{table}"
    finally:
        await engine.dispose()
    for service in ("matching", "plaatsing", "rapportage"):
        log = stack.services[service].log_file.read_text(errors="replace")
        assert all(bsn not in log for bsn in bsns)
