"""Plaatsing domain: what an agency may record for a candidate, in which order, and the durability checkpoints.

No I/O. Every date here comes from the events or the request, never from the clock.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

# Follow-up checkpoints, in months after the start of a placement.
MIJLPALEN: tuple[int, ...] = (1, 3, 6, 12)


class Stap(StrEnum):
    EERSTE_CONTACT = "eerste_contact"
    GESPREK_GEPLAND = "gesprek_gepland"
    GESPREK = "gesprek"
    AANBOD = "aanbod"
    PLAATSING = "plaatsing"
    AFWIJZING = "afwijzing"


class Opvolgstatus(StrEnum):
    OPEN = "open"
    BEVESTIGD = "bevestigd"
    GEMIST = "gemist"


@dataclass(frozen=True)
class Dossier:
    """What plaatsing knows of a candidate: which agency holds it, and the steps so far."""

    uitzendbureau: str | None
    eerste_contact_op: date | None
    afgewezen_op: date | None = None


class Weigering(Exception):
    """An action that is not allowed; `status` is the HTTP status it maps to."""

    def __init__(self, status: int, reden: str) -> None:
        super().__init__(reden)
        self.status = status
        self.reden = reden


def mag_vastleggen(dossier: Dossier | None, uitzendbureau: str, stap: Stap, datum: date) -> None:
    """Raise Weigering unless this agency holds the candidate and the step fits the lifecycle."""
    if dossier is None:
        raise Weigering(404, "kandidaat onbekend of (nog) niet toegewezen")
    if dossier.uitzendbureau != uitzendbureau:
        raise Weigering(403, "deze kandidaat is niet aan uw organisatie toegewezen")
    if dossier.afgewezen_op is not None:
        raise Weigering(409, f"kandidaat is op {dossier.afgewezen_op.isoformat()} teruggegeven aan de gemeente")
    if stap is Stap.AFWIJZING:
        return
    if stap is Stap.EERSTE_CONTACT:
        if dossier.eerste_contact_op is not None:
            raise Weigering(409, f"eerste contact is al vastgelegd op {dossier.eerste_contact_op.isoformat()}")
        return
    if dossier.eerste_contact_op is None:
        raise Weigering(409, "leg eerst het eerste contact vast")
    if datum < dossier.eerste_contact_op:
        raise Weigering(422, "datum ligt voor het eerste contact")


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


def mag_opvolgen(status: Opvolgstatus, mijlpaal: date, datum: date) -> None:
    """A checkpoint is confirmed once, on or after its date."""
    if status is not Opvolgstatus.OPEN:
        raise Weigering(409, f"deze opvolging is al afgehandeld ({status.value})")
    if datum < mijlpaal:
        raise Weigering(422, f"de opvolging kan pas vanaf {mijlpaal.isoformat()} worden bevestigd")


def mag_beeindigen(startdatum: date, al_beeindigd: date | None, einddatum: date) -> None:
    if al_beeindigd is not None:
        raise Weigering(409, f"deze plaatsing is al beëindigd op {al_beeindigd.isoformat()}")
    if einddatum < startdatum:
        raise Weigering(422, "einddatum ligt voor de startdatum")
