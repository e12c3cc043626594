"""Which screening categories a gemeente hands to agencies."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from ..domain.screening import STANDAARD_DOORVERWIJZING
from .tables import doorverwijzing


async def categorieen(conn: AsyncConnection, gemeente: str) -> frozenset[int]:
    gezet = await conn.scalar(select(doorverwijzing.c.categorieen).where(doorverwijzing.c.gemeente == gemeente))
    return frozenset(gezet) if gezet is not None else STANDAARD_DOORVERWIJZING


async def zet(conn: AsyncConnection, gemeente: str, categorieen: Sequence[int], door: str) -> None:
    stmt = insert(doorverwijzing).values(gemeente=gemeente, categorieen=list(categorieen), gewijzigd_door=door)
    await conn.execute(
        stmt.on_conflict_do_update(
            index_elements=[doorverwijzing.c.gemeente],
            set_={
                "categorieen": stmt.excluded.categorieen,
                "gewijzigd_door": door,
                "gewijzigd_op": stmt.excluded.gewijzigd_op,
            },
        )
    )
