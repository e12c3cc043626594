"""A candidate's lifecycle at the agency that holds it: which steps it may record, and in which order.

No I/O. Every date here comes from the events or the request, never from the clock.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date
from enum import StrEnum
from typing import Any
from uuid import UUID

from werkkloket_runtime.errors import Conflict, Invalid, NotFound


class Stap(StrEnum):
    EERSTE_CONTACT = "eerste_contact"
    GESPREK_GEPLAND = "gesprek_gepland"
    GESPREK = "gesprek"
    AANBOD = "aanbod"
    PLAATSING = "plaatsing"
    AFWIJZING = "afwijzing"


@dataclass(frozen=True)
class Dossier:
    """What plaatsing knows of a candidate: which agency holds it, and the steps so far."""

    uitzendbureau: str | None
    eerste_contact_op: date | None
    afgewezen_op: date | None = None


@dataclass(frozen=True)
class Kandidaat:
    """Whom a lifecycle event is about: the fields every event of plaatsing carries."""

    kandidaat_id: UUID
    arbeidsmarktregio: str
    gemeente: str
    uitzendbureau: str

    def velden(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Plaatsing:
    plaatsing_id: UUID
    kandidaat: Kandidaat  # with the agency that made the placement
    startdatum: date
    einddatum: date | None


@dataclass(frozen=True)
class Gesprek:
    werkgever: str
    gehouden: bool


def mag_vastleggen(dossier: Dossier | None, uitzendbureau: str, stap: Stap, datum: date) -> None:
    """Raise unless this agency holds the candidate and the step fits the lifecycle."""
    if dossier is None or dossier.uitzendbureau != uitzendbureau:  # another agency's: existence does not leak
        raise NotFound("kandidaat onbekend of (nog) niet aan uw organisatie toegewezen")
    if dossier.afgewezen_op is not None:
        raise Conflict(f"kandidaat is op {dossier.afgewezen_op.isoformat()} teruggegeven aan de gemeente")
    if stap is Stap.AFWIJZING:
        return
    if stap is Stap.EERSTE_CONTACT:
        if dossier.eerste_contact_op is not None:
            raise Conflict(f"eerste contact is al vastgelegd op {dossier.eerste_contact_op.isoformat()}")
        return
    if dossier.eerste_contact_op is None:
        raise Conflict("leg eerst het eerste contact vast")
    if datum < dossier.eerste_contact_op:
        raise Invalid("startdatum" if stap is Stap.PLAATSING else "datum", "datum ligt voor het eerste contact")


def gesprek_aangeduid(werkgever: str | None, gesprek_id: UUID | None) -> None:
    """A held interview names its employer, or the planned interview it was."""
    if werkgever is None and gesprek_id is None:
        raise Invalid("werkgever", "werkgever of gesprek_id is nodig")


def genoemde_werkgever(werkgever: str | None) -> str:
    """The employer an interview held without a plan names."""
    if werkgever is None:
        raise Invalid("werkgever", "werkgever of gesprek_id is nodig")
    return werkgever


def gepland_gesprek_houden(gepland: Gesprek | None, werkgever: str | None) -> str:
    """The employer of a planned interview that is now held (the one the agency names, if any)."""
    if gepland is None or gepland.gehouden:
        raise Conflict("geen gepland gesprek met dit gesprek_id", invalid_params=[])
    return werkgever or gepland.werkgever


def eigen_plaatsing(plaatsing: Plaatsing | None, plaatsing_id: UUID, uitzendbureau: str) -> Plaatsing:
    """The placement, if it is this agency's."""
    if plaatsing is None or plaatsing.kandidaat.uitzendbureau != uitzendbureau:
        raise NotFound(f"plaatsing {plaatsing_id} bestaat niet")
    return plaatsing


def mag_beeindigen(startdatum: date, al_beeindigd: date | None, einddatum: date) -> None:
    if al_beeindigd is not None:
        raise Conflict(f"deze plaatsing is al beëindigd op {al_beeindigd.isoformat()}")
    if einddatum < startdatum:
        raise Invalid("einddatum", "einddatum ligt voor de startdatum")
