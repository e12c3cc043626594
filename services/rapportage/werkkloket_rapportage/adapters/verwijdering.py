"""An erased person in the read model: their rows stay as anonymous counts, emptied of what only their key opened
(so a replay, which can no longer open it, rebuilds exactly the same)."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncConnection
from werkkloket_contracts import PersoonsgegevensVerwijderd
from werkkloket_runtime import verwijdering
from werkkloket_runtime.unit_of_work import UnitOfWork

from .tables import SCHEMA, plaatsingen, verwijderingen

# What a replay cannot read once the person's key is gone: fields that arrive encrypted for the person.
ONLEESBAAR: dict[str, list[str]] = {"plaatsingen": ["werkgever", "einde_reden"]}
# The rows that stay, as anonymous counts (the funnel's totals do not change).
BEHOUDEN = ("funnel_kandidaten", "plaatsingen")


async def verwijderd(uow: UnitOfWork, event: PersoonsgegevensVerwijderd, op: datetime) -> None:
    """The person is erased: their rows stay as counts, emptied; anything else about them goes; receipt kept."""
    geanonimiseerd = await anonimiseer(uow.conn, event.kandidaat_id)
    await verwijdering.voer_uit(
        uow, event, SCHEMA, verwijderingen, op=op, behalve=BEHOUDEN, geanonimiseerd=geanonimiseerd
    )


async def anonimiseer(conn: AsyncConnection, kandidaat_id: UUID) -> dict[str, list[str]]:
    """Empty the person's encrypted-at-source columns; returns what was emptied where (for the receipt)."""
    p = plaatsingen.c
    result = await conn.execute(
        update(plaatsingen).where(p.kandidaat_id == kandidaat_id).values(werkgever=None, einde_reden=None)
    )
    return dict(ONLEESBAAR) if result.rowcount else {}
