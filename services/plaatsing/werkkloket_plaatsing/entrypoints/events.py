"""Plaatsing's subscribers: it learns which agency holds which candidate, and who returned to a benefit."""

from __future__ import annotations

from typing import Any

from werkkloket_contracts import (
    AANMELDINGEN,
    TOEWIJZINGEN,
    Afwijzingsgegevens,
    Envelope,
    HerinstroomGemeld,
    Hertoewijzingsaanleiding,
    KandidaatHertoegewezen,
    KandidaatToegewezen,
    PersoonsgegevensVerwijderd,
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
    afwijzing = await uow.open(e.kandidaat_id, e.persoonlijk, Afwijzingsgegevens)
    cmd = toewijzing.Hertoewijzing(
        kandidaat_id=e.kandidaat_id,
        uitzendbureau=e.uitzendbureau or "",
        op=env.time,
        afgewezen_door=e.vorig_uitzendbureau if afgewezen else None,
        afwijzingsreden=afwijzing.reden if afwijzing is not None else None,
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


@events.subscriber(PersoonsgegevensVerwijderd)
async def persoonsgegevens_verwijderd(uow: UnitOfWork, env: Envelope[Any]) -> None:
    """Erased: every row about the person goes (the agency's record of contact, interviews, placements and
    follow-ups with them), and the receipt stays."""
    await toewijzing.verwijderd(uow, env.data, env.time)
