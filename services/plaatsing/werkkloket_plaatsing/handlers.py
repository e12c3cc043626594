"""Plaatsing's subscribers: it learns which agency holds which candidate, and who returned to a benefit."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection
from werkkloket_contracts import Envelope, HerinstroomGemeld, KandidaatHertoegewezen, KandidaatToegewezen, source_of

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


async def kandidaat_hertoegewezen(conn: AsyncConnection, env: Envelope[Any]) -> None:
    """The previous agency loses the candidate; '' (no agency code) when it went back to the gemeente."""
    event: KandidaatHertoegewezen = env.data
    await conn.execute(
        update(kandidaten)
        .where(kandidaten.c.kandidaat_id == event.kandidaat_id, kandidaten.c.toegewezen_op < env.time)
        .values(
            uitzendbureau=event.uitzendbureau or "",
            toegewezen_op=env.time,
            eerste_contact_op=None,
            afgewezen_op=None,
            afwijzingsreden=None,
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
