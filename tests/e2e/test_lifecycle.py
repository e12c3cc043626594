"""The placement lifecycle, the durability follow-up and the reports, over the real broker and database."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from werkkloket_contracts import PLAATSINGEN
from werkkloket_deploy.bus.acls import WAARNEMER

from ..conftest import Stack
from .helpers import BusReader, ce_type_is, data_of, profiel, wait_for

pytestmark = pytest.mark.integration

PIJNACKER = "gemeente-pijnacker-nootdorp"  # this test's own gemeente


async def rapport(
    client: httpx.AsyncClient, stack: Stack, pad: str, als: str = PIJNACKER, **params: Any
) -> dict[str, Any]:
    """A report read as `als`: by default this test's own gemeente, whose figures are exact."""
    r = await client.get(f"{stack.url('rapportage')}/api/v1/rapportage/{pad}", params=params, headers=stack.auth(als))
    assert r.status_code == 200, r.text
    result: dict[str, Any] = r.json()
    return result


async def aangemeld_en_toegewezen(
    client: httpx.AsyncClient, stack: Stack, org: str, n: int, **body: Any
) -> list[dict[str, Any]]:
    aanmeldingen = []
    for _ in range(n):
        r = await client.post(
            f"{stack.url('intake')}/api/v1/aanmeldingen", json=profiel(**body), headers=stack.auth(org)
        )
        assert r.status_code == 201, r.text
        aanmeldingen.append(r.json())

    async def toegewezen() -> list[dict[str, Any]] | None:
        out = []
        for a in aanmeldingen:
            s = (
                await client.get(f"{stack.url('intake')}/api/v1/aanmeldingen/{a['id']}", headers=stack.auth(org))
            ).json()
            if s["status"] != "toegewezen":
                return None
            out.append(s)
        return out

    statuses = await wait_for(toegewezen, timeout=60, what="assignments")
    for s in statuses:

        async def bekend(s: dict[str, Any] = s) -> bool:
            r = await client.get(f"{stack.url('plaatsing')}/api/v1/kandidaten", headers=stack.auth(s["uitzendbureau"]))
            return any(k["kandidaat_id"] == s["kandidaat_id"] for k in r.json())

        await wait_for(bekend, what="plaatsing to know the candidate")
    return statuses


@dataclass
class Verloop:
    """The calls of this test: to plaatsing as the candidate's agency (or another), and rapportage's funnel."""

    client: httpx.AsyncClient
    stack: Stack

    async def post(self, k: dict[str, Any], pad: str, body: dict[str, Any], org: str | None = None) -> httpx.Response:
        return await self.client.post(
            f"{self.stack.url('plaatsing')}/api/v1/{pad}",
            json=body,
            headers=self.stack.auth(org or k["uitzendbureau"]),
        )

    async def funnel(self, **params: Any) -> dict[str, Any]:
        return await rapport(self.client, self.stack, "funnel", gemeente="GM1926", **params)


def kpad(k: dict[str, Any], stap: str) -> str:
    return f"kandidaten/{k['kandidaat_id']}/{stap}"


async def plaats_a(v: Verloop, a: dict[str, Any]) -> str:
    """A: contact, planned interview held with an offer, the offer, a placement with its contract details."""
    assert (await v.post(a, kpad(a, "eerste-contact"), {"datum": "2025-01-08"})).status_code == 201
    gepland = await v.post(a, kpad(a, "gesprekken/gepland"), {"werkgever": "Reinier de Graaf", "datum": "2025-01-15"})
    assert gepland.status_code == 201, gepland.text
    gehouden = await v.post(
        a, kpad(a, "gesprekken"), {"gesprek_id": gepland.json()["id"], "datum": "2025-01-15", "uitkomst": "aanbod"}
    )
    assert gehouden.status_code == 201, gehouden.text
    assert (
        await v.post(a, kpad(a, "aanbiedingen"), {"werkgever": "Reinier de Graaf", "datum": "2025-01-17"})
    ).status_code == 201
    geplaatst_a = await v.post(
        a,
        kpad(a, "plaatsingen"),
        {
            "werkgever": "Reinier de Graaf",
            "startdatum": "2025-02-01",
            "uren_per_week": 32,
            "contractvorm": "uitzend_fase_a",
            "sbi": "8610",
            "beroep": "5321",
        },
    )
    assert geplaatst_a.status_code == 201, geplaatst_a.text
    return str(geplaatst_a.json()["id"])


async def plaats_b_en_geef_c_terug(v: Verloop, a: dict[str, Any], b: dict[str, Any], c: dict[str, Any]) -> str:
    """B: placed too, but it ends within the first months. C: given back; nothing more may be recorded for it."""
    assert (await v.post(b, kpad(b, "eerste-contact"), {"datum": "2025-01-09"})).status_code == 201
    assert (
        await v.post(b, kpad(b, "gesprekken"), {"werkgever": "Hoogvliet", "datum": "2025-01-20"})
    ).status_code == 201
    geplaatst_b = await v.post(
        b, kpad(b, "plaatsingen"), {"werkgever": "Hoogvliet", "startdatum": "2025-02-01", "uren_per_week": 24}
    )
    plaatsing_b = str(geplaatst_b.json()["id"])
    afgewezen = await v.post(c, kpad(c, "afwijzing"), {"datum": "2025-01-10", "reden": "niet_bereikbaar"})
    assert afgewezen.status_code == 201, afgewezen.text
    r = await v.post(c, kpad(c, "eerste-contact"), {"datum": "2025-01-11"})
    assert r.status_code == 409 and r.headers["content-type"].startswith("application/problem+json")

    # Bad input names the field.
    r = await v.post(
        a,
        kpad(a, "plaatsingen"),
        {"werkgever": "X", "startdatum": "2025-02-01", "uren_per_week": 32, "contractvorm": "los"},
    )
    assert r.status_code == 422 and "contractvorm" in r.json()["detail"]
    return plaatsing_b


async def bevestig_en_beeindig_b(
    v: Verloop, bus: BusReader, a: dict[str, Any], b: dict[str, Any], plaatsing_b: str
) -> None:
    """Claims until the gemeente confirms both through intake; B's placement ends on 20 March."""
    client, stack = v.client, v.stack

    async def geclaimd() -> dict[str, Any] | None:
        f = await v.funnel(peildatum="2025-06-30")
        return f if f["totaal"]["geclaimd"] == 2 else None

    f = (await wait_for(geclaimd, what="two claimed placements"))["totaal"]
    assert (f["geplaatst"], f["duurzaam"]) == (0, 0)

    for k, bron in ((a, "uitkering_beeindigd"), (b, "kandidaat")):
        r = await client.post(
            f"{stack.url('intake')}/api/v1/kandidaten/{k['kandidaat_id']}/plaatsing-bevestiging",
            json={"bron": bron, "datum": "2025-02-20"},
            headers=stack.auth(PIJNACKER),
        )
        assert r.status_code == 201, r.text
    r = await client.post(
        f"{stack.url('intake')}/api/v1/kandidaten/{a['kandidaat_id']}/plaatsing-bevestiging",
        json={"bron": "uitkering_beeindigd", "datum": "2025-02-20"},
        headers=stack.auth("gemeente-delft"),
    )
    assert r.status_code == 404  # another gemeente's candidate
    other = "hofstad-uitzend" if b["uitzendbureau"] != "hofstad-uitzend" else "residentie-flex"
    einde = {"einddatum": "2025-03-20", "reden": "proeftijd"}
    r = await v.post(b, f"plaatsingen/{plaatsing_b}/beeindiging", einde, other)
    assert r.status_code == 404  # another agency's placement
    r = await v.post(b, f"plaatsingen/{plaatsing_b}/beeindiging", einde)
    assert r.status_code == 201, r.text
    gemist = await bus.until(lambda rec: ce_type_is("OpvolgingGemist", b["kandidaat_id"])(rec), count=3, timeout=30)
    assert sorted(data_of(g)["maanden"] for g in gemist) == [3, 6, 12]


async def opvolging_en_herinstroom_a(v: Verloop, bus: BusReader, a: dict[str, Any], plaatsing_a: str) -> None:
    """Follow-up tasks of A: due checkpoints only, confirmed on or after their date. Then A returns to bijstand
    on 15 July: the 6- and 12-month checkpoints are missed."""
    client, stack = v.client, v.stack
    r = await client.get(
        f"{stack.url('plaatsing')}/api/v1/opvolging",
        params={"tot": "2025-03-31"},
        headers=stack.auth(a["uitzendbureau"]),
    )
    taken = [t for t in r.json() if t["plaatsing_id"] == plaatsing_a]
    assert [(t["maanden"], t["mijlpaal"]) for t in taken] == [(1, "2025-03-01")]
    r = await v.post(a, f"plaatsingen/{plaatsing_a}/opvolging/3", {"datum": "2025-03-02"})
    assert r.status_code == 422
    r = await v.post(a, f"plaatsingen/{plaatsing_a}/opvolging/1", {"datum": "2025-03-03"})
    assert r.status_code == 201, r.text
    await bus.until(ce_type_is("OpvolgingBevestigd", a["kandidaat_id"]), timeout=30)

    r = await client.post(
        f"{stack.url('intake')}/api/v1/kandidaten/{a['kandidaat_id']}/herinstroom",
        json={"uitkering": "bijstand", "datum": "2025-07-15"},
        headers=stack.auth(PIJNACKER),
    )
    assert r.status_code == 201, r.text
    gemist_a = await bus.until(ce_type_is("OpvolgingGemist", a["kandidaat_id"]), count=2, timeout=30)
    assert sorted(data_of(g)["maanden"] for g in gemist_a) == [6, 12]


async def duurzaamheid(v: Verloop) -> None:
    async def herinstroom_verwerkt() -> dict[str, Any] | None:
        r = await rapport(v.client, v.stack, "duurzaamheid", gemeente="GM1926", peildatum="2025-12-31")
        return r if r["mijlpalen"][2]["beoordeelbaar"] == 2 and r["mijlpalen"][2]["duurzaam"] == 0 else None

    d = await wait_for(herinstroom_verwerkt, what="the herinstroom in the report")
    assert [(m["maanden"], m["beoordeelbaar"], m["duurzaam"]) for m in d["mijlpalen"]] == [
        (1, 2, 2),  # B's last day (20 March) is after its 1-month checkpoint (1 March)
        (3, 2, 1),
        (6, 2, 0),  # A returned to bijstand before 1 August
        (12, 0, 0),  # not yet a year since the start
    ]


async def funnel_per_peildatum(v: Verloop) -> None:
    """The funnel as of three peildata, per month and per doelgroep."""
    jan = (await v.funnel(peildatum="2025-01-31"))["totaal"]
    stappen = ("aangemeld", "volledig", "toegewezen", "eerste_contact", "gesprek", "geplaatst")
    assert {k: jan[k] for k in stappen} == {
        "aangemeld": 3, "volledig": 3, "toegewezen": 3, "eerste_contact": 2, "gesprek": 2, "geplaatst": 0,
    }  # fmt: skip
    assert (await v.funnel(peildatum="2025-01-05"))["totaal"]["aangemeld"] == 0
    juni = await v.funnel(peildatum="2025-06-30")
    t = juni["totaal"]
    assert (t["geplaatst"], t["duurzaam"], t["geclaimd"]) == (2, 1, 0)
    assert t["conversie"]["geplaatst->duurzaam"] == 0.5
    assert (await v.funnel(peildatum="2025-06-30", duurzaam_maanden=1))["totaal"]["duurzaam"] == 2
    assert (await v.funnel(peildatum="2025-12-31", duurzaam_maanden=6))["totaal"]["duurzaam"] == 0
    per_maand = await v.funnel(peildatum="2025-06-30", groepeer="maand")
    assert [(g["groep"], g["aangemeld"]) for g in per_maand["groepen"]] == [("2025-01", 3)]
    bijstand = await v.funnel(peildatum="2025-06-30", doelgroep="bijstand")
    assert bijstand["totaal"]["aangemeld"] == 3
    assert (await v.funnel(peildatum="2025-06-30", doelgroep="ww"))["totaal"]["aangemeld"] == 0


async def doorlooptijden_en_besparing(v: Verloop) -> None:
    # Times to contact and placement, in days from 6 January.
    dl = await rapport(v.client, v.stack, "doorlooptijden", gemeente="GM1926", peildatum="2025-06-30")
    assert dl["totaal"]["contact_aantal"] == 2 and dl["totaal"]["contact_p50"] == 2.5
    assert dl["totaal"]["plaatsing_p50"] == 26.0 and dl["totaal"]["plaatsing_p90"] == 26.0
    # C was given back four days after the assignment, within the contact deadline: no breach.
    assert dl["totaal"]["termijn_overschreden"] == 0
    assert dl["contacttermijn_dagen"] == 7

    # Benefits saved: A worked 1 Feb - 14 Jul (5 whole months), B 1 Feb - 20 Mar (1 month); both on bijstand.
    bs = await rapport(v.client, v.stack, "uitkeringsbesparing", gemeente="GM1926", peildatum="2025-12-31")
    assert bs["uitkeringsmaanden"] == 6 and bs["bedrag"] == "8072.70" and bs["schatting"] is True


async def csv_en_foute_parameters(v: Verloop) -> None:
    """Every table as CSV, with the same numbers; bad query parameters are problem+json naming the field."""
    client, rapportage, eigen = (
        v.client,
        f"{v.stack.url('rapportage')}/api/v1/rapportage",
        v.stack.auth(PIJNACKER),
    )
    r = await client.get(
        f"{rapportage}/funnel.csv", params={"gemeente": "GM1926", "peildatum": "2025-06-30"}, headers=eigen
    )
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(r.text)))
    totaal = next(row for row in rows if row["uitzendbureau"] == "totaal")
    assert (totaal["aangemeld"], totaal["geplaatst"], totaal["duurzaam"]) == ("3", "2", "1")
    for pad in (
        "doorlooptijden",
        "plaatsingen-per-maand",
        "duurzaamheid",
        "doelen-programmas",
        "doelen-uitzendbureaus",
        "uitkeringsbesparing",
    ):
        r = await client.get(
            f"{rapportage}/{pad}.csv", params={"gemeente": "GM1926", "peildatum": "2025-06-30"}, headers=eigen
        )
        assert r.status_code == 200 and len(r.text.splitlines()) >= 2, (pad, r.text)

    r = await client.get(f"{rapportage}/funnel", params={"peildatum": "gisteren", "duurzaam_maanden": 3}, headers=eigen)
    assert r.status_code == 422 and "peildatum" in r.json()["detail"]
    r = await client.get(f"{rapportage}/funnel", params={"duurzaam_maanden": 4}, headers=eigen)
    assert r.status_code == 422 and "duurzaam_maanden" in r.json()["detail"]


async def csv_rijen(v: Verloop, pad: str, als: str, **params: str) -> tuple[list[dict[str, str]], str]:
    r = await v.client.get(
        f"{v.stack.url('rapportage')}/api/v1/rapportage/{pad}.csv", params=params, headers=v.stack.auth(als)
    )
    assert r.status_code == 200, r.text
    return list(csv.DictReader(io.StringIO(r.text))), r.headers["x-werkkloket-onderdrukt"]


async def buiten_eigen_gemeente_onderdrukt(v: Verloop) -> None:
    """The same question read as the own gemeente is exact; read as the programme manager, another gemeente or
    UWV its counts of 1 to 4 persons are "<5" and what they would reveal "x", in JSON and in CSV. A mobility
    team reads its own region only, suppressed."""
    vraag = {"gemeente": "GM1926", "peildatum": "2025-06-30"}
    eigen = await rapport(v.client, v.stack, "funnel", **vraag)
    t = eigen["totaal"]
    assert (eigen["onderdrukt"], eigen["drempel"]) == (False, 5)
    assert (t["aangemeld"], t["geplaatst"], t["duurzaam"], t["conversie"]["geplaatst->duurzaam"]) == (3, 2, 1, 0.5)
    rijen, onderdrukt = await csv_rijen(v, "funnel", PIJNACKER, **vraag)
    totaal = next(row for row in rijen if row["uitzendbureau"] == "totaal")
    assert (totaal["aangemeld"], totaal["geplaatst"], onderdrukt) == ("3", "2", "false")
    zonder_filter = await rapport(v.client, v.stack, "funnel", peildatum="2025-06-30")
    assert zonder_filter["filters"] == {"gemeenten": "GM1926"} and zonder_filter["totaal"]["aangemeld"] == 3
    besparing = await rapport(v.client, v.stack, "uitkeringsbesparing", gemeente="GM1926", peildatum="2025-12-31")
    assert (besparing["personen"], besparing["uitkeringsmaanden"], besparing["bedrag"]) == (2, 6, "8072.70")

    for als in ("programmamanager", "gemeente-den-haag", "uwv"):
        f = await rapport(v.client, v.stack, "funnel", als=als, **vraag)
        t = f["totaal"]
        assert (f["onderdrukt"], f["drempel"]) == (True, 5), als
        assert (t["aangemeld"], t["toegewezen"], t["geplaatst"], t["duurzaam"], t["gesprek"]) == ("<5",) * 5, als
        assert t["geclaimd"] == 0 and set(t["conversie"].values()) == {"x"}, als
        assert {b["toegewezen"] for b in f["per_uitzendbureau"]} <= {"<5", "x", 0}, als
        rijen, onderdrukt = await csv_rijen(v, "funnel", als, **vraag)
        totaal = next(row for row in rijen if row["uitzendbureau"] == "totaal")
        assert (totaal["aangemeld"], totaal["geplaatst"], totaal["conversie geplaatst->duurzaam"]) == ("<5", "<5", "x")
        assert onderdrukt == "true", als
        dl = await rapport(v.client, v.stack, "doorlooptijden", als=als, **vraag)
        assert (dl["totaal"]["contact_aantal"], dl["totaal"]["contact_p50"], dl["totaal"]["plaatsing_p90"]) == (
            "<5",
            "x",
            "x",
        )
        d = await rapport(v.client, v.stack, "duurzaamheid", als=als, gemeente="GM1926", peildatum="2025-12-31")
        drie = next(m for m in d["mijlpalen"] if m["maanden"] == 3)
        assert (drie["beoordeelbaar"], drie["duurzaam"], drie["percentage"]) == ("<5", "<5", "x"), als
        bs = await rapport(v.client, v.stack, "uitkeringsbesparing", als=als, gemeente="GM1926", peildatum="2025-12-31")
        assert (bs["personen"], bs["uitkeringsmaanden"], bs["bedrag"], bs["onderdrukt"]) == ("<5", "x", "x", True)
        rijen, _ = await csv_rijen(v, "uitkeringsbesparing", als, gemeente="GM1926", peildatum="2025-12-31")
        assert (rijen[0]["personen"], rijen[0]["bedrag"]) == ("<5", "x"), als

    # A mobility team (Rijnmond) reads the funnel of its own region, suppressed; Pijnacker-Nootdorp lies in
    # Haaglanden: not found, as is any other region.
    team = "mobiliteitsteam-rijnmond"
    regio = await rapport(v.client, v.stack, "funnel", als=team, peildatum="2025-06-30")
    assert regio["onderdrukt"] is True and regio["filters"] == {"regio": "rijnmond"}
    for params in ({"gemeente": "GM1926"}, {"regio": "haaglanden"}):
        r = await v.client.get(
            f"{v.stack.url('rapportage')}/api/v1/rapportage/funnel", params=params, headers=v.stack.auth(team)
        )
        assert r.status_code == 404 and r.headers["content-type"] == "application/problem+json", params


async def test_lifecycle_confirmation_durability_and_report(stack: Stack) -> None:
    bus = await BusReader(stack.infra.kafka(WAARNEMER), [PLAATSINGEN.name]).start()
    async with httpx.AsyncClient(timeout=10) as client:
        a, b, c = await aangemeld_en_toegewezen(
            client, stack, PIJNACKER, 3, gemeente="GM1926", postcode="2641 AB", uitkering="bijstand",
            aanmelddatum="2025-01-06",
        )  # fmt: skip
        v = Verloop(client, stack)
        plaatsing_a = await plaats_a(v, a)
        plaatsing_b = await plaats_b_en_geef_c_terug(v, a, b, c)
        await bevestig_en_beeindig_b(v, bus, a, b, plaatsing_b)
        await opvolging_en_herinstroom_a(v, bus, a, plaatsing_a)
        await bus.stop()
        await duurzaamheid(v)
        await funnel_per_peildatum(v)
        await doorlooptijden_en_besparing(v)
        await csv_en_foute_parameters(v)
        await buiten_eigen_gemeente_onderdrukt(v)
