"""Intake's subscribers: it follows assignments, to tell the gemeente and to authorise the agency."""

from __future__ import annotations

from typing import Any

from werkkloket_contracts import (
    TOEWIJZINGEN,
    Envelope,
    KandidaatHertoegewezen,
    KandidaatToegewezen,
    ToewijzingBeeindigd,
    ToewijzingMislukt,
)
from werkkloket_runtime.subscribers import EventRouter
from werkkloket_runtime.unit_of_work import UnitOfWork

from ..services import toewijzing

events = EventRouter(TOEWIJZINGEN)


@events.subscriber(KandidaatToegewezen, KandidaatHertoegewezen, ToewijzingMislukt)
async def toewijzing_gewijzigd(uow: UnitOfWork, env: Envelope[Any]) -> None:
    """Assigned, reassigned (the old agency loses access to the contact data), or assigned to no agency."""
    event: KandidaatToegewezen | KandidaatHertoegewezen | ToewijzingMislukt = env.data
    bureau = None if isinstance(event, ToewijzingMislukt) else event.uitzendbureau
    await toewijzing.verwerk(uow, toewijzing.Toewijzing(event.kandidaat_id, bureau, env.time, event.toewijzingsversie))


@events.subscriber(ToewijzingBeeindigd)
async def toewijzing_beeindigd(uow: UnitOfWork, env: Envelope[Any]) -> None:
    """No agency holds the candidate any more: the last one loses access."""
    e: ToewijzingBeeindigd = env.data
    t = toewijzing.Toewijzing(e.kandidaat_id, None, env.time, e.toewijzingsversie, einde=e.aanleiding)
    await toewijzing.verwerk(uow, t)
