"""Opening and closing vacancies; each change is published through the outbox in the transaction that makes it."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from uuid import UUID

from sqlalchemy import Row, delete, select, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine
from werkkloket_contracts import (
    Opleidingsniveau,
    VacatureGeopend,
    VacatureGesloten,
    Vacaturesluiting,
    encode,
    source_of,
)
from werkkloket_runtime.outbox import enqueue

from . import vacatures as vac
from .store import matches, outbox, vacatures


async def publiceer_geopend(conn: AsyncConnection, r: Row[Any], nu: datetime) -> None:
    event = VacatureGeopend(
        vacature_id=r.vacature_id,
        arbeidsmarktregio=r.arbeidsmarktregio,
        gemeente=r.gemeente,
        door=r.door,
        titel=r.titel,
        beroep=r.beroep,
        sector=r.sbi,
        postcodegebied=r.postcodegebied,
        uren_per_week=r.uren_per_week,
        skills=list(r.skills),
        opleidingsniveau=Opleidingsniveau(r.opleidingsniveau) if r.opleidingsniveau else None,
        open_tot=r.open_tot,
    )
    await enqueue(conn, outbox, encode(event, source=source_of("matching", r.door), time=nu))


async def sluit(
    conn: AsyncConnection,
    r: Row[Any],
    reden: Vacaturesluiting,
    datum: date,
    nu: datetime,
    door: str | None = None,
) -> None:
    """Close a locked open vacancy: no longer proposed, its proposals withdrawn, VacatureGesloten published."""
    await conn.execute(
        update(vacatures).where(vacatures.c.vacature_id == r.vacature_id).values(gesloten_op=nu, sluitreden=reden.value)
    )
    await conn.execute(delete(matches).where(matches.c.vacature_id == r.vacature_id))
    if r.gemeente is None:
        return  # registered before vacancies were published: its opening was never on the bus either
    event = VacatureGesloten(
        vacature_id=r.vacature_id,
        arbeidsmarktregio=r.arbeidsmarktregio,
        gemeente=r.gemeente,
        door=r.door,
        datum=datum,
        reden=reden,
    )
    await enqueue(conn, outbox, encode(event, source=source_of("matching", door), time=nu))


async def verlopen_vacatures(conn: AsyncConnection, peildatum: date, gemeente: str | None = None) -> list[UUID]:
    """Open vacancies past their open_tot as of peildatum (the rule of `vacatures.verlopen`), oldest first."""
    query = select(vacatures.c.vacature_id).where(vacatures.c.gesloten_op.is_(None), vacatures.c.open_tot < peildatum)
    if gemeente is not None:
        query = query.where(vacatures.c.gemeente == gemeente)
    rows = await conn.execute(query.order_by(vacatures.c.open_tot, vacatures.c.vacature_id))
    return [r.vacature_id for r in rows]


async def sluit_verlopen(engine: AsyncEngine, peildatum: date, nu: datetime, gemeente: str | None = None) -> list[UUID]:
    """Close every vacancy past its open_tot with reden verlopen and datum open_tot; one transaction each."""
    async with engine.connect() as conn:
        te_sluiten = await verlopen_vacatures(conn, peildatum, gemeente)
    gesloten: list[UUID] = []
    for vacature_id in te_sluiten:
        async with engine.begin() as conn:
            r = (
                await conn.execute(select(vacatures).where(vacatures.c.vacature_id == vacature_id).with_for_update())
            ).one()
            if r.gesloten_op is not None or not vac.verlopen(r.open_tot, peildatum):
                continue  # closed (or extended) meanwhile
            await sluit(conn, r, Vacaturesluiting.VERLOPEN, r.open_tot, nu)
        gesloten.append(vacature_id)
    return gesloten
