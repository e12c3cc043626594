"""Plaatsing's subscribers: it learns which agency holds which candidate, and who returned to a benefit."""

from __future__ import annotations

from typing import Any

from werkkloket_contracts import (
    AANMELDINGEN,
    TOEWIJZINGEN,
    Envelope,
    HerinstroomGemeld,
    Hertoewijzingsaanleiding,
    KandidaatHertoegewezen,
    KandidaatToegewezen,
    ToewijzingBeeindigd,
)
from werkkloket_runtime.subscribers import EventRouter
from werkkloket_runtime.unit_of_work import UnitOfWork

from ..services import duurzaamheid, toewijzing

events = EventRouter(TOEWIJZINGEN, AANMELDINGEN)


@events.subscriber(KandidaatToegewezen)
async def kandidaat_toegewezen(uow: UnitOfWork, env: Envelope[Any]) -> None:
    e: KandidaatToegewezen = env.data
    await toewijzing.toegewezen(
        uow,
        toewijzing.Toewijzing(
            kandidaat_id=e.kandidaat_id,
            uitzendbureau=e.uitzendbureau,
            arbeidsmarktregio=e.arbeidsmarktregio,
            gemeente=e.gemeente,
            op=env.time,
        ),
    )


@events.subscriber(KandidaatHertoegewezen)
async def kandidaat_hertoegewezen(uow: UnitOfWork, env: Envelope[Any]) -> None:
    e: KandidaatHertoegewezen = env.data
    afgewezen = e.aanleiding is Hertoewijzingsaanleiding.AFGEWEZEN
    cmd = toewijzing.Hertoewijzing(
        kandidaat_id=e.kandidaat_id,
        uitzendbureau=e.uitzendbureau or "",
        op=env.time,
        afgewezen_door=e.vorig_uitzendbureau if afgewezen else None,
        afwijzingsreden=e.afwijzingsreden,
    )
    await toewijzing.hertoegewezen(uow, cmd)


@events.subscriber(ToewijzingBeeindigd)
async def toewijzing_beeindigd(uow: UnitOfWork, env: Envelope[Any]) -> None:
    """No agency holds the candidate any more: none may record steps for it."""
    e: ToewijzingBeeindigd = env.data
    await toewijzing.hertoegewezen(
        uow, toewijzing.Hertoewijzing(kandidaat_id=e.kandidaat_id, uitzendbureau="", op=env.time)
    )


@events.subscriber(HerinstroomGemeld)
async def herinstroom(uow: UnitOfWork, env: Envelope[Any]) -> None:
    await duurzaamheid.herinstroom(uow, env.data)
