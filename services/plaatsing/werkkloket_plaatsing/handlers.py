"""Plaatsing's subscriber: it learns which agency holds which candidate."""

from __future__ import annotations

from typing import Any

from sqlalchemy import update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection
from werkkloket_contracts import Envelope, KandidaatHertoegewezen, KandidaatToegewezen

from .store import kandidaten


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
            set_={"uitzendbureau": stmt.excluded.uitzendbureau, "toegewezen_op": stmt.excluded.toegewezen_op},
            where=kandidaten.c.toegewezen_op < stmt.excluded.toegewezen_op,
        )
    )


async def kandidaat_hertoegewezen(conn: AsyncConnection, env: Envelope[Any]) -> None:
    """The previous agency loses the candidate; '' (no agency code) when it went back to the gemeente."""
    event: KandidaatHertoegewezen = env.data
    await conn.execute(
        update(kandidaten)
        .where(kandidaten.c.kandidaat_id == event.kandidaat_id, kandidaten.c.toegewezen_op < env.time)
        .values(uitzendbureau=event.uitzendbureau or "", toegewezen_op=env.time, eerste_contact_op=None)
    )
