"""Placements with their candidate's region, and their end."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from sqlalchemy import Row, Select, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from ..domain import Plaatsing
from .kandidaten import kandidaat
from .tables import kandidaten, plaatsingen

_p = plaatsingen.c


def _met_kandidaat() -> Select[Any]:
    return select(plaatsingen, kandidaten.c.arbeidsmarktregio, kandidaten.c.gemeente).join(
        kandidaten, kandidaten.c.kandidaat_id == _p.kandidaat_id
    )


def _plaatsing(row: Row[Any]) -> Plaatsing:
    return Plaatsing(
        plaatsing_id=row.plaatsing_id,
        kandidaat=kandidaat(row),
        startdatum=row.startdatum,
        einddatum=row.einddatum,
    )


async def voor_wijziging(conn: AsyncConnection, plaatsing_id: UUID) -> Plaatsing | None:
    """The placement, locked until the end of the transaction."""
    stmt = _met_kandidaat().where(_p.plaatsing_id == plaatsing_id).with_for_update(of=plaatsingen)
    row = (await conn.execute(stmt)).first()
    return None if row is None else _plaatsing(row)


async def gestart_voor(conn: AsyncConnection, kandidaat_id: UUID, datum: date) -> list[Plaatsing]:
    """The candidate's placements that started before `datum`."""
    stmt = _met_kandidaat().where(_p.kandidaat_id == kandidaat_id, _p.startdatum < datum)
    return [_plaatsing(row) for row in (await conn.execute(stmt)).all()]


async def beeindigd(conn: AsyncConnection, plaatsing_id: UUID, einddatum: date, reden: str) -> None:
    await conn.execute(
        update(plaatsingen).where(_p.plaatsing_id == plaatsing_id).values(einddatum=einddatum, einde_reden=reden)
    )
