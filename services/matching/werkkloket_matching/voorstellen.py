"""Proposing vacancies: for a candidate when it is (re)assigned, and for waiting candidates when a vacancy opens."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import Row, delete, or_, select
from sqlalchemy.ext.asyncio import AsyncConnection
from werkkloket_contracts import MatchVoorgesteld, encode, source_of
from werkkloket_runtime.outbox import enqueue

from . import vacatures as v
from .store import kandidaten, matches, outbox, toewijzingen, vacatures

BRON = source_of("matching")


def profiel(data: dict[str, Any] | None) -> v.Profiel:
    p = data or {}
    return v.Profiel(
        wensberoepen=tuple(p.get("wensberoepen", ())),
        ervaring=tuple(w["beroep"] for w in p.get("werkervaring", ())),
        skills=frozenset(p.get("skills", ())),
        opleidingsniveau=p.get("opleidingsniveau") or "geen",
        postcodegebied=p.get("postcodegebied") or "0000",
        uren_per_week=p.get("uren_per_week"),
    )


def vacature(r: Row[Any]) -> v.Vacature:
    return v.Vacature(
        vacature_id=str(r.vacature_id),
        beroep=r.beroep,
        postcodegebied=r.postcodegebied,
        uren_per_week=r.uren_per_week,
        skills=frozenset(r.skills),
        opleidingsniveau=r.opleidingsniveau,
        open_tot=r.open_tot,
    )


async def _publiceer(
    conn: AsyncConnection, kandidaat: Row[Any], bureau: str, m: v.Match, beroep: str, nu: datetime
) -> None:
    await conn.execute(
        matches.insert().values(
            kandidaat_id=kandidaat.kandidaat_id,
            vacature_id=UUID(m.vacature_id),
            score=m.score,
            factoren=[f.model_dump() for f in m.factoren],
            sectoroverstap=m.sectoroverstap,
            regelversie=v.REGELVERSIE,
            voorgesteld_op=nu,
        )
    )
    event = MatchVoorgesteld(
        kandidaat_id=kandidaat.kandidaat_id,
        arbeidsmarktregio=kandidaat.arbeidsmarktregio,
        gemeente=kandidaat.gemeente,
        vacature_id=UUID(m.vacature_id),
        uitzendbureau=bureau,
        beroep=beroep,
        score=min(1.0, m.score),
        factoren=list(m.factoren),
        sectoroverstap=m.sectoroverstap,
        regelversie=v.REGELVERSIE,
    )
    await enqueue(conn, outbox, encode(event, source=BRON, time=nu))


async def voor_kandidaat(conn: AsyncConnection, kandidaat_id: UUID, bureau: str, nu: datetime) -> int:
    """Replace the candidate's proposals by the top N open vacancies of its region."""
    k = (await conn.execute(select(kandidaten).where(kandidaten.c.kandidaat_id == kandidaat_id))).first()
    await conn.execute(delete(matches).where(matches.c.kandidaat_id == kandidaat_id))
    if k is None:
        return 0
    p = profiel(k.profiel)
    eigen, naar = v.toegestane_beroepen(p)
    rows = (
        await conn.execute(
            select(vacatures).where(
                vacatures.c.arbeidsmarktregio == k.arbeidsmarktregio,
                vacatures.c.gesloten_op.is_(None),
                vacatures.c.open_tot >= nu.date(),
                or_(vacatures.c.beroep.in_(sorted(eigen)), vacatures.c.sector.in_(sorted(naar))),
            )
        )
    ).all()
    beroepen = {str(r.vacature_id): r.beroep for r in rows}
    top = v.beste(p, (vacature(r) for r in rows), nu.date())
    for m in top:
        await _publiceer(conn, k, bureau, m, beroepen[m.vacature_id], nu)
    return len(top)


async def voor_vacature(conn: AsyncConnection, r: Row[Any], nu: datetime) -> int:
    """A new vacancy goes to every waiting candidate of the region for whom it ranks in the top N."""
    vac = vacature(r)
    wachtend = (
        await conn.execute(
            select(kandidaten, toewijzingen.c.uitzendbureau)
            .join(toewijzingen, toewijzingen.c.kandidaat_id == kandidaten.c.kandidaat_id)
            .where(toewijzingen.c.status == "toegewezen", kandidaten.c.arbeidsmarktregio == r.arbeidsmarktregio)
        )
    ).all()
    voorgesteld = 0
    for k in wachtend:
        m = v.score(profiel(k.profiel), vac, nu.date())
        if m is None:
            continue
        bestaand = (
            await conn.execute(
                select(matches.c.vacature_id, matches.c.score)
                .where(matches.c.kandidaat_id == k.kandidaat_id)
                .order_by(matches.c.score, matches.c.vacature_id.desc())
            )
        ).all()
        if len(bestaand) >= v.TOP_N:
            slechtste = bestaand[0]
            if m.score <= slechtste.score:
                continue
            await conn.execute(
                delete(matches).where(
                    matches.c.kandidaat_id == k.kandidaat_id, matches.c.vacature_id == slechtste.vacature_id
                )
            )
        await _publiceer(conn, k, k.uitzendbureau, m, r.beroep, nu)
        voorgesteld += 1
    return voorgesteld
