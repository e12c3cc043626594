"""Matching candidates and vacancies, with the score broken down per factor. No I/O.

A vacancy is proposed only for an occupation the candidate wants or has done, or, when skills overlap, for a
sector move that people are known to make (horeca -> beveiliging, schoonmaak, techniek; cabin crew -> zorg);
such a move is labelled.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from werkkloket_contracts import Reden
from werkkloket_contracts.referentie import regio_van

from ..toewijzing.domain import sector_van

REGELVERSIE = "match-v1"
TOP_N = 5
GEWICHTEN = {"wens_ervaring": 0.40, "skills": 0.20, "opleiding": 0.15, "reisafstand": 0.15, "uren": 0.10}
NIVEAUS = ("geen", "vo", "mbo1", "mbo2", "mbo3", "mbo4", "hbo", "wo")
# Realistic moves across sectors (skills paspoort, regional mobility teams): from -> to.
OVERSTAPPEN: dict[str, frozenset[str]] = {
    "horeca": frozenset({"beveiliging", "schoonmaak", "techniek"}),
    "luchtvaart": frozenset({"zorg"}),
    "detailhandel": frozenset({"logistiek", "horeca"}),
}
# ISCO unit groups whose sector differs from their sub-major group's.
SECTOR_PER_BEROEP = {"5111": "luchtvaart"}


def sector(isco: str) -> str | None:
    return SECTOR_PER_BEROEP.get(isco) or sector_van(isco)


@dataclass(frozen=True)
class Vacature:
    vacature_id: str
    beroep: str
    postcodegebied: str
    uren_per_week: int
    skills: frozenset[str]
    opleidingsniveau: str | None
    open_tot: date


@dataclass(frozen=True)
class Profiel:
    wensberoepen: tuple[str, ...]
    ervaring: tuple[str, ...]
    skills: frozenset[str]
    opleidingsniveau: str
    postcodegebied: str
    uren_per_week: int | None


@dataclass(frozen=True)
class Match:
    vacature_id: str
    score: float
    factoren: tuple[Reden, ...]
    sectoroverstap: bool


def buiten_werkgebied(regios: frozenset[str] | None, arbeidsmarktregio: str, gemeente: str) -> tuple[str, str] | None:
    """(field, reason) when a gemeente's werkgeversservicepunt, acting in the arbeidsmarktregio's of its gemeenten
    (`regios`), may not register a vacancy here; None when it may, and always for an agency (None)."""
    if regios is None:
        return None
    if arbeidsmarktregio not in regios:
        return "arbeidsmarktregio", "buiten de eigen arbeidsmarktregio's"
    regio = regio_van(gemeente)
    if regio is not None and regio != arbeidsmarktregio:
        return "gemeente", f"ligt in {regio}, niet in {arbeidsmarktregio}"
    return None


def verlopen(open_tot: date, peildatum: date) -> bool:
    """Past its last day: a vacancy open until a date is still open on that date."""
    return open_tot < peildatum


def toegestane_beroepen(p: Profiel) -> tuple[frozenset[str], frozenset[str]]:
    """The occupations a candidate may be matched to, and the sectors a labelled move may go to."""
    eigen = frozenset(p.wensberoepen) | frozenset(p.ervaring)
    van = {s for s in (sector(b) for b in eigen) if s is not None}
    naar = frozenset(s for v in van for s in OVERSTAPPEN.get(v, ()))
    return eigen, naar - van


Delen = dict[str, tuple[float, str]]


def score(p: Profiel, v: Vacature, vandaag: date) -> Match | None:
    """The match of one vacancy, explained per factor; None when it may not be proposed."""
    gedeeld = _delen(p, v, vandaag)
    return _match(v, *gedeeld) if gedeeld is not None else None


def _match(v: Vacature, delen: Delen, overstap: bool) -> Match:
    factoren = tuple(
        Reden(factor=naam, waarde=uitleg, score=round(GEWICHTEN[naam] * waarde, 4))
        for naam, (waarde, uitleg) in delen.items()
    )
    return Match(
        vacature_id=v.vacature_id,
        score=round(sum(f.score for f in factoren), 4),
        factoren=factoren,
        sectoroverstap=overstap,
    )


def _totaal(delen: Delen) -> float:
    return round(sum(round(GEWICHTEN[naam] * waarde, 4) for naam, (waarde, _) in delen.items()), 4)


def _delen(p: Profiel, v: Vacature, vandaag: date) -> tuple[Delen, bool] | None:
    if verlopen(v.open_tot, vandaag):
        return None
    overlap = v.skills & p.skills
    if v.beroep in p.wensberoepen:
        wens = 1.0 - 0.2 * p.wensberoepen.index(v.beroep)
        wens_uitleg, overstap = f"wensberoep {v.beroep}", False
    elif v.beroep in p.ervaring:
        wens, wens_uitleg, overstap = 0.7, f"werkervaring als {v.beroep}", False
    else:
        _, naar = toegestane_beroepen(p)
        doel = sector(v.beroep)
        if doel is None or doel not in naar or not overlap:
            return None  # outside what the person wants, and no realistic move
        wens, overstap = 0.4, True
        wens_uitleg = f"sectoroverstap naar {doel} ({v.beroep}) op grond van skills {', '.join(sorted(overlap))}"
    skills = len(overlap) / len(v.skills) if v.skills else 1.0
    if v.opleidingsniveau is None:
        opleiding = 1.0
    else:
        verschil = NIVEAUS.index(p.opleidingsniveau) - NIVEAUS.index(v.opleidingsniveau)
        opleiding = 1.0 if verschil >= 0 else 0.5 if verschil == -1 else 0.0
    # Travel distance by postcode area (PC4): same area, same PC2 region, or further.
    if v.postcodegebied == p.postcodegebied:
        reis, reis_uitleg = 1.0, "zelfde postcodegebied"
    elif v.postcodegebied[:2] == p.postcodegebied[:2]:
        reis, reis_uitleg = 0.7, f"nabij ({v.postcodegebied[:2]}xx)"
    else:
        reis, reis_uitleg = 0.3, f"verder weg ({p.postcodegebied} -> {v.postcodegebied})"
    if p.uren_per_week is None:
        uren, uren_uitleg = 0.5, f"{v.uren_per_week} uur; beschikbaarheid onbekend"
    else:
        uren = max(0.0, 1 - abs(v.uren_per_week - p.uren_per_week) / max(v.uren_per_week, p.uren_per_week))
        uren_uitleg = f"{v.uren_per_week} uur gevraagd, {p.uren_per_week} beschikbaar"
    delen = {
        "wens_ervaring": (wens, wens_uitleg),
        "skills": (skills, f"{len(overlap)}/{len(v.skills)} gevraagde skills"),
        "opleiding": (opleiding, f"{p.opleidingsniveau} voor gevraagd {v.opleidingsniveau or 'geen eis'}"),
        "reisafstand": (reis, reis_uitleg),
        "uren": (uren, uren_uitleg),
    }
    return delen, overstap


def beste(p: Profiel, vacatures: Iterable[Vacature], vandaag: date, n: int = TOP_N) -> list[Match]:
    """The top n matches, best first; ties by vacancy id so the result is deterministic.

    Vacancies outside the allowed occupations and sectors are skipped before any scoring.
    """
    eigen, naar = toegestane_beroepen(p)
    gescoord: list[tuple[float, str, Vacature, Delen, bool]] = []
    for v in vacatures:
        if v.beroep not in eigen and sector(v.beroep) not in naar:
            continue
        gedeeld = _delen(p, v, vandaag)
        if gedeeld is not None:
            gescoord.append((-_totaal(gedeeld[0]), v.vacature_id, v, *gedeeld))
    return [_match(v, delen, overstap) for _, _, v, delen, overstap in heapq.nsmallest(n, gescoord)]
