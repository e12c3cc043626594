"""Employers' surpluses and shortages in matching's tables."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any
from uuid import UUID

from sqlalchemy import Row, Table, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from ...adapters.tables import overschotten, tekorten
from .. import domain


def overschot(r: Row[Any]) -> domain.Overschot:
    u = r.uitsluiting or {}
    return domain.Overschot(
        overschot_id=str(r.overschot_id),
        werkgever=r.werkgever,
        sbi=r.sbi,
        arbeidsmarktregio=r.arbeidsmarktregio,
        beschikbaar=r.aantal - r.verplaatst,
        beroepen=tuple(r.beroepen),
        skills=frozenset(r.skills),
        vanaf=r.vanaf,
        uitlenen_toegestaan=r.uitlenen_toegestaan,
        uitlenen_tot=r.uitlenen_tot,
        regios=frozenset(r.regios),
        zelfde_branche=bool(u.get("zelfde_branche")),
        branches=tuple(u.get("branches", ())),
        uitgesloten_werkgevers=frozenset(u.get("werkgevers", ())),
    )


def tekort(r: Row[Any]) -> domain.Tekort:
    return domain.Tekort(
        tekort_id=str(r.tekort_id),
        werkgever=r.werkgever,
        sbi=r.sbi,
        arbeidsmarktregio=r.arbeidsmarktregio,
        open=r.aantal - r.ingevuld,
        beroep=r.beroep,
        skills=frozenset(r.skills),
        vanaf=r.vanaf,
    )


async def nieuw(conn: AsyncConnection, tabel: Table, **waarden: Any) -> Row[Any]:
    """Store a surplus (`overschotten`) or a shortage (`tekorten`)."""
    found: Row[Any] = (await conn.execute(tabel.insert().values(**waarden).returning(tabel))).one()
    return found


async def open_tekorten(conn: AsyncConnection, regios: Iterable[str]) -> Sequence[Row[Any]]:
    """The shortages in these regions with places left."""
    query = select(tekorten).where(
        tekorten.c.arbeidsmarktregio.in_(list(regios)), tekorten.c.ingevuld < tekorten.c.aantal
    )
    return (await conn.execute(query)).all()


async def open_overschotten(conn: AsyncConnection, regio: str) -> Sequence[Row[Any]]:
    """The surpluses that allow this region, with people left."""
    query = select(overschotten).where(
        overschotten.c.regios.any(regio), overschotten.c.verplaatst < overschotten.c.aantal
    )
    return (await conn.execute(query)).all()


async def lees_overschot(conn: AsyncConnection, overschot_id: UUID) -> Row[Any] | None:
    return (await conn.execute(select(overschotten).where(overschotten.c.overschot_id == overschot_id))).first()


async def lees(
    conn: AsyncConnection, overschot_id: UUID, tekort_id: UUID, *, vergrendeld: bool = False
) -> tuple[Row[Any], Row[Any]]:
    """The surplus and the shortage of a proposal (locked, to move someone)."""
    o = select(overschotten).where(overschotten.c.overschot_id == overschot_id)
    t = select(tekorten).where(tekorten.c.tekort_id == tekort_id)
    if vergrendeld:
        o, t = o.with_for_update(), t.with_for_update()
    return (await conn.execute(o)).one(), (await conn.execute(t)).one()


async def verplaats(conn: AsyncConnection, overschot_id: UUID, tekort_id: UUID) -> None:
    """One person more moved from the surplus, one place more filled at the shortage."""
    await conn.execute(
        update(overschotten)
        .where(overschotten.c.overschot_id == overschot_id)
        .values(verplaatst=overschotten.c.verplaatst + 1)
    )
    await conn.execute(
        update(tekorten).where(tekorten.c.tekort_id == tekort_id).values(ingevuld=tekorten.c.ingevuld + 1)
    )
