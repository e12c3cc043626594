"""Durability follow-up: the checkpoint tasks of a placement and the events when checkpoints are missed."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncConnection
from werkkloket_contracts import OpvolgingGemist, encode
from werkkloket_runtime.outbox import enqueue

from . import domain
from .store import opvolgingen, outbox


async def opvolgingen_aanmaken(
    conn: AsyncConnection, plaatsing_id: UUID, kandidaat_id: UUID, uitzendbureau: str, startdatum: date
) -> None:
    await conn.execute(
        opvolgingen.insert(),
        [
            {
                "plaatsing_id": plaatsing_id,
                "maanden": maanden,
                "kandidaat_id": kandidaat_id,
                "uitzendbureau": uitzendbureau,
                "mijlpaal": mijlpaal,
                "status": domain.Opvolgstatus.OPEN,
            }
            for maanden, mijlpaal in domain.mijlpalen(startdatum)
        ],
    )


async def beeindig(conn: AsyncConnection, plaatsing: Any, laatste_werkdag: date, reden: str, source: str) -> int:
    """Mark the open checkpoints after the last day in work as missed, each with an OpvolgingGemist event."""
    o = opvolgingen
    open_ = (
        await conn.execute(
            select(o.c.maanden, o.c.mijlpaal)
            .where(o.c.plaatsing_id == plaatsing.plaatsing_id, o.c.status == domain.Opvolgstatus.OPEN)
            .order_by(o.c.maanden)
        )
    ).all()
    missed = domain.gemist([(r.maanden, r.mijlpaal) for r in open_], laatste_werkdag)
    for maanden, mijlpaal in missed:
        await conn.execute(
            update(o)
            .where(o.c.plaatsing_id == plaatsing.plaatsing_id, o.c.maanden == maanden)
            .values(status=domain.Opvolgstatus.GEMIST, afgehandeld=laatste_werkdag, reden=reden)
        )
        event = OpvolgingGemist(
            kandidaat_id=plaatsing.kandidaat_id,
            arbeidsmarktregio=plaatsing.arbeidsmarktregio,
            gemeente=plaatsing.gemeente,
            plaatsing_id=plaatsing.plaatsing_id,
            uitzendbureau=plaatsing.uitzendbureau,
            maanden=maanden,
            mijlpaal=mijlpaal,
            reden=reden,
        )
        await enqueue(conn, outbox, encode(event, source=source))
    return len(missed)
