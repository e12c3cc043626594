"""The programme's settings for the reports: targets, durability period, contact deadline, norm amount."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal


@dataclass(frozen=True)
class Programma:
    code: str
    naam: str
    gemeenten: tuple[str, ...]
    doel: int
    van: date


@dataclass(frozen=True)
class Instellingen:
    duurzaam_maanden: int
    contacttermijn_dagen: int
    normbedrag: Decimal
    programmas: tuple[Programma, ...]
    uitzendbureaus: dict[str, int]
