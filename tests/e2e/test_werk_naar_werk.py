"""Werk naar werk end to end: surplus and shortages, explained proposals, competitor exclusion, a lending that
returns on its date, the report per sector pair, and a skills paspoort shared only with consent."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
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
WSP = "gemeente-dordrecht"  # the werkgeversservicepunt of Drechtsteden
VANDAAG = date.today()
START = VANDAAG + timedelta(days=14)
TERUG = VANDAAG + timedelta(days=120)
PASPOORT_SKILL = "kraanmachinist-certificaat-tcvt"
ROTTERDAM, DEN_HAAG, TEAM = "gemeente-rotterdam", "gemeente-den-haag", "mobiliteitsteam-rijnmond"


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
    # Shared with two gemeenten: the WSP of the surplus's region reads it, Den Haag's (another region) does not.
    for wsp in (WSP, DEN_HAAG):
        r = await client.put(f"{lees}/toestemmingen/{wsp}", headers=werknemer)
        assert r.status_code == 204
    r = await client.get(lees, headers=stack.auth(WSP))
    assert r.status_code == 200 and PASPOORT_SKILL in r.json()["skills"]
    r = await client.get(lees, headers=stack.auth(DEN_HAAG))
    assert r.status_code == 404 and PASPOORT_SKILL not in r.text
    for wsp in (WSP, DEN_HAAG):
        r = await client.delete(f"{lees}/toestemmingen/{wsp}", headers=werknemer)
        assert r.status_code == 204
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
    pm = sc.stack.auth(WSP)  # its own region's figures: exact

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


def _problem(r: httpx.Response, status: int) -> dict[str, Any]:
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    body: dict[str, Any] = r.json()
    return body


@dataclass
class Regios:
    """Calls as one organisation or another, and what this test reported: a surplus in a region of its own."""

    client: httpx.AsyncClient
    stack: Stack
    eigen: str = field(default_factory=lambda: f"proefregio-{uuid.uuid4().hex[:8]}")
    skill: str = field(default_factory=lambda: f"gevelmetselwerk-{uuid.uuid4().hex[:6]}")

    async def post(self, pad: str, org: str, body: dict[str, Any]) -> httpx.Response:
        wnw = f"{self.stack.url('matching')}/api/v1/werk-naar-werk"
        return await self.client.post(f"{wnw}/{pad}", json=body, headers=self.stack.auth(org))

    async def get(self, pad: str, org: str) -> httpx.Response:
        wnw = f"{self.stack.url('matching')}/api/v1/werk-naar-werk"
        return await self.client.get(f"{wnw}/{pad}", headers=self.stack.auth(org))

    def tekort(self, **kw: Any) -> dict[str, Any]:
        vanaf = (VANDAAG + timedelta(days=7)).isoformat()
        return {"sbi": "4120", "aantal": 1, "beroep": "7112", "skills": [self.skill], "uren_per_week": 38,
                "vanaf": vanaf, "postcode": "3089 KM", **kw}  # fmt: skip


async def rotterdam_meldt_in_rijnmond(sc: Regios) -> str:
    """Rotterdam reports for an employer in Rijnmond, not in Haaglanden, nor with Den Haag's gemeente code; the
    mobility team reports nothing. The shortage's id."""
    in_rijnmond = sc.tekort(werkgever=LOGISTIEK, arbeidsmarktregio="rijnmond", gemeente="GM0599")
    r = await sc.post("tekorten", ROTTERDAM, in_rijnmond)
    assert r.status_code == 201, r.text
    elders = {**in_rijnmond, "arbeidsmarktregio": "haaglanden", "gemeente": "GM0518"}
    weigering = _problem(await sc.post("tekorten", ROTTERDAM, elders), 403)
    assert [p["name"] for p in weigering["invalid_params"]] == ["arbeidsmarktregio"]
    weigering = _problem(await sc.post("tekorten", ROTTERDAM, {**in_rijnmond, "gemeente": "GM0518"}), 403)
    assert [p["name"] for p in weigering["invalid_params"]] == ["gemeente"]
    _problem(await sc.post("tekorten", TEAM, in_rijnmond), 403)
    _problem(await sc.post("overschotten", TEAM, {**in_rijnmond, "aard": "tijdelijk", "beroepen": ["7112"]}), 403)
    tekort_id: str = r.json()["id"]
    return tekort_id


async def overschot_naar_twee_regios(sc: Regios, naar_rijnmond: str) -> tuple[str, str, str]:
    """A shortage in the test's own region, and a surplus there that may also go to Rijnmond: one proposal to
    Rijnmond, one within its own region. The surplus's id and the two proposals'."""
    r = await sc.post("tekorten", ICT, sc.tekort(arbeidsmarktregio=sc.eigen, gemeente="GM9998"))
    assert r.status_code == 201, r.text
    binnen_eigen = r.json()["id"]
    r = await sc.post("overschotten", "havenzorg-schiedam", {
        "sbi": "4120", "arbeidsmarktregio": sc.eigen, "gemeente": "GM9998", "aantal": 2, "beroepen": ["7112"],
        "skills": [sc.skill], "vanaf": VANDAAG.isoformat(), "aard": "tijdelijk", "regios": ["rijnmond"],
        "uitlenen_toegestaan": True,
    })  # fmt: skip
    assert r.status_code == 201, r.text
    per_tekort = {v["tekort_id"]: v["voorstel_id"] for v in r.json()["voorstellen"]}
    assert set(per_tekort) == {naar_rijnmond, binnen_eigen}
    return r.json()["id"], per_tekort[naar_rijnmond], per_tekort[binnen_eigen]


async def voorstellen_per_regio(sc: Regios, rijnmond: str, eigen: str) -> None:
    """Rotterdam and the team list the proposal to Rijnmond, Den Haag neither; none the other one."""

    async def lijst(org: str) -> set[str]:
        r = await sc.get("voorstellen", org)
        assert r.status_code == 200, r.text
        return {v["voorstel_id"] for v in r.json()}

    for org in (ROTTERDAM, TEAM):
        gezien = await lijst(org)
        assert rijnmond in gezien and eigen not in gezien, org
    assert not {rijnmond, eigen} & await lijst(DEN_HAAG)


async def mobiliteiten_per_regio(sc: Regios, rijnmond: str, eigen: str) -> None:
    """Only Rotterdam (of the gemeenten) starts the move to Rijnmond; the team reads it and ends nothing; the move
    within the other region is not found by either."""
    start = {"vorm": "overgang", "startdatum": START.isoformat()}
    _problem(await sc.post(f"voorstellen/{rijnmond}/start", DEN_HAAG, start), 404)
    _problem(await sc.post(f"voorstellen/{rijnmond}/start", TEAM, start), 403)
    _problem(await sc.post(f"voorstellen/{eigen}/start", ROTTERDAM, start), 404)
    r = await sc.post(f"voorstellen/{rijnmond}/start", ROTTERDAM, start)
    assert r.status_code == 201, r.text
    naar_rijnmond = r.json()["mobiliteit_id"]
    lening = {"vorm": "detachering", "startdatum": START.isoformat(), "terugkeerdatum": TERUG.isoformat()}
    r = await sc.post(f"voorstellen/{eigen}/start", ICT, lening)
    assert r.status_code == 201, r.text
    binnen_eigen = r.json()["mobiliteit_id"]

    for org, mobiliteit_id, status in (
        (ROTTERDAM, naar_rijnmond, 200),
        (TEAM, naar_rijnmond, 200),
        (DEN_HAAG, naar_rijnmond, 404),
        (TEAM, binnen_eigen, 404),
        (ROTTERDAM, binnen_eigen, 404),
    ):
        r = await sc.get(f"mobiliteiten/{mobiliteit_id}", org)
        assert r.status_code == status, (org, mobiliteit_id, r.text)
        if status == 200:
            assert r.json()["mobiliteit_id"] == mobiliteit_id
    einde = {"datum": START.isoformat(), "reden": "proef"}
    _problem(await sc.post(f"mobiliteiten/{naar_rijnmond}/beeindiging", DEN_HAAG, einde), 404)
    _problem(await sc.post(f"mobiliteiten/{naar_rijnmond}/beeindiging", TEAM, einde), 403)
    # Rotterdam ends the move to Rijnmond; the lent worker within the other region returns early.
    r = await sc.post(f"mobiliteiten/{naar_rijnmond}/beeindiging", ROTTERDAM, einde)
    assert r.status_code == 200 and (r.json()["status"], r.json()["beeindigd_op"]) == ("beeindigd", START.isoformat())
    _problem(await sc.post(f"mobiliteiten/{naar_rijnmond}/terugkeer", ROTTERDAM, {"datum": START.isoformat()}), 409)
    vroeg = START + timedelta(days=30)
    _problem(await sc.post(f"mobiliteiten/{binnen_eigen}/terugkeer", TEAM, {"datum": vroeg.isoformat()}), 403)
    r = await sc.post(f"mobiliteiten/{binnen_eigen}/terugkeer", ICT, {"datum": vroeg.isoformat()})
    assert r.status_code == 200, r.text
    assert (r.json()["status"], r.json()["teruggekeerd_op"]) == ("teruggekeerd", vroeg.isoformat())


async def test_a_gemeente_acts_in_its_own_regions_and_the_mobility_team_reads_its_own(stack: Stack) -> None:
    """Rotterdam's WSP reports and acts in Rijnmond only; Den Haag's does not see Rijnmond's proposals and moves;
    the Rijnmond mobility team reads them and nothing else. The surplus is in a region of this test's own (no
    gemeente of the platform), so the demo's figures and the Rijnmond report stay as they are; bricklayers with a
    skill nobody else asks for, so the demo's surplus and shortages get no proposal from them."""
    async with httpx.AsyncClient(timeout=30) as client:
        sc = Regios(client, stack)
        naar_rijnmond = await rotterdam_meldt_in_rijnmond(sc)
        overschot_id, rijnmond, eigen = await overschot_naar_twee_regios(sc, naar_rijnmond)
        await voorstellen_per_regio(sc, rijnmond, eigen)
        await mobiliteiten_per_regio(sc, rijnmond, eigen)
        # Den Haag draws up no paspoort for a surplus outside its regions: as unknown as one that does not exist.
        paspoort = {"skills": [sc.skill]}
        buiten = _problem(await sc.post("paspoorten", DEN_HAAG, {**paspoort, "overschot_id": overschot_id}), 422)
        onbekend = _problem(await sc.post("paspoorten", DEN_HAAG, {**paspoort, "overschot_id": str(uuid.uuid4())}), 422)
        assert buiten["invalid_params"] == onbekend["invalid_params"]
        assert [p["name"] for p in buiten["invalid_params"]] == ["overschot_id"]


async def test_a_worker_links_its_paspoort_to_its_login_and_shares_it_without_the_key(stack: Stack) -> None:
    wnw = f"{stack.url('matching')}/api/v1/werk-naar-werk"
    worker = {"Authorization": f"Bearer {stack.idp.identities.person_token('werknemer-demo')}"}
    other_worker = stack.auth("werknemer-demo")  # the same role, another login (its machine client)
    async with httpx.AsyncClient(timeout=15) as client:
        r = await client.post(f"{wnw}/paspoorten", json={"skills": [PASPOORT_SKILL]}, headers=stack.auth(HAVEN))
        assert r.status_code == 201, r.text
        paspoort, sleutel = r.json()["paspoort_id"], r.json()["werknemer_sleutel"]
        lees, koppel = f"{wnw}/paspoorten/{paspoort}", f"{wnw}/paspoorten/{paspoort}/werknemer"

        # Before the link a login alone is not the worker: the paspoort is as unknown as one that is not there.
        assert (await client.get(lees, headers=worker)).status_code == 404
        ja = {"toestemming": {"gegeven": True, "tekstversie": "2026.1"}}
        assert (await client.put(koppel, json=ja, headers=worker)).status_code == 403  # the key proves it is its own
        wrong = {**worker, "X-Werknemer-Sleutel": "wn_niet-de-sleutel"}
        assert (await client.put(koppel, json=ja, headers=wrong)).status_code == 403
        assert (await client.put(koppel, json=ja, headers={"X-Werknemer-Sleutel": sleutel})).status_code == 401
        # No link without the worker's consent.
        eigen = {**worker, "X-Werknemer-Sleutel": sleutel}
        nee = _problem(await client.put(koppel, json={"toestemming": {"gegeven": False}}, headers=eigen), 422)
        assert [p["name"] for p in nee["invalid_params"]] == ["toestemming.gegeven"]
        geen = _problem(await client.put(koppel, json={}, headers=eigen), 422)
        assert [p["name"] for p in geen["invalid_params"]] == ["toestemming"]
        assert (await client.put(koppel, json=ja, headers=eigen)).status_code == 204

        # Linked: the worker reads and shares it with its login only; another login cannot take it over.
        r = await client.get(lees, headers=worker)
        assert r.status_code == 200 and r.json()["skills"] == [PASPOORT_SKILL] and r.json()["gedeeld_met"] == []
        assert (await client.put(f"{lees}/toestemmingen/{ICT}", headers=worker)).status_code == 204
        assert (await client.get(lees, headers=stack.auth(ICT))).status_code == 200
        assert (await client.get(lees, headers=other_worker)).status_code == 404
        assert (await client.put(f"{lees}/toestemmingen/{LOGISTIEK}", headers=other_worker)).status_code == 403
        r = await client.put(koppel, json=ja, headers={**other_worker, "X-Werknemer-Sleutel": sleutel})
        assert r.status_code == 409
        assert (await client.delete(f"{lees}/toestemmingen/{ICT}", headers=worker)).status_code == 204
        assert (await client.get(lees, headers=stack.auth(ICT))).status_code == 404
        r = await client.get(lees, headers=worker)
        assert r.json()["gedeeld_met"] == []

        # The worker withdraws its consent for the paspoort: every employer loses it, and so does the login.
        assert (await client.put(f"{lees}/toestemmingen/{LOGISTIEK}", headers=worker)).status_code == 204
        assert (await client.delete(koppel, headers=other_worker)).status_code == 404
        r = await client.delete(koppel, headers=worker)
        assert r.status_code == 200 and r.json()["niet_meer_gedeeld_met"] == [LOGISTIEK], r.text
        assert (await client.get(lees, headers=stack.auth(LOGISTIEK))).status_code == 404
        assert (await client.get(lees, headers=worker)).status_code == 404
        assert (await client.delete(koppel, headers=worker)).status_code == 404
