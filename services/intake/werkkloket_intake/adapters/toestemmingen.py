"""Consent history in `intake.toestemmingen`: appended to, never changed."""

from __future__ import annotations

from collections.abc import Iterable
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection
from werkkloket_contracts import Toestemmingsdoel

from ..domain.toestemming import Toestemmingen, Toestemmingsregel
from .tables import toestemmingen


async def van(conn: AsyncConnection, kandidaat_id: UUID) -> Toestemmingen:
    t = toestemmingen.c
    rows = await conn.execute(select(toestemmingen).where(t.kandidaat_id == kandidaat_id).order_by(t.op, t.id))
    return Toestemmingen(
        tuple(
            Toestemmingsregel(
                Toestemmingsdoel(r.doel), r.gegeven, r.tekstversie, r.vastgelegd_door, r.organisatie, r.op
            )
            for r in rows
        )
    )


async def leg_vast(conn: AsyncConnection, kandidaat_id: UUID, regels: Iterable[Toestemmingsregel]) -> None:
    waarden = [
        {
            "kandidaat_id": kandidaat_id,
            "doel": r.doel.value,
            "gegeven": r.gegeven,
            "tekstversie": r.tekstversie,
            "vastgelegd_door": r.vastgelegd_door,
            "organisatie": r.organisatie,
            "op": r.op,
        }
        for r in regels
    ]
    if waarden:
        await conn.execute(toestemmingen.insert(), waarden)
