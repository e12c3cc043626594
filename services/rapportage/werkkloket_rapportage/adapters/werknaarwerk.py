"""Werk naar werk in the read model: the employers' reports and the moves, written from events and read back."""

from __future__ import annotations

from dataclasses import fields
from datetime import date
from typing import Any
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection
from werkkloket_contracts import Gebeurtenis, MobiliteitGestart

from ..domain.werknaarwerk import Beweging, Melding
from .tables import mobiliteiten as m
from .tables import werk_naar_werk_meldingen as meld

# The columns of a move that its MobiliteitGestart carries as they are.
GESTART_KOLOMMEN = (
    "mobiliteit_id", "overschot_id", "werknemer_id", "arbeidsmarktregio", "gemeente", "naar_regio", "van_sector",
    "naar_sector", "startdatum", "terugkeerdatum",
)  # fmt: skip


async def melding(
    conn: AsyncConnection,
    e: Gebeurtenis,
    id_: UUID,
    soort: str,
    werkgever: str,
    aantal: int,
    vanaf: date,
) -> None:
    await conn.execute(
        insert(meld)
        .values(
            id=id_,
            soort=soort,
            arbeidsmarktregio=e.arbeidsmarktregio,
            gemeente=e.gemeente,
            werkgever=werkgever,
            aantal=aantal,
            vanaf=vanaf,
            voorstellen=0,
        )
        .on_conflict_do_nothing()
    )


async def voorstel(conn: AsyncConnection, overschot_id: UUID) -> None:
    # The inbox guarantees each event is applied once, so counting is exact.
    await conn.execute(meld.update().where(meld.c.id == overschot_id).values(voorstellen=meld.c.voorstellen + 1))


async def gestart(conn: AsyncConnection, e: MobiliteitGestart) -> None:
    values: dict[str, Any] = {k: getattr(e, k) for k in GESTART_KOLOMMEN}
    await conn.execute(insert(m).values(**values, vorm=e.vorm.value).on_conflict_do_nothing())


async def afgelopen(conn: AsyncConnection, mobiliteit_id: UUID, **datum: date) -> None:
    """A move returned (`teruggekeerd_op`) or ended (`beeindigd_op`) on this date."""
    await conn.execute(m.update().where(m.c.mobiliteit_id == mobiliteit_id).values(**datum))


async def bewegingen(conn: AsyncConnection, regios: frozenset[str] | None) -> list[Beweging]:
    """The moves of these regions (None: all)."""
    query = select(*(m.c[v.name] for v in fields(Beweging)))
    if regios is not None:
        query = query.where(m.c.arbeidsmarktregio.in_(sorted(regios)))
    return [Beweging(**{**r._mapping, "werknemer_id": str(r.werknemer_id)}) for r in (await conn.execute(query)).all()]


async def meldingen(conn: AsyncConnection, regios: frozenset[str] | None) -> list[Melding]:
    query = select(*(meld.c[v.name] for v in fields(Melding)))
    if regios is not None:
        query = query.where(meld.c.arbeidsmarktregio.in_(sorted(regios)))
    return [Melding(**r._mapping) for r in (await conn.execute(query)).all()]
