"""Rapportage HTTP API: every figure as JSON, every table as CSV, as of any peildatum."""

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
from werkkloket_runtime.toegang import BeveiligdeRoute, toegang

from .. import service
from ..domain.funnel import STAPPEN, Funnel, dag
from ..domain.instellingen import Instellingen
from ..domain.vraag import Groepering, Vraag
from .dependencies import InstellingenDep
from .schemas import FunnelRapport, FunnelRegel, PerGroep, PerUitzendbureau

T = TypeVar("T")

router = APIRouter(prefix="/api/v1/rapportage", tags=["rapportage"], route_class=BeveiligdeRoute)
LEZERS: tuple[Rol, ...] = ("rapportage", "gemeente", "beheer")


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
    """One question of an authorised reader, read on a connection of its own."""

    engine: AsyncEngine
    vraag: Vraag
    instellingen: Instellingen

    async def __call__(self, rapport: Callable[[AsyncConnection, Vraag, Instellingen], Awaitable[T]]) -> T:
        async with self.engine.connect() as conn:
            return await rapport(conn, self.vraag, self.instellingen)

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
            headers={"Content-Disposition": f'attachment; filename="{naam}-{self.vraag.peildatum.isoformat()}.csv"'},
        )


def lezing(v: Annotated[Vraag, Depends(vraag)], engine: Engine, instellingen: InstellingenDep) -> Lezing:
    return Lezing(engine, v, instellingen)


Lees = Annotated[Lezing, Depends(lezing)]


def platte_funnel(label: str, waarde: str | None, funnel: Funnel) -> dict[str, Any]:
    row: dict[str, Any] = {label: waarde}
    row.update({k: getattr(funnel, k) for k in (*STAPPEN, "geclaimd")})
    row.update({f"conversie {k}": v for k, v in funnel.conversie.items()})
    return row


async def _funnel(lees: Lezing, groepeer: str | None) -> service.FunnelUitkomst:
    return await lees(lambda conn, v, _: service.funnel(conn, v, groepeer))


@router.get("/funnel", response_model=FunnelRapport)
@toegang(*LEZERS, scope="cijfers")
async def funnel(lees: Lees, groepeer: Groepering | None = None) -> FunnelRapport:
    """aangemeld → volledig → toegewezen → eerste contact → gesprek → geplaatst → duurzaam."""
    u = await _funnel(lees, groepeer)
    v = lees.vraag
    bureaus = [PerUitzendbureau(uitzendbureau=b, **vars(f)) for b, f in u.per_uitzendbureau if b is not None]
    return FunnelRapport(
        peildatum=v.peildatum,
        duurzaam_maanden=v.duurzaam_maanden,
        filters=v.filters(),
        totaal=FunnelRegel(**vars(u.totaal)),
        per_uitzendbureau=bureaus,
        groepering=groepeer,
        groepen=[PerGroep(groep=g, **vars(f)) for g, f in u.groepen],
    )


@router.get("/funnel.csv", response_class=Response)
@toegang(*LEZERS, scope="cijfers")
async def funnel_csv(lees: Lees, groepeer: Groepering = "uitzendbureau") -> Response:
    u = await _funnel(lees, groepeer)
    rows = [platte_funnel(groepeer, g, f) for g, f in u.groepen]
    rows.append(platte_funnel(groepeer, "totaal", u.totaal))
    return lees.csv(rows, "funnel")


@router.get("/doorlooptijden")
@toegang(*LEZERS, scope="cijfers")
async def doorlooptijden(lees: Lees) -> dict[str, Any]:
    """Days from registration to first contact and to placement (p50, p90); contact deadline breaches."""
    return await lees(service.doorlooptijden)


@router.get("/doorlooptijden.csv", response_class=Response)
@toegang(*LEZERS, scope="cijfers")
async def doorlooptijden_csv(lees: Lees) -> Response:
    r = await lees(service.doorlooptijden)
    return lees.csv([*r["per_uitzendbureau"], {"uitzendbureau": "totaal", **r["totaal"]}], "doorlooptijden")


@router.get("/plaatsingen-per-maand")
@toegang(*LEZERS, scope="cijfers")
async def plaatsingen_per_maand(lees: Lees) -> dict[str, Any]:
    """Placements by month of their start: confirmed, still claimed, and durable."""
    return await lees(service.plaatsingen_per_maand)


@router.get("/plaatsingen-per-maand.csv", response_class=Response)
@toegang(*LEZERS, scope="cijfers")
async def plaatsingen_per_maand_csv(lees: Lees) -> Response:
    return lees.csv((await lees(service.plaatsingen_per_maand))["maanden"], "plaatsingen-per-maand")


@router.get("/duurzaamheid")
@toegang(*LEZERS, scope="cijfers")
async def duurzaamheid(lees: Lees) -> dict[str, Any]:
    """Of the confirmed placements old enough to judge, how many lasted 1, 3, 6 and 12 months."""
    return await lees(service.duurzaamheid)


@router.get("/duurzaamheid.csv", response_class=Response)
@toegang(*LEZERS, scope="cijfers")
async def duurzaamheid_csv(lees: Lees) -> Response:
    return lees.csv((await lees(service.duurzaamheid))["mijlpalen"], "duurzaamheid")


@router.get("/doelen")
@toegang(*LEZERS, scope="cijfers")
async def doelen(lees: Lees) -> dict[str, Any]:
    """Progress against the programme targets and the agencies' agreed numbers of placements."""
    return await lees(service.doelen)


@router.get("/doelen-programmas.csv", response_class=Response)
@toegang(*LEZERS, scope="cijfers")
async def doelen_programmas_csv(lees: Lees) -> Response:
    return lees.csv((await lees(service.doelen))["programmas"], "doelen-programmas")


@router.get("/doelen-uitzendbureaus.csv", response_class=Response)
@toegang(*LEZERS, scope="cijfers")
async def doelen_uitzendbureaus_csv(lees: Lees) -> Response:
    return lees.csv((await lees(service.doelen))["uitzendbureaus"], "doelen-uitzendbureaus")


@router.get("/uitkeringsbesparing")
@toegang(*LEZERS, scope="cijfers")
async def uitkeringsbesparing(lees: Lees) -> dict[str, Any]:
    """Benefits saved, an estimate: benefit months avoided × the norm amount, with its assumptions."""
    return await lees(service.uitkeringsbesparing)


@router.get("/uitkeringsbesparing.csv", response_class=Response)
@toegang(*LEZERS, scope="cijfers")
async def uitkeringsbesparing_csv(lees: Lees) -> Response:
    b = await lees(service.uitkeringsbesparing)
    row = {k: b[k] for k in ("peildatum", "uitkeringsmaanden", "normbedrag", "bedrag")}
    row["aannames"] = " | ".join(b["aannames"])
    return lees.csv([row], "uitkeringsbesparing")


@router.get("/werk-naar-werk")
@toegang(*LEZERS, scope="cijfers")
async def werk_naar_werk(lees: Lees) -> dict[str, Any]:
    """Werk naar werk as of peildatum: moves per region and sector pair (transfers, lendings, returned), and
    how many people moved from a surplus to another employer without becoming unemployed. Filter: regio."""
    return await lees(service.werk_naar_werk)


@router.get("/werk-naar-werk.csv", response_class=Response)
@toegang(*LEZERS, scope="cijfers")
async def werk_naar_werk_csv(lees: Lees) -> Response:
    return lees.csv((await lees(service.werk_naar_werk))["per_regio_sectorpaar"], "werk-naar-werk")
