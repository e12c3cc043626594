"""Rapportage's subscribers: every event moves its candidate's row along the funnel.

Events of one candidate come from three topics, so they may arrive in any order: each handler upserts the row
and only ever fills its own stage (earliest date wins), which makes the projection order-independent.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import func
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection
from werkkloket_contracts import (
    AanmeldingOntvangen,
    EersteContactGelegd,
    Envelope,
    Gebeurtenis,
    KandidaatHertoegewezen,
    KandidaatToegewezen,
    PlaatsingGerealiseerd,
    ProfielAangevuld,
    SollicitatiegesprekGehouden,
)
from werkkloket_runtime.consumer import Handler

from .store import funnel_kandidaten as f


async def _upsert(
    conn: AsyncConnection, event: Gebeurtenis, values: Mapping[str, Any], update: Mapping[str, Any]
) -> None:
    stmt = insert(f).values(
        kandidaat_id=event.kandidaat_id,
        arbeidsmarktregio=event.arbeidsmarktregio,
        gemeente=event.gemeente,
        **values,
    )
    await conn.execute(stmt.on_conflict_do_update(index_elements=[f.c.kandidaat_id], set_=dict(update)))


def _earliest(column: Any, value: Any) -> Any:
    return func.least(column, value)


async def aangemeld(conn: AsyncConnection, env: Envelope[Any]) -> None:
    await _upsert(conn, env.data, {"aangemeld_op": env.time}, {"aangemeld_op": _earliest(f.c.aangemeld_op, env.time)})


async def toegewezen(conn: AsyncConnection, env: Envelope[Any]) -> None:
    event: KandidaatToegewezen = env.data
    await _upsert(
        conn,
        event,
        {"toegewezen_op": env.time, "uitzendbureau": event.uitzendbureau},
        {"toegewezen_op": _earliest(f.c.toegewezen_op, env.time), "uitzendbureau": event.uitzendbureau},
    )


async def eerste_contact(conn: AsyncConnection, env: Envelope[Any]) -> None:
    event: EersteContactGelegd = env.data
    await _upsert(
        conn,
        event,
        {"eerste_contact_op": event.datum},
        {"eerste_contact_op": _earliest(f.c.eerste_contact_op, event.datum)},
    )


async def gesprek(conn: AsyncConnection, env: Envelope[Any]) -> None:
    event: SollicitatiegesprekGehouden = env.data
    await _upsert(
        conn,
        event,
        {"gesprek_op": event.datum, "aantal_gesprekken": 1},
        {
            "gesprek_op": _earliest(f.c.gesprek_op, event.datum),
            "aantal_gesprekken": f.c.aantal_gesprekken + 1,
        },
    )


async def geplaatst(conn: AsyncConnection, env: Envelope[Any]) -> None:
    event: PlaatsingGerealiseerd = env.data
    await _upsert(
        conn,
        event,
        {"geplaatst_op": event.startdatum},
        {"geplaatst_op": _earliest(f.c.geplaatst_op, event.startdatum)},
    )


async def hertoegewezen(conn: AsyncConnection, env: Envelope[Any]) -> None:
    """The candidate now counts for the agency that holds it."""
    event: KandidaatHertoegewezen = env.data
    await conn.execute(
        f.update().where(f.c.kandidaat_id == event.kandidaat_id).values(uitzendbureau=event.uitzendbureau)
    )


HANDLERS: dict[type[Gebeurtenis], Handler] = {
    AanmeldingOntvangen: aangemeld,
    ProfielAangevuld: aangemeld,
    KandidaatHertoegewezen: hertoegewezen,
    KandidaatToegewezen: toegewezen,
    EersteContactGelegd: eerste_contact,
    SollicitatiegesprekGehouden: gesprek,
    PlaatsingGerealiseerd: geplaatst,
}
