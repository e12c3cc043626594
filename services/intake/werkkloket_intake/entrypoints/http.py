"""Intake's HTTP API: for the gemeente (registrations, screening, what happens after a placement) and for the
assigned agency (contact data)."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query, Response
from sqlalchemy.ext.asyncio import AsyncConnection
from werkkloket_runtime.dependencies import Engine, Units
from werkkloket_runtime.identity import Organisatie, Rol
from werkkloket_runtime.logboek import Actie, Betrokkene
from werkkloket_runtime.toegang import Aanroeper, BeveiligdeRoute, Verantwoord, Verantwoording, toegang
from werkkloket_runtime.unit_of_work import UnitOfWorkFactory
from werkkloket_runtime.verwijdering import VERWIJDEREN

from ..domain.aanmelding import Status
from ..services import bemiddeling, beoordeling, meldingen, registratie, verwijdering, vragen
from .dependencies import bron, namens
from .schemas import (
    AanmeldingInvoer,
    AanmeldingStatus,
    BeeindigingInvoer,
    BevestigingInvoer,
    CategorieInvoer,
    ContactGegevens,
    Doorverwijzing,
    DubbelBesluit,
    Gemeld,
    HerinstroomInvoer,
    ProfielVelden,
    ToestemmingStand,
    ToestemmingWijziging,
    VerwijderingGestart,
)

router = APIRouter(prefix="/api/v1", tags=["intake"], route_class=BeveiligdeRoute)
# UWV registers like a gemeente, nationally.
REGISTREERDER: tuple[Rol, ...] = ("gemeente", "uwv")


# What a change of a registration logs: consent, the screening category, and the BSN it answers with.
WIJZIGING = ("toestemming-vastleggen", "categorie-vaststellen", "bsn-inzien")


@router.post("/aanmeldingen", status_code=201, response_model=AanmeldingStatus)
@toegang(*REGISTREERDER, scope="gemeente", verwerkingen=WIJZIGING)
async def registreer(
    invoer: AanmeldingInvoer, response: Response, org: Aanroeper, units: Units, log: Verantwoord
) -> AanmeldingStatus:
    cmd = registratie.Registratie(namens(org), invoer.gemeente, invoer.profielinvoer(alles=True))
    async with units(source=bron(org)) as uow:
        uitkomst = await registratie.registreer(uow, cmd)
        uit = AanmeldingStatus.van(uitkomst.aanmelding, cmd.namens, uitkomst.coderingen)
        await _gewijzigd(log, uow.conn, uitkomst, uit, toestemming=True)
    response.headers["Location"] = f"/api/v1/aanmeldingen/{uitkomst.aanmelding.id}"
    return uit


@router.patch("/aanmeldingen/{aanmelding_id}", response_model=AanmeldingStatus)
@toegang(*REGISTREERDER, scope="gemeente", verwerkingen=WIJZIGING)
async def vul_aan(
    aanmelding_id: UUID, invoer: ProfielVelden, org: Aanroeper, units: Units, log: Verantwoord
) -> AanmeldingStatus:
    """Complete or correct a profile; a complete profile is handed over (ProfielAangevuld)."""
    cmd = registratie.Aanvulling(aanmelding_id, namens(org), invoer.profielinvoer())
    async with units(source=bron(org)) as uow:
        uitkomst = await registratie.vul_aan(uow, cmd)
        uit = AanmeldingStatus.van(uitkomst.aanmelding, cmd.namens, uitkomst.coderingen)
        await _gewijzigd(log, uow.conn, uitkomst, uit, toestemming=invoer.toestemming is not None)
    return uit


async def _gewijzigd(
    log: Verantwoording,
    conn: AsyncConnection,
    uitkomst: registratie.Uitkomst,
    uit: AanmeldingStatus,
    *,
    toestemming: bool,
) -> None:
    """The log of a registration or its change, in its transaction (one statement)."""
    wie = [Betrokkene(uit.kandidaat_id, uit.gemeente)]
    acties = [_bsn(uit)]
    if toestemming:
        acties.append(Actie("toestemming-vastleggen", "toestemming vastgelegd", wie))
    if uit.categorie is not None and uit.categorie != uitkomst.categorie_voor:
        acties.append(Actie("categorie-vaststellen", "categorie vastgesteld", wie))
    await log.vastleggen_alle(conn, acties)


def _bsn(*statussen: AanmeldingStatus) -> Actie:
    """Each BSN an answer carries is a read of that person's BSN."""
    return Actie("bsn-inzien", "BSN gelezen", [Betrokkene(s.kandidaat_id, s.gemeente) for s in statussen if s.bsn])


@router.post("/aanmeldingen/{aanmelding_id}/dubbelcontrole", response_model=AanmeldingStatus)
@toegang(*REGISTREERDER, scope="gemeente", verwerkingen=("bsn-inzien",))
async def dubbelcontrole(
    aanmelding_id: UUID, besluit: DubbelBesluit, org: Aanroeper, units: Units, log: Verantwoord
) -> AanmeldingStatus:
    """A consultant decides on a possible duplicate; nothing is ever merged automatically."""
    cmd = beoordeling.Dubbelbesluit(aanmelding_id, namens(org), dubbel=besluit.besluit == "dubbel")
    async with units(source=bron(org)) as uow:
        uit = AanmeldingStatus.van(await beoordeling.dubbelcontrole(uow, cmd), cmd.namens)
        await log.vastleggen_alle(uow.conn, [_bsn(uit)])
    return uit


@router.post("/aanmeldingen/{aanmelding_id}/categorie", response_model=AanmeldingStatus)
@toegang(*REGISTREERDER, scope="gemeente", verwerkingen=("categorie-vaststellen", "bsn-inzien"))
async def categorie(
    aanmelding_id: UUID, invoer: CategorieInvoer, org: Aanroeper, units: Units, log: Verantwoord
) -> AanmeldingStatus:
    """A consultant overrides the screening category, with a reason (KandidaatGescreend)."""
    cmd = beoordeling.Categoriebesluit(aanmelding_id, namens(org), invoer.categorie, invoer.reden)
    async with units(source=bron(org)) as uow:
        uit = AanmeldingStatus.van(await beoordeling.overschrijf_categorie(uow, cmd), cmd.namens)
        await _besluit(log, uow.conn, uit, "categorie-vaststellen", "categorie gewijzigd")
    return uit


async def _besluit(
    log: Verantwoording, conn: AsyncConnection, uit: AanmeldingStatus, activiteit: str, naam: str
) -> None:
    """The log of a decision on one registration whose answer carries its BSN (one statement)."""
    wie = [Betrokkene(uit.kandidaat_id, uit.gemeente)]
    await log.vastleggen_alle(conn, [Actie(activiteit, naam, wie), _bsn(uit)])


@router.get("/aanmeldingen/{aanmelding_id}", response_model=AanmeldingStatus)
@toegang(*REGISTREERDER, scope="gemeente", verwerkingen=("bsn-inzien",))
async def status(aanmelding_id: UUID, org: Aanroeper, engine: Engine, log: Verantwoord) -> AanmeldingStatus:
    async with engine.begin() as conn:
        uit = AanmeldingStatus.van(await vragen.eigen_aanmelding(conn, aanmelding_id, namens(org)), namens(org))
        await log.vastleggen_alle(conn, [_bsn(uit)])
    return uit


@router.get("/aanmeldingen", response_model=list[AanmeldingStatus])
@toegang(*REGISTREERDER, scope="eigen", verwerkingen=("bsn-inzien",))
async def lijst(
    org: Aanroeper,
    engine: Engine,
    log: Verantwoord,
    status: Annotated[Status | None, Query(description="e.g. onvolledig, mogelijk_dubbel")] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> list[AanmeldingStatus]:
    """The gemeente's own aanmeldingen, newest first."""
    async with engine.begin() as conn:
        gevonden = await vragen.eigen_aanmeldingen(conn, namens(org), status, limit)
        uit = [AanmeldingStatus.van(a, namens(org)) for a in gevonden]
        await log.vastleggen_alle(conn, [_bsn(*uit)])  # one record per BSN in the list
    return uit


@router.get("/aanmeldingen/{aanmelding_id}/toestemmingen", response_model=ToestemmingStand)
@toegang(*REGISTREERDER, scope="gemeente")
async def toestemmingen(aanmelding_id: UUID, org: Aanroeper, engine: Engine) -> ToestemmingStand:
    """Per purpose whether consent holds, and its whole history."""
    async with engine.connect() as conn:
        stand = await bemiddeling.toestemmingen_van(conn, aanmelding_id, namens(org))
    return ToestemmingStand.van(stand.aanmelding.kandidaat_id, stand.toestemmingen)


@router.post("/aanmeldingen/{aanmelding_id}/toestemmingen", status_code=201, response_model=ToestemmingStand)
@toegang(*REGISTREERDER, scope="gemeente", verwerkingen=("toestemming-vastleggen",))
async def wijzig_toestemming(
    aanmelding_id: UUID, invoer: ToestemmingWijziging, org: Aanroeper, units: Units, log: Verantwoord
) -> ToestemmingStand:
    """Give consent for one purpose, or withdraw it (ToestemmingIngetrokken): a withdrawn hand-off ends the
    agency's access to the contact data at once, and matching ends its assignment."""
    cmd = bemiddeling.Toestemmingswijziging(aanmelding_id, namens(org), invoer.doel, invoer.gegeven, invoer.tekstversie)
    async with units(source=bron(org)) as uow:
        stand = await bemiddeling.wijzig_toestemming(uow, cmd)
        a = stand.aanmelding
        naam = "toestemming gegeven" if invoer.gegeven else "toestemming ingetrokken"
        await log.vastleggen(uow.conn, "toestemming-vastleggen", naam, [Betrokkene(a.kandidaat_id, a.gemeente)])
    return ToestemmingStand.van(a.kandidaat_id, stand.toestemmingen)


@router.post("/aanmeldingen/{aanmelding_id}/beeindiging", response_model=AanmeldingStatus)
@toegang(*REGISTREERDER, scope="gemeente", verwerkingen=("bemiddeling-beeindigen", "bsn-inzien"))
async def beeindig(
    aanmelding_id: UUID, invoer: BeeindigingInvoer, org: Aanroeper, units: Units, log: Verantwoord
) -> AanmeldingStatus:
    """The gemeente ends the mediation (BemiddelingBeeindigd): no agency holds the candidate any more."""
    cmd = bemiddeling.Beeindiging(aanmelding_id, namens(org), invoer.reden, invoer.datum)
    async with units(source=bron(org)) as uow:
        uit = AanmeldingStatus.van(await bemiddeling.beeindig(uow, cmd), cmd.namens)
        await _besluit(log, uow.conn, uit, "bemiddeling-beeindigen", "bemiddeling beeindigd")
    return uit


@router.post("/aanmeldingen/{aanmelding_id}/verwijdering", status_code=202, response_model=VerwijderingGestart)
@toegang(*REGISTREERDER, scope="gemeente", verwerkingen=(VERWIJDEREN,))
async def verwijder(aanmelding_id: UUID, org: Aanroeper, units: Units, log: Verantwoord) -> VerwijderingGestart:
    """Erase everything the platform holds about the person (AVG art. 17): intake at once, every other service
    from the event PersoonsgegevensVerwijderd; each keeps a receipt under `verzoek_id`."""
    cmd = verwijdering.Verwijdering(aanmelding_id, namens(org))
    async with units(source=bron(org), log=log) as uow:
        v = await verwijdering.verwijder_op_verzoek(uow, cmd)
    return VerwijderingGestart(
        verzoek_id=v.verzoek_id,
        kandidaat_id=v.kandidaat_id,
        gemeente=v.gemeente,
        datum=v.datum,
        intake=v.verwijderd,
        sleutel_vernietigd=v.verwijderd.get("persoonssleutels", 0) > 0,
    )


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
@toegang("uitzendbureau", scope="uitzendbureau", verwerkingen=("contactgegevens-verstrekken",))
async def contact(kandidaat_id: UUID, org: Aanroeper, engine: Engine, log: Verantwoord) -> ContactGegevens:
    """The assigned agency reads how to reach its candidate; every read is in the processing log."""
    async with engine.begin() as conn:
        c = await vragen.contact(conn, kandidaat_id, namens(org))
        await log.vastleggen(
            conn, "contactgegevens-verstrekken", "contactgegevens gelezen", [Betrokkene(c.kandidaat_id, c.gemeente)]
        )
    return ContactGegevens.van(c)


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
