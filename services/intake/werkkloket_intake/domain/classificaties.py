"""ISCO-08 occupations and SBI 2008 sections (loaded by `adapters.classificaties`), and fuzzy coding of free
text."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from rapidfuzz import fuzz, process, utils

ISCO = re.compile(r"^\d{4}$")
MIN_SCORE = 70.0  # below this a free text is not coded; the consultant gets the alternatives


@dataclass(frozen=True)
class Beroep:
    code: str
    omschrijving: str
    synoniemen: tuple[str, ...]
    sbi: str | None


@dataclass(frozen=True)
class Kandidaatcode:
    code: str
    omschrijving: str
    score: float


@dataclass(frozen=True)
class Codering:
    """How one typed occupation was coded: the choice (None below MIN_SCORE) and the alternatives."""

    invoer: str
    gekozen: Kandidaatcode | None
    alternatieven: tuple[Kandidaatcode, ...]


@dataclass(frozen=True)
class Classificaties:
    beroepen: dict[str, Beroep]
    sbi: dict[str, str]
    bron: str
    licentie: str

    def codeer(self, invoer: str, limit: int = 4) -> Codering:
        """A 4-digit code must be a known unit group; free text is matched on labels and synonyms."""
        tekst = invoer.strip()
        if ISCO.match(tekst):
            b = self.beroepen.get(tekst)
            gekozen = Kandidaatcode(b.code, b.omschrijving, 100.0) if b else None
            return Codering(invoer, gekozen, ())
        ranked: dict[str, float] = {}
        for _, score, (code, _label) in process.extract(
            tekst, _labels(self), scorer=fuzz.WRatio, processor=utils.default_process, limit=40
        ):
            ranked[code] = max(ranked.get(code, 0.0), float(score))
        ordered = sorted(ranked.items(), key=lambda cs: (-cs[1], cs[0]))[: limit + 1]
        found = [Kandidaatcode(c, self.beroepen[c].omschrijving, round(s, 1)) for c, s in ordered]
        if found and found[0].score >= MIN_SCORE:
            return Codering(invoer, found[0], tuple(found[1:]))
        return Codering(invoer, None, tuple(found[:limit]))

    def sector(self, isco: str) -> str | None:
        b = self.beroepen.get(isco)
        return b.sbi if b else None


def _labels(c: Classificaties) -> dict[tuple[str, str], str]:
    return _label_index(id(c), tuple(c.beroepen.values()))


@cache
def _label_index(_: int, beroepen: tuple[Beroep, ...]) -> dict[tuple[str, str], str]:
    index: dict[tuple[str, str], str] = {}
    for b in beroepen:
        for label in (b.omschrijving, *b.synoniemen):
            index[(b.code, label)] = label
    return index
