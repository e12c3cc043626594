"""The candidates plaatsing knows: which agency holds each, and its lifecycle so far."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any
from uuid import UUID

from sqlalchemy import Row, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from ..domain import Dossier, Kandidaat
from .tables import kandidaten

# A new assignment starts the lifecycle again.
_OPNIEUW: dict[str, Any] = {"eerste_contact_op": None, "afgewezen_op": None, "afwijzingsreden": None}


def kandidaat(row: Row[Any]) -> Kandidaat:
    """Whom an event about this row is about (with the agency of the row: the holder, or the placer)."""
    return Kandidaat(row.kandidaat_id, row.arbeidsmarktregio, row.gemeente, row.uitzendbureau)


async def dossier(conn: AsyncConnection, kandidaat_id: UUID) -> tuple[Dossier, Kandidaat] | None:
    """The candidate's lifecycle, locked until the end of the transaction."""
    k = kandidaten.c
    row = (await conn.execute(select(kandidaten).where(k.kandidaat_id == kandidaat_id).with_for_update())).first()
    if row is None:
        return None
    return (
        Dossier(
            uitzendbureau=row.uitzendbureau, eerste_contact_op=row.eerste_contact_op, afgewezen_op=row.afgewezen_op
        ),
        kandidaat(row),
    )


async def van_uitzendbureau(conn: AsyncConnection, uitzendbureau: str) -> Sequence[Row[Any]]:
    k = kandidaten.c
    stmt = select(kandidaten).where(k.uitzendbureau == uitzendbureau).order_by(k.toegewezen_op, k.kandidaat_id)
    return (await conn.execute(stmt)).all()


async def _bijwerken(conn: AsyncConnection, kandidaat_id: UUID, **waarden: Any) -> None:
    await conn.execute(update(kandidaten).where(kandidaten.c.kandidaat_id == kandidaat_id).values(**waarden))


async def eerste_contact(conn: AsyncConnection, kandidaat_id: UUID, datum: date) -> None:
    await _bijwerken(conn, kandidaat_id, eerste_contact_op=datum)


async def afgewezen(conn: AsyncConnection, kandidaat_id: UUID, datum: date, reden: str) -> None:
    """The agency gave the candidate back to the gemeente."""
    await _bijwerken(conn, kandidaat_id, afgewezen_op=datum, afwijzingsreden=reden)


async def toegewezen(
    conn: AsyncConnection, kandidaat_id: UUID, uitzendbureau: str, arbeidsmarktregio: str, gemeente: str, op: datetime
) -> None:
    """Record an assignment; a later one (after a decline) replaces an earlier one."""
    stmt = insert(kandidaten).values(
        kandidaat_id=kandidaat_id,
        uitzendbureau=uitzendbureau,
        arbeidsmarktregio=arbeidsmarktregio,
        gemeente=gemeente,
        toegewezen_op=op,
    )
    await conn.execute(
        stmt.on_conflict_do_update(
            index_elements=[kandidaten.c.kandidaat_id],
            set_={
                "uitzendbureau": stmt.excluded.uitzendbureau,
                "toegewezen_op": stmt.excluded.toegewezen_op,
                **_OPNIEUW,
            },
            where=kandidaten.c.toegewezen_op < stmt.excluded.toegewezen_op,
        )
    )


async def hertoegewezen(conn: AsyncConnection, kandidaat_id: UUID, uitzendbureau: str, op: datetime) -> None:
    """Another agency (or '' for none) holds the candidate from `op`, unless a later assignment is known."""
    k = kandidaten.c
    await conn.execute(
        update(kandidaten)
        .where(k.kandidaat_id == kandidaat_id, k.toegewezen_op < op)
        .values(uitzendbureau=uitzendbureau, toegewezen_op=op, **_OPNIEUW)
    )
