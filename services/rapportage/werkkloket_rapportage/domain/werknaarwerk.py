"""Werk naar werk as of a peildatum: moves per region and sector pair, from event dates only."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any


@dataclass(frozen=True)
class Beweging:
    werknemer_id: str
    arbeidsmarktregio: str
    van_sector: str
    naar_sector: str
    vorm: str
    startdatum: date
    terugkeerdatum: date | None
    teruggekeerd_op: date | None
    beeindigd_op: date | None


@dataclass(frozen=True)
class Melding:
    """An employer's report of a surplus (people) or a shortage (places)."""

    soort: str  # overschot | tekort
    aantal: int
    vanaf: date
    voorstellen: int


def stand(b: Beweging, peildatum: date) -> str | None:
    """The state of a move as known on peildatum, from its event dates; None before it started."""
    if b.startdatum > peildatum:
        return None
    if b.beeindigd_op is not None and b.beeindigd_op <= peildatum:
        return "beeindigd"
    if b.teruggekeerd_op is not None and b.teruggekeerd_op <= peildatum:
        return "teruggekeerd"
    return "uitgeleend" if b.vorm == "detachering" else "overgegaan"


TELLERS = ("gestart", "overgang", "detachering", "overgegaan", "uitgeleend", "teruggekeerd", "beeindigd")


def rapport(bewegingen: Iterable[Beweging], peildatum: date) -> dict[str, Any]:
    """Moves per arbeidsmarktregio and sector pair, and how many people moved without becoming unemployed."""
    paren: dict[tuple[str, str, str], dict[str, int]] = defaultdict(lambda: dict.fromkeys(TELLERS, 0))
    mensen: dict[tuple[str, str, str], set[str]] = defaultdict(set)
    totaal = dict.fromkeys(TELLERS, 0)
    iedereen: set[str] = set()
    for b in bewegingen:
        s = stand(b, peildatum)
        if s is None:
            continue
        sleutel = (b.arbeidsmarktregio, b.van_sector, b.naar_sector)
        for teller in ("gestart", b.vorm, s):
            paren[sleutel][teller] += 1
            totaal[teller] += 1
        mensen[sleutel].add(b.werknemer_id)
        iedereen.add(b.werknemer_id)
    rijen = [
        {
            "arbeidsmarktregio": r,
            "van_sector": van,
            "naar_sector": naar,
            **paren[(r, van, naar)],
            "werkloosheid_voorkomen": len(mensen[(r, van, naar)]),
        }
        for r, van, naar in sorted(paren)
    ]
    return {
        "peildatum": peildatum.isoformat(),
        "totaal": {**totaal, "werkloosheid_voorkomen": len(iedereen)},
        "per_regio_sectorpaar": rijen,
        "toelichting": (
            "werkloosheid_voorkomen: verschillende werknemers uit een overschot die vóór of op de peildatum "
            "bij een andere werkgever begonnen (overgang of detachering), zonder tussentijdse werkloosheid."
        ),
    }


def gemeld(meldingen: Iterable[Melding], peildatum: date) -> dict[str, int]:
    """People in surplus, places short and proposals made, of the reports in force on peildatum."""
    uit = {"overschot_mensen": 0, "tekort_plaatsen": 0, "voorstellen": 0}
    for m in meldingen:
        if m.vanaf > peildatum:
            continue
        uit["overschot_mensen" if m.soort == "overschot" else "tekort_plaatsen"] += m.aantal
        uit["voorstellen"] += m.voorstellen
    return uit
