"""Workers' skills paspoorten and the employers they consented to share them with."""

from __future__ import annotations

import hashlib
import hmac
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import Row, and_, or_, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from ...adapters.tables import overschotten, paspoorten, paspoortinstemmingen, paspoorttoestemmingen


def hash_key(key: str) -> str:
    """A worker's key is kept as its SHA-256 only."""
    return hashlib.sha256(key.encode()).hexdigest()


async def nieuw(conn: AsyncConnection, sleutel: str, **waarden: Any) -> UUID:
    """Store a paspoort; of the worker's key only its hash."""
    query = paspoorten.insert().values(sleutel_sha256=hash_key(sleutel), **waarden).returning(paspoorten.c.paspoort_id)
    paspoort_id: UUID = (await conn.execute(query)).scalar_one()
    return paspoort_id


async def lees(conn: AsyncConnection, paspoort_id: UUID) -> Row[Any] | None:
    """The paspoort with the arbeidsmarktregio of its surplus (None without one)."""
    query = (
        select(paspoorten, overschotten.c.arbeidsmarktregio)
        .select_from(paspoorten.outerjoin(overschotten, overschotten.c.overschot_id == paspoorten.c.overschot_id))
        .where(paspoorten.c.paspoort_id == paspoort_id)
    )
    return (await conn.execute(query)).first()


def van_werknemer(p: Row[Any], sleutel: str | None, persoon: str | None = None) -> bool:
    """Whether the worker itself asks: with its own key, or logged in as the worker who linked the paspoort."""
    if persoon is not None and p.werknemer is not None and p.werknemer == persoon:
        return True
    return sleutel is not None and hmac.compare_digest(p.sleutel_sha256, hash_key(sleutel))


async def koppel(conn: AsyncConnection, paspoort_id: UUID, persoon: str) -> bool:
    """Link the paspoort to the worker's login; False when another login has it already."""
    query = (
        paspoorten.update()
        .where(paspoorten.c.paspoort_id == paspoort_id)
        .where(or_(paspoorten.c.werknemer.is_(None), paspoorten.c.werknemer == persoon))
        .values(werknemer=persoon)
        .returning(paspoorten.c.paspoort_id)
    )
    return (await conn.execute(query)).first() is not None


async def gedeeld_met(conn: AsyncConnection, paspoort_id: UUID) -> list[str]:
    query = (
        select(paspoorttoestemmingen.c.werkgever)
        .where(paspoorttoestemmingen.c.paspoort_id == paspoort_id)
        .order_by(paspoorttoestemmingen.c.werkgever)
    )
    return list((await conn.execute(query)).scalars())


async def geef_toestemming(conn: AsyncConnection, paspoort_id: UUID, werkgever: str, nu: datetime) -> None:
    await conn.execute(
        insert(paspoorttoestemmingen)
        .values(paspoort_id=paspoort_id, werkgever=werkgever, gegeven_op=nu)
        .on_conflict_do_nothing()
    )


async def trek_toestemming_in(conn: AsyncConnection, paspoort_id: UUID, werkgever: str) -> None:
    await conn.execute(
        paspoorttoestemmingen.delete().where(
            and_(paspoorttoestemmingen.c.paspoort_id == paspoort_id, paspoorttoestemmingen.c.werkgever == werkgever)
        )
    )


async def ontkoppel(conn: AsyncConnection, paspoort_id: UUID, persoon: str) -> bool:
    """Unlink the worker's login; False when this login had not linked it."""
    query = (
        paspoorten.update()
        .where(paspoorten.c.paspoort_id == paspoort_id, paspoorten.c.werknemer == persoon)
        .values(werknemer=None)
        .returning(paspoorten.c.paspoort_id)
    )
    return (await conn.execute(query)).first() is not None


async def trek_alles_in(conn: AsyncConnection, paspoort_id: UUID) -> list[str]:
    """Stop sharing with every employer; the employers it was shared with."""
    query = (
        paspoorttoestemmingen.delete()
        .where(paspoorttoestemmingen.c.paspoort_id == paspoort_id)
        .returning(paspoorttoestemmingen.c.werkgever)
    )
    return sorted((await conn.execute(query)).scalars())


async def leg_instemming_vast(
    conn: AsyncConnection, paspoort_id: UUID, *, gegeven: bool, tekstversie: str, werknemer: str, op: datetime
) -> None:
    await conn.execute(
        paspoortinstemmingen.insert().values(
            paspoort_id=paspoort_id, gegeven=gegeven, tekstversie=tekstversie, werknemer=werknemer, op=op
        )
    )


async def instemmingen(conn: AsyncConnection, paspoort_id: UUID) -> list[Row[Any]]:
    i = paspoortinstemmingen.c
    query = select(paspoortinstemmingen).where(i.paspoort_id == paspoort_id).order_by(i.op, i.id)
    return list((await conn.execute(query)).all())
