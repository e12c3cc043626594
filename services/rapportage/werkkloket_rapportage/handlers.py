"""Rapportage's subscribers: every event moves its candidate's row along the funnel.

Events of one candidate come from three topics, so they may arrive in any order: each handler upserts the row
and only ever fills its own stage (earliest date wins), which makes the projection order-independent. Every
value comes from the event (its data or its ce_time), never from the clock, so a replay gives the same rows.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import func
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection
from werkkloket_contracts import (
    EVENT_TYPES,
    AanbodGedaan,
    AanmeldingOntvangen,
    EersteContactGelegd,
    Envelope,
    Gebeurtenis,
    GesprekGepland,
    HerinstroomGemeld,
    KandidaatAfgewezen,
    KandidaatGebeurtenis,
    KandidaatHertoegewezen,
    KandidaatToegewezen,
    PlaatsingBeeindigd,
    PlaatsingBevestigd,
    PlaatsingGerealiseerd,
    ProfielAangevuld,
    SollicitatiegesprekGehouden,
)
from werkkloket_runtime.consumer import Handler

from . import domain
from .store import funnel_kandidaten as f
from .store import plaatsingen as p


async def _upsert(
    conn: AsyncConnection, event: KandidaatGebeurtenis, values: Mapping[str, Any], update: Mapping[str, Any]
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


async def _stage(conn: AsyncConnection, event: KandidaatGebeurtenis, column: str, value: Any) -> None:
    await _upsert(conn, event, {column: value}, {column: _earliest(f.c[column], value)})


async def aangemeld(conn: AsyncConnection, env: Envelope[Any]) -> None:
    event: AanmeldingOntvangen = env.data
    dag = domain.aanmelddag(event.aanmelddatum, env.time)
    await _upsert(
        conn,
        event,
        {
            "aangemeld_op": env.time,
            "aangemeld_dag": dag,
            "volledig": domain.profiel_volledig(event),
            "doelgroep": event.uitkering.value,
        },
        {
            "aangemeld_op": _earliest(f.c.aangemeld_op, env.time),
            "aangemeld_dag": _earliest(f.c.aangemeld_dag, dag),
            "volledig": domain.profiel_volledig(event),
            "doelgroep": event.uitkering.value,
        },
    )


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
    await _stage(conn, event, "eerste_contact_op", event.datum)


async def gesprek_gepland(conn: AsyncConnection, env: Envelope[Any]) -> None:
    event: GesprekGepland = env.data
    await _stage(conn, event, "gesprek_gepland_op", event.datum)


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


async def aanbod(conn: AsyncConnection, env: Envelope[Any]) -> None:
    event: AanbodGedaan = env.data
    await _stage(conn, event, "aanbod_op", event.datum)


async def afgewezen(conn: AsyncConnection, env: Envelope[Any]) -> None:
    event: KandidaatAfgewezen = env.data
    await _stage(conn, event, "afgewezen_op", event.datum)


async def geplaatst(conn: AsyncConnection, env: Envelope[Any]) -> None:
    event: PlaatsingGerealiseerd = env.data
    await _stage(conn, event, "geplaatst_op", event.startdatum)
    values = {
        "uitzendbureau": event.uitzendbureau,
        "werkgever": event.werkgever,
        "startdatum": event.startdatum,
        "uren_per_week": event.uren_per_week,
        "contractvorm": event.contractvorm.value if event.contractvorm else None,
        "sbi": event.sbi,
        "beroep": event.beroep,
    }
    stmt = insert(p).values(plaatsing_id=event.plaatsing_id, kandidaat_id=event.kandidaat_id, **values)
    await conn.execute(stmt.on_conflict_do_update(index_elements=[p.c.plaatsing_id], set_=values))


async def beeindigd(conn: AsyncConnection, env: Envelope[Any]) -> None:
    event: PlaatsingBeeindigd = env.data
    values = {"einddatum": event.einddatum, "einde_reden": event.reden.value}
    stmt = insert(p).values(
        plaatsing_id=event.plaatsing_id, kandidaat_id=event.kandidaat_id, uitzendbureau=event.uitzendbureau, **values
    )
    await conn.execute(stmt.on_conflict_do_update(index_elements=[p.c.plaatsing_id], set_=values))


async def bevestigd(conn: AsyncConnection, env: Envelope[Any]) -> None:
    event: PlaatsingBevestigd = env.data
    await _stage(conn, event, "bevestigd_op", event.datum)


async def herinstroom(conn: AsyncConnection, env: Envelope[Any]) -> None:
    event: HerinstroomGemeld = env.data
    await _stage(conn, event, "herinstroom_op", event.datum)


async def gescreend(conn: AsyncConnection, env: Envelope[Any]) -> None:
    """Any event that carries a screening `categorie` (1-4) fills the categorie dimension; the latest wins."""
    if env.data.categorie is None:
        return
    categorie = int(env.data.categorie)
    await _upsert(conn, env.data, {"categorie": categorie}, {"categorie": categorie})


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
    GesprekGepland: gesprek_gepland,
    SollicitatiegesprekGehouden: gesprek,
    AanbodGedaan: aanbod,
    KandidaatAfgewezen: afgewezen,
    PlaatsingGerealiseerd: geplaatst,
    PlaatsingBeeindigd: beeindigd,
    PlaatsingBevestigd: bevestigd,
    HerinstroomGemeld: herinstroom,
    # Screening events (categorie 1-4) fill the categorie dimension when the contracts carry them.
    **{
        cls: gescreend
        for cls in EVENT_TYPES
        if "categorie" in cls.model_fields and not issubclass(cls, AanmeldingOntvangen)
    },
}
