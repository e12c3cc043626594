"""Skills paspoort HTTP API: drawn up with the worker, read by the worker (with its key) and by the employers it
consented to share it with."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Header, Path, Request, Response
from werkkloket_runtime.dependencies import Engine, Units
from werkkloket_runtime.errors import NotFound
from werkkloket_runtime.http import Problem
from werkkloket_runtime.identity import BearerCredentials, Organisatie
from werkkloket_runtime.toegang import Aanroeper, BeveiligdeRoute, Verantwoord, toegang

from ...entrypoints.dependencies import MELDERS
from ..commands import PASPOORT_TEKSTVERSIE, WERKNEMER_HEADER, Koppelen, PaspoortInvoer, PaspoortMaken, Toestemming
from ..services import paspoort
from .http import melder
from .schemas import Koppeling, Ontkoppeld, Paspoort, PaspoortAangemaakt

router = APIRouter(prefix="/api/v1/werk-naar-werk", tags=["werk naar werk"], route_class=BeveiligdeRoute)

WerknemerSleutel = Annotated[str | None, Header(alias=WERKNEMER_HEADER)]
WerkgeverPad = Annotated[str, Path(pattern=r"^[a-z0-9-]{2,60}$")]


@router.post("/paspoorten", status_code=201, response_model=PaspoortAangemaakt)
@toegang(*MELDERS, scope="eigen")
async def paspoort_maken(invoer: PaspoortInvoer, org: Aanroeper, units: Units) -> PaspoortAangemaakt:
    """The employer or the WSP draws up a worker's paspoort with the worker; the worker gets the key."""
    async with units() as uow:
        paspoort_id, sleutel = await paspoort.maken(uow, PaspoortMaken(melder(org), invoer))
    return PaspoortAangemaakt(paspoort_id=paspoort_id, werknemer_sleutel=sleutel)


def _werknemer(request: Request) -> str | None:
    """The logged-in worker's login (its token's subject), if a worker calls with a token."""
    org: Organisatie | None = getattr(request.state, "organisatie", None)
    return org.persoon if org is not None and org.rol == "werknemer" else None


@router.get("/paspoorten/{paspoort_id}", response_model=Paspoort, response_model_exclude_none=True)
@toegang(*MELDERS, "werknemer", scope="paspoort")
async def paspoort_lezen(
    paspoort_id: UUID,
    request: Request,
    engine: Engine,
    credentials: BearerCredentials,
    werknemer_sleutel: WerknemerSleutel = None,
) -> Paspoort:
    """The worker reads its own paspoort (with its key, or logged in after linking it); an employer only after the
    worker consented to share it."""
    async with engine.connect() as conn:
        inzage = await paspoort.inzien(conn, paspoort_id, werknemer_sleutel, _werknemer(request))
    inhoud = Paspoort.model_validate(inzage.paspoort._mapping)
    if inzage.door_werknemer:
        return inhoud.model_copy(update={"gedeeld_met": inzage.gedeeld_met})
    if credentials is None:
        raise Problem(401, "Niet geauthenticeerd", f"een toegangstoken of de {WERKNEMER_HEADER} is nodig")
    org: Organisatie = request.state.organisatie  # the route's guard verified the token and its role
    if org.rol == "werknemer":  # another worker's paspoort: existence does not leak
        raise NotFound(f"paspoort {paspoort_id} bestaat niet")
    inzage.voor(melder(org))
    return inhoud


@router.put("/paspoorten/{paspoort_id}/werknemer", status_code=204, response_class=Response)
@toegang("werknemer", scope="paspoort", verwerkingen=(paspoort.DELEN,))
async def koppelen(
    paspoort_id: UUID,
    invoer: Koppeling,
    org: Aanroeper,
    units: Units,
    log: Verantwoord,
    werknemer_sleutel: WerknemerSleutel = None,
) -> Response:
    """The logged-in worker links its paspoort to its login with the key it got, consenting to the paspoort (no
    link without it); then the key is no longer needed."""
    t = invoer.toestemming
    cmd = Koppelen(paspoort_id, werknemer_sleutel, org.persoon, t.gegeven, t.tekstversie)
    async with units(log=log) as uow:
        await paspoort.koppelen(uow, cmd)
    return Response(status_code=204)


@router.delete("/paspoorten/{paspoort_id}/werknemer", response_model=Ontkoppeld)
@toegang("werknemer", scope="paspoort", verwerkingen=(paspoort.DELEN,))
async def ontkoppelen(paspoort_id: UUID, org: Aanroeper, units: Units, log: Verantwoord) -> Ontkoppeld:
    """The worker withdraws its consent: sharing with every employer stops and the login is unlinked."""
    async with units(log=log) as uow:
        werkgevers = await paspoort.ontkoppelen(uow, paspoort_id, org.persoon, PASPOORT_TEKSTVERSIE)
    return Ontkoppeld(paspoort_id=paspoort_id, niet_meer_gedeeld_met=werkgevers)


@router.put("/paspoorten/{paspoort_id}/toestemmingen/{werkgever}", status_code=204, response_class=Response)
@toegang("werknemer", scope="paspoort", verwerkingen=(paspoort.DELEN,))
async def toestemming_geven(
    paspoort_id: UUID,
    werkgever: WerkgeverPad,
    request: Request,
    units: Units,
    log: Verantwoord,
    werknemer_sleutel: WerknemerSleutel = None,
) -> Response:
    """The worker agrees to share the paspoort with this employer."""
    cmd = Toestemming(paspoort_id, werkgever, werknemer_sleutel, geven=True, persoon=_werknemer(request))
    async with units(log=log) as uow:
        await paspoort.toestemming(uow, cmd)
    return Response(status_code=204)


@router.delete("/paspoorten/{paspoort_id}/toestemmingen/{werkgever}", status_code=204, response_class=Response)
@toegang("werknemer", scope="paspoort", verwerkingen=(paspoort.DELEN,))
async def toestemming_intrekken(
    paspoort_id: UUID,
    werkgever: WerkgeverPad,
    request: Request,
    units: Units,
    log: Verantwoord,
    werknemer_sleutel: WerknemerSleutel = None,
) -> Response:
    """The worker withdraws consent."""
    cmd = Toestemming(paspoort_id, werkgever, werknemer_sleutel, geven=False, persoon=_werknemer(request))
    async with units(log=log) as uow:
        await paspoort.toestemming(uow, cmd)
    return Response(status_code=204)
