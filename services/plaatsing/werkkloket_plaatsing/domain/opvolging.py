"""Durability follow-up: the checkpoints of a placement, when they are reached, missed or confirmed.

No I/O. Every date here comes from the events or the request, never from the clock.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from uuid import UUID

from werkkloket_runtime.errors import Conflict, Invalid, NotFound

# Follow-up checkpoints, in months after the start of a placement.
MIJLPALEN: tuple[int, ...] = (1, 3, 6, 12)


class Opvolgstatus(StrEnum):
    OPEN = "open"
    BEVESTIGD = "bevestigd"
    GEMIST = "gemist"


@dataclass(frozen=True)
class Opvolgtaak:
    plaatsing_id: UUID
    kandidaat_id: UUID
    maanden: int
    mijlpaal: date
    status: Opvolgstatus


def plus_maanden(start: date, maanden: int) -> date:
    """The same day `maanden` months later, or the last day of that month when it is shorter."""
    index = start.month - 1 + maanden
    jaar, maand = start.year + index // 12, index % 12 + 1
    return date(jaar, maand, min(start.day, calendar.monthrange(jaar, maand)[1]))


def mijlpalen(startdatum: date) -> list[tuple[int, date]]:
    """The follow-up checkpoints of a placement that started on `startdatum`."""
    return [(m, plus_maanden(startdatum, m)) for m in MIJLPALEN]


def bereikt(mijlpaal: date, laatste_werkdag: date | None) -> bool:
    """A checkpoint is reached when the candidate still worked there on that day."""
    return laatste_werkdag is None or laatste_werkdag >= mijlpaal


def laatste_werkdag(einddatum: date | None, herinstroom: date | None) -> date | None:
    """The last day in work: the end of the placement, or the day before the return to a benefit."""
    dagen = [d for d in (einddatum, herinstroom - timedelta(days=1) if herinstroom else None) if d is not None]
    return min(dagen) if dagen else None


def gemist(open_mijlpalen: Iterable[tuple[int, date]], laatste: date) -> list[tuple[int, date]]:
    """The open checkpoints that can no longer be reached once work stopped after `laatste`."""
    return [(m, d) for m, d in open_mijlpalen if not bereikt(d, laatste)]


def bestaande_taak(taak: Opvolgtaak | None, maanden: int) -> Opvolgtaak:
    if taak is None:
        raise NotFound(f"geen opvolging na {maanden} maanden; wel na 1, 3, 6 of 12")
    return taak


def mag_opvolgen(status: Opvolgstatus, mijlpaal: date, datum: date) -> None:
    """A checkpoint is confirmed once, on or after its date."""
    if status is not Opvolgstatus.OPEN:
        raise Conflict(f"deze opvolging is al afgehandeld ({status.value})")
    if datum < mijlpaal:
        raise Invalid("datum", f"de opvolging kan pas vanaf {mijlpaal.isoformat()} worden bevestigd")
