"""Demo: werk naar werk in Rijnmond, through the public HTTP APIs only.

A container terminal on the Maasvlakte has more people than work; an IT service company, a distribution centre and
a care group have too few. The WSP (gemeente Rotterdam) and the employers report it; matching proposes moves with
the reasons; some workers are lent out (and come back on their date), others transfer. The report shows the moves
per sector pair and how many people went from work to work without becoming unemployed.
"""

from __future__ import annotations

import asyncio
import random
import time
from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, TextIO

import httpx

from .demo_client import Client, Tokens

REGIO, GEMEENTE, WSP = "rijnmond", "GM0599", "gemeente-rotterdam"
HAVEN = "havenbedrijf-maasvlakte"
PEILDATUM_UITGELEEND = date(2026, 6, 30)
PEILDATUM = date(2026, 10, 31)

OVERSCHOT: dict[str, Any] = {
    "sbi": "5222",
    "aantal": 60,
    "beroepen": ["8343", "4321", "7233"],  # crane operators, stock clerks, machinery mechanics
    "skills": ["planning", "sap", "vca", "heftruck", "storingsanalyse", "plc"],
    "vanaf": "2026-01-05",
    "aard": "structureel",
    "uitlenen_toegestaan": True,
    "uitlenen_tot": "2026-12-31",
    "uitsluiting": {"zelfde_branche": True, "werkgevers": ["overslag-europoort"]},
}
# (employer, reported by, SBI, places, occupation, skills, hours, postcode)
Tekort = tuple[str, str, str, int, str, list[str], int, str]
TEKORTEN: tuple[Tekort, ...] = (
    ("rijnmond-ict", "rijnmond-ict", "6201", 8, "3512", ["sap", "planning", "klantcontact"], 36, "3011 AB"),
    ("rijnmond-ict", "rijnmond-ict", "6201", 4, "3513", ["plc", "storingsanalyse", "netwerken"], 36, "3011 AB"),
    ("logistiek-waalhaven", WSP, "4941", 10, "4321", ["sap", "heftruck"], 32, "3089 KM"),
    ("logistiek-waalhaven", WSP, "4941", 12, "8344", ["heftruck", "vca"], 38, "3089 KM"),
    ("havenzorg-schiedam", WSP, "8710", 6, "5321", ["zorg", "tillen", "medicatie", "rapporteren"], 28, "3111 AA"),
    ("overslag-europoort", "overslag-europoort", "5224", 15, "8343", ["vca", "kraan"], 40, "3198 LB"),
)
# How many workers start per shortage occupation, and as what.
STARTS: dict[str, tuple[int, str]] = {"3512": (6, "detachering"), "3513": (3, "overgang"), "4321": (7, "overgang"),
                                      "8344": (8, "overgang")}  # fmt: skip


async def _rapport(d: Client, peildatum: date) -> dict[str, Any]:
    # The WSP's gemeente reads its own arbeidsmarktregio exactly.
    return await d.rapport("werk-naar-werk", WSP, regio=REGIO, peildatum=peildatum.isoformat())


def _totaal(r: dict[str, Any]) -> dict[str, int]:
    keys = ("gestart", "overgang", "detachering", "uitgeleend", "teruggekeerd", "werkloosheid_voorkomen")
    return {k: int(r["totaal"][k]) for k in keys}


async def _tekort(d: Client, overschot_id: str, tekort: Tekort, out: TextIO) -> dict[str, Any] | None:
    """Report one shortage; matching's proposal from this scenario's surplus, if any, with its factors."""
    werkgever, door, sbi, aantal, beroep, skills, uren, postcode = tekort
    body = {
        "sbi": sbi, "arbeidsmarktregio": REGIO, "gemeente": GEMEENTE, "aantal": aantal, "beroep": beroep,
        "skills": skills, "uren_per_week": uren, "postcode": postcode, "vanaf": "2026-02-02",
    }  # fmt: skip
    if door != werkgever:
        body["werkgever"] = werkgever  # the WSP reports for the employer
    t = await d.call("POST", "matching", "/api/v1/werk-naar-werk/tekorten", door, json=body)
    eigen = [v for v in t["voorstellen"] if v["overschot_id"] == overschot_id]
    out.write(f"tekort {werkgever} ({sbi}), {aantal}x {beroep}: ")
    if not eigen:
        out.write("geen voorstel (concurrent uitgesloten, of te weinig skills-overlap)\n")
        return None
    v: dict[str, Any] = eigen[0]
    label = "  [sectoroverstap]" if v["sectoroverstap"] else ""
    out.write(f"voorstel {v['van_sector']} -> {v['naar_sector']}, score {v['score']:.2f}{label}\n")
    for f in v["factoren"]:
        out.write(f"       {f['factor']:<16} {f['score']:.3f}  {f['waarde']}\n")
    return v


async def _meld(d: Client, out: TextIO) -> tuple[str, dict[str, dict[str, Any]]]:
    """The surplus and the shortages: the surplus' id, and the proposal per shortage occupation."""
    o = await d.call(
        "POST",
        "matching",
        "/api/v1/werk-naar-werk/overschotten",
        WSP,
        json={**OVERSCHOT, "werkgever": HAVEN, "arbeidsmarktregio": REGIO, "gemeente": GEMEENTE},
    )
    out.write(f"\nWerk naar werk, Rijnmond: overschot bij {HAVEN}, {OVERSCHOT['aantal']} mensen\n")
    per_beroep: dict[str, dict[str, Any]] = {}
    for tekort in TEKORTEN:
        voorstel = await _tekort(d, o["id"], tekort, out)
        if voorstel is not None:
            per_beroep[tekort[4]] = voorstel
    return str(o["id"]), per_beroep


async def _paspoort(d: Client, overschot_id: str, out: TextIO) -> str:
    p = await d.call(
        "POST", "matching", "/api/v1/werk-naar-werk/paspoorten", HAVEN,
        json={"overschot_id": overschot_id, "skills": ["sap", "planning", "klantcontact"],
              "diplomas": [{"naam": "MBO Logistiek Medewerker", "niveau": "mbo3"}],
              "werkervaring": [{"beroep": "4321", "jaren": 9}]},
    )  # fmt: skip
    out.write(f"skills paspoort {p['paspoort_id']} (alleen gedeeld met toestemming van de werknemer)\n")
    return str(p["paspoort_id"])


async def _start(
    d: Client, rng: random.Random, overschot_id: str, per_beroep: dict[str, dict[str, Any]], out: TextIO
) -> Counter[str]:
    """Workers start: lendings with a return date, and transfers; a skills paspoort for one of them. Then the
    lendings come back on their return date (before PEILDATUM): beheer runs the check now."""
    driven: Counter[str] = Counter()
    for beroep, (n, vorm) in STARTS.items():
        v = per_beroep[beroep]
        for i in range(n):
            start = date(2026, 2, 2) + timedelta(days=rng.randint(0, 40))
            body = {"vorm": vorm, "startdatum": start.isoformat()}
            if vorm == "detachering":
                body["terugkeerdatum"] = (start + timedelta(days=180)).isoformat()
                if i == 0:
                    body["paspoort_id"] = await _paspoort(d, overschot_id, out)
            pad = f"/api/v1/werk-naar-werk/voorstellen/{v['voorstel_id']}/start"
            await d.call("POST", "matching", pad, v["naar_werkgever"], json=body)
            driven.update(["gestart", vorm, "werkloosheid_voorkomen"])
    await d.call("POST", "matching", "/api/v1/werk-naar-werk/beheer/terugkeercontrole", "beheer", json={})
    driven["teruggekeerd"] = driven["detachering"]
    return driven


@dataclass
class _Stand:
    """The report at both peildata, and what changed since the scenario began."""

    na: dict[str, Any]
    na_uitgeleend: dict[str, Any]
    delta: dict[str, int]
    delta_uitgeleend: dict[str, int]
    verwacht: dict[str, int]
    verwacht_uitgeleend: dict[str, int]

    @property
    def ok(self) -> bool:
        return self.delta == self.verwacht and self.delta_uitgeleend == self.verwacht_uitgeleend


async def _wacht(d: Client, voor: dict[str, Any], voor_uitgeleend: dict[str, Any], driven: Counter[str]) -> _Stand:
    """Read the report until it shows what the scenario did, or two minutes passed."""
    verwacht_uitgeleend = {"uitgeleend": driven["detachering"], "teruggekeerd": 0}
    deadline = time.monotonic() + 120
    while True:
        na, na_uitgeleend = await _rapport(d, PEILDATUM), await _rapport(d, PEILDATUM_UITGELEEND)
        delta = {k: _totaal(na)[k] - _totaal(voor)[k] for k in _totaal(na)}
        delta_uitgeleend = {k: _totaal(na_uitgeleend)[k] - _totaal(voor_uitgeleend)[k] for k in verwacht_uitgeleend}
        verwacht = {k: driven.get(k, 0) for k in delta}
        stand = _Stand(na, na_uitgeleend, delta, delta_uitgeleend, verwacht, verwacht_uitgeleend)
        if stand.ok or time.monotonic() > deadline:
            return stand
        await asyncio.sleep(0.5)


def _toon(stand: _Stand, out: TextIO) -> None:
    na, na_uitgeleend = stand.na, stand.na_uitgeleend
    out.write(f"\nRapportage werk naar werk, {REGIO}, peildatum {PEILDATUM.isoformat()} (rapportage API)\n")
    out.write(f"{'van -> naar':<32}{'gestart':>9}{'overgang':>10}{'detachering':>13}{'teruggekeerd':>14}\n")
    for r in na["per_regio_sectorpaar"]:
        paar = f"{r['van_sector']} -> {r['naar_sector']}"
        out.write(f"{paar:<32}{r['gestart']:>9}{r['overgang']:>10}{r['detachering']:>13}{r['teruggekeerd']:>14}\n")
    out.write(f"werkloosheid voorkomen: {na['totaal']['werkloosheid_voorkomen']} mensen van werk naar werk\n")
    out.write(
        f"peildatum {PEILDATUM_UITGELEEND.isoformat()}: {na_uitgeleend['totaal']['uitgeleend']} uitgeleend, "
        f"{na_uitgeleend['totaal']['teruggekeerd']} teruggekeerd\n"
    )


async def run(urls: dict[str, str], tokens: Tokens, seed: int, out: TextIO) -> bool:
    rng = random.Random(seed)
    t0 = time.monotonic()
    async with httpx.AsyncClient(timeout=60) as http:
        d = Client(http, urls, tokens)
        voor, voor_uitgeleend = await _rapport(d, PEILDATUM), await _rapport(d, PEILDATUM_UITGELEEND)
        overschot_id, per_beroep = await _meld(d, out)
        driven = await _start(d, rng, overschot_id, per_beroep, out)
        stand = await _wacht(d, voor, voor_uitgeleend, driven)
    _toon(stand, out)
    out.write(
        f"\nscenario rijnmond ({time.monotonic() - t0:.0f}s): {dict(stand.verwacht)}\nrapportage: {stand.delta}\n"
        + ("het rapport is gelijk aan wat het scenario deed\n" if stand.ok else "VERSCHIL tussen rapport en scenario\n")
    )
    return stand.ok
