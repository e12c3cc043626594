"""The candidates' coded profiles, their assignments and the reassignments, in matching's tables.

The `toewijzingen` row (primary key kandidaat_id) is claimed with INSERT ... ON CONFLICT DO NOTHING, and every
later change locks it (FOR UPDATE), so several instances in one consumer group never decide twice.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any
from uuid import UUID

from sqlalchemy import Row, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from ...adapters.sql import upsert
from ...adapters.tables import hertoewijzingen, kandidaten, toewijzingen


async def bewaar_kandidaat(conn: AsyncConnection, kandidaat_id: UUID, **waarden: Any) -> None:
    """Keep the coded profile as intake handed it over (the latest one wins)."""
    await conn.execute(
        upsert(
            kandidaten,
            kandidaten.c.kandidaat_id,
            ("profiel", "categorie", "naar_uitzendbureau", "bijgewerkt_op"),
            kandidaat_id=kandidaat_id,
            **waarden,
        )
    )


async def herscreen(conn: AsyncConnection, kandidaat_id: UUID, categorie: int, naar: bool) -> Row[Any] | None:
    """Store a new category; the candidate's profile, or None when matching does not know it."""
    found: Row[Any] | None = (
        await conn.execute(
            update(kandidaten)
            .where(kandidaten.c.kandidaat_id == kandidaat_id)
            .values(categorie=categorie, naar_uitzendbureau=naar)
            .returning(kandidaten.c.profiel)
        )
    ).first()
    return found


async def profiel(conn: AsyncConnection, kandidaat_id: UUID) -> dict[str, Any] | None:
    found: dict[str, Any] | None = await conn.scalar(
        select(kandidaten.c.profiel).where(kandidaten.c.kandidaat_id == kandidaat_id)
    )
    return found


async def claim(conn: AsyncConnection, kandidaat_id: UUID, regio: str, gemeente: str, nu: datetime) -> bool:
    """Take the decision on this candidate; False when it was decided on before."""
    claimed = await conn.execute(
        insert(toewijzingen)
        .values(
            kandidaat_id=kandidaat_id,
            arbeidsmarktregio=regio,
            gemeente=gemeente,
            status="in_behandeling",
            besloten_op=nu,
        )
        .on_conflict_do_nothing()
        .returning(toewijzingen.c.kandidaat_id)
    )
    return claimed.first() is not None


async def zet(conn: AsyncConnection, kandidaat_id: UUID, **waarden: Any) -> None:
    await conn.execute(update(toewijzingen).where(toewijzingen.c.kandidaat_id == kandidaat_id).values(**waarden))


async def eerste_contact(conn: AsyncConnection, kandidaat_id: UUID, bureau: str, datum: date) -> None:
    """The first contact of the agency that holds the candidate; a later one, or another agency's, is ignored."""
    await conn.execute(
        update(toewijzingen)
        .where(
            toewijzingen.c.kandidaat_id == kandidaat_id,
            toewijzingen.c.uitzendbureau == bureau,
            toewijzingen.c.eerste_contact_op.is_(None),
        )
        .values(eerste_contact_op=datum)
    )


async def lees(conn: AsyncConnection, kandidaat_id: UUID, *, vergrendeld: bool = False) -> Row[Any] | None:
    query = select(toewijzingen).where(toewijzingen.c.kandidaat_id == kandidaat_id)
    return (await conn.execute(query.with_for_update() if vergrendeld else query)).first()


async def verlopen(conn: AsyncConnection, peildatum: date, gemeente: str | None = None) -> list[UUID]:
    """Candidates whose agency made no first contact within the term, as of peildatum."""
    query = select(toewijzingen.c.kandidaat_id).where(
        toewijzingen.c.status == "toegewezen",
        toewijzingen.c.eerste_contact_op.is_(None),
        toewijzingen.c.termijn_tot < peildatum,
    )
    if gemeente is not None:
        query = query.where(toewijzingen.c.gemeente == gemeente)
    return [r.kandidaat_id for r in await conn.execute(query.order_by(toewijzingen.c.termijn_tot))]


async def leg_hertoewijzing_vast(conn: AsyncConnection, **waarden: Any) -> None:
    await conn.execute(hertoewijzingen.insert().values(**waarden))


async def hertoewijzingen_van(
    conn: AsyncConnection, binnen: frozenset[str] | None, gemeente: str | None, limit: int
) -> Sequence[Row[Any]]:
    """The latest reassignments within these gemeenten (None: all), of one gemeente if given."""
    h = hertoewijzingen
    query = select(h).order_by(h.c.op.desc()).limit(limit)
    if binnen is not None:
        query = query.where(h.c.gemeente.in_(sorted(binnen)))
    if gemeente is not None:
        query = query.where(h.c.gemeente == gemeente)
    return (await conn.execute(query)).all()


async def van_bureau(conn: AsyncConnection, bureau: str) -> Sequence[Row[Any]]:
    """The agency's own candidates, in the order they were assigned."""
    return (
        await conn.execute(
            select(toewijzingen)
            .where(toewijzingen.c.uitzendbureau == bureau, toewijzingen.c.status == "toegewezen")
            .order_by(toewijzingen.c.toegewezen_op, toewijzingen.c.kandidaat_id)
        )
    ).all()
