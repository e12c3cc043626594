"""Screening: category 1 (easy to place) ... 4 (very hard) from transparent rules. No I/O.

Each factor gives 0, 1 or 2 points; the sum decides the category. The factors, their inputs and their points are
kept with the result, so anyone can see why a candidate got a category.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from werkkloket_contracts import Opleidingsniveau, Reden, Werkervaring

REGELVERSIE = "screening-v1"
HANDMATIG = "handmatig"
STANDAARD_DOORVERWIJZING = frozenset({1, 2})  # categories a gemeente hands to agencies unless it sets otherwise
GRENZEN = ((2, 1), (4, 2), (6, 3))  # up to 2 points: category 1, up to 4: 2, up to 6: 3, more: 4
TAAL_PUNTEN = {"c2": 0, "c1": 0, "b2": 0, "b1": 0, "a2": 1, "a1": 2, "a0": 2}
OPLEIDING_PUNTEN = {
    Opleidingsniveau.GEEN: 2,
    Opleidingsniveau.VO: 1,
    Opleidingsniveau.MBO1: 1,
}


@dataclass(frozen=True)
class Invoer:
    werkervaring: tuple[Werkervaring, ...]
    werkloos_sinds: date | None
    opleidingsniveau: Opleidingsniveau
    taalniveau: str | None
    uren_per_week: int | None


@dataclass(frozen=True)
class Screening:
    categorie: int
    punten: int
    regelversie: str
    factoren: tuple[Reden, ...]


def _maanden(van: date, tot: date) -> int:
    return max(0, (tot.year - van.year) * 12 + tot.month - van.month - (tot.day < van.day))


def _laatste_baan(werkervaring: tuple[Werkervaring, ...], vandaag: date) -> date | None:
    if not werkervaring:
        return None
    return max((w.tot or vandaag) for w in werkervaring)


def screen(invoer: Invoer, vandaag: date) -> Screening:
    factoren: list[Reden] = []
    laatste = _laatste_baan(invoer.werkervaring, vandaag)
    if laatste is None:
        factoren.append(Reden(factor="recente_werkervaring", waarde="geen werkervaring", score=2))
    else:
        m = _maanden(laatste, vandaag)
        punten = 0 if m <= 12 else 1 if m <= 36 else 2
        factoren.append(Reden(factor="recente_werkervaring", waarde=f"laatste baan {m} maanden geleden", score=punten))
    sinds = invoer.werkloos_sinds or laatste
    if sinds is None:
        factoren.append(Reden(factor="duur_werkloosheid", waarde="onbekend, geen werkervaring", score=2))
    else:
        m = _maanden(sinds, vandaag)
        punten = 0 if m < 12 else 1 if m < 24 else 2
        factoren.append(Reden(factor="duur_werkloosheid", waarde=f"{m} maanden zonder werk", score=punten))
    factoren.append(
        Reden(
            factor="opleiding",
            waarde=invoer.opleidingsniveau.value,
            score=OPLEIDING_PUNTEN.get(invoer.opleidingsniveau, 0),
        )
    )
    if invoer.taalniveau is None:
        factoren.append(Reden(factor="taalniveau", waarde="onbekend", score=1))
    else:
        factoren.append(Reden(factor="taalniveau", waarde=invoer.taalniveau, score=TAAL_PUNTEN[invoer.taalniveau]))
    if invoer.uren_per_week is None:
        factoren.append(Reden(factor="beschikbaarheid", waarde="onbekend", score=1))
    else:
        u = invoer.uren_per_week
        factoren.append(
            Reden(factor="beschikbaarheid", waarde=f"{u} uur per week", score=0 if u >= 24 else 1 if u >= 12 else 2)
        )
    totaal = int(sum(f.score for f in factoren))
    categorie = next((c for grens, c in GRENZEN if totaal <= grens), 4)
    return Screening(categorie=categorie, punten=totaal, regelversie=REGELVERSIE, factoren=tuple(factoren))
