"""The proposed matches of the assigned candidates, and the candidates waiting for one."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import Row, delete, select
from sqlalchemy.ext.asyncio import AsyncConnection

from ...adapters.tables import kandidaten, matches, toewijzingen, vacatures
from .. import domain


def profiel(data: dict[str, Any] | None) -> domain.Profiel:
    """The coded profile as intake handed it over."""
    p = data or {}
    return domain.Profiel(
        wensberoepen=tuple(p.get("wensberoepen", ())),
        ervaring=tuple(w["beroep"] for w in p.get("werkervaring", ())),
        skills=frozenset(p.get("skills", ())),
        opleidingsniveau=p.get("opleidingsniveau") or "geen",
        postcodegebied=p.get("postcodegebied") or "0000",
        uren_per_week=p.get("uren_per_week"),
    )


async def kandidaat(conn: AsyncConnection, kandidaat_id: UUID) -> Row[Any] | None:
    return (await conn.execute(select(kandidaten).where(kandidaten.c.kandidaat_id == kandidaat_id))).first()


async def wachtend(conn: AsyncConnection, regio: str) -> Sequence[Row[Any]]:
    """The region's candidates held by an agency, with that agency."""
    return (
        await conn.execute(
            select(kandidaten, toewijzingen.c.uitzendbureau)
            .join(toewijzingen, toewijzingen.c.kandidaat_id == kandidaten.c.kandidaat_id)
            .where(toewijzingen.c.status == "toegewezen", kandidaten.c.arbeidsmarktregio == regio)
        )
    ).all()


async def bewaar(conn: AsyncConnection, kandidaat_id: UUID, m: domain.Match, nu: datetime) -> None:
    await conn.execute(
        matches.insert().values(
            kandidaat_id=kandidaat_id,
            vacature_id=UUID(m.vacature_id),
            score=m.score,
            factoren=[f.model_dump() for f in m.factoren],
            sectoroverstap=m.sectoroverstap,
            regelversie=domain.REGELVERSIE,
            voorgesteld_op=nu,
        )
    )


async def wis(conn: AsyncConnection, *, kandidaat_id: UUID | None = None, vacature_id: UUID | None = None) -> None:
    """Withdraw the proposals of a candidate, of a vacancy, or (both given) the one of the pair."""
    query = delete(matches)
    if kandidaat_id is not None:
        query = query.where(matches.c.kandidaat_id == kandidaat_id)
    if vacature_id is not None:
        query = query.where(matches.c.vacature_id == vacature_id)
    await conn.execute(query)


async def van_kandidaat(conn: AsyncConnection, kandidaat_id: UUID) -> Sequence[Row[Any, Any]]:
    """The candidate's proposals, worst first."""
    return (
        await conn.execute(
            select(matches.c.vacature_id, matches.c.score)
            .where(matches.c.kandidaat_id == kandidaat_id)
            .order_by(matches.c.score, matches.c.vacature_id.desc())
        )
    ).all()


async def van_bureau(conn: AsyncConnection, bureau: str) -> Sequence[Row[Any]]:
    """The proposals for the agency's own candidates, with the vacancies' title and occupation, best first."""
    return (
        await conn.execute(
            select(matches, vacatures.c.titel, vacatures.c.beroep)
            .join(vacatures, vacatures.c.vacature_id == matches.c.vacature_id)
            .join(toewijzingen, toewijzingen.c.kandidaat_id == matches.c.kandidaat_id)
            .where(toewijzingen.c.uitzendbureau == bureau, toewijzingen.c.status == "toegewezen")
            .order_by(matches.c.score.desc(), matches.c.vacature_id)
        )
    ).all()
