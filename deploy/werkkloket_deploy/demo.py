"""Demo scenarios, driven only through the public HTTP APIs, with synthetic but realistic data."""

from __future__ import annotations

import asyncio
import random
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, TextIO

import httpx

from . import demo_werknaarwerk
from .demo_client import Client, Tokens, gather_limited
from .identities import all_identities

VOORNAMEN = (
    "Sanne", "Mohamed", "Daan", "Fatima", "Lucas", "Emma", "Yusuf", "Julia", "Thijs", "Sara", "Bram", "Noa",
    "Mehmet", "Lotte", "Kevin", "Anouk", "Rachid", "Iris", "Sven", "Priya", "Joost", "Esra", "Ruben", "Naima",
)  # fmt: skip
ACHTERNAMEN = (
    "de Jong", "Jansen", "de Vries", "van den Berg", "van Dijk", "Bakker", "Janssen", "Visser", "Smit", "Meijer",
    "Yilmaz", "El Amrani", "de Boer", "Mulder", "de Groot", "Bos", "Vos", "Peters", "Hendriks", "Kaya", "Dekker",
)  # fmt: skip
# ISCO-08 unit groups that people in the Den Haag Werkkloket asked for, with rough weights.
WENSBEROEPEN = (
    ("4110", 14), ("4222", 6), ("5120", 8), ("5131", 7), ("5223", 9), ("5414", 6), ("9112", 8), ("8322", 5),
    ("9333", 8), ("9321", 4), ("5321", 6), ("7126", 3), ("7411", 3), ("2512", 2), ("3341", 4), ("4321", 7),
)  # fmt: skip
# Employers with their SBI 2008 sector code.
WERKGEVERS = (
    ("HMC Westeinde", "8610"), ("Gemeente Den Haag", "8411"), ("Haagse Hogeschool", "8542"),
    ("PostNL Den Haag", "5310"), ("Albert Heijn Laakkwartier", "4711"), ("Securitas Haaglanden", "8010"),
    ("CSU Schoonmaak", "8121"), ("Kurhaus Scheveningen", "5510"), ("Hoogvliet Distributiecentrum", "5210"),
    ("HTM", "4931"),
)  # fmt: skip
WERKGEVERS_LEKSTROOM = (
    ("St. Antonius Ziekenhuis", "8610"), ("Gemeente Nieuwegein", "8411"), ("Jumbo Distributiecentrum", "5210"),
    ("Vebego Schoonmaak", "8121"), ("Van der Valk Nieuwegein", "5510"), ("Rhenus Logistics", "5229"),
    ("Zorgcentrum Lekstede", "8710"), ("Coca-Cola Europacific Partners", "1107"), ("Albert Heijn Houten", "4711"),
)  # fmt: skip
CONTRACTVORMEN = (
    "uitzend_fase_a",
    "uitzend_fase_a",
    "uitzend_fase_a",
    "uitzend_fase_b",
    "detachering",
    "tijdelijk",
    "vast",
)


@dataclass(frozen=True)
class Scenario:
    naam: str
    gemeente_org: str
    gemeente: str
    regio: str
    postcodes: tuple[int, int]
    werkgevers: tuple[tuple[str, str], ...]
    peildatum: date


HAAGLANDEN = Scenario(
    "haaglanden", "gemeente-den-haag", "GM0518", "haaglanden", (2491, 2599), WERKGEVERS, date(2020, 12, 31)
)
LEKSTROOM = Scenario(
    "lekstroom", "wil-lekstroom", "GM0356", "midden-utrecht", (3430, 3439), WERKGEVERS_LEKSTROOM, date(2018, 6, 30)
)


def profiel(rng: random.Random, s: Scenario, aanmelddatum: date) -> dict[str, Any]:
    codes, weights = zip(*WENSBEROEPEN, strict=True)
    wens = rng.choices(codes, weights=weights, k=rng.randint(1, 3))
    wens = list(dict.fromkeys(wens))
    # The Werkkloket is for people close to work: recently out of a job (screening category 1 or 2).
    werkloos = aanmelddatum - timedelta(days=rng.randint(20, 150))
    start = werkloos - timedelta(days=365 * rng.randint(1, 8))
    body: dict[str, Any] = {
        "naam": f"{rng.choice(VOORNAMEN)} {rng.choice(ACHTERNAMEN)}",
        "telefoon": f"06{rng.randint(10000000, 99999999)}",
        "email": f"kandidaat{rng.randint(100000, 999999)}@voorbeeld.nl",
        "postcode": f"{rng.randint(*s.postcodes)} {rng.choice('ABCDEGHJKLMNPRSTVWXZ')}{rng.choice('ABCEHJKLNPRSTVXZ')}",
        "gemeente": s.gemeente,
        "opleidingsniveau": rng.choice(["vo", "mbo1", "mbo2", "mbo2", "mbo3", "mbo4", "hbo", "wo"]),
        "werkervaring": [
            {"beroep": rng.choice(codes), "van": start.isoformat(), "tot": (werkloos - timedelta(days=1)).isoformat()}
        ],
        "wensberoepen": wens,
        "werkloos_sinds": werkloos.isoformat(),
        "taalniveau": rng.choice(["b1", "b2", "c1"]),
        "uren_per_week": rng.choice([24, 32, 36, 38]),
        "uitkering": rng.choice(["ww", "bijstand", "bijstand", "bijstand", "geen"]),
        "aanmelddatum": aanmelddatum.isoformat(),
        "toestemming": {
            "gegeven_op": f"{aanmelddatum.isoformat()}T09:30:00+01:00",
            "door": f"consulent {s.gemeente_org}",
            "doel": "bemiddeling naar werk via een deelnemend uitzendbureau",
        },
    }
    if rng.random() < 0.12:  # some arrive without a complete profile
        body["werkervaring"] = []
    return body


def _dag(rng: random.Random, van: date, tot: date) -> date:
    return van + timedelta(days=rng.randint(0, max(0, (tot - van).days)))


async def registreer(c: Client, s: Scenario, bodies: list[dict[str, Any]], out: TextIO) -> list[dict[str, Any]]:
    """Register, then wait until matching decided on each and plaatsing knows the assignment."""
    t0 = time.monotonic()
    aanmeldingen = await gather_limited(
        8, [c.call("POST", "intake", "/api/v1/aanmeldingen", s.gemeente_org, json=b) for b in bodies]
    )
    deadline = time.monotonic() + 180
    while True:
        statuses = await gather_limited(
            16, [c.call("GET", "intake", f"/api/v1/aanmeldingen/{a['id']}", s.gemeente_org) for a in aanmeldingen]
        )
        if all(st["status"] != "ontvangen" for st in statuses):
            break
        if time.monotonic() > deadline:
            raise RuntimeError("not every aanmelding was decided on within 180s")
        await asyncio.sleep(0.5)
    per_bureau = Counter(st["uitzendbureau"] for st in statuses if st["uitzendbureau"])
    out.write(
        f"{len(aanmeldingen)} aanmeldingen geregistreerd bij {s.gemeente_org}, toegewezen aan {len(per_bureau)} "
        f"uitzendbureaus ({time.monotonic() - t0:.1f}s): "
        + ", ".join(f"{b} {n}" for b, n in sorted(per_bureau.items()))
        + "\n"
    )
    for bureau in per_bureau:
        mine = {st["kandidaat_id"] for st in statuses if st["uitzendbureau"] == bureau}
        until = time.monotonic() + 60
        while True:
            known = {k["kandidaat_id"] for k in await c.call("GET", "plaatsing", "/api/v1/kandidaten", bureau)}
            if mine <= known or time.monotonic() > until:
                break
            await asyncio.sleep(0.3)
    return [dict(st, aanmelddatum=b["aanmelddatum"]) for st, b in zip(statuses, bodies, strict=True)]


def _kpad(k: dict[str, Any], stap: str) -> str:
    return f"/api/v1/kandidaten/{k['kandidaat_id']}/{stap}"


async def contact(c: Client, k: dict[str, Any], datum: date) -> None:
    await c.call("POST", "plaatsing", _kpad(k, "eerste-contact"), k["uitzendbureau"], json={"datum": datum.isoformat()})


async def gesprek(c: Client, k: dict[str, Any], werkgever: str, datum: date, uitkomst: str) -> None:
    body = {"werkgever": werkgever, "datum": datum.isoformat(), "uitkomst": uitkomst}
    await c.call("POST", "plaatsing", _kpad(k, "gesprekken"), k["uitzendbureau"], json=body)


def plaatsing_body(rng: random.Random, s: Scenario, k: dict[str, Any], start: date) -> dict[str, Any]:
    werkgever, sbi = rng.choice(s.werkgevers)
    return {
        "werkgever": werkgever,
        "sbi": sbi,
        "startdatum": start.isoformat(),
        "uren_per_week": rng.choice([16, 24, 24, 32, 32, 36, 38, 40]),
        "contractvorm": rng.choice(CONTRACTVORMEN),
        "beroep": rng.choice(k["wensberoepen"]),
    }


async def plaatsing(c: Client, k: dict[str, Any], body: dict[str, Any]) -> str:
    result = await c.call("POST", "plaatsing", _kpad(k, "plaatsingen"), k["uitzendbureau"], json=body)
    return str(result["id"])


async def bevestig(c: Client, s: Scenario, k: dict[str, Any], datum: date) -> None:
    body = {"bron": "uitkering_beeindigd", "datum": datum.isoformat()}
    await c.call("POST", "intake", _kpad(k, "plaatsing-bevestiging"), s.gemeente_org, json=body)


def _na(d: str | date, rng: random.Random, van: int, tot: int) -> date:
    basis = date.fromisoformat(d) if isinstance(d, str) else d
    return basis + timedelta(days=rng.randint(van, tot))


async def haaglanden(c: Client, rng: random.Random, s: Scenario, out: TextIO) -> dict[str, int]:
    """Werkkloket Den Haag from October 2020; by the end of December: 235 registered, 95 interviewed, 5 in work."""
    bodies = [profiel(rng, s, _dag(rng, date(2020, 10, 5), date(2020, 12, 11))) for _ in range(235)]
    kandidaten = await registreer(c, s, bodies, out)
    toegewezen = [k for k in kandidaten if k["uitzendbureau"]]
    rng.shuffle(toegewezen)
    for k, b in zip(kandidaten, bodies, strict=True):
        k["wensberoepen"] = b["wensberoepen"]
    contact_ = toegewezen[:160]
    contactdata = {k["kandidaat_id"]: _na(k["aanmelddatum"], rng, 1, 12) for k in contact_}
    await gather_limited(8, [contact(c, k, contactdata[k["kandidaat_id"]]) for k in contact_])
    # 95 interviewed by 31 December; 40 more in January (after the first peildatum).
    gesprek_ = contact_[:135]
    gesprekdata = {
        k["kandidaat_id"]: (
            min(_na(contactdata[k["kandidaat_id"]], rng, 3, 25), s.peildatum)
            if i < 95
            else _dag(rng, date(2021, 1, 4), date(2021, 1, 29))
        )
        for i, k in enumerate(gesprek_)
    }
    await gather_limited(
        8,
        [
            gesprek(
                c, k, rng.choice(s.werkgevers)[0], gesprekdata[k["kandidaat_id"]], rng.choice(["aanbod", "in_beraad"])
            )
            for k in gesprek_
        ],
    )
    # 5 started work in December and were confirmed by the gemeente before the year's end; 25 more early 2021.
    geplaatst = gesprek_[:5] + gesprek_[95:120]

    # Every random draw happens here, in order, so the seed alone decides the data.
    plannen = []
    for i, k in enumerate(geplaatst):
        g = gesprekdata[k["kandidaat_id"]]
        start = _dag(rng, max(g, date(2020, 12, 1)), date(2020, 12, 21)) if i < 5 else _na(g, rng, 7, 21)
        bevestigd = min(_na(start, rng, 3, 9), s.peildatum) if i < 5 else _na(start, rng, 7, 20)
        plannen.append((k, plaatsing_body(rng, s, k, start), bevestigd))

    async def plaats(k: dict[str, Any], body: dict[str, Any], bevestigd: date) -> None:
        await plaatsing(c, k, body)
        await bevestig(c, s, k, bevestigd)

    await gather_limited(8, [plaats(*plan) for plan in plannen])
    return {"aangemeld": 235, "gesprek": 95, "geplaatst": 5}


async def lekstroom(c: Client, rng: random.Random, s: Scenario, out: TextIO) -> dict[str, int]:
    """WIL Lekstroom with Timing, 2017: 160 people into work, 88 of them (55%) still at work after three months."""
    bodies = [profiel(rng, s, _dag(rng, date(2016, 11, 1), date(2017, 11, 15))) for _ in range(230)]
    kandidaten = await registreer(c, s, bodies, out)
    for k, b in zip(kandidaten, bodies, strict=True):
        k["wensberoepen"] = b["wensberoepen"]
    toegewezen = [k for k in kandidaten if k["uitzendbureau"]]
    rng.shuffle(toegewezen)
    contact_ = toegewezen[:215]
    contactdata = {k["kandidaat_id"]: _na(k["aanmelddatum"], rng, 0, 6) for k in contact_}
    await gather_limited(8, [contact(c, k, contactdata[k["kandidaat_id"]]) for k in contact_])
    gesprek_ = contact_[:185]
    gesprekdata = {k["kandidaat_id"]: _na(contactdata[k["kandidaat_id"]], rng, 4, 20) for k in gesprek_}
    await gather_limited(
        8, [gesprek(c, k, rng.choice(s.werkgevers)[0], gesprekdata[k["kandidaat_id"]], "aanbod") for k in gesprek_]
    )
    # 160 start work in 2017; 72 stop before three months (some back on bijstand), 88 last at least three months.
    geplaatst = [k for k in gesprek_ if gesprekdata[k["kandidaat_id"]] < date(2017, 12, 20)][:160]
    if len(geplaatst) < 160:
        raise RuntimeError("too few interviews in 2017 for 160 placements")

    plannen = []
    for i, k in enumerate(geplaatst):  # every random draw in order, so the seed alone decides the data
        start = max(min(_na(gesprekdata[k["kandidaat_id"]], rng, 3, 14), date(2017, 12, 31)), date(2017, 1, 2))
        body, bevestigd = plaatsing_body(rng, s, k, start), _na(start, rng, 10, 28)
        einde: dict[str, str] | None = None
        if i < 72:  # "not jobs of a week and a half": these end before the three-month checkpoint
            reden = rng.choice(["einde_contract", "proeftijd", "ontslag_door_kandidaat", "ontslag_door_werkgever"])
            einde = {"einddatum": _na(start, rng, 9, 80).isoformat(), "reden": reden}
        elif i < 100:  # durable at three months, ended later
            reden = rng.choice(["einde_contract", "andere_baan"])
            einde = {"einddatum": _na(start, rng, 100, 170).isoformat(), "reden": reden}
        plannen.append((k, body, bevestigd, einde, i < 30))

    async def plaats(
        k: dict[str, Any], body: dict[str, Any], bevestigd: date, einde: dict[str, str] | None, terug: bool
    ) -> None:
        plaatsing_id = await plaatsing(c, k, body)
        await bevestig(c, s, k, bevestigd)
        if einde is None:
            return
        pad = f"/api/v1/plaatsingen/{plaatsing_id}/beeindiging"
        await c.call("POST", "plaatsing", pad, k["uitzendbureau"], json=einde)
        if terug:  # back on bijstand the day after
            datum = date.fromisoformat(einde["einddatum"]) + timedelta(days=1)
            herinstroom = {"uitkering": "bijstand", "datum": datum.isoformat()}
            await c.call("POST", "intake", _kpad(k, "herinstroom"), s.gemeente_org, json=herinstroom)

    await gather_limited(8, [plaats(*plan) for plan in plannen])
    return {"geplaatst": 160, "duurzaam": 88}


SCENARIOS: dict[
    str, tuple[Scenario, Callable[[Client, random.Random, Scenario, TextIO], Awaitable[dict[str, int]]]]
] = {
    "haaglanden": (HAAGLANDEN, haaglanden),
    "lekstroom": (LEKSTROOM, lekstroom),
}


async def _report(c: Client, s: Scenario) -> dict[str, Any]:
    params = {"gemeente": s.gemeente, "peildatum": s.peildatum.isoformat(), "duurzaam_maanden": 3}
    funnel, duurzaam, doelen = await asyncio.gather(
        *(c.rapport(pad, s.gemeente_org, **params) for pad in ("funnel", "duurzaamheid", "doelen"))
    )
    return {"funnel": funnel, "duurzaamheid": duurzaam, "doelen": doelen}


def _print(r: dict[str, Any], s: Scenario, out: TextIO) -> None:
    t = r["funnel"]["totaal"]
    out.write(f"\nRapportage gemeente {s.gemeente}, peildatum {s.peildatum.isoformat()} (rapportage API)\n")
    stappen = ("aangemeld", "volledig", "toegewezen", "eerste_contact", "gesprek", "geplaatst", "duurzaam")
    out.write(f"{'':<24}" + "".join(f"{k:>15}" for k in stappen) + "\n")
    for row in r["funnel"]["per_uitzendbureau"]:
        out.write(f"{row['uitzendbureau']:<24}" + "".join(f"{row[k]:>15}" for k in stappen) + "\n")
    out.write(f"{'totaal':<24}" + "".join(f"{t[k]:>15}" for k in stappen) + "\n")
    drie = next(m for m in r["duurzaamheid"]["mijlpalen"] if m["maanden"] == 3)
    out.write(
        f"duurzaam na 3 maanden: {drie['duurzaam']} van {drie['beoordeelbaar']} plaatsingen ({drie['percentage']}%)\n"
    )
    for p in r["doelen"]["programmas"]:
        out.write(f"doel {p['naam']}: {p['gerealiseerd']} van {p['doel']} ({p['voortgang']}%)\n")


async def _run(naam: str, urls: dict[str, str], tokens: Tokens, seed: int, out: TextIO) -> bool:
    s, drive = SCENARIOS[naam]
    rng = random.Random(seed)
    t0 = time.monotonic()
    async with httpx.AsyncClient(timeout=60) as http:
        c = Client(http, urls, tokens)
        before = await _report(c, s)
        driven = await drive(c, rng, s, out)

        def figures(r: dict[str, Any]) -> dict[str, int]:
            return {k: r["funnel"]["totaal"][k] for k in driven}

        deadline = time.monotonic() + 120
        while True:
            after = await _report(c, s)
            delta = {k: figures(after)[k] - figures(before)[k] for k in driven}
            if delta == driven or time.monotonic() > deadline:
                break
            await asyncio.sleep(0.5)
    _print(after, s, out)
    ok = delta == driven
    out.write(
        f"\nscenario {naam} ({time.monotonic() - t0:.0f}s): {driven}\nrapportage: {delta}\n"
        + ("het rapport is gelijk aan wat het scenario deed\n" if ok else "VERSCHIL tussen rapport en scenario\n")
    )
    out.write(
        f"dashboard: {urls['rapportage']}/dashboard?gemeente={s.gemeente}&peildatum={s.peildatum.isoformat()} "
        f"(inloggen als {_dashboard_person(s.gemeente_org)} voor de eigen cijfers, exact; als "
        f"{_dashboard_person('programmamanager')} met kleine aantallen als <5; "
        "de wachtwoorden staan in .run/keycloak/identities/people.json)\n"
    )
    return ok


def _dashboard_person(organisatie: str) -> str:
    """The username of the organisation's person, who logs in to the dashboard."""
    return next(i.username for i in all_identities() if i.organisatie == organisatie)


def run(scenario: str, urls: dict[str, str], tokens: Tokens, *, seed: int, out: TextIO) -> bool:
    if scenario == "rijnmond":  # werk naar werk
        return asyncio.run(demo_werknaarwerk.run(urls, tokens, seed, out))
    if scenario not in SCENARIOS:
        raise ValueError(f"unknown scenario {scenario!r}; known: {', '.join(SCENARIOS)}, rijnmond")
    out.write(f"\n=== scenario {scenario} ===\n")
    return asyncio.run(_run(scenario, urls, tokens, seed, out))
