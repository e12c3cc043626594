"""The agencies in matching's table: the registry with the running count of each agency's candidates."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Row, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from ...adapters.tables import uitzendbureaus
from ..domain import Doel, Uitzendbureau


def bureau(r: Row[Any]) -> Uitzendbureau:
    return Uitzendbureau(
        code=r.code,
        naam=r.naam,
        sectoren=frozenset(r.sectoren),
        regios=frozenset(r.regios),
        capaciteit=r.capaciteit,
        actief=r.actief,
        gemeenten=frozenset(r.gemeenten),
        doel=Doel(r.doel_plaatsingen, r.doel_periode) if r.doel_plaatsingen is not None else None,
    )


async def in_regio(conn: AsyncConnection, regio: str) -> list[Uitzendbureau]:
    """The region's agencies, locked so that concurrent instances never overfill one."""
    rows = await conn.execute(
        select(uitzendbureaus)
        .where(uitzendbureaus.c.regios.any(regio))
        .order_by(uitzendbureaus.c.code)
        .with_for_update()
    )
    return [bureau(r) for r in rows]


async def tel(conn: AsyncConnection, code: str, delta: int) -> None:
    """One candidate more (+1) or fewer (-1) for this agency."""
    await conn.execute(
        update(uitzendbureaus).where(uitzendbureaus.c.code == code).values(actief=uitzendbureaus.c.actief + delta)
    )


async def alle(conn: AsyncConnection) -> Sequence[Row[Any]]:
    return (await conn.execute(select(uitzendbureaus).order_by(uitzendbureaus.c.code))).all()
