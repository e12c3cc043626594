"""Vacancy HTTP API: agencies and gemeenten (werkgeversservicepunt) open and close vacancies."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Body
from werkkloket_contracts import Vacaturesluiting
from werkkloket_contracts.referentie import regios_van
from werkkloket_runtime.dependencies import Units
from werkkloket_runtime.toegang import Aanroeper, BeveiligdeRoute, toegang

from .. import service
from ..commands import Sluiting, VacatureInvoer, VacatureOpenen, VacatureSluiten
from .schemas import VacatureStand

router = APIRouter(prefix="/api/v1", tags=["matching"], route_class=BeveiligdeRoute)


@router.post("/vacatures", status_code=201, response_model=VacatureStand)
@toegang("uitzendbureau", "gemeente", scope="eigen")
async def vacature_openen(invoer: VacatureInvoer, org: Aanroeper, units: Units) -> VacatureStand:
    """An agency or a gemeente (werkgeversservicepunt) registers a vacancy; waiting candidates get it proposed. A
    gemeente registers only in the arbeidsmarktregio's of its own gemeenten (403 naming the field otherwise).

    VacatureGeopend is published in the same transaction.
    """
    regios = regios_van(org.gemeenten) if org.rol == "gemeente" else None
    async with units() as uow:
        row, voorgesteld = await service.openen(uow, VacatureOpenen(org.code, invoer, regios))
    return VacatureStand.van(row, voorgesteld)


@router.post("/vacatures/{vacature_id}/sluiting", response_model=VacatureStand)
@toegang("uitzendbureau", "gemeente", scope="eigen")
async def vacature_sluiten(
    vacature_id: UUID,
    org: Aanroeper,
    units: Units,
    invoer: Annotated[Sluiting | None, Body()] = None,
) -> VacatureStand:
    """Close a vacancy (filled or withdrawn, default withdrawn); it is no longer proposed, its proposals are
    withdrawn, and VacatureGesloten is published."""
    reden = Vacaturesluiting((invoer or Sluiting()).reden)
    async with units() as uow:
        row = await service.sluiten(uow, VacatureSluiten(vacature_id, org.code, reden))
    return VacatureStand.van(row)
