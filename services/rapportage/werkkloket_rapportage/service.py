"""Use cases: the reports. Each reads on one connection (read-only) and answers a question as of its peildatum;
the same events give the same report, live or rebuilt."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncConnection

from .adapters import rapport, werknaarwerk
from .domain import werknaarwerk as wnw
from .domain.funnel import Funnel
from .domain.instellingen import Instellingen
from .domain.vraag import Vraag


@dataclass(frozen=True)
class FunnelUitkomst:
    totaal: Funnel
    groepen: list[tuple[str | None, Funnel]]
    per_uitzendbureau: list[tuple[str | None, Funnel]]


def _kop(v: Vraag, *, duurzaam: bool = False) -> dict[str, Any]:
    kop: dict[str, Any] = {"peildatum": v.peildatum, "filters": v.filters()}
    if duurzaam:
        kop["duurzaam_maanden"] = v.duurzaam_maanden
    return kop


async def funnel(conn: AsyncConnection, v: Vraag, groepeer: str | None) -> FunnelUitkomst:
    """aangemeld → volledig → toegewezen → eerste contact → gesprek → geplaatst → duurzaam."""
    return FunnelUitkomst(*await rapport.funnel(conn, v, groepeer, per_bureau=True))


async def doorlooptijden(conn: AsyncConnection, v: Vraag, instellingen: Instellingen) -> dict[str, Any]:
    totaal, bureaus = await rapport.doorlooptijden(conn, v, instellingen.contacttermijn_dagen)
    return {
        **_kop(v),
        "contacttermijn_dagen": instellingen.contacttermijn_dagen,
        "totaal": totaal,
        "per_uitzendbureau": bureaus,
    }


async def plaatsingen_per_maand(conn: AsyncConnection, v: Vraag, _: Instellingen) -> dict[str, Any]:
    return {**_kop(v, duurzaam=True), "maanden": await rapport.plaatsingen_per_maand(conn, v)}


async def duurzaamheid(conn: AsyncConnection, v: Vraag, _: Instellingen) -> dict[str, Any]:
    return {**_kop(v, duurzaam=True), "mijlpalen": await rapport.duurzaamheid(conn, v)}


async def doelen(conn: AsyncConnection, v: Vraag, instellingen: Instellingen) -> dict[str, Any]:
    return {**_kop(v), **await rapport.doelen(conn, v, instellingen)}


async def uitkeringsbesparing(conn: AsyncConnection, v: Vraag, instellingen: Instellingen) -> dict[str, Any]:
    b = await rapport.besparing(conn, v, instellingen)
    # Money as text, so no float rounding creeps in.
    return {**_kop(v), "schatting": True, **asdict(b), "normbedrag": str(b.normbedrag), "bedrag": str(b.bedrag)}


async def werk_naar_werk(conn: AsyncConnection, v: Vraag, _: Instellingen) -> dict[str, Any]:
    regios = v.in_regios()
    uit = wnw.rapport(await werknaarwerk.bewegingen(conn, regios), v.peildatum)
    uit["gemeld"] = wnw.gemeld(await werknaarwerk.meldingen(conn, regios), v.peildatum)
    return uit
