"""The vacancies in matching's table."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any
from uuid import UUID

from sqlalchemy import Row, or_, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from ...adapters.tables import vacatures
from .. import domain


def vacature(r: Row[Any]) -> domain.Vacature:
    return domain.Vacature(
        vacature_id=str(r.vacature_id),
        beroep=r.beroep,
        postcodegebied=r.postcodegebied,
        uren_per_week=r.uren_per_week,
        skills=frozenset(r.skills),
        opleidingsniveau=r.opleidingsniveau,
        open_tot=r.open_tot,
    )


async def nieuw(conn: AsyncConnection, **waarden: Any) -> Row[Any]:
    found: Row[Any] = (await conn.execute(vacatures.insert().values(**waarden).returning(vacatures))).one()
    return found


async def lees(conn: AsyncConnection, vacature_id: UUID, *, vergrendeld: bool = False) -> Row[Any] | None:
    query = select(vacatures).where(vacatures.c.vacature_id == vacature_id)
    return (await conn.execute(query.with_for_update() if vergrendeld else query)).first()


async def sluit(conn: AsyncConnection, vacature_id: UUID, reden: str, nu: datetime) -> None:
    await conn.execute(
        update(vacatures).where(vacatures.c.vacature_id == vacature_id).values(gesloten_op=nu, sluitreden=reden)
    )


async def verlopen(conn: AsyncConnection, peildatum: date, gemeente: str | None = None) -> list[UUID]:
    """Open vacancies past their open_tot as of peildatum (the rule of `domain.verlopen`), oldest first."""
    query = select(vacatures.c.vacature_id).where(vacatures.c.gesloten_op.is_(None), vacatures.c.open_tot < peildatum)
    if gemeente is not None:
        query = query.where(vacatures.c.gemeente == gemeente)
    rows = await conn.execute(query.order_by(vacatures.c.open_tot, vacatures.c.vacature_id))
    return [r.vacature_id for r in rows]


async def open_in_regio(
    conn: AsyncConnection, regio: str, peildatum: date, beroepen: Iterable[str], sectoren: Iterable[str]
) -> Sequence[Row[Any]]:
    """The region's open vacancies for these occupations, or in these sectors."""
    return (
        await conn.execute(
            select(vacatures).where(
                vacatures.c.arbeidsmarktregio == regio,
                vacatures.c.gesloten_op.is_(None),
                vacatures.c.open_tot >= peildatum,
                or_(vacatures.c.beroep.in_(sorted(beroepen)), vacatures.c.sector.in_(sorted(sectoren))),
            )
        )
    ).all()
