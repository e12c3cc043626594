"""Intake's subscribers: it follows assignments to tell the gemeente and to authorise the agency."""

from __future__ import annotations

from typing import Any

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncConnection
from werkkloket_contracts import Envelope, KandidaatHertoegewezen, KandidaatToegewezen, ToewijzingMislukt

from .domain import Status
from .store import aanmeldingen


async def kandidaat_toegewezen(conn: AsyncConnection, env: Envelope[Any]) -> None:
    event: KandidaatToegewezen = env.data
    await conn.execute(
        update(aanmeldingen)
        .where(aanmeldingen.c.kandidaat_id == event.kandidaat_id)
        .values(status=Status.TOEGEWEZEN, uitzendbureau=event.uitzendbureau, status_gewijzigd_op=env.time)
    )


async def toewijzing_mislukt(conn: AsyncConnection, env: Envelope[Any]) -> None:
    event: ToewijzingMislukt = env.data
    await conn.execute(
        update(aanmeldingen)
        .where(aanmeldingen.c.kandidaat_id == event.kandidaat_id)
        .values(status=Status.NIET_TOEGEWEZEN, uitzendbureau=None, status_gewijzigd_op=env.time)
    )


async def kandidaat_hertoegewezen(conn: AsyncConnection, env: Envelope[Any]) -> None:
    """The old agency loses access to the contact data; the new one (if any) gets it."""
    event: KandidaatHertoegewezen = env.data
    status = Status.TOEGEWEZEN if event.uitzendbureau else Status.NIET_TOEGEWEZEN
    await conn.execute(
        update(aanmeldingen)
        .where(aanmeldingen.c.kandidaat_id == event.kandidaat_id)
        .values(status=status, uitzendbureau=event.uitzendbureau, status_gewijzigd_op=env.time)
    )
