"""Moves (transfers and lendings) in matching's table."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any
from uuid import UUID

from sqlalchemy import Row, select, update
from sqlalchemy.ext.asyncio import AsyncConnection
from werkkloket_contracts import Mobiliteitsvorm

from ...adapters.tables import mobiliteiten, overschotten, tekorten


async def nieuw(conn: AsyncConnection, **waarden: Any) -> Row[Any]:
    found: Row[Any] = (await conn.execute(mobiliteiten.insert().values(**waarden).returning(mobiliteiten))).one()
    return found


async def vergrendel(conn: AsyncConnection, mobiliteit_id: UUID) -> Row[Any] | None:
    query = select(mobiliteiten).where(mobiliteiten.c.mobiliteit_id == mobiliteit_id).with_for_update()
    return (await conn.execute(query)).first()


async def met_werkgevers(conn: AsyncConnection, mobiliteit_id: UUID) -> Row[Any] | None:
    """The move with the employers it goes from (`van`) and to (`naar`), and their regions."""
    query = (
        select(
            mobiliteiten,
            overschotten.c.werkgever.label("van"),
            tekorten.c.werkgever.label("naar"),
            overschotten.c.arbeidsmarktregio.label("van_regio"),
            tekorten.c.arbeidsmarktregio.label("naar_regio"),
        )
        .join(overschotten, overschotten.c.overschot_id == mobiliteiten.c.overschot_id)
        .join(tekorten, tekorten.c.tekort_id == mobiliteiten.c.tekort_id)
        .where(mobiliteiten.c.mobiliteit_id == mobiliteit_id)
    )
    return (await conn.execute(query)).first()


async def rond_af(conn: AsyncConnection, mobiliteit_id: UUID, **waarden: Any) -> Row[Any]:
    query = (
        update(mobiliteiten)
        .where(mobiliteiten.c.mobiliteit_id == mobiliteit_id)
        .values(**waarden)
        .returning(mobiliteiten)
    )
    found: Row[Any] = (await conn.execute(query)).one()
    return found


async def lopende_detacheringen(conn: AsyncConnection, peildatum: date) -> Sequence[Row[Any]]:
    """The lendings due to return by peildatum, with their surplus's region and gemeente; locked, skipping the
    ones another transaction holds."""
    query = (
        select(mobiliteiten, overschotten.c.arbeidsmarktregio, overschotten.c.gemeente)
        .join(overschotten, overschotten.c.overschot_id == mobiliteiten.c.overschot_id)
        .where(
            mobiliteiten.c.vorm == Mobiliteitsvorm.DETACHERING.value,
            mobiliteiten.c.teruggekeerd_op.is_(None),
            mobiliteiten.c.beeindigd_op.is_(None),
            mobiliteiten.c.terugkeerdatum <= peildatum,
        )
        .with_for_update(of=mobiliteiten, skip_locked=True)
    )
    return (await conn.execute(query)).all()
