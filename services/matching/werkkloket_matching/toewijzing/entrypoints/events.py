"""Toewijzing's event subscribers: profiles, screenings, withdrawn consent and ended mediation from intake; first
contacts, give-backs, a placement's end and the end of its follow-up from plaatsing."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from werkkloket_contracts import (
    AANMELDINGEN,
    PLAATSINGEN,
    AanmeldingOntvangen,
    Afwijzingsgegevens,
    Afwijzingsreden,
    BemiddelingBeeindigd,
    EersteContactGelegd,
    Envelope,
    KandidaatAfgewezen,
    KandidaatGescreend,
    OpvolgingBevestigd,
    PersoonsgegevensVerwijderd,
    PlaatsingBeeindigd,
    ProfielAangevuld,
    ToestemmingIngetrokken,
    Toestemmingsdoel,
    Toewijzingseinde,
)
from werkkloket_runtime.subscribers import EventRouter
from werkkloket_runtime.unit_of_work import UnitOfWork

from .. import service
from ..commands import Beeindigen, Teruggeven
from ..domain import Toewijzer


@dataclass
class Instellingen:
    """What the composition root configures for the subscribers (the term for first contact)."""

    toewijzer: Toewijzer = field(default_factory=Toewijzer)


instellingen = Instellingen()
events = EventRouter(AANMELDINGEN, PLAATSINGEN)


@events.subscriber(AanmeldingOntvangen, ProfielAangevuld)
async def profiel_ontvangen(uow: UnitOfWork, env: Envelope[Any]) -> None:
    """An assignment is dated as the aanmelding (or completed profile) that caused it."""
    await service.profiel_ontvangen(uow, env.data, instellingen.toewijzer, op=env.time)


@events.subscriber(KandidaatGescreend)
async def gescreend(uow: UnitOfWork, env: Envelope[Any]) -> None:
    await service.gescreend(uow, env.data, instellingen.toewijzer, op=env.time)


@events.subscriber(EersteContactGelegd)
async def eerste_contact(uow: UnitOfWork, env: Envelope[Any]) -> None:
    await service.eerste_contact(uow, env.data)


@events.subscriber(KandidaatAfgewezen)
async def teruggegeven(uow: UnitOfWork, env: Envelope[Any]) -> None:
    """The one way to give a candidate back: reassigned as a decline here is."""
    e: KandidaatAfgewezen = env.data
    afwijzing = await uow.open(e.kandidaat_id, e.persoonlijk, Afwijzingsgegevens)
    reden = afwijzing.reden if afwijzing is not None else Afwijzingsreden.OVERIG
    await service.teruggegeven(
        uow, Teruggeven(e.kandidaat_id, e.uitzendbureau, reden, env.time), instellingen.toewijzer
    )


@events.subscriber(PlaatsingBeeindigd)
async def plaatsing_beeindigd(uow: UnitOfWork, env: Envelope[Any]) -> None:
    e: PlaatsingBeeindigd = env.data
    einde = Toewijzingseinde.PLAATSING_BEEINDIGD
    await service.beeindig(uow, _beeindigen(env, einde, e.einddatum, van=e.uitzendbureau))


@events.subscriber(OpvolgingBevestigd)
async def opvolging_bevestigd(uow: UnitOfWork, env: Envelope[Any]) -> None:
    e: OpvolgingBevestigd = env.data
    if e.laatste:
        await service.beeindig(uow, _beeindigen(env, Toewijzingseinde.OPVOLGING_AFGEROND, e.datum, van=e.uitzendbureau))


@events.subscriber(ToestemmingIngetrokken)
async def toestemming_ingetrokken(uow: UnitOfWork, env: Envelope[Any]) -> None:
    e: ToestemmingIngetrokken = env.data
    if e.doel is Toestemmingsdoel.OVERDRACHT_UITZENDBUREAU:
        await service.beeindig(uow, _beeindigen(env, Toewijzingseinde.TOESTEMMING_INGETROKKEN, e.datum, blijvend=True))


@events.subscriber(PersoonsgegevensVerwijderd)
async def persoonsgegevens_verwijderd(uow: UnitOfWork, env: Envelope[Any]) -> None:
    """Erased: the assignment ends (the agency's place is freed), then every row about the person goes."""
    e: PersoonsgegevensVerwijderd = env.data
    await service.verwijderd(uow, e, _beeindigen(env, Toewijzingseinde.VERWIJDERD, e.datum, blijvend=True))


@events.subscriber(BemiddelingBeeindigd)
async def bemiddeling_beeindigd(uow: UnitOfWork, env: Envelope[Any]) -> None:
    e: BemiddelingBeeindigd = env.data
    await service.beeindig(uow, _beeindigen(env, Toewijzingseinde.BEMIDDELING_BEEINDIGD, e.datum, blijvend=True))


def _beeindigen(
    env: Envelope[Any], aanleiding: Toewijzingseinde, datum: date, *, van: str | None = None, blijvend: bool = False
) -> Beeindigen:
    e = env.data
    return Beeindigen(e.kandidaat_id, e.arbeidsmarktregio, e.gemeente, aanleiding, datum, env.time, van, blijvend)
