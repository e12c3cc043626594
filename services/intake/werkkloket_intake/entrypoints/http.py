"""Intake's HTTP API: for the gemeente (registrations, screening, what happens after a placement) and for the
assigned agency (contact data)."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query, Response
from werkkloket_runtime.dependencies import Engine, Units
from werkkloket_runtime.identity import Organisatie, Rol
from werkkloket_runtime.toegang import Aanroeper, BeveiligdeRoute, toegang
from werkkloket_runtime.unit_of_work import UnitOfWorkFactory

from ..domain.aanmelding import Status
from ..services import beoordeling, meldingen, registratie, vragen
from .dependencies import bron, namens
from .schemas import (
    AanmeldingInvoer,
    AanmeldingStatus,
    BevestigingInvoer,
    CategorieInvoer,
    ContactGegevens,
    Doorverwijzing,
    DubbelBesluit,
    Gemeld,
    HerinstroomInvoer,
    ProfielVelden,
)

router = APIRouter(prefix="/api/v1", tags=["intake"], route_class=BeveiligdeRoute)
# UWV registers like a gemeente, nationally.
REGISTREERDER: tuple[Rol, ...] = ("gemeente", "uwv")


@router.post("/aanmeldingen", status_code=201, response_model=AanmeldingStatus)
@toegang(*REGISTREERDER, scope="gemeente")
async def registreer(invoer: AanmeldingInvoer, response: Response, org: Aanroeper, units: Units) -> AanmeldingStatus:
    cmd = registratie.Registratie(namens(org), invoer.gemeente, invoer.profielinvoer(alles=True))
    async with units(source=bron(org)) as uow:
        uitkomst = await registratie.registreer(uow, cmd)
    response.headers["Location"] = f"/api/v1/aanmeldingen/{uitkomst.aanmelding.id}"
    return AanmeldingStatus.van(uitkomst.aanmelding, cmd.namens, uitkomst.coderingen)


@router.patch("/aanmeldingen/{aanmelding_id}", response_model=AanmeldingStatus)
@toegang(*REGISTREERDER, scope="gemeente")
async def vul_aan(aanmelding_id: UUID, invoer: ProfielVelden, org: Aanroeper, units: Units) -> AanmeldingStatus:
    """Complete or correct a profile; a complete profile is handed over (ProfielAangevuld)."""
    cmd = registratie.Aanvulling(aanmelding_id, namens(org), invoer.profielinvoer())
    async with units(source=bron(org)) as uow:
        uitkomst = await registratie.vul_aan(uow, cmd)
    return AanmeldingStatus.van(uitkomst.aanmelding, cmd.namens, uitkomst.coderingen)


@router.post("/aanmeldingen/{aanmelding_id}/dubbelcontrole", response_model=AanmeldingStatus)
@toegang(*REGISTREERDER, scope="gemeente")
async def dubbelcontrole(aanmelding_id: UUID, besluit: DubbelBesluit, org: Aanroeper, units: Units) -> AanmeldingStatus:
    """A consultant decides on a possible duplicate; nothing is ever merged automatically."""
    cmd = beoordeling.Dubbelbesluit(aanmelding_id, namens(org), dubbel=besluit.besluit == "dubbel")
    async with units(source=bron(org)) as uow:
        a = await beoordeling.dubbelcontrole(uow, cmd)
    return AanmeldingStatus.van(a, cmd.namens)


@router.post("/aanmeldingen/{aanmelding_id}/categorie", response_model=AanmeldingStatus)
@toegang(*REGISTREERDER, scope="gemeente")
async def categorie(aanmelding_id: UUID, invoer: CategorieInvoer, org: Aanroeper, units: Units) -> AanmeldingStatus:
    """A consultant overrides the screening category, with a reason (KandidaatGescreend)."""
    cmd = beoordeling.Categoriebesluit(aanmelding_id, namens(org), invoer.categorie, invoer.reden)
    async with units(source=bron(org)) as uow:
        a = await beoordeling.overschrijf_categorie(uow, cmd)
    return AanmeldingStatus.van(a, cmd.namens)


@router.get("/aanmeldingen/{aanmelding_id}", response_model=AanmeldingStatus)
@toegang(*REGISTREERDER, scope="gemeente")
async def status(aanmelding_id: UUID, org: Aanroeper, engine: Engine) -> AanmeldingStatus:
    async with engine.connect() as conn:
        a = await vragen.eigen_aanmelding(conn, aanmelding_id, namens(org))
    return AanmeldingStatus.van(a, namens(org))


@router.get("/aanmeldingen", response_model=list[AanmeldingStatus])
@toegang(*REGISTREERDER, scope="eigen")
async def lijst(
    org: Aanroeper,
    engine: Engine,
    status: Annotated[Status | None, Query(description="e.g. onvolledig, mogelijk_dubbel")] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> list[AanmeldingStatus]:
    """The gemeente's own aanmeldingen, newest first."""
    async with engine.connect() as conn:
        gevonden = await vragen.eigen_aanmeldingen(conn, namens(org), status, limit)
    return [AanmeldingStatus.van(a, namens(org)) for a in gevonden]


@router.get("/gemeenten/{code}/doorverwijzing", response_model=Doorverwijzing)
@toegang("gemeente", scope="gemeente")
async def lees_doorverwijzing(code: str, org: Aanroeper, engine: Engine) -> Doorverwijzing:
    async with engine.connect() as conn:
        return Doorverwijzing(categorieen=await vragen.doorverwezen(conn, code, namens(org)))


@router.put("/gemeenten/{code}/doorverwijzing", response_model=Doorverwijzing)
@toegang("gemeente", scope="gemeente")
async def zet_doorverwijzing(code: str, invoer: Doorverwijzing, org: Aanroeper, units: Units) -> Doorverwijzing:
    """Which screening categories this gemeente hands to agencies (default 1 and 2); applies to new screenings."""
    cmd = beoordeling.Doorverwijzing(code, namens(org), invoer.categorieen)
    async with units(source=bron(org)) as uow:
        return Doorverwijzing(categorieen=await beoordeling.zet_doorverwijzing(uow, cmd))


@router.get("/kandidaten/{kandidaat_id}/contact", response_model=ContactGegevens)
@toegang("uitzendbureau", scope="uitzendbureau")
async def contact(kandidaat_id: UUID, org: Aanroeper, engine: Engine) -> ContactGegevens:
    async with engine.connect() as conn:
        return ContactGegevens.van(await vragen.contact(conn, kandidaat_id, namens(org)))


@router.post("/kandidaten/{kandidaat_id}/plaatsing-bevestiging", status_code=201, response_model=Gemeld)
@toegang(*REGISTREERDER, scope="gemeente")
async def bevestig(kandidaat_id: UUID, invoer: BevestigingInvoer, org: Aanroeper, units: Units) -> Gemeld:
    """The placement is no longer a claim: the benefit ended or was reduced, or the candidate confirmed it."""
    return await _meld(units, org, meldingen.Bevestiging(kandidaat_id, namens(org), invoer.bron, invoer.datum))


@router.post("/kandidaten/{kandidaat_id}/herinstroom", status_code=201, response_model=Gemeld)
@toegang(*REGISTREERDER, scope="gemeente")
async def herinstroom(kandidaat_id: UUID, invoer: HerinstroomInvoer, org: Aanroeper, units: Units) -> Gemeld:
    """The candidate receives a benefit again."""
    return await _meld(units, org, meldingen.Herinstroom(kandidaat_id, namens(org), invoer.uitkering, invoer.datum))


async def _meld(
    units: UnitOfWorkFactory, org: Organisatie, melding: meldingen.Bevestiging | meldingen.Herinstroom
) -> Gemeld:
    async with units(source=bron(org)) as uow:
        event = await meldingen.meld(uow, melding)
    return Gemeld(kandidaat_id=melding.kandidaat_id, gebeurtenis=event.event_name)
