"""Werk naar werk HTTP API: surpluses and shortages, proposed moves, and the moves themselves."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter
from werkkloket_runtime.dependencies import Engine, Units
from werkkloket_runtime.errors import NotFound
from werkkloket_runtime.identity import Organisatie
from werkkloket_runtime.toegang import Aanroeper, BeveiligdeRoute, toegang

from ...entrypoints.dependencies import MELDERS, WNW_LEZERS, KlokInstelbaar
from .. import domain
from ..adapters import mobiliteiten, voorstellen
from ..commands import (
    Afronden,
    OverschotInvoer,
    OverschotMelden,
    Start,
    Starten,
    TekortInvoer,
    TekortMelden,
    TerugkeerControleren,
)
from ..services import mobiliteit as service
from .schemas import Beeindiging, MeldingUit, MobiliteitUit, Terugkeer, Terugkeercontrole, VoorstelUit

router = APIRouter(prefix="/api/v1/werk-naar-werk", tags=["werk naar werk"], route_class=BeveiligdeRoute)


def melder(org: Organisatie) -> domain.Melder:
    """The caller as werk naar werk knows it: an employer, a gemeente's WSP (its regions), or a mobility team."""
    if org.rol == "werkgever":
        return domain.Melder.werkgever(org.code)
    if org.rol == "mobiliteitsteam":
        return domain.Melder.mobiliteitsteam(org.code, org.regio)
    return domain.Melder.wsp(org.code, org.gemeenten)


def _gemeld(gemeld: service.Gemeld) -> MeldingUit:
    voorstellen_uit = [
        VoorstelUit.van(v.voorstel, van_werkgever=v.van_werkgever, naar_werkgever=v.naar_werkgever, beroep=v.beroep)
        for v in gemeld.voorstellen
    ]
    return MeldingUit(id=gemeld.id, werkgever=gemeld.werkgever, voorstellen=voorstellen_uit)


@router.post("/overschotten", status_code=201, response_model=MeldingUit)
@toegang(*MELDERS, scope="werkgever")
async def overschot_melden(invoer: OverschotInvoer, org: Aanroeper, units: Units) -> MeldingUit:
    """An employer (or the WSP for it) reports a surplus; open shortages get proposed moves."""
    async with units() as uow:
        gemeld = await service.overschot_melden(uow, OverschotMelden(melder(org), invoer))
    return _gemeld(gemeld)


@router.post("/tekorten", status_code=201, response_model=MeldingUit)
@toegang(*MELDERS, scope="werkgever")
async def tekort_melden(invoer: TekortInvoer, org: Aanroeper, units: Units) -> MeldingUit:
    """An employer (or the WSP for it) reports a shortage; open surpluses get proposed moves to it."""
    async with units() as uow:
        gemeld = await service.tekort_melden(uow, TekortMelden(melder(org), invoer))
    return _gemeld(gemeld)


@router.get("/voorstellen", response_model=list[VoorstelUit])
@toegang(*WNW_LEZERS, scope="eigen")
async def voorstellen_lijst(
    org: Aanroeper, engine: Engine, overschot_id: UUID | None = None, tekort_id: UUID | None = None
) -> list[VoorstelUit]:
    """Proposed moves, best first; an employer sees only those it is part of, a WSP or a mobility team those
    from or to its regions."""
    async with engine.connect() as conn:
        rows = await voorstellen.lijst(conn, overschot_id, tekort_id, melder(org))
    return [VoorstelUit.van(r) for r in rows]


@router.post("/voorstellen/{voorstel_id}/start", status_code=201, response_model=MobiliteitUit)
@toegang(*MELDERS, scope="werkgever")
async def start(voorstel_id: UUID, invoer: Start, org: Aanroeper, units: Units) -> MobiliteitUit:
    """A worker of the surplus starts at the shortage employer: a transfer, or a lending with a return date."""
    async with units() as uow:
        row = await service.starten(uow, Starten(voorstel_id, melder(org), invoer))
    return MobiliteitUit.van(row)


@router.get("/mobiliteiten/{mobiliteit_id}", response_model=MobiliteitUit)
@toegang(*WNW_LEZERS, scope="werkgever")
async def mobiliteit(mobiliteit_id: UUID, org: Aanroeper, engine: Engine) -> MobiliteitUit:
    """A move: for its employers, and for the WSP or mobility team of the region it is from or to."""
    async with engine.connect() as conn:
        m = await mobiliteiten.met_werkgevers(conn, mobiliteit_id)
    if m is None or not melder(org).ziet((m.van, m.naar), (m.van_regio, m.naar_regio)):
        raise NotFound(f"mobiliteit {mobiliteit_id} bestaat niet")
    return MobiliteitUit.van(m)


@router.post("/mobiliteiten/{mobiliteit_id}/terugkeer", response_model=MobiliteitUit)
@toegang(*MELDERS, scope="werkgever")
async def terugkeer(mobiliteit_id: UUID, invoer: Terugkeer, org: Aanroeper, units: Units) -> MobiliteitUit:
    """A lent worker returns to the original employer (earlier than planned, or on the date)."""
    async with units() as uow:
        row = await service.afronden(uow, Afronden(mobiliteit_id, melder(org), invoer.datum))
    return MobiliteitUit.van(row)


@router.post("/mobiliteiten/{mobiliteit_id}/beeindiging", response_model=MobiliteitUit)
@toegang(*MELDERS, scope="werkgever")
async def beeindiging(mobiliteit_id: UUID, invoer: Beeindiging, org: Aanroeper, units: Units) -> MobiliteitUit:
    """A move ends before its time."""
    async with units() as uow:
        row = await service.afronden(uow, Afronden(mobiliteit_id, melder(org), invoer.datum, invoer.reden))
    return MobiliteitUit.van(row)


@router.post("/beheer/terugkeercontrole", response_model=list[UUID])
@toegang("beheer", scope="beheer")
async def terugkeercontrole(invoer: Terugkeercontrole, units: Units, klok_instelbaar: KlokInstelbaar) -> list[UUID]:
    """Return the lendings whose date has come (also done periodically); a peildatum only with a settable clock."""
    async with units() as uow:
        return await service.terugkeercontrole(uow, TerugkeerControleren(invoer.peildatum, klok_instelbaar))
