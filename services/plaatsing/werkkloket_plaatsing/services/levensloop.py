"""Use cases of a candidate's lifecycle at the agency that holds it: first contact, interviews, offers,
placement and decline. Each locks the candidate, lets the domain decide, writes its rows and announces its event.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from uuid import UUID, uuid4

from werkkloket_contracts import (
    AanbodGedaan,
    Afwijzingsgegevens,
    Afwijzingsreden,
    Contractvorm,
    EersteContactGelegd,
    GesprekGepland,
    Gespreksuitkomst,
    KandidaatAfgewezen,
    PlaatsingGerealiseerd,
    SollicitatiegesprekGehouden,
    Versleuteld,
    Werkgevergegevens,
)
from werkkloket_runtime.unit_of_work import UnitOfWork

from .. import domain
from ..adapters import kandidaten, opvolgingen, stappen
from ..domain import Stap
from .vastlegging import Vastlegging, gemeld


@dataclass(frozen=True, kw_only=True)
class Opdracht:
    """A step an agency records for a candidate it holds."""

    kandidaat_id: UUID
    uitzendbureau: str


@dataclass(frozen=True, kw_only=True)
class EersteContact(Opdracht):
    datum: date


@dataclass(frozen=True, kw_only=True)
class GesprekPlannen(Opdracht):
    werkgever: str
    datum: date


@dataclass(frozen=True, kw_only=True)
class GesprekHouden(Opdracht):
    werkgever: str | None
    datum: date
    uitkomst: Gespreksuitkomst | None = None
    gesprek_id: UUID | None = None  # the planned interview that was held


@dataclass(frozen=True, kw_only=True)
class Aanbod(Opdracht):
    werkgever: str
    datum: date


@dataclass(frozen=True, kw_only=True)
class Afwijzing(Opdracht):
    datum: date
    reden: Afwijzingsreden


@dataclass(frozen=True, kw_only=True)
class Plaatsen(Opdracht):
    werkgever: str
    startdatum: date
    uren_per_week: int
    contractvorm: Contractvorm | None = None
    sbi: str | None = None
    beroep: str | None = None


async def _kandidaat(uow: UnitOfWork, opdracht: Opdracht, stap: Stap, datum: date) -> domain.Kandidaat:
    """The candidate, locked, once the domain allows this step."""
    gevonden = await kandidaten.dossier(uow.conn, opdracht.kandidaat_id)
    domain.mag_vastleggen(gevonden[0] if gevonden else None, opdracht.uitzendbureau, stap, datum)
    assert gevonden is not None
    return gevonden[1]


async def eerste_contact(uow: UnitOfWork, cmd: EersteContact) -> Vastlegging:
    k = await _kandidaat(uow, cmd, Stap.EERSTE_CONTACT, cmd.datum)
    await kandidaten.eerste_contact(uow.conn, cmd.kandidaat_id, cmd.datum)
    return await gemeld(uow, EersteContactGelegd(**k.velden(), datum=cmd.datum))


async def gesprek_plannen(uow: UnitOfWork, cmd: GesprekPlannen) -> Vastlegging:
    k = await _kandidaat(uow, cmd, Stap.GESPREK_GEPLAND, cmd.datum)
    werkgever = await _werkgever(uow, cmd.kandidaat_id, cmd.werkgever)
    event = GesprekGepland(**k.velden(), gesprek_id=uuid4(), datum=cmd.datum, persoonlijk=werkgever)
    await stappen.bewaren(uow.conn, event, werkgever=cmd.werkgever)
    return await gemeld(uow, event, event.gesprek_id)


async def gesprek_houden(uow: UnitOfWork, cmd: GesprekHouden) -> Vastlegging:
    domain.gesprek_aangeduid(cmd.werkgever, cmd.gesprek_id)
    k = await _kandidaat(uow, cmd, Stap.GESPREK, cmd.datum)
    if cmd.gesprek_id is not None:
        gepland = await stappen.gepland_gesprek(uow.conn, cmd.gesprek_id, cmd.kandidaat_id)
        werkgever = domain.gepland_gesprek_houden(gepland, cmd.werkgever)
    else:
        werkgever = domain.genoemde_werkgever(cmd.werkgever)
    event = SollicitatiegesprekGehouden(
        **k.velden(),
        gesprek_id=cmd.gesprek_id or uuid4(),
        datum=cmd.datum,
        uitkomst=cmd.uitkomst,
        persoonlijk=await _werkgever(uow, cmd.kandidaat_id, werkgever),
    )
    if cmd.gesprek_id is None:
        await stappen.bewaren(uow.conn, event, werkgever=werkgever)
    else:
        await stappen.gepland_gesprek_gehouden(uow.conn, event, werkgever)
    return await gemeld(uow, event, event.gesprek_id)


async def aanbod(uow: UnitOfWork, cmd: Aanbod) -> Vastlegging:
    k = await _kandidaat(uow, cmd, Stap.AANBOD, cmd.datum)
    werkgever = await _werkgever(uow, cmd.kandidaat_id, cmd.werkgever)
    event = AanbodGedaan(**k.velden(), aanbod_id=uuid4(), datum=cmd.datum, persoonlijk=werkgever)
    await stappen.bewaren(uow.conn, event, werkgever=cmd.werkgever)
    return await gemeld(uow, event, event.aanbod_id)


async def afwijzing(uow: UnitOfWork, cmd: Afwijzing) -> Vastlegging:
    k = await _kandidaat(uow, cmd, Stap.AFWIJZING, cmd.datum)
    await kandidaten.afgewezen(uow.conn, cmd.kandidaat_id, cmd.datum, cmd.reden)
    reden = await uow.versleutel(cmd.kandidaat_id, Afwijzingsgegevens(reden=cmd.reden))
    return await gemeld(uow, KandidaatAfgewezen(**k.velden(), datum=cmd.datum, persoonlijk=reden))


async def plaatsen(uow: UnitOfWork, cmd: Plaatsen) -> Vastlegging:
    k = await _kandidaat(uow, cmd, Stap.PLAATSING, cmd.startdatum)
    event = PlaatsingGerealiseerd(
        **k.velden(),
        plaatsing_id=uuid4(),
        persoonlijk=await _werkgever(uow, cmd.kandidaat_id, cmd.werkgever),
        startdatum=cmd.startdatum,
        uren_per_week=cmd.uren_per_week,
        contractvorm=cmd.contractvorm,
        sbi=cmd.sbi,
        beroep=cmd.beroep,
    )
    await stappen.bewaren(uow.conn, event, werkgever=cmd.werkgever)
    await opvolgingen.aanmaken(uow.conn, event.plaatsing_id, k, domain.mijlpalen(cmd.startdatum))
    return await gemeld(uow, event, event.plaatsing_id)


async def _werkgever(uow: UnitOfWork, kandidaat_id: UUID, werkgever: str) -> Versleuteld:
    """The employer, encrypted for the person (on the bus, an employer with a date can single them out)."""
    return await uow.versleutel(kandidaat_id, Werkgevergegevens(werkgever=werkgever))
