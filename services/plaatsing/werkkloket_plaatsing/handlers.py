"""Plaatsing's subscribers: it learns which agency holds which candidate, and who returned to a benefit."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection
from werkkloket_contracts import Envelope, HerinstroomGemeld, KandidaatToegewezen, source_of

from . import domain
from .opvolging import beeindig
from .store import kandidaten, plaatsingen


async def kandidaat_toegewezen(conn: AsyncConnection, env: Envelope[Any]) -> None:
    event: KandidaatToegewezen = env.data
    stmt = insert(kandidaten).values(
        kandidaat_id=event.kandidaat_id,
        uitzendbureau=event.uitzendbureau,
        arbeidsmarktregio=event.arbeidsmarktregio,
        gemeente=event.gemeente,
        toegewezen_op=env.time,
    )
    await conn.execute(
        stmt.on_conflict_do_update(
            index_elements=[kandidaten.c.kandidaat_id],
            # A new assignment (after a decline) starts the lifecycle again with the new agency.
            set_={
                "uitzendbureau": stmt.excluded.uitzendbureau,
                "toegewezen_op": stmt.excluded.toegewezen_op,
                "eerste_contact_op": None,
                "afgewezen_op": None,
                "afwijzingsreden": None,
            },
            where=kandidaten.c.toegewezen_op < stmt.excluded.toegewezen_op,
        )
    )


async def herinstroom(conn: AsyncConnection, env: Envelope[Any]) -> None:
    """A return to a benefit misses every later checkpoint of the placements that had started by then."""
    event: HerinstroomGemeld = env.data
    rows = (
        await conn.execute(
            select(plaatsingen, kandidaten.c.arbeidsmarktregio, kandidaten.c.gemeente)
            .join(kandidaten, kandidaten.c.kandidaat_id == plaatsingen.c.kandidaat_id)
            .where(plaatsingen.c.kandidaat_id == event.kandidaat_id, plaatsingen.c.startdatum < event.datum)
        )
    ).all()
    laatste = domain.laatste_werkdag(None, event.datum)
    assert laatste is not None
    for row in rows:
        await beeindig(conn, row, laatste, "herinstroom", source_of("plaatsing"))
