"""Werk naar werk end to end: surplus and shortages, explained proposals, competitor exclusion, a lending that
returns on its date, the report per sector pair, and a skills paspoort shared only with consent."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import httpx
import pytest
from werkkloket_contracts import WERK_NAAR_WERK
from werkkloket_deploy.bus.acls import WAARNEMER

from ..conftest import Stack
from .helpers import BusReader, ce_type_is, data_of, headers_of, wait_for

pytestmark = pytest.mark.integration

# A region of its own, so other tests (and the demo) do not change these figures.
REGIO, GEMEENTE = "drechtsteden", "GM0505"
HAVEN, ICT, CONCURRENT, LOGISTIEK = (
    "havenbedrijf-maasvlakte",
    "rijnmond-ict",
    "overslag-europoort",
    "logistiek-waalhaven",
)
WSP = "gemeente-rotterdam"
# Reads the region's werk naar werk exactly: its own region.
WSP_LEZER = "mobiliteitsteam-drechtsteden"
VANDAAG = date.today()
START = VANDAAG + timedelta(days=14)
TERUG = VANDAAG + timedelta(days=120)
PASPOORT_SKILL = "kraanmachinist-certificaat-tcvt"


async def melden(client: httpx.AsyncClient, stack: Stack, soort: str, org: str, **kw: Any) -> dict[str, Any]:
    body = {"arbeidsmarktregio": REGIO, "gemeente": GEMEENTE, "vanaf": (VANDAAG + timedelta(days=7)).isoformat(), **kw}
    r = await client.post(f"{stack.url('matching')}/api/v1/werk-naar-werk/{soort}", json=body, headers=stack.auth(org))
    assert r.status_code == 201, r.text
    result: dict[str, Any] = r.json()
    return result


@dataclass
class Scenario:
    client: httpx.AsyncClient
    stack: Stack
    reader: BusReader

    @property
    def wnw(self) -> str:
        return f"{self.stack.url('matching')}/api/v1/werk-naar-werk"


async def tekorten(sc: Scenario) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
    """Three shortages: IT, the competitor, and logistics reported by the WSP (which must name the employer)."""
    client, stack = sc.client, sc.stack
    ict = await melden(
        client, stack, "tekorten", ICT, sbi="6201", aantal=3, beroep="3512",
        skills=["SAP", "planning", "klantcontact"], uren_per_week=36, postcode="3311 AB",
    )  # fmt: skip
    concurrent = await melden(
        client, stack, "tekorten", CONCURRENT, sbi="5224", aantal=10, beroep="8343",
        skills=["vca"], uren_per_week=40, postcode="3199 KA",
    )  # fmt: skip
    logistiek = await melden(
        client, stack, "tekorten", WSP, werkgever=LOGISTIEK, sbi="4941", aantal=2, beroep="4321",
        skills=["sap", "heftruck"], uren_per_week=32, postcode="3313 AA",
    )  # fmt: skip
    assert logistiek["werkgever"] == LOGISTIEK
    # The WSP must name the employer it reports for.
    r = await client.post(
        f"{sc.wnw}/tekorten",
        json={"sbi": "4941", "arbeidsmarktregio": REGIO, "gemeente": GEMEENTE, "aantal": 1, "beroep": "4321",
              "uren_per_week": 32, "postcode": "3313 AA", "vanaf": VANDAAG.isoformat()},
        headers=stack.auth(WSP),
    )  # fmt: skip
    assert r.status_code == 422 and r.headers["content-type"].startswith("application/problem+json")
    assert [p["name"] for p in r.json()["invalid_params"]] == ["werkgever"]
    return ict, concurrent, logistiek


async def overschot_met_voorstellen(sc: Scenario) -> tuple[dict[str, Any], dict[str, dict[str, Any]]]:
    """The port's surplus: proposals to IT (a labelled sector move) and logistics, none to the competitor."""
    overschot = await melden(
        sc.client, sc.stack, "overschotten", HAVEN, sbi="5222", aantal=25, beroepen=["8343", "4321"],
        skills=["planning", "sap", "vca", "heftruck"], vanaf=VANDAAG.isoformat(), aard="structureel",
        uitlenen_toegestaan=True, uitlenen_tot=(VANDAAG + timedelta(days=365)).isoformat(),
        uitsluiting={"zelfde_branche": True},
    )  # fmt: skip
    voorstellen = {v["naar_werkgever"]: v for v in overschot["voorstellen"]}
    # The competitor (same SBI division 52) gets nobody, although it asks for the very same occupation.
    assert set(voorstellen) == {ICT, LOGISTIEK}
    naar_ict = voorstellen[ICT]
    assert naar_ict["sectoroverstap"] is True
    assert (naar_ict["van_sector"], naar_ict["naar_sector"]) == ("logistiek", "ict")
    factoren = {f["factor"]: f for f in naar_ict["factoren"]}
    assert set(factoren) == {"beroep", "skills", "regio", "beschikbaarheid", "omvang"}
    assert "sectoroverstap logistiek -> ict" in factoren["beroep"]["waarde"]
    assert factoren["skills"]["waarde"] == "2/3 gevraagde skills"
    assert naar_ict["vormen"] == ["overgang", "detachering"]
    assert voorstellen[LOGISTIEK]["sectoroverstap"] is False
    assert voorstellen[LOGISTIEK]["score"] > naar_ict["score"]
    return overschot, voorstellen


async def op_de_bus_en_per_werkgever(sc: Scenario, oid: str, tekorten: tuple[dict[str, Any], ...]) -> None:
    """On the bus: the reports and the proposals, keyed by their subject. An employer sees only its proposals."""
    ict, concurrent, logistiek = tekorten
    [gemeld] = await sc.reader.until(ce_type_is("OverschotGemeld", oid))
    assert gemeld.key == oid.encode() and data_of(gemeld)["uitsluiting"]["zelfde_branche"] is True
    bus = await sc.reader.until(ce_type_is("MobiliteitVoorgesteld", oid), count=2)
    assert {data_of(r)["tekort_id"] for r in bus} == {ict["id"], logistiek["id"]}
    assert all(r.key == oid.encode() for r in bus)
    for t in (ict, concurrent, logistiek):
        [rec] = await sc.reader.until(ce_type_is("TekortGemeld", t["id"]))
        assert rec.key == t["id"].encode()

    r = await sc.client.get(f"{sc.wnw}/voorstellen", headers=sc.stack.auth(CONCURRENT))
    assert r.status_code == 200 and r.json() == []
    r = await sc.client.get(f"{sc.wnw}/voorstellen", params={"overschot_id": oid}, headers=sc.stack.auth(ICT))
    assert [v["naar_werkgever"] for v in r.json()] == [ICT]


async def paspoort_met_toestemming(sc: Scenario, oid: str) -> str:
    """The skills paspoort: the worker's, shared only with consent. Its id."""
    client, stack = sc.client, sc.stack
    r = await client.post(
        f"{sc.wnw}/paspoorten",
        json={"overschot_id": oid, "skills": ["sap", "planning", PASPOORT_SKILL],
              "diplomas": [{"naam": "MBO Haven en vervoer", "niveau": "mbo3"}],
              "werkervaring": [{"beroep": "8343", "jaren": 12}]},
        headers=stack.auth(HAVEN),
    )  # fmt: skip
    assert r.status_code == 201, r.text
    paspoort, sleutel = r.json()["paspoort_id"], r.json()["werknemer_sleutel"]
    werknemer = {"X-Werknemer-Sleutel": sleutel}
    lees = f"{sc.wnw}/paspoorten/{paspoort}"
    r = await client.get(lees, headers=stack.auth(ICT))
    assert r.status_code == 404 and r.headers["content-type"].startswith("application/problem+json")
    assert PASPOORT_SKILL not in r.text
    r = await client.put(f"{lees}/toestemmingen/{ICT}", headers=stack.auth(HAVEN))
    assert r.status_code == 403  # the employer cannot consent for the worker
    r = await client.put(f"{lees}/toestemmingen/{ICT}", headers=werknemer)
    assert r.status_code == 204
    r = await client.get(lees, headers=stack.auth(ICT))
    assert r.status_code == 200 and PASPOORT_SKILL in r.json()["skills"] and "gedeeld_met" not in r.json()
    r = await client.get(lees, headers=stack.auth(LOGISTIEK))
    assert r.status_code == 404  # consent is per employer
    r = await client.get(lees, headers=werknemer)
    assert r.status_code == 200 and r.json()["gedeeld_met"] == [ICT]
    r = await client.delete(f"{lees}/toestemmingen/{ICT}", headers=werknemer)
    assert r.status_code == 204
    r = await client.get(lees, headers=stack.auth(ICT))
    assert r.status_code == 404
    return str(paspoort)


async def starten(sc: Scenario, voorstellen: dict[str, dict[str, Any]], paspoort: str) -> dict[str, Any]:
    """Moves: a lending needs a return date; then a lending to ICT and a transfer to logistics. The lending."""
    client, stack, naar_ict = sc.client, sc.stack, voorstellen[ICT]
    start = f"{sc.wnw}/voorstellen/{naar_ict['voorstel_id']}/start"
    r = await client.post(start, json={"vorm": "detachering", "startdatum": START.isoformat()}, headers=stack.auth(ICT))
    assert r.status_code == 422 and [p["name"] for p in r.json()["invalid_params"]] == ["terugkeerdatum"]
    r = await client.post(
        start,
        json={"vorm": "detachering", "startdatum": START.isoformat(), "terugkeerdatum": TERUG.isoformat(),
              "paspoort_id": paspoort},
        headers=stack.auth(ICT),
    )  # fmt: skip
    assert r.status_code == 201, r.text
    lening: dict[str, Any] = r.json()
    assert lening["status"] == "lopend" and lening["werknemer_id"] == paspoort
    r = await client.post(
        f"{sc.wnw}/voorstellen/{voorstellen[LOGISTIEK]['voorstel_id']}/start",
        json={"vorm": "overgang", "startdatum": START.isoformat()},
        headers=stack.auth(WSP),
    )
    assert r.status_code == 201, r.text
    r = await client.post(
        f"{sc.wnw}/voorstellen/{naar_ict['voorstel_id']}/start",
        json={"vorm": "overgang", "startdatum": START.isoformat()},
        headers=stack.auth(CONCURRENT),
    )
    assert r.status_code == 404  # not its proposal
    return lening


async def terugkeer(sc: Scenario, oid: str, lening: dict[str, Any]) -> None:
    """The return happens on its date, not before; the event carries the return date."""
    client, beheer = sc.client, sc.stack.auth("beheer")
    controle = f"{sc.wnw}/beheer/terugkeercontrole"
    r = await client.post(controle, json={"peildatum": (TERUG - timedelta(days=1)).isoformat()}, headers=beheer)
    assert r.status_code == 200 and lening["mobiliteit_id"] not in r.json()
    r = await client.post(controle, json={"peildatum": TERUG.isoformat()}, headers=beheer)
    assert r.status_code == 200 and lening["mobiliteit_id"] in r.json()
    [terug] = await sc.reader.until(ce_type_is("MobiliteitTeruggekeerd", oid))
    assert data_of(terug)["datum"] == TERUG.isoformat() and data_of(terug)["mobiliteit_id"] == lening["mobiliteit_id"]
    r = await client.get(f"{sc.wnw}/mobiliteiten/{lening['mobiliteit_id']}", headers=sc.stack.auth(HAVEN))
    assert r.json()["status"] == "teruggekeerd" and r.json()["teruggekeerd_op"] == TERUG.isoformat()


async def rapport_per_peildatum(sc: Scenario) -> None:
    """The report as of a date: lent out the day before the return date, returned on it."""
    client = sc.client
    rapport = f"{sc.stack.url('rapportage')}/api/v1/rapportage/werk-naar-werk"
    pm = sc.stack.auth(WSP_LEZER)

    async def teruggekeerd() -> dict[str, Any] | None:
        r = await client.get(rapport, params={"regio": REGIO, "peildatum": TERUG.isoformat()}, headers=pm)
        body: dict[str, Any] = r.json()
        return body if body["totaal"]["teruggekeerd"] == 1 else None

    op_de_dag = await wait_for(teruggekeerd, 30, "the return in the report")
    assert op_de_dag["totaal"]["gestart"] == 2 and op_de_dag["totaal"]["werkloosheid_voorkomen"] == 2
    paren = {(x["van_sector"], x["naar_sector"]): x for x in op_de_dag["per_regio_sectorpaar"]}
    assert set(paren) == {("logistiek", "ict"), ("administratie", "administratie")}
    assert (paren[("logistiek", "ict")]["detachering"], paren[("logistiek", "ict")]["teruggekeerd"]) == (1, 1)
    assert paren[("administratie", "administratie")]["overgegaan"] == 1
    assert op_de_dag["gemeld"] == {"overschot_mensen": 25, "tekort_plaatsen": 15, "voorstellen": 2}
    r = await client.get(
        rapport, params={"regio": REGIO, "peildatum": (TERUG - timedelta(days=1)).isoformat()}, headers=pm
    )
    ervoor = r.json()["totaal"]
    assert (ervoor["uitgeleend"], ervoor["teruggekeerd"], ervoor["overgegaan"]) == (1, 0, 1)
    r = await client.get(rapport, params={"regio": REGIO, "peildatum": VANDAAG.isoformat()}, headers=pm)
    assert r.json()["totaal"]["gestart"] == 0  # nobody has started yet today
    r = await client.get(f"{rapport}.csv", params={"regio": REGIO, "peildatum": TERUG.isoformat()}, headers=pm)
    assert r.status_code == 200 and "logistiek,ict" in r.text


async def test_surplus_to_shortages_lending_returns_and_report(stack: Stack) -> None:
    reader = await BusReader(stack.infra.kafka(WAARNEMER), [WERK_NAAR_WERK.name]).start()
    async with httpx.AsyncClient(timeout=30) as client:
        sc = Scenario(client, stack, reader)
        gemeld = await tekorten(sc)
        overschot, voorstellen = await overschot_met_voorstellen(sc)
        oid = overschot["id"]
        await op_de_bus_en_per_werkgever(sc, oid, gemeld)
        paspoort = await paspoort_met_toestemming(sc, oid)
        lening = await starten(sc, voorstellen, paspoort)
        await terugkeer(sc, oid, lening)
        await rapport_per_peildatum(sc)

    # The paspoort's own content never travels on the bus.
    await reader.poll()
    assert reader.records and not any(PASPOORT_SKILL.encode() in (rec.value or b"") for rec in reader.records)
    assert all(headers_of(rec)["ce_subject"] == rec.key.decode() for rec in reader.records if rec.key)
    await reader.stop()
