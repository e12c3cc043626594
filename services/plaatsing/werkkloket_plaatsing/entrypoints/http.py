"""Plaatsing HTTP API, for the agency that holds the candidate."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date
from typing import Annotated, TypeVar
from uuid import UUID

from fastapi import APIRouter, Query
from werkkloket_contracts import source_of
from werkkloket_runtime.dependencies import Engine, Units
from werkkloket_runtime.identity import Organisatie
from werkkloket_runtime.toegang import Aanroeper, BeveiligdeRoute, toegang
from werkkloket_runtime.unit_of_work import UnitOfWork

from ..adapters import kandidaten, opvolgingen
from ..domain import Opvolgstatus
from ..services import duurzaamheid, levensloop
from ..services.vastlegging import Vastlegging
from .schemas import (
    AanbodInvoer,
    AfwijzingInvoer,
    BeeindigingInvoer,
    EersteContactInvoer,
    GeplandGesprekInvoer,
    GesprekInvoer,
    KandidaatOverzicht,
    OpvolgingInvoer,
    Opvolgtaak,
    PlaatsingInvoer,
    Vastgelegd,
)

router = APIRouter(prefix="/api/v1", tags=["plaatsing"], route_class=BeveiligdeRoute)

C = TypeVar("C")


async def _vastleggen(
    units: Units, org: Organisatie, use_case: Callable[[UnitOfWork, C], Awaitable[Vastlegging]], cmd: C
) -> Vastgelegd:
    """Run a step in one unit of work, on behalf of the agency."""
    async with units(source=source_of("plaatsing", org.code)) as uow:
        vastlegging = await use_case(uow, cmd)
    return Vastgelegd.model_validate(vastlegging)


@router.get("/kandidaten", response_model=list[KandidaatOverzicht])
@toegang("uitzendbureau", scope="eigen")
async def mijn_kandidaten(org: Aanroeper, engine: Engine) -> list[KandidaatOverzicht]:
    async with engine.connect() as conn:
        rows = await kandidaten.van_uitzendbureau(conn, org.code)
    return [KandidaatOverzicht.model_validate(r) for r in rows]


@router.post("/kandidaten/{kandidaat_id}/eerste-contact", status_code=201, response_model=Vastgelegd)
@toegang("uitzendbureau", scope="uitzendbureau")
async def eerste_contact(kandidaat_id: UUID, invoer: EersteContactInvoer, org: Aanroeper, units: Units) -> Vastgelegd:
    cmd = levensloop.EersteContact(kandidaat_id=kandidaat_id, uitzendbureau=org.code, **invoer.model_dump())
    return await _vastleggen(units, org, levensloop.eerste_contact, cmd)


@router.post("/kandidaten/{kandidaat_id}/gesprekken/gepland", status_code=201, response_model=Vastgelegd)
@toegang("uitzendbureau", scope="uitzendbureau")
async def gesprek_gepland(kandidaat_id: UUID, invoer: GeplandGesprekInvoer, org: Aanroeper, units: Units) -> Vastgelegd:
    cmd = levensloop.GesprekPlannen(kandidaat_id=kandidaat_id, uitzendbureau=org.code, **invoer.model_dump())
    return await _vastleggen(units, org, levensloop.gesprek_plannen, cmd)


@router.post("/kandidaten/{kandidaat_id}/gesprekken", status_code=201, response_model=Vastgelegd)
@toegang("uitzendbureau", scope="uitzendbureau")
async def gesprek(kandidaat_id: UUID, invoer: GesprekInvoer, org: Aanroeper, units: Units) -> Vastgelegd:
    cmd = levensloop.GesprekHouden(kandidaat_id=kandidaat_id, uitzendbureau=org.code, **invoer.model_dump())
    return await _vastleggen(units, org, levensloop.gesprek_houden, cmd)


@router.post("/kandidaten/{kandidaat_id}/aanbiedingen", status_code=201, response_model=Vastgelegd)
@toegang("uitzendbureau", scope="uitzendbureau")
async def aanbod(kandidaat_id: UUID, invoer: AanbodInvoer, org: Aanroeper, units: Units) -> Vastgelegd:
    cmd = levensloop.Aanbod(kandidaat_id=kandidaat_id, uitzendbureau=org.code, **invoer.model_dump())
    return await _vastleggen(units, org, levensloop.aanbod, cmd)


@router.post("/kandidaten/{kandidaat_id}/afwijzing", status_code=201, response_model=Vastgelegd)
@toegang("uitzendbureau", scope="uitzendbureau")
async def afwijzing(kandidaat_id: UUID, invoer: AfwijzingInvoer, org: Aanroeper, units: Units) -> Vastgelegd:
    cmd = levensloop.Afwijzing(kandidaat_id=kandidaat_id, uitzendbureau=org.code, **invoer.model_dump())
    return await _vastleggen(units, org, levensloop.afwijzing, cmd)


@router.post("/kandidaten/{kandidaat_id}/plaatsingen", status_code=201, response_model=Vastgelegd)
@toegang("uitzendbureau", scope="uitzendbureau")
async def plaatsing(kandidaat_id: UUID, invoer: PlaatsingInvoer, org: Aanroeper, units: Units) -> Vastgelegd:
    cmd = levensloop.Plaatsen(kandidaat_id=kandidaat_id, uitzendbureau=org.code, **invoer.model_dump())
    return await _vastleggen(units, org, levensloop.plaatsen, cmd)


@router.post("/plaatsingen/{plaatsing_id}/beeindiging", status_code=201, response_model=Vastgelegd)
@toegang("uitzendbureau", scope="uitzendbureau")
async def beeindiging(plaatsing_id: UUID, invoer: BeeindigingInvoer, org: Aanroeper, units: Units) -> Vastgelegd:
    cmd = duurzaamheid.Beeindiging(plaatsing_id=plaatsing_id, uitzendbureau=org.code, **invoer.model_dump())
    return await _vastleggen(units, org, duurzaamheid.beeindigen, cmd)


@router.get("/opvolging", response_model=list[Opvolgtaak])
@toegang("uitzendbureau", scope="eigen")
async def opvolging(
    org: Aanroeper,
    engine: Engine,
    tot: Annotated[date | None, Query(description="Only checkpoints on or before this date")] = None,
    status: Opvolgstatus = Opvolgstatus.OPEN,
) -> list[Opvolgtaak]:
    async with engine.connect() as conn:
        taken = await opvolgingen.van_uitzendbureau(conn, org.code, status, tot)
    return [Opvolgtaak.model_validate(t) for t in taken]


@router.post("/plaatsingen/{plaatsing_id}/opvolging/{maanden}", status_code=201, response_model=Vastgelegd)
@toegang("uitzendbureau", scope="uitzendbureau")
async def opvolging_bevestigen(
    plaatsing_id: UUID, maanden: int, invoer: OpvolgingInvoer, org: Aanroeper, units: Units
) -> Vastgelegd:
    cmd = duurzaamheid.Opvolging(
        plaatsing_id=plaatsing_id, maanden=maanden, uitzendbureau=org.code, **invoer.model_dump()
    )
    return await _vastleggen(units, org, duurzaamheid.bevestigen, cmd)
