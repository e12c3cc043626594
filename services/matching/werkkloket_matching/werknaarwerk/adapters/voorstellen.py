"""Proposed moves in matching's table."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import Row, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from ...adapters.tables import mobiliteitsvoorstellen, overschotten, tekorten
from .. import domain


async def bewaar(
    conn: AsyncConnection, voorstel_id: UUID, v: domain.Voorstel, o: Row[Any], t: Row[Any], nu: datetime
) -> Row[Any] | None:
    """Store a proposal; None when this pair was proposed before."""
    found: Row[Any] | None = (
        await conn.execute(
            insert(mobiliteitsvoorstellen)
            .values(
                voorstel_id=voorstel_id,
                overschot_id=o.overschot_id,
                tekort_id=t.tekort_id,
                score=v.score,
                factoren=[f.model_dump() for f in v.factoren],
                sectoroverstap=v.sectoroverstap,
                van_sector=v.van_sector,
                naar_sector=v.naar_sector,
                vormen=[f.value for f in v.vormen],
                regelversie=domain.REGELVERSIE,
                voorgesteld_op=nu,
            )
            .on_conflict_do_nothing(index_elements=["overschot_id", "tekort_id"])
            .returning(mobiliteitsvoorstellen)
        )
    ).first()
    return found


async def lees(conn: AsyncConnection, voorstel_id: UUID) -> Row[Any] | None:
    query = select(mobiliteitsvoorstellen).where(mobiliteitsvoorstellen.c.voorstel_id == voorstel_id)
    return (await conn.execute(query)).first()


async def lijst(
    conn: AsyncConnection, overschot_id: UUID | None, tekort_id: UUID | None, melder: domain.Melder
) -> Sequence[Row[Any]]:
    """Proposed moves with both employers and the shortage's occupation, best first; those the melder sees
    (`domain.Melder.ziet`: an employer's own, or those from or to a WSP's or team's regions)."""
    m, o, t = mobiliteitsvoorstellen, overschotten, tekorten
    query = (
        select(m, o.c.werkgever.label("van_werkgever"), t.c.werkgever.label("naar_werkgever"), t.c.beroep)
        .join(o, o.c.overschot_id == m.c.overschot_id)
        .join(t, t.c.tekort_id == m.c.tekort_id)
        .order_by(m.c.score.desc(), m.c.voorstel_id)
    )
    if overschot_id:
        query = query.where(m.c.overschot_id == overschot_id)
    if tekort_id:
        query = query.where(m.c.tekort_id == tekort_id)
    if melder.is_werkgever:
        query = query.where((o.c.werkgever == melder.code) | (t.c.werkgever == melder.code))
    elif melder.regios is not None:
        regios = sorted(melder.regios)
        query = query.where(o.c.arbeidsmarktregio.in_(regios) | t.c.arbeidsmarktregio.in_(regios))
    return (await conn.execute(query)).all()
