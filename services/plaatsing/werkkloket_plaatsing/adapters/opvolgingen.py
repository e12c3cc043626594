"""Durability follow-up tasks: one row per checkpoint (1, 3, 6, 12 months) of every placement."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any
from uuid import UUID

from sqlalchemy import Row, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from ..domain import Kandidaat, Opvolgstatus, Opvolgtaak
from .tables import opvolgingen

_o = opvolgingen.c


def _taak(row: Row[Any]) -> Opvolgtaak:
    return Opvolgtaak(
        plaatsing_id=row.plaatsing_id,
        kandidaat_id=row.kandidaat_id,
        maanden=row.maanden,
        mijlpaal=row.mijlpaal,
        status=Opvolgstatus(row.status),
    )


async def aanmaken(
    conn: AsyncConnection, plaatsing_id: UUID, kandidaat: Kandidaat, mijlpalen: Iterable[tuple[int, date]]
) -> None:
    await conn.execute(
        opvolgingen.insert(),
        [
            {
                "plaatsing_id": plaatsing_id,
                "maanden": maanden,
                "kandidaat_id": kandidaat.kandidaat_id,
                "uitzendbureau": kandidaat.uitzendbureau,
                "mijlpaal": mijlpaal,
                "status": Opvolgstatus.OPEN,
            }
            for maanden, mijlpaal in mijlpalen
        ],
    )


async def open_mijlpalen(conn: AsyncConnection, plaatsing_id: UUID) -> list[tuple[int, date]]:
    stmt = (
        select(_o.maanden, _o.mijlpaal)
        .where(_o.plaatsing_id == plaatsing_id, _o.status == Opvolgstatus.OPEN)
        .order_by(_o.maanden)
    )
    return [(r.maanden, r.mijlpaal) for r in (await conn.execute(stmt)).all()]


async def taak(conn: AsyncConnection, plaatsing_id: UUID, maanden: int) -> Opvolgtaak | None:
    stmt = select(opvolgingen).where(_o.plaatsing_id == plaatsing_id, _o.maanden == maanden)
    row = (await conn.execute(stmt)).first()
    return None if row is None else _taak(row)


async def afgehandeld(
    conn: AsyncConnection,
    plaatsing_id: UUID,
    maanden: int,
    status: Opvolgstatus,
    datum: date,
    reden: str | None = None,
) -> None:
    """A checkpoint confirmed or missed on `datum`."""
    values: dict[str, Any] = {"status": status, "afgehandeld": datum}
    if reden is not None:
        values["reden"] = reden
    await conn.execute(
        update(opvolgingen).where(_o.plaatsing_id == plaatsing_id, _o.maanden == maanden).values(**values)
    )


async def van_uitzendbureau(
    conn: AsyncConnection, uitzendbureau: str, status: Opvolgstatus, tot: date | None
) -> list[Opvolgtaak]:
    """The agency's tasks in this status, due on or before `tot` if given."""
    conditions = [_o.uitzendbureau == uitzendbureau, _o.status == status]
    if tot is not None:
        conditions.append(_o.mijlpaal <= tot)
    stmt = select(opvolgingen).where(*conditions).order_by(_o.mijlpaal, _o.plaatsing_id)
    return [_taak(row) for row in (await conn.execute(stmt)).all()]
