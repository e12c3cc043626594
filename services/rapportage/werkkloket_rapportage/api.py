"""Rapportage HTTP API: every figure as JSON, every table as CSV, as of any peildatum."""

import csv
import io
from dataclasses import asdict
from datetime import date, datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query
from fastapi.responses import Response
from pydantic import BaseModel
from werkkloket_runtime.http import Organisatie, Problem, require
from werkkloket_runtime.service import ServiceRuntime

from . import config, domain, rapport, werknaarwerk

Groepering = Literal["uitzendbureau", "gemeente", "regio", "categorie", "doelgroep", "maand", "kwartaal", "jaar"]


class FunnelRegel(BaseModel):
    aangemeld: int
    volledig: int
    toegewezen: int
    eerste_contact: int
    gesprek: int
    geplaatst: int
    duurzaam: int
    geclaimd: int
    conversie: dict[str, float | None]


class PerUitzendbureau(FunnelRegel):
    uitzendbureau: str


class PerGroep(FunnelRegel):
    groep: str | None


class FunnelRapport(BaseModel):
    peildatum: date
    duurzaam_maanden: int
    filters: dict[str, str]
    totaal: FunnelRegel
    per_uitzendbureau: list[PerUitzendbureau]
    groepering: str | None = None
    groepen: list[PerGroep] = []


def vandaag() -> date:
    return datetime.now(domain.TIJDZONE).date()


def csv_response(rows: list[dict[str, Any]], naam: str) -> Response:
    buffer = io.StringIO()
    if rows:
        writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow({k: "" if v is None else v for k, v in row.items()})
    return Response(
        buffer.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{naam}.csv"'},
    )


def platte_funnel(label: str, waarde: str | None, funnel: domain.Funnel) -> dict[str, Any]:
    row: dict[str, Any] = {label: waarde}
    row.update({k: getattr(funnel, k) for k in (*domain.STAPPEN, "geclaimd")})
    row.update({f"conversie {k}": v for k, v in funnel.conversie.items()})
    return row


def kop(v: rapport.Vraag) -> dict[str, Any]:
    return {"peildatum": v.peildatum, "filters": v.filters(), "duurzaam_maanden": v.duurzaam_maanden}


def router(rt: ServiceRuntime) -> APIRouter:
    api = APIRouter(prefix="/api/v1/rapportage", tags=["rapportage"])
    lezer = require(rt.keys, "rapportage", "gemeente", "beheer")
    instellingen = config.laad()
    Lezer = Annotated[Organisatie, Depends(lezer)]

    def vraag(
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
    ) -> rapport.Vraag:
        maanden = duurzaam_maanden or instellingen.duurzaam_maanden
        if maanden not in domain.DUURZAAM_MAANDEN:
            raise Problem(
                422,
                "Ongeldige invoer",
                "Ongeldige of ontbrekende velden: duurzaam_maanden",
                invalid_params=[{"name": "duurzaam_maanden", "reason": "kies 1, 3, 6 of 12"}],
            )
        if van and tot and van > tot:
            raise Problem(
                422,
                "Ongeldige invoer",
                "Ongeldige of ontbrekende velden: van, tot",
                invalid_params=[{"name": "tot", "reason": "tot ligt voor van"}],
            )
        return rapport.Vraag(
            peildatum=peildatum or vandaag(),
            regio=regio,
            gemeente=gemeente,
            uitzendbureau=uitzendbureau,
            categorie=categorie,
            doelgroep=doelgroep,
            van=van,
            tot=tot,
            duurzaam_maanden=maanden,
        )

    Vr = Annotated[rapport.Vraag, Depends(vraag)]

    async def funnel_rapport(v: rapport.Vraag, groepeer: str | None) -> FunnelRapport:
        async with rt.engine.connect() as conn:
            totaal, groepen, bureaus = await rapport.funnel(conn, v, groepeer, per_bureau=True)
        return FunnelRapport(
            peildatum=v.peildatum,
            duurzaam_maanden=v.duurzaam_maanden,
            filters=v.filters(),
            totaal=FunnelRegel(**vars(totaal)),
            per_uitzendbureau=[PerUitzendbureau(uitzendbureau=b, **vars(f)) for b, f in bureaus if b is not None],
            groepering=groepeer,
            groepen=[PerGroep(groep=g, **vars(f)) for g, f in groepen],
        )

    @api.get("/funnel", response_model=FunnelRapport)
    async def funnel(_: Lezer, v: Vr, groepeer: Groepering | None = None) -> FunnelRapport:
        """aangemeld → volledig → toegewezen → eerste contact → gesprek → geplaatst → duurzaam."""
        return await funnel_rapport(v, groepeer)

    @api.get("/funnel.csv", response_class=Response)
    async def funnel_csv(_: Lezer, v: Vr, groepeer: Groepering = "uitzendbureau") -> Response:
        r = await funnel_rapport(v, groepeer)
        rows = [platte_funnel(groepeer, g.groep, domain.Funnel(**g.model_dump(exclude={"groep"}))) for g in r.groepen]
        rows.append(platte_funnel(groepeer, "totaal", domain.Funnel(**r.totaal.model_dump())))
        return csv_response(rows, f"funnel-{v.peildatum.isoformat()}")

    async def doorloop(v: rapport.Vraag) -> dict[str, Any]:
        async with rt.engine.connect() as conn:
            totaal, bureaus = await rapport.doorlooptijden(conn, v, instellingen.contacttermijn_dagen)
        return {
            "peildatum": v.peildatum,
            "filters": v.filters(),
            "contacttermijn_dagen": instellingen.contacttermijn_dagen,
            "totaal": totaal,
            "per_uitzendbureau": bureaus,
        }

    @api.get("/doorlooptijden")
    async def doorlooptijden(_: Lezer, v: Vr) -> dict[str, Any]:
        """Days from registration to first contact and to placement (p50, p90); contact deadline breaches."""
        return await doorloop(v)

    @api.get("/doorlooptijden.csv", response_class=Response)
    async def doorlooptijden_csv(_: Lezer, v: Vr) -> Response:
        r = await doorloop(v)
        rows = [*r["per_uitzendbureau"], {"uitzendbureau": "totaal", **r["totaal"]}]
        return csv_response(rows, f"doorlooptijden-{v.peildatum.isoformat()}")

    async def per_maand(v: rapport.Vraag) -> dict[str, Any]:
        async with rt.engine.connect() as conn:
            rows = await rapport.plaatsingen_per_maand(conn, v)
        return {
            "peildatum": v.peildatum,
            "filters": v.filters(),
            "duurzaam_maanden": v.duurzaam_maanden,
            "maanden": rows,
        }

    @api.get("/plaatsingen-per-maand")
    async def plaatsingen_per_maand(_: Lezer, v: Vr) -> dict[str, Any]:
        """Placements by month of their start: confirmed, still claimed, and durable."""
        return await per_maand(v)

    @api.get("/plaatsingen-per-maand.csv", response_class=Response)
    async def plaatsingen_per_maand_csv(_: Lezer, v: Vr) -> Response:
        return csv_response((await per_maand(v))["maanden"], f"plaatsingen-per-maand-{v.peildatum.isoformat()}")

    async def duurzaam(v: rapport.Vraag) -> dict[str, Any]:
        async with rt.engine.connect() as conn:
            rows = await rapport.duurzaamheid(conn, v)
        return {
            "peildatum": v.peildatum,
            "filters": v.filters(),
            "duurzaam_maanden": v.duurzaam_maanden,
            "mijlpalen": rows,
        }

    @api.get("/duurzaamheid")
    async def duurzaamheid(_: Lezer, v: Vr) -> dict[str, Any]:
        """Of the confirmed placements old enough to judge, how many lasted 1, 3, 6 and 12 months."""
        return await duurzaam(v)

    @api.get("/duurzaamheid.csv", response_class=Response)
    async def duurzaamheid_csv(_: Lezer, v: Vr) -> Response:
        return csv_response((await duurzaam(v))["mijlpalen"], f"duurzaamheid-{v.peildatum.isoformat()}")

    async def doel(v: rapport.Vraag) -> dict[str, Any]:
        async with rt.engine.connect() as conn:
            result = await rapport.doelen(conn, v, instellingen)
        return {"peildatum": v.peildatum, "filters": v.filters(), **result}

    @api.get("/doelen")
    async def doelen(_: Lezer, v: Vr) -> dict[str, Any]:
        """Progress against the programme targets and the agencies' agreed numbers of placements."""
        return await doel(v)

    @api.get("/doelen-programmas.csv", response_class=Response)
    async def doelen_programmas_csv(_: Lezer, v: Vr) -> Response:
        return csv_response((await doel(v))["programmas"], f"doelen-programmas-{v.peildatum.isoformat()}")

    @api.get("/doelen-uitzendbureaus.csv", response_class=Response)
    async def doelen_uitzendbureaus_csv(_: Lezer, v: Vr) -> Response:
        return csv_response((await doel(v))["uitzendbureaus"], f"doelen-uitzendbureaus-{v.peildatum.isoformat()}")

    async def bespaard(v: rapport.Vraag) -> dict[str, Any]:
        async with rt.engine.connect() as conn:
            b = await rapport.besparing(conn, v, instellingen)
        # Money as text, so no float rounding creeps in.
        return {
            "peildatum": v.peildatum,
            "filters": v.filters(),
            "schatting": True,
            **asdict(b),
            "normbedrag": str(b.normbedrag),
            "bedrag": str(b.bedrag),
        }

    @api.get("/uitkeringsbesparing")
    async def uitkeringsbesparing(_: Lezer, v: Vr) -> dict[str, Any]:
        """Benefits saved, an estimate: benefit months avoided × the norm amount, with its assumptions."""
        return await bespaard(v)

    @api.get("/uitkeringsbesparing.csv", response_class=Response)
    async def uitkeringsbesparing_csv(_: Lezer, v: Vr) -> Response:
        b = await bespaard(v)
        row = {k: b[k] for k in ("peildatum", "uitkeringsmaanden", "normbedrag", "bedrag")}
        row["aannames"] = " | ".join(b["aannames"])
        return csv_response([row], f"uitkeringsbesparing-{v.peildatum.isoformat()}")

    async def wnw(v: rapport.Vraag) -> dict[str, Any]:
        async with rt.engine.connect() as conn:
            uit = werknaarwerk.rapport(await werknaarwerk.bewegingen(conn, v.regio), v.peildatum)
            uit["gemeld"] = await werknaarwerk.meldingen(conn, v.regio, v.peildatum)
        return uit

    @api.get("/werk-naar-werk")
    async def werk_naar_werk(_: Lezer, v: Vr) -> dict[str, Any]:
        """Werk naar werk as of peildatum: moves per region and sector pair (transfers, lendings, returned), and
        how many people moved from a surplus to another employer without becoming unemployed. Filter: regio."""
        return await wnw(v)

    @api.get("/werk-naar-werk.csv", response_class=Response)
    async def werk_naar_werk_csv(_: Lezer, v: Vr) -> Response:
        return csv_response((await wnw(v))["per_regio_sectorpaar"], f"werk-naar-werk-{v.peildatum.isoformat()}")

    return api
