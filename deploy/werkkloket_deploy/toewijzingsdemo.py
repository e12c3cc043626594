"""Demo scenario `toewijzing`: screening, assignment with its reasons and explained vacancy matches in Rotterdam.

Driven only through the public HTTP APIs, with synthetic data (deterministic with the seed). Rotterdam (Rijnmond)
has agencies of its own, so this scenario leaves the Haaglanden and Lekstroom figures alone.
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

from .demo import ACHTERNAMEN, VOORNAMEN
from .demo_client import Client, Tokens, gather_limited

ORG = "gemeente-rotterdam"
GEMEENTE = "GM0599"
REGIO = "rijnmond"
POSTCODES = (3011, 3089)
# Occupations asked for in Rotterdam (ISCO-08) with their sector, as the agencies specialise.
BEROEPEN = (
    ("4110", "administratie"), ("4222", "administratie"), ("5120", "horeca"), ("5131", "horeca"),
    ("9412", "horeca"), ("5223", "detailhandel"), ("8322", "logistiek"), ("9333", "logistiek"),
    ("8344", "logistiek"), ("5321", "zorg"), ("9112", "schoonmaak"), ("7411", "techniek"),
)  # fmt: skip
# Per sector the core skill (always held) and others (one of them held).
SKILLS = {
    "administratie": ("administratie", "excel", "klantcontact"),
    "horeca": ("klantcontact", "koken", "hygiene", "gastvrijheid"),
    "detailhandel": ("klantcontact", "kassa", "voorraadbeheer"),
    "logistiek": ("heftruck", "orderpicken", "rijbewijs c", "vca"),
    "zorg": ("persoonlijke verzorging", "hygiene", "klantcontact"),
    "schoonmaak": ("schoonmaak", "hygiene"),
    "techniek": ("vca", "elektrotechniek"),
    "bouw": ("vca", "metselen"),
}
# Among the easy cases always: a bricklayer (no construction agency serves Rotterdam), and kitchen staff without
# a horeca vacancy of their own, for whom a labelled sector move is the best there is.
VASTE_WENSEN = ((["7112"], "bouw"), (["5131", "9412"], "horeca"), (["9412"], "horeca"))
# How many candidates of each screening category the desk sees.
CATEGORIEEN = {1: 18, 2: 12, 3: 6, 4: 4}
# Open vacancies of Rotterdam employers: who registers it, title, ISCO, SBI section, skills, hours, education.
VACATURES = (
    ("kralingen-horeca", "Kok, restaurant aan de Maas", "5120", "I", ("koken", "hygiene"), 36, "mbo2"),
    ("gemeente-rotterdam", "Beveiliger evenementen Ahoy", "5414", "N", ("klantcontact", "vca"), 32, "mbo2"),
    ("gemeente-rotterdam", "Schoonmaker kantoren Kop van Zuid", "9112", "N", ("schoonmaak", "hygiene"), 24, None),
    ("maasvlakte-personeel", "Heftruckchauffeur Waalhaven", "8344", "H", ("heftruck", "vca"), 38, "vo"),
    ("gemeente-rotterdam", "Orderpicker distributiecentrum", "9334", "H", ("orderpicken", "voorraadbeheer"), 38, "vo"),
    ("coolsingel-kantoor", "Administratief medewerker", "4110", "N", ("excel", "administratie"), 32, "mbo3"),
    ("maasstad-zorgflex", "Helpende zorg en welzijn", "5321", "Q", ("persoonlijke verzorging", "hygiene"), 28, "mbo2"),
    ("gemeente-rotterdam", "Verkoopmedewerker Zuidplein", "5223", "G", ("kassa", "klantcontact"), 24, "vo"),
    ("gemeente-rotterdam", "Metselaar nieuwbouw Feijenoord", "7112", "F", ("metselen", "vca"), 40, "mbo2"),
)  # fmt: skip
OVERSCHRIJVING = "intakegesprek: taalcursus B1 net afgerond en wil direct aan het werk"


def screeningsprofiel(
    rng: random.Random, categorie: int, wens: list[str], sector: str, vandaag: date
) -> dict[str, Any]:
    """A registration that the screening rule (screening-v1, its points per factor) places in `categorie`."""
    if categorie == 1:  # a few months out of work, mbo or higher, Dutch B2, most of the week
        dagen, opleiding, taal, uren = rng.randint(30, 180), rng.choice(["mbo2", "mbo3", "mbo4", "hbo"]), "b2", 36
    elif categorie == 2:  # over a year out of work, vo or mbo1
        dagen, opleiding, taal, uren = rng.randint(450, 600), rng.choice(["vo", "mbo1"]), rng.choice(["b1", "a2"]), 32
    elif categorie == 3:  # over two years, vo, Dutch A2
        dagen, opleiding, taal, uren = rng.randint(810, 990), "vo", "a2", rng.choice([16, 24])
    else:  # years without work and without work experience, no diploma, little Dutch, a few hours
        dagen, opleiding, taal, uren = rng.randint(1300, 2400), "geen", "a1", 8
    werkloos = vandaag - timedelta(days=dagen)
    start = werkloos - timedelta(days=365 * rng.randint(2, 9))
    werkervaring = [{"beroep": wens[0], "van": start.isoformat(), "tot": (werkloos - timedelta(days=1)).isoformat()}]
    kern, *overig = SKILLS[sector]
    return {
        "naam": f"{rng.choice(VOORNAMEN)} {rng.choice(ACHTERNAMEN)}",
        "telefoon": f"06{rng.randint(10000000, 99999999)}",
        "email": f"kandidaat{rng.randint(100000, 999999)}@voorbeeld.nl",
        "postcode": f"{rng.randint(*POSTCODES)} {rng.choice('ABCDEGHJKLMNPRSTVWXZ')}{rng.choice('ABCEHJKLNPRSTVXZ')}",
        "gemeente": GEMEENTE,
        "opleidingsniveau": opleiding,
        "werkervaring": werkervaring if categorie < 4 else [],
        "wensberoepen": wens,
        "skills": [kern, rng.choice(overig)],
        "werkloos_sinds": werkloos.isoformat(),
        "taalniveau": taal,
        "uren_per_week": uren,
        "uitkering": rng.choice(["ww", "bijstand", "bijstand"]),
        "toestemming": {
            "gegeven_op": f"{vandaag.isoformat()}T10:00:00+01:00",
            "door": "consulent Werkgeversservicepunt Rotterdam",
            "doel": "bemiddeling naar werk via een deelnemend uitzendbureau",
        },
    }


def profielen(rng: random.Random, vandaag: date) -> list[dict[str, Any]]:
    categorieen = [c for c, n in CATEGORIEEN.items() for _ in range(n)]
    rng.shuffle(categorieen)
    vast = list(VASTE_WENSEN)
    bodies = []
    for categorie in categorieen:
        if categorie == 1 and vast:
            wens, sector = vast.pop(0)
        else:
            gekozen = rng.sample(BEROEPEN, rng.randint(1, 2))
            wens, sector = [b for b, _ in gekozen], gekozen[0][1]
        bodies.append(screeningsprofiel(rng, categorie, wens, sector, vandaag))
    return bodies


@dataclass
class Uitkomst:
    """What the scenario did and read back from the APIs."""

    aanmeldingen: list[dict[str, Any]]  # the registration responses: the screening category as registered
    statussen: list[dict[str, Any]]  # intake's status of each at the end
    overschreven: dict[str, Any]  # intake's status of the candidate whose category a consultant changed
    toewijzingen: dict[str, dict[str, Any]]  # kandidaat_id -> matching's assignment with its reasons
    vacatures: list[dict[str, Any]]
    mijn_kandidaten: dict[str, list[dict[str, Any]]]  # agency -> its candidates of this run, with their matches

    @property
    def sectoroverstappen(self) -> int:
        return sum(m["sectoroverstap"] for ks in self.mijn_kandidaten.values() for k in ks for m in k["matches"])

    @property
    def ok(self) -> bool:
        return (
            {a["categorie"] for a in self.aanmeldingen} == {1, 2, 3, 4}
            and bool(self.overschreven["screening"]["handmatig"])
            and bool(self.toewijzingen)
            and all(t["redenen"] for t in self.toewijzingen.values())
            and any(m["factoren"] for ks in self.mijn_kandidaten.values() for k in ks for m in k["matches"])
            and self.sectoroverstappen > 0
        )


def _opsomming(items: list[Any]) -> str:
    woorden = [str(i) for i in items]
    return " en ".join([", ".join(woorden[:-1]), woorden[-1]]) if len(woorden) > 1 else "".join(woorden)


def _redenen(redenen: list[dict[str, Any]]) -> str:
    return "; ".join(f"{r['factor']} {r['waarde']} ({r['score']:+g})" for r in redenen)


async def _beslist(c: Client, ids: list[str], overschreven: str) -> list[dict[str, Any]]:
    """Wait until matching decided on every candidate handed over, the one whose category changed included."""
    deadline = time.monotonic() + 180
    while True:
        statussen: list[dict[str, Any]] = await gather_limited(
            16, [c.call("GET", "intake", f"/api/v1/aanmeldingen/{i}", ORG) for i in ids]
        )
        wachtend = [
            st
            for st in statussen
            if st["status"] == "ontvangen" or (st["id"] == overschreven and st["status"] == "bij_gemeente")
        ]
        if not wachtend:
            return statussen
        if time.monotonic() > deadline:
            raise RuntimeError(f"{len(wachtend)} aanmeldingen not decided on within 180s")
        await asyncio.sleep(0.5)


async def _bureaus(c: Client, out: TextIO) -> list[dict[str, Any]]:
    bureaus = [b for b in await c.call("GET", "matching", "/api/v1/uitzendbureaus", ORG) if REGIO in b["regios"]]
    out.write(f"Uitzendbureaus in arbeidsmarktregio {REGIO} (matching API):\n")
    for b in bureaus:
        gebied = ", ".join(b["gemeenten"]) if b["gemeenten"] else "alle gemeenten van de regio"
        doel = f"; doel {b['doel']['plaatsingen']} plaatsingen in {b['doel']['periode']}" if b["doel"] else ""
        out.write(f"  {b['code']:<24} {', '.join(b['sectoren'])}; werkgebied: {gebied}{doel}\n")
    return bureaus


async def _screening(c: Client, rng: random.Random, vandaag: date, out: TextIO) -> list[dict[str, Any]]:
    """Register the candidates; each gets a category 1-4 with the factors behind it."""
    bodies = profielen(rng, vandaag)
    aanmeldingen: list[dict[str, Any]] = await gather_limited(
        8, [c.call("POST", "intake", "/api/v1/aanmeldingen", ORG, json=b) for b in bodies]
    )
    for a, b in zip(aanmeldingen, bodies, strict=True):
        a["wensberoepen"] = b["wensberoepen"]
    per_categorie = Counter(a["categorie"] for a in aanmeldingen)
    out.write(
        f"{len(aanmeldingen)} kandidaten geregistreerd bij {ORG}; screening: "
        + ", ".join(f"categorie {cat}: {per_categorie[cat]}" for cat in (1, 2, 3, 4))
        + "\n"
    )
    vier = next((a for a in aanmeldingen if a["categorie"] == 4), aanmeldingen[0])
    factoren = ", ".join(f"{f['factor']} {f['waarde']} ({f['score']:g})" for f in vier["screening"]["factoren"])
    out.write(f"  waarom categorie {vier['categorie']} ({vier['screening']['regelversie']}): {factoren}\n")
    return aanmeldingen


def _verdeling(statussen: list[dict[str, Any]], out: TextIO) -> None:
    out.write("Per categorie naar een uitzendbureau of bij de gemeente (na de overschrijving):\n")
    for cat in (1, 2, 3, 4):
        van_cat = [st for st in statussen if st["categorie"] == cat]
        bureau = sum(1 for st in van_cat if st["uitzendbureau"])
        gemeente = sum(1 for st in van_cat if st["status"] == "bij_gemeente")
        geen_plek = len(van_cat) - bureau - gemeente
        out.write(
            f"  categorie {cat}: {len(van_cat):>2} kandidaten, {bureau:>2} naar een uitzendbureau, "
            f"{gemeente:>2} blijven bij de gemeente"
            + (f", {geen_plek} zonder plek bij een uitzendbureau" if geen_plek else "")
            + "\n"
        )


async def _vacatures(c: Client, rng: random.Random, vandaag: date, out: TextIO) -> list[dict[str, Any]]:
    """Vacancies of Rotterdam employers, registered by the werkgeversservicepunt and by agencies."""
    open_tot = (vandaag + timedelta(days=60)).isoformat()
    vacatures = []
    for door, titel, beroep, sbi, skills, uren, opleiding in VACATURES:
        body = {
            "titel": titel,
            "beroep": beroep,
            "sector": sbi,
            "arbeidsmarktregio": REGIO,
            "gemeente": GEMEENTE,
            "postcode": f"{rng.randint(*POSTCODES)} {rng.choice('ABCDEGHJ')}{rng.choice('KLMNPRST')}",
            "uren_per_week": uren,
            "skills": list(skills),
            "opleidingsniveau": opleiding,
            "open_tot": open_tot,
        }
        vacatures.append(await c.call("POST", "matching", "/api/v1/vacatures", door, json=body))
    out.write(f"{len(vacatures)} vacatures geregistreerd in gemeente {GEMEENTE} (elk met VacatureGeopend):\n")
    for v in vacatures:
        n = v["voorgesteld_aan"]
        out.write(f"  {v['titel']} ({v['beroep']}): voorgesteld aan {n} wachtende kandida{'at' if n == 1 else 'ten'}\n")
    return vacatures


def _toon_match(k: dict[str, Any], m: dict[str, Any], out: TextIO) -> None:
    label = " [sectoroverstap]" if m["sectoroverstap"] else ""
    out.write(f"    {k['kandidaat_id'][:8]} -> {m['titel']}: score {m['score']:.2f}{label} ({m['regelversie']})\n")
    for f in m["factoren"]:
        out.write(f"      {f['factor']:<14} {f['score']:>6.3f}  {f['waarde']}\n")


async def _overschrijf(c: Client, aanmeldingen: list[dict[str, Any]], out: TextIO) -> dict[str, Any]:
    """A consultant moves one category 3 to 2 after the intake interview, with a reason."""
    drie = next(a for a in aanmeldingen if a["categorie"] == 3)
    body = {"categorie": 2, "reden": OVERSCHRIJVING}
    await c.call("POST", "intake", f"/api/v1/aanmeldingen/{drie['id']}/categorie", ORG, json=body)
    out.write(f'  consulent zet kandidaat {drie["kandidaat_id"][:8]} van categorie 3 naar 2: "{OVERSCHRIJVING}"\n')
    return drie


async def _toewijzingen(
    c: Client, toegewezen: list[dict[str, Any]], out: TextIO
) -> tuple[Counter[str], dict[str, dict[str, Any]]]:
    """Candidates per agency, and matching's assignment of each with its reasons."""
    per_bureau = Counter(st["uitzendbureau"] for st in toegewezen)
    out.write(
        f"toegewezen aan {len(per_bureau)} uitzendbureaus: "
        + ", ".join(f"{b} {n}" for b, n in sorted(per_bureau.items()))
        + "\n"
    )
    toewijzingen: dict[str, dict[str, Any]] = {}
    for st in toegewezen:
        pad = f"/api/v1/toewijzingen/{st['kandidaat_id']}"
        toewijzingen[st["kandidaat_id"]] = await c.call("GET", "matching", pad, ORG)
    return per_bureau, toewijzingen


def _toon_toewijzingen(
    voorbeelden: list[str],
    toewijzingen: dict[str, dict[str, Any]],
    wens: dict[str, list[str]],
    bureaus: list[dict[str, Any]],
    out: TextIO,
) -> None:
    """Several assignments with their reasons; why the bricklayer does not go to the construction agency."""
    out.write("Toewijzingen met hun redenen (GET /api/v1/toewijzingen/{kandidaat_id}):\n")
    for k in dict.fromkeys(voorbeelden):
        t = toewijzingen[k]
        out.write(
            f"  {k[:8]} (wens {', '.join(wens[k])}) -> {t['uitzendbureau']} ({t['regelversie']}): "
            f"{_redenen(t['redenen'])}\n"
        )
    niet_hier = [
        b["code"] for b in bureaus if "bouw" in b["sectoren"] and b["gemeenten"] and GEMEENTE not in b["gemeenten"]
    ]
    for k in (k for k in toewijzingen if wens[k] == ["7112"]):
        out.write(
            f"  de metselaar {k[:8]} gaat niet naar {', '.join(niet_hier)} (bouw): dat bureau bedient {GEMEENTE} niet\n"
        )


async def _matches(
    c: Client, bureaus: list[str], toewijzingen: dict[str, dict[str, Any]], out: TextIO
) -> dict[str, list[dict[str, Any]]]:
    """Each agency sees the proposed matches of its own candidates, explained per factor; sector moves labelled."""
    mijn: dict[str, list[dict[str, Any]]] = {}
    for bureau in bureaus:
        lijst = await c.call("GET", "matching", "/api/v1/mijn-kandidaten", bureau)
        mijn[bureau] = [k for k in lijst if k["kandidaat_id"] in toewijzingen]
    out.write("Voorgestelde matches per uitzendbureau (GET /api/v1/mijn-kandidaten met het token van het bureau):\n")
    for bureau, kandidaten in mijn.items():
        met = [k for k in kandidaten if k["matches"]]
        out.write(f"  {bureau}: {len(kandidaten)} kandidaten uit deze demo, {len(met)} met voorstellen\n")
        if met:
            _toon_match(met[0], met[0]["matches"][0], out)
        overstap = next(((k, m) for k in met for m in k["matches"] if m["sectoroverstap"]), None)
        if overstap is not None and overstap[1] is not met[0]["matches"][0]:
            _toon_match(*overstap, out)
    return mijn


async def scenario(c: Client, rng: random.Random, out: TextIO) -> Uitkomst:
    vandaag, t0 = date.today(), time.monotonic()
    bureaus = await _bureaus(c, out)
    doorverwijzing = await c.call("GET", "intake", f"/api/v1/gemeenten/{GEMEENTE}/doorverwijzing", ORG)
    out.write(f"{ORG} draagt categorie {_opsomming(doorverwijzing['categorieen'])} over aan uitzendbureaus\n")
    aanmeldingen = await _screening(c, rng, vandaag, out)
    drie = await _overschrijf(c, aanmeldingen, out)

    statussen = await _beslist(c, [a["id"] for a in aanmeldingen], drie["id"])
    overschreven = next(st for st in statussen if st["id"] == drie["id"])
    _verdeling(statussen, out)
    toegewezen = [st for st in statussen if st["uitzendbureau"]]
    per_bureau, toewijzingen = await _toewijzingen(c, toegewezen, out)

    # One per agency, the bricklayer, and the overridden candidate.
    wens = {a["kandidaat_id"]: a["wensberoepen"] for a in aanmeldingen}
    voorbeelden = [
        next(st["kandidaat_id"] for st in toegewezen if st["uitzendbureau"] == b) for b in sorted(per_bureau)
    ]
    voorbeelden += [k for k in toewijzingen if wens[k] == ["7112"] or k == overschreven["kandidaat_id"]]
    _toon_toewijzingen(voorbeelden, toewijzingen, wens, bureaus, out)

    vacatures = await _vacatures(c, rng, vandaag, out)
    mijn = await _matches(c, sorted(per_bureau), toewijzingen, out)
    uitkomst = Uitkomst(aanmeldingen, statussen, overschreven, toewijzingen, vacatures, mijn)
    out.write(f"  {uitkomst.sectoroverstappen} voorgestelde sectoroverstappen voor kandidaten uit deze demo\n")

    bij_gemeente = sum(1 for st in statussen if st["status"] == "bij_gemeente")
    out.write(
        f"\nscenario toewijzing ({time.monotonic() - t0:.0f}s): {len(aanmeldingen)} kandidaten en {len(vacatures)} "
        f"vacatures gebruikt (gemeente {GEMEENTE}, regio {REGIO}); {len(toegewezen)} toegewezen, "
        f"{bij_gemeente} bij de gemeente\n"
    )
    out.write(
        "alle vier categorieën, een overschrijving met reden, redenen bij elke toewijzing, uitgelegde matches\n"
        if uitkomst.ok
        else "ONVOLLEDIG: niet alles wat dit scenario moet laten zien kwam voor\n"
    )
    return uitkomst


def run(urls: dict[str, str], tokens: Tokens, *, seed: int, out: TextIO) -> Uitkomst:
    async def drive() -> Uitkomst:
        async with httpx.AsyncClient(timeout=60) as http:
            return await scenario(Client(http, urls, tokens), random.Random(seed), out)

    out.write("\n=== scenario toewijzing: screening, toewijzing en uitgelegde matches in Rotterdam (Rijnmond) ===\n")
    return asyncio.run(drive())
