"""Werk naar werk in the read model: employers' reports and moves, and the report per region and sector pair."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection
from werkkloket_contracts import (
    Envelope,
    Gebeurtenis,
    MobiliteitBeeindigd,
    MobiliteitGestart,
    MobiliteitTeruggekeerd,
    MobiliteitVoorgesteld,
    OverschotGemeld,
    TekortGemeld,
)
from werkkloket_runtime.consumer import Handler

from .store import mobiliteiten as m
from .store import werk_naar_werk_meldingen as meld


async def overschot(conn: AsyncConnection, env: Envelope[Any]) -> None:
    e: OverschotGemeld = env.data
    await _melding(conn, e, e.overschot_id, "overschot", e.werkgever, e.aantal, e.vanaf)


async def tekort(conn: AsyncConnection, env: Envelope[Any]) -> None:
    e: TekortGemeld = env.data
    await _melding(conn, e, e.tekort_id, "tekort", e.werkgever, e.aantal, e.vanaf)


async def _melding(
    conn: AsyncConnection, e: Gebeurtenis, id_: Any, soort: str, werkgever: str, aantal: int, vanaf: date
) -> None:
    await conn.execute(
        insert(meld)
        .values(
            id=id_,
            soort=soort,
            arbeidsmarktregio=e.arbeidsmarktregio,
            gemeente=e.gemeente,
            werkgever=werkgever,
            aantal=aantal,
            vanaf=vanaf,
            voorstellen=0,
        )
        .on_conflict_do_nothing()
    )


async def voorgesteld(conn: AsyncConnection, env: Envelope[Any]) -> None:
    # The inbox guarantees each event is applied once, so counting is exact.
    e: MobiliteitVoorgesteld = env.data
    await conn.execute(meld.update().where(meld.c.id == e.overschot_id).values(voorstellen=meld.c.voorstellen + 1))


async def gestart(conn: AsyncConnection, env: Envelope[Any]) -> None:
    e: MobiliteitGestart = env.data
    await conn.execute(
        insert(m)
        .values(
            mobiliteit_id=e.mobiliteit_id,
            overschot_id=e.overschot_id,
            werknemer_id=e.werknemer_id,
            arbeidsmarktregio=e.arbeidsmarktregio,
            gemeente=e.gemeente,
            naar_regio=e.naar_regio,
            van_sector=e.van_sector,
            naar_sector=e.naar_sector,
            vorm=e.vorm.value,
            startdatum=e.startdatum,
            terugkeerdatum=e.terugkeerdatum,
        )
        .on_conflict_do_nothing()
    )


async def teruggekeerd(conn: AsyncConnection, env: Envelope[Any]) -> None:
    e: MobiliteitTeruggekeerd = env.data
    await conn.execute(m.update().where(m.c.mobiliteit_id == e.mobiliteit_id).values(teruggekeerd_op=e.datum))


async def beeindigd(conn: AsyncConnection, env: Envelope[Any]) -> None:
    e: MobiliteitBeeindigd = env.data
    await conn.execute(m.update().where(m.c.mobiliteit_id == e.mobiliteit_id).values(beeindigd_op=e.datum))


HANDLERS: dict[type[Gebeurtenis], Handler] = {
    OverschotGemeld: overschot,
    TekortGemeld: tekort,
    MobiliteitVoorgesteld: voorgesteld,
    MobiliteitGestart: gestart,
    MobiliteitTeruggekeerd: teruggekeerd,
    MobiliteitBeeindigd: beeindigd,
}


# --- the report (pure over rows) ---


@dataclass(frozen=True)
class Beweging:
    werknemer_id: str
    arbeidsmarktregio: str
    van_sector: str
    naar_sector: str
    vorm: str
    startdatum: date
    terugkeerdatum: date | None
    teruggekeerd_op: date | None
    beeindigd_op: date | None


def stand(b: Beweging, peildatum: date) -> str | None:
    """The state of a move as known on peildatum, from its event dates; None before it started."""
    if b.startdatum > peildatum:
        return None
    if b.beeindigd_op is not None and b.beeindigd_op <= peildatum:
        return "beeindigd"
    if b.teruggekeerd_op is not None and b.teruggekeerd_op <= peildatum:
        return "teruggekeerd"
    return "uitgeleend" if b.vorm == "detachering" else "overgegaan"


TELLERS = ("gestart", "overgang", "detachering", "overgegaan", "uitgeleend", "teruggekeerd", "beeindigd")


def rapport(bewegingen: Iterable[Beweging], peildatum: date) -> dict[str, Any]:
    """Moves per arbeidsmarktregio and sector pair, and how many people moved without becoming unemployed."""
    paren: dict[tuple[str, str, str], dict[str, int]] = defaultdict(lambda: dict.fromkeys(TELLERS, 0))
    mensen: dict[tuple[str, str, str], set[str]] = defaultdict(set)
    totaal = dict.fromkeys(TELLERS, 0)
    iedereen: set[str] = set()
    for b in bewegingen:
        s = stand(b, peildatum)
        if s is None:
            continue
        sleutel = (b.arbeidsmarktregio, b.van_sector, b.naar_sector)
        for teller in ("gestart", b.vorm, s):
            paren[sleutel][teller] += 1
            totaal[teller] += 1
        mensen[sleutel].add(b.werknemer_id)
        iedereen.add(b.werknemer_id)
    rijen = [
        {
            "arbeidsmarktregio": r,
            "van_sector": van,
            "naar_sector": naar,
            **paren[(r, van, naar)],
            "werkloosheid_voorkomen": len(mensen[(r, van, naar)]),
        }
        for r, van, naar in sorted(paren)
    ]
    return {
        "peildatum": peildatum.isoformat(),
        "totaal": {**totaal, "werkloosheid_voorkomen": len(iedereen)},
        "per_regio_sectorpaar": rijen,
        "toelichting": (
            "werkloosheid_voorkomen: verschillende werknemers uit een overschot die vóór of op de peildatum "
            "bij een andere werkgever begonnen (overgang of detachering), zonder tussentijdse werkloosheid."
        ),
    }


async def bewegingen(conn: AsyncConnection, regio: str | None) -> list[Beweging]:
    query = select(m)
    if regio:
        query = query.where(m.c.arbeidsmarktregio == regio)
    return [
        Beweging(
            werknemer_id=str(r.werknemer_id),
            arbeidsmarktregio=r.arbeidsmarktregio,
            van_sector=r.van_sector,
            naar_sector=r.naar_sector,
            vorm=r.vorm,
            startdatum=r.startdatum,
            terugkeerdatum=r.terugkeerdatum,
            teruggekeerd_op=r.teruggekeerd_op,
            beeindigd_op=r.beeindigd_op,
        )
        for r in (await conn.execute(query)).all()
    ]


async def meldingen(conn: AsyncConnection, regio: str | None, peildatum: date) -> dict[str, int]:
    query = select(meld)
    if regio:
        query = query.where(meld.c.arbeidsmarktregio == regio)
    uit = {"overschot_mensen": 0, "tekort_plaatsen": 0, "voorstellen": 0}
    for r in (await conn.execute(query)).all():
        if r.vanaf > peildatum:
            continue
        uit["overschot_mensen" if r.soort == "overschot" else "tekort_plaatsen"] += r.aantal
        uit["voorstellen"] += r.voorstellen
    return uit
