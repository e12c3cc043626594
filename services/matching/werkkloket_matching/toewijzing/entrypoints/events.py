"""Toewijzing's event subscribers: profiles and screenings from intake, first contacts from plaatsing."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from werkkloket_contracts import (
    AANMELDINGEN,
    PLAATSINGEN,
    AanmeldingOntvangen,
    EersteContactGelegd,
    Envelope,
    KandidaatGescreend,
    ProfielAangevuld,
)
from werkkloket_runtime.subscribers import EventRouter
from werkkloket_runtime.unit_of_work import UnitOfWork

from .. import service
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
