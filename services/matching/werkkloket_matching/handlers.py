"""Matching's subscriber: every new aanmelding is assigned to exactly one agency, or stays with the gemeente."""

from __future__ import annotations

from typing import Any
from uuid import uuid4

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection
from werkkloket_contracts import (
    AanmeldingOntvangen,
    Envelope,
    KandidaatToegewezen,
    ToewijzingMislukt,
    encode,
    source_of,
)
from werkkloket_runtime.outbox import enqueue

from . import domain
from .store import outbox, toewijzingen, uitzendbureaus


async def aanmelding_ontvangen(conn: AsyncConnection, env: Envelope[Any]) -> None:
    event: AanmeldingOntvangen = env.data
    claimed = await conn.execute(
        insert(toewijzingen)
        .values(
            kandidaat_id=event.kandidaat_id,
            arbeidsmarktregio=event.arbeidsmarktregio,
            gemeente=event.gemeente,
            status="in_behandeling",
            besloten_op=env.time,
        )
        .on_conflict_do_nothing()
        .returning(toewijzingen.c.kandidaat_id)
    )
    if claimed.first() is None:
        return  # this candidate was decided on before (same person, other event id)
    # Lock the region's agencies so concurrent instances never overfill one.
    rows = (
        await conn.execute(
            select(uitzendbureaus)
            .where(uitzendbureaus.c.regios.any(event.arbeidsmarktregio))
            .order_by(uitzendbureaus.c.code)
            .with_for_update()
        )
    ).all()
    bureaus = [
        domain.Uitzendbureau(
            code=r.code,
            naam=r.naam,
            sectoren=frozenset(r.sectoren),
            regios=frozenset(r.regios),
            capaciteit=r.capaciteit,
            actief=r.actief,
        )
        for r in rows
    ]
    kandidaat = domain.Kandidaat(
        arbeidsmarktregio=event.arbeidsmarktregio,
        wensberoepen=tuple(event.wensberoepen),
        werkervaring=tuple(w.beroep for w in event.werkervaring),
    )
    keuze = domain.kies_uitzendbureau(kandidaat, bureaus)
    bron = source_of("matching")
    gevolg: KandidaatToegewezen | ToewijzingMislukt
    if isinstance(keuze, domain.Keuze):
        toewijzing_id = uuid4()
        await conn.execute(
            update(uitzendbureaus)
            .where(uitzendbureaus.c.code == keuze.uitzendbureau)
            .values(actief=uitzendbureaus.c.actief + 1)
        )
        await conn.execute(
            update(toewijzingen)
            .where(toewijzingen.c.kandidaat_id == event.kandidaat_id)
            .values(toewijzing_id=toewijzing_id, uitzendbureau=keuze.uitzendbureau, status="toegewezen")
        )
        gevolg = KandidaatToegewezen(
            kandidaat_id=event.kandidaat_id,
            arbeidsmarktregio=event.arbeidsmarktregio,
            gemeente=event.gemeente,
            toewijzing_id=toewijzing_id,
            uitzendbureau=keuze.uitzendbureau,
            regelversie=domain.REGELVERSIE,
            redenen=list(keuze.redenen),
        )
    else:
        await conn.execute(
            update(toewijzingen)
            .where(toewijzingen.c.kandidaat_id == event.kandidaat_id)
            .values(status="niet_toegewezen")
        )
        gevolg = ToewijzingMislukt(
            kandidaat_id=event.kandidaat_id,
            arbeidsmarktregio=event.arbeidsmarktregio,
            gemeente=event.gemeente,
            regelversie=domain.REGELVERSIE,
            reden=keuze.reden,
        )
    await enqueue(conn, outbox, encode(gevolg, source=bron))
