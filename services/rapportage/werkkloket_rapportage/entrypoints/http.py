"""Rapportage HTTP API: every figure as JSON, every table as CSV, as of any peildatum. Scope "cijfers": the
caller's own figures exactly, anyone else's with small cells suppressed (`domain.lezer`); every answer says
whether it was (`onderdrukt`, `drempel`; a CSV in the header X-Werkkloket-Onderdrukt)."""

import csv
import io
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any, Literal, TypeVar

from fastapi import APIRouter, Depends, Query
from fastapi.responses import Response
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine
from werkkloket_runtime.dependencies import ClockDep, Engine
from werkkloket_runtime.identity import Rol
from werkkloket_runtime.onderdrukking import DREMPEL, TOELICHTING
from werkkloket_runtime.toegang import Aanroeper, BeveiligdeRoute, toegang

from .. import service
from ..domain import onderdrukking
from ..domain.funnel import STAPPEN, dag
from ..domain.instellingen import Instellingen
from ..domain.lezer import Afbakening, Lezer, afbakenen, afbakenen_regio
from ..domain.vraag import Groepering, Vraag
from .dependencies import InstellingenDep
from .schemas import FunnelRapport, FunnelRegel, PerGroep, PerUitzendbureau

T = TypeVar("T")

router = APIRouter(prefix="/api/v1/rapportage", tags=["rapportage"], route_class=BeveiligdeRoute)
LEZERS: tuple[Rol, ...] = ("rapportage", "gemeente", "uwv", "mobiliteitsteam", "beheer")
Rapport = dict[str, Any]


def vraag(
    clock: ClockDep,
    instellingen: InstellingenDep,
    peildatum: Annotated[date | None, Query(description="Figures as known on this date; default today")] = None,
    regio: Annotated[str | None, Query(pattern=r"^[a-z0-9-]{2,40}$")] = None,
    gemeente: Annotated[str | None, Query(pattern=r"^GM\d{4}$")] = None,
    uitzendbureau: Annotated[str | None, Query(pattern=r"^[a-z0-9-]{2,60}$")] = None,
    categorie: Annotated[int | None, Query(ge=1, le=4)] = None,
    doelgroep: Annotated[Literal["ww", "bijstand", "geen"] | None, Query()] = None,
    van: Annotated[date | None, Query(description="Registered on or after")] = None,
    tot: Annotated[date | None, Query(description="Registered on or before")] = None,
    duurzaam_maanden: Annotated[
        int | None, Query(description="Durable after 1, 3, 6 or 12 months; default from the settings")
    ] = None,
) -> Vraag:
    return Vraag(
        peildatum=peildatum or dag(clock.now()),
        regio=regio,
        gemeente=gemeente,
        uitzendbureau=uitzendbureau,
        categorie=categorie,
        doelgroep=doelgroep,
        van=van,
        tot=tot,
        duurzaam_maanden=duurzaam_maanden or instellingen.duurzaam_maanden,
    )


@dataclass(frozen=True)
class Lezing:
    """One question of an authorised reader, as it may ask it, read on a connection of its own."""

    engine: AsyncEngine
    vraag: Vraag
    instellingen: Instellingen
    exact: bool

    @property
    def onderdrukt(self) -> bool:
        return not self.exact

    async def __call__(self, rapport: Callable[[AsyncConnection, Vraag, Instellingen], Awaitable[T]]) -> T:
        async with self.engine.connect() as conn:
            return await rapport(conn, self.vraag, self.instellingen)

    async def rapport(
        self,
        rapport: Callable[[AsyncConnection, Vraag, Instellingen], Awaitable[Rapport]],
        onderdruk: Callable[[Rapport], Rapport],
    ) -> Rapport:
        """The report as this reader sees it: exactly, or with small cells suppressed."""
        uit = await self(rapport)
        return self.kop(uit if self.exact else onderdruk(uit))

    def kop(self, uit: Rapport) -> Rapport:
        uit = {**uit, "onderdrukt": self.onderdrukt, "drempel": DREMPEL}
        if self.onderdrukt:
            uit["onderdrukking"] = TOELICHTING
        return uit

    def csv(self, rows: list[dict[str, Any]], naam: str) -> Response:
        """The rows as a CSV download named after the report and the peildatum."""
        buffer = io.StringIO()
        if rows:
            writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), lineterminator="\n")
            writer.writeheader()
            for row in rows:
                writer.writerow({k: "" if v is None else v for k, v in row.items()})
        return Response(
            buffer.getvalue(),
            media_type="text/csv; charset=utf-8",
            headers={
                "Content-Disposition": f'attachment; filename="{naam}-{self.vraag.peildatum.isoformat()}.csv"',
                "X-Werkkloket-Onderdrukt": "true" if self.onderdrukt else "false",
            },
        )


def _lezer(org: Aanroeper) -> Lezer:
    return Lezer(org.rol, org.gemeenten, org.regio)


def _lezing(afbakening: Afbakening, engine: AsyncEngine, instellingen: Instellingen) -> Lezing:
    return Lezing(engine, afbakening.vraag, instellingen, afbakening.exact)


def lezing(
    v: Annotated[Vraag, Depends(vraag)], lezer: Annotated[Lezer, Depends(_lezer)], engine: Engine, i: InstellingenDep
) -> Lezing:
    """Figures of job seekers: scoped to the reader's gemeenten."""
    return _lezing(afbakenen(lezer, v), engine, i)


def regio_lezing(
    v: Annotated[Vraag, Depends(vraag)], lezer: Annotated[Lezer, Depends(_lezer)], engine: Engine, i: InstellingenDep
) -> Lezing:
    """Figures of regions (werk naar werk): scoped to the reader's regions."""
    return _lezing(afbakenen_regio(lezer, v), engine, i)


Lees = Annotated[Lezing, Depends(lezing)]
LeesRegio = Annotated[Lezing, Depends(regio_lezing)]


def platte_funnel(label: str, waarde: str | None, funnel: dict[str, Any]) -> dict[str, Any]:
    row: dict[str, Any] = {label: waarde}
    row.update({k: funnel[k] for k in (*STAPPEN, "geclaimd")})
    row.update({f"conversie {k}": v for k, v in funnel["conversie"].items()})
    return row


@dataclass(frozen=True)
class FunnelTabellen:
    """The funnel as the reader sees it: in total, per group and per agency."""

    totaal: dict[str, Any]
    groepen: list[dict[str, Any]]
    per_uitzendbureau: list[dict[str, Any]]


async def _funnel(lees: Lezing, groepeer: str | None) -> FunnelTabellen:
    u = await lees(lambda conn, v, _: service.funnel(conn, v, groepeer))
    totaal = vars(u.totaal)
    groepen = [{"groep": g, **vars(f)} for g, f in u.groepen]
    bureaus = [{"uitzendbureau": b, **vars(f)} for b, f in u.per_uitzendbureau if b is not None]
    if lees.onderdrukt:
        return FunnelTabellen(*onderdrukking.funnel(totaal, groepen, bureaus))
    return FunnelTabellen(totaal, groepen, bureaus)


@router.get("/funnel", response_model=FunnelRapport)
@toegang(*LEZERS, scope="cijfers")
async def funnel(lees: Lees, groepeer: Groepering | None = None) -> FunnelRapport:
    """aangemeld → volledig → toegewezen → eerste contact → gesprek → geplaatst → duurzaam."""
    u = await _funnel(lees, groepeer)
    v = lees.vraag
    return FunnelRapport(
        peildatum=v.peildatum,
        duurzaam_maanden=v.duurzaam_maanden,
        filters=v.filters(),
        onderdrukt=lees.onderdrukt,
        drempel=DREMPEL,
        onderdrukking=TOELICHTING if lees.onderdrukt else None,
        totaal=FunnelRegel(**u.totaal),
        per_uitzendbureau=[PerUitzendbureau(**b) for b in u.per_uitzendbureau],
        groepering=groepeer,
        groepen=[PerGroep(**g) for g in u.groepen],
    )


@router.get("/funnel.csv", response_class=Response)
@toegang(*LEZERS, scope="cijfers")
async def funnel_csv(lees: Lees, groepeer: Groepering = "uitzendbureau") -> Response:
    u = await _funnel(lees, groepeer)
    rows = [platte_funnel(groepeer, g["groep"], g) for g in u.groepen]
    rows.append(platte_funnel(groepeer, "totaal", u.totaal))
    return lees.csv(rows, "funnel")


@router.get("/doorlooptijden")
@toegang(*LEZERS, scope="cijfers")
async def doorlooptijden(lees: Lees) -> dict[str, Any]:
    """Days from registration to first contact and to placement (p50, p90); contact deadline breaches."""
    return await lees.rapport(service.doorlooptijden, onderdrukking.doorlooptijden)


@router.get("/doorlooptijden.csv", response_class=Response)
@toegang(*LEZERS, scope="cijfers")
async def doorlooptijden_csv(lees: Lees) -> Response:
    r = await lees.rapport(service.doorlooptijden, onderdrukking.doorlooptijden)
    return lees.csv([*r["per_uitzendbureau"], {"uitzendbureau": "totaal", **r["totaal"]}], "doorlooptijden")


@router.get("/plaatsingen-per-maand")
@toegang(*LEZERS, scope="cijfers")
async def plaatsingen_per_maand(lees: Lees) -> dict[str, Any]:
    """Placements by month of their start: confirmed, still claimed, and durable."""
    return await lees.rapport(service.plaatsingen_per_maand, onderdrukking.plaatsingen_per_maand)


@router.get("/plaatsingen-per-maand.csv", response_class=Response)
@toegang(*LEZERS, scope="cijfers")
async def plaatsingen_per_maand_csv(lees: Lees) -> Response:
    r = await lees.rapport(service.plaatsingen_per_maand, onderdrukking.plaatsingen_per_maand)
    return lees.csv(r["maanden"], "plaatsingen-per-maand")


@router.get("/duurzaamheid")
@toegang(*LEZERS, scope="cijfers")
async def duurzaamheid(lees: Lees) -> dict[str, Any]:
    """Of the confirmed placements old enough to judge, how many lasted 1, 3, 6 and 12 months."""
    return await lees.rapport(service.duurzaamheid, onderdrukking.duurzaamheid)


@router.get("/duurzaamheid.csv", response_class=Response)
@toegang(*LEZERS, scope="cijfers")
async def duurzaamheid_csv(lees: Lees) -> Response:
    return lees.csv((await lees.rapport(service.duurzaamheid, onderdrukking.duurzaamheid))["mijlpalen"], "duurzaamheid")


@router.get("/doelen")
@toegang(*LEZERS, scope="cijfers")
async def doelen(lees: Lees) -> dict[str, Any]:
    """Progress against the programme targets and the agencies' agreed numbers of placements."""
    return await lees.rapport(service.doelen, onderdrukking.doelen)


@router.get("/doelen-programmas.csv", response_class=Response)
@toegang(*LEZERS, scope="cijfers")
async def doelen_programmas_csv(lees: Lees) -> Response:
    return lees.csv((await lees.rapport(service.doelen, onderdrukking.doelen))["programmas"], "doelen-programmas")


@router.get("/doelen-uitzendbureaus.csv", response_class=Response)
@toegang(*LEZERS, scope="cijfers")
async def doelen_uitzendbureaus_csv(lees: Lees) -> Response:
    r = await lees.rapport(service.doelen, onderdrukking.doelen)
    return lees.csv(r["uitzendbureaus"], "doelen-uitzendbureaus")


@router.get("/uitkeringsbesparing")
@toegang(*LEZERS, scope="cijfers")
async def uitkeringsbesparing(lees: Lees) -> dict[str, Any]:
    """Benefits saved, an estimate: benefit months avoided × the norm amount, with its assumptions."""
    return await lees.rapport(service.uitkeringsbesparing, onderdrukking.uitkeringsbesparing)


@router.get("/uitkeringsbesparing.csv", response_class=Response)
@toegang(*LEZERS, scope="cijfers")
async def uitkeringsbesparing_csv(lees: Lees) -> Response:
    b = await lees.rapport(service.uitkeringsbesparing, onderdrukking.uitkeringsbesparing)
    row = {k: b[k] for k in ("peildatum", "personen", "uitkeringsmaanden", "normbedrag", "bedrag")}
    row["aannames"] = " | ".join(b["aannames"])
    return lees.csv([row], "uitkeringsbesparing")


@router.get("/werk-naar-werk")
@toegang(*LEZERS, scope="cijfers")
async def werk_naar_werk(lees: LeesRegio) -> dict[str, Any]:
    """Werk naar werk as of peildatum: moves per region and sector pair (transfers, lendings, returned), and
    how many people moved from a surplus to another employer without becoming unemployed. Filter: regio.
    A mobility team's or gemeente's own regions exactly (without a filter: restricted to them), others suppressed."""
    return await lees.rapport(service.werk_naar_werk, onderdrukking.werk_naar_werk)


@router.get("/werk-naar-werk.csv", response_class=Response)
@toegang(*LEZERS, scope="cijfers")
async def werk_naar_werk_csv(lees: LeesRegio) -> Response:
    r = await lees.rapport(service.werk_naar_werk, onderdrukking.werk_naar_werk)
    return lees.csv(r["per_regio_sectorpaar"], "werk-naar-werk")
