"""Plaatsing domain: what an agency may record for a candidate, and in which order. No I/O."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum


class Stap(StrEnum):
    EERSTE_CONTACT = "eerste_contact"
    GESPREK = "gesprek"
    PLAATSING = "plaatsing"


@dataclass(frozen=True)
class Dossier:
    """What plaatsing knows of a candidate: which agency holds it, and the steps so far."""

    uitzendbureau: str | None
    eerste_contact_op: date | None


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
    if stap is Stap.EERSTE_CONTACT:
        if dossier.eerste_contact_op is not None:
            raise Weigering(409, f"eerste contact is al vastgelegd op {dossier.eerste_contact_op.isoformat()}")
        return
    if dossier.eerste_contact_op is None:
        raise Weigering(409, "leg eerst het eerste contact vast")
    if datum < dossier.eerste_contact_op:
        raise Weigering(422, "datum ligt voor het eerste contact")
