"""The rows of a candidate's steps (interviews, offers, placements), written from the events that announce them."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from sqlalchemy import Table, select, update
from sqlalchemy.ext.asyncio import AsyncConnection
from werkkloket_contracts import (
    AanbodGedaan,
    GesprekGepland,
    KandidaatGebeurtenis,
    PlaatsingGerealiseerd,
    SollicitatiegesprekGehouden,
)

from ..domain import Gesprek
from .tables import aanbiedingen, gesprekken, plaatsingen

# The table of each step, and what its row holds beyond what the event carries.
_TABELLEN: dict[type[KandidaatGebeurtenis], tuple[Table, dict[str, Any]]] = {
    GesprekGepland: (gesprekken, {"gehouden": False}),
    SollicitatiegesprekGehouden: (gesprekken, {"gehouden": True}),
    AanbodGedaan: (aanbiedingen, {}),
    PlaatsingGerealiseerd: (plaatsingen, {}),
}


async def bewaren(conn: AsyncConnection, event: KandidaatGebeurtenis, *, werkgever: str) -> None:
    """Insert a step's row: the columns of its table that its event carries, and the employer (which the event
    carries only encrypted)."""
    tabel, extra = _TABELLEN[type(event)]
    velden = type(event).model_fields
    rij = {c.name: getattr(event, c.name) for c in tabel.columns if c.name in velden}
    await conn.execute(tabel.insert().values({**rij, **extra, "werkgever": werkgever}))


async def gepland_gesprek(conn: AsyncConnection, gesprek_id: UUID, kandidaat_id: UUID) -> Gesprek | None:
    g = gesprekken.c
    row = (
        await conn.execute(select(gesprekken).where(g.gesprek_id == gesprek_id, g.kandidaat_id == kandidaat_id))
    ).first()
    return None if row is None else Gesprek(werkgever=row.werkgever, gehouden=row.gehouden)


async def gepland_gesprek_gehouden(conn: AsyncConnection, e: SollicitatiegesprekGehouden, werkgever: str) -> None:
    await conn.execute(
        update(gesprekken)
        .where(gesprekken.c.gesprek_id == e.gesprek_id)
        .values(gehouden=True, datum=e.datum, werkgever=werkgever, uitkomst=e.uitkomst)
    )
