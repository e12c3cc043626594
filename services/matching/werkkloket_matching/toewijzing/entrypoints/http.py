"""Toewijzing HTTP API: the agency registry with its load, assignments, declines and reassignments, each agency's
own candidates with their proposed matches, and beheer's check of the terms."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query, Response
from werkkloket_runtime.dependencies import Engine, Units
from werkkloket_runtime.errors import NotFound
from werkkloket_runtime.toegang import Aanroeper, BeveiligdeRoute, Verantwoord, toegang

from ...entrypoints.dependencies import LEZERS, KlokInstelbaar, ToewijzerDep
from ...vacatures.adapters import matches
from .. import domain, service
from ..adapters import bureaus, toewijzingen
from ..commands import Afwijzen, HandmatigHertoewijzen, Termijnbewaking
from .schemas import (
    Afwijzing,
    Hertoewijzing,
    HertoewijzingRegel,
    MatchUit,
    MijnKandidaat,
    Termijncontrole,
    TermijncontroleUitkomst,
    ToewijzingStand,
    UitzendbureauStand,
)

router = APIRouter(prefix="/api/v1", tags=["matching"], route_class=BeveiligdeRoute)


@router.get("/uitzendbureaus", response_model=list[UitzendbureauStand])
@toegang("gemeente", "uwv", "rapportage", "beheer", scope="cijfers")
async def lijst(engine: Engine, org: Aanroeper, response: Response) -> list[UitzendbureauStand]:
    """The agencies with their capacity and load. The registry is nobody's own but beheer's (it manages it): for
    anyone else the counts of persons are shown with small cells suppressed ("<5"); capacity stays exact."""
    async with engine.connect() as conn:
        standen = [UitzendbureauStand.van(r) for r in await bureaus.alle(conn)]
    exact = org.rol == "beheer"
    response.headers["X-Werkkloket-Onderdrukt"] = "false" if exact else "true"
    return standen if exact else UitzendbureauStand.onderdrukt_getoond(standen)


@router.get("/toewijzingen/{kandidaat_id}", response_model=ToewijzingStand)
@toegang(*LEZERS, scope="gemeente")
async def toewijzing(kandidaat_id: UUID, org: Aanroeper, engine: Engine) -> ToewijzingStand:
    async with engine.connect() as conn:
        row = await toewijzingen.lees(conn, kandidaat_id)
    if row is None or not domain.mag_zien(org.rol, org.gemeenten, row.gemeente):
        raise NotFound(f"geen toewijzing voor kandidaat {kandidaat_id}")
    return ToewijzingStand.van(row)


@router.post("/toewijzingen/{kandidaat_id}/afwijzing", response_model=ToewijzingStand)
@toegang("uitzendbureau", scope="uitzendbureau", verwerkingen=(service.HOUDER,))
async def afwijzing(
    kandidaat_id: UUID, invoer: Afwijzing, org: Aanroeper, units: Units, toewijzer: ToewijzerDep, log: Verantwoord
) -> ToewijzingStand:
    """The agency holding the candidate declines; the candidate goes to the best other agency."""
    async with units(log=log) as uow:
        cmd = Afwijzen(kandidaat_id, org.code, invoer.reden, invoer.afwijzingsreden)
        row = await service.afwijzen(uow, cmd, toewijzer)
    return ToewijzingStand.van(row)


@router.post("/toewijzingen/{kandidaat_id}/hertoewijzing", response_model=ToewijzingStand)
@toegang("gemeente", "beheer", scope="gemeente", verwerkingen=(service.HOUDER,))
async def hertoewijzing(
    kandidaat_id: UUID, invoer: Hertoewijzing, org: Aanroeper, units: Units, toewijzer: ToewijzerDep, log: Verantwoord
) -> ToewijzingStand:
    """A consultant moves the candidate by hand, with a reason."""
    cmd = HandmatigHertoewijzen(kandidaat_id, org.code, org.rol, org.gemeenten, invoer.reden, invoer.uitzendbureau)
    async with units(log=log) as uow:
        row = await service.handmatig_hertoewijzen(uow, cmd, toewijzer)
    return ToewijzingStand.van(row)


@router.get("/hertoewijzingen", response_model=list[HertoewijzingRegel])
@toegang(*LEZERS, scope="eigen")
async def hertoewijzingen_lijst(
    org: Aanroeper,
    engine: Engine,
    gemeente: Annotated[str | None, Query(pattern=r"^GM\d{4}$")] = None,
    limit: Annotated[int, Query(ge=1, le=5000)] = 500,
) -> list[HertoewijzingRegel]:
    """Every reassignment with its cause and reason (a gemeente sees its own)."""
    binnen = org.gemeenten if org.rol == "gemeente" else None
    async with engine.connect() as conn:
        rows = await toewijzingen.hertoewijzingen_van(conn, binnen, gemeente, limit)
    return [HertoewijzingRegel.model_validate(r._mapping) for r in rows]


@router.get("/mijn-kandidaten", response_model=list[MijnKandidaat])
@toegang("uitzendbureau", scope="eigen")
async def mijn_kandidaten(org: Aanroeper, engine: Engine) -> list[MijnKandidaat]:
    """The agency's own candidates and their proposed matches, best first; never another agency's."""
    async with engine.connect() as conn:
        eigen = await toewijzingen.van_bureau(conn, org.code)
        voorstel = await matches.van_bureau(conn, org.code)
    per_kandidaat: dict[UUID, list[MatchUit]] = {}
    for m in voorstel:
        per_kandidaat.setdefault(m.kandidaat_id, []).append(MatchUit.model_validate(m._mapping))
    return [
        MijnKandidaat(
            kandidaat_id=t.kandidaat_id,
            gemeente=t.gemeente,
            toegewezen_op=t.toegewezen_op,
            termijn_eerste_contact=t.termijn_tot,
            matches=per_kandidaat.get(t.kandidaat_id, []),
        )
        for t in eigen
    ]


@router.post("/beheer/termijncontrole", response_model=TermijncontroleUitkomst)
@toegang("beheer", scope="beheer")
async def termijncontrole(
    invoer: Termijncontrole, units: Units, toewijzer: ToewijzerDep, klok_instelbaar: KlokInstelbaar
) -> TermijncontroleUitkomst:
    """Reassign now every candidate without first contact in time, and close the vacancies past their open_tot
    (the service also does this every minute)."""
    cmd = Termijnbewaking(invoer.peildatum, invoer.gemeente, klok_instelbaar)
    uitkomst = await service.termijnbewaking_nu(units, cmd, toewijzer)
    return TermijncontroleUitkomst(**asdict(uitkomst))
