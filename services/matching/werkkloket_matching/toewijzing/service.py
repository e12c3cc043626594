"""Toewijzing use cases: every eligible candidate is held by exactly one agency.

Assignment claims the candidate's `toewijzingen` row; every later change locks it together with the region's
agencies, so several instances in one consumer group never give a candidate to two agencies or overfill one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from uuid import UUID, uuid4

from sqlalchemy import Row
from werkkloket_contracts import (
    AanmeldingOntvangen,
    Afwijzingsgegevens,
    Afwijzingsreden,
    EersteContactGelegd,
    Hertoewijzingsaanleiding,
    KandidaatGescreend,
    KandidaatHertoegewezen,
    KandidaatToegewezen,
    PersoonsgegevensVerwijderd,
    Persoonskenmerken,
    Reden,
    ToewijzingBeeindigd,
    ToewijzingMislukt,
    Versleuteld,
    source_of,
)
from werkkloket_runtime import verwijdering
from werkkloket_runtime.errors import NotFound
from werkkloket_runtime.logboek import Betrokkene
from werkkloket_runtime.sleutelring import Gewist
from werkkloket_runtime.unit_of_work import UnitOfWork, UnitOfWorkFactory

from ..adapters import tables
from ..vacatures import service as vacatures
from ..vacatures.commands import VerlopenSluiten
from . import domain
from .adapters import bureaus, toewijzingen
from .commands import (
    Afwijzen,
    Beeindigen,
    HandmatigHertoewijzen,
    Hertoewijzen,
    Termijnbewaking,
    TermijnenControleren,
    Teruggeven,
    Toewijzen,
)
from .domain import Geweigerd, Toewijzer, Weigering

PROFIELVELDEN = {"wensberoepen", "werkervaring", "skills", "opleidingsniveau"}


# Every change of the agency holding a candidate is in the processing log.
HOUDER = "uitzendbureau-toewijzen"


def _kandidaat(regio: str, gemeente: str, profiel: dict[str, Any] | None) -> domain.Kandidaat:
    p = profiel or {}
    return domain.Kandidaat(
        arbeidsmarktregio=regio,
        gemeente=gemeente,
        wensberoepen=tuple(p.get("wensberoepen", ())),
        werkervaring=tuple(w["beroep"] for w in p.get("werkervaring", ())),
    )


async def profiel_ontvangen(uow: UnitOfWork, event: AanmeldingOntvangen, toewijzer: Toewijzer, *, op: datetime) -> None:
    """Keep the coded profile, with what was encrypted for the person (PC4, doelgroepen, skills) opened with
    matching's copy of their key; assign when the candidate may go to an agency."""
    naar = event.naar_uitzendbureau is not False
    kenmerken = await uow.open(event.kandidaat_id, event.persoonlijk, Persoonskenmerken)
    volledig = event.model_dump(mode="json", exclude={"persoonlijk"})
    if kenmerken is not None:
        volledig |= kenmerken.model_dump(mode="json", exclude={"veld"})
    await toewijzingen.bewaar_kandidaat(
        uow.conn,
        event.kandidaat_id,
        arbeidsmarktregio=event.arbeidsmarktregio,
        gemeente=event.gemeente,
        profiel=volledig,
        categorie=event.categorie,
        naar_uitzendbureau=naar,
        bijgewerkt_op=op,
    )
    if naar:
        profiel = {k: v for k, v in volledig.items() if k in PROFIELVELDEN}
        cmd = Toewijzen(event.kandidaat_id, event.arbeidsmarktregio, event.gemeente, profiel, op)
        await wijs_toe(uow, cmd, toewijzer)


async def gescreend(uow: UnitOfWork, event: KandidaatGescreend, toewijzer: Toewijzer, *, op: datetime) -> None:
    """A category change may hand a candidate to an agency that the gemeente kept until now."""
    row = await toewijzingen.herscreen(uow.conn, event.kandidaat_id, event.categorie, event.naar_uitzendbureau)
    if row is not None and event.naar_uitzendbureau:
        cmd = Toewijzen(event.kandidaat_id, event.arbeidsmarktregio, event.gemeente, row.profiel, op)
        await wijs_toe(uow, cmd, toewijzer)


async def eerste_contact(uow: UnitOfWork, event: EersteContactGelegd) -> None:
    """The agency holding the candidate made first contact: the term is met."""
    await toewijzingen.eerste_contact(uow.conn, event.kandidaat_id, event.uitzendbureau, event.datum)


async def wijs_toe(uow: UnitOfWork, cmd: Toewijzen, toewijzer: Toewijzer) -> None:
    """Decide once on a candidate: KandidaatToegewezen with the agency's proposals, or ToewijzingMislukt."""
    conn, nu = uow.conn, cmd.op
    if not await toewijzingen.claim(conn, cmd.kandidaat_id, cmd.arbeidsmarktregio, cmd.gemeente, nu):
        return  # this candidate was decided on before (same person, other event id)
    kandidaat = _kandidaat(cmd.arbeidsmarktregio, cmd.gemeente, cmd.profiel)
    keuze = domain.kies_uitzendbureau(kandidaat, await bureaus.in_regio(conn, cmd.arbeidsmarktregio))
    plaats = {"kandidaat_id": cmd.kandidaat_id, "arbeidsmarktregio": cmd.arbeidsmarktregio, "gemeente": cmd.gemeente}
    if isinstance(keuze, domain.GeenKeuze):
        await toewijzingen.zet(conn, cmd.kandidaat_id, status="niet_toegewezen", versie=1)
        mislukt = ToewijzingMislukt(**plaats, regelversie=domain.REGELVERSIE, reden=keuze.code, toewijzingsversie=1)
        await uow.publish(mislukt, time=nu)
        return
    toewijzing_id = uuid4()
    await bureaus.tel(conn, keuze.uitzendbureau, +1)
    await toewijzingen.zet(
        conn,
        cmd.kandidaat_id,
        toewijzing_id=toewijzing_id,
        uitzendbureau=keuze.uitzendbureau,
        status="toegewezen",
        toegewezen_op=nu,
        termijn_tot=toewijzer.termijn(nu),
        regelversie=domain.REGELVERSIE,
        redenen=[r.model_dump() for r in keuze.redenen],
        versie=1,
    )
    await vacatures.voor_kandidaat(uow, cmd.kandidaat_id, keuze.uitzendbureau, nu)
    toegewezen = KandidaatToegewezen(
        **plaats,
        toewijzing_id=toewijzing_id,
        uitzendbureau=keuze.uitzendbureau,
        regelversie=domain.REGELVERSIE,
        redenen=list(keuze.redenen),
        toewijzingsversie=1,
    )
    await uow.publish(toegewezen, time=nu)
    await uow.vastleggen(HOUDER, "toegewezen aan uitzendbureau", [Betrokkene(cmd.kandidaat_id, cmd.gemeente)])


async def hertoewijs(uow: UnitOfWork, cmd: Hertoewijzen, toewijzer: Toewijzer) -> Row[Any]:
    """Move an assigned candidate to another agency (never one that had it before), or back to the gemeente."""
    conn, nu = uow.conn, cmd.op
    huidig = await toewijzingen.lees(conn, cmd.kandidaat_id, vergrendeld=True)
    if huidig is None or huidig.status != "toegewezen" or huidig.uitzendbureau is None:
        raise Geweigerd("deze kandidaat is niet aan een uitzendbureau toegewezen")
    if cmd.verlopen_op is not None and not (
        huidig.termijn_tot is not None
        and domain.termijn_verlopen(huidig.termijn_tot, huidig.eerste_contact_op, cmd.verlopen_op)
    ):
        raise Geweigerd("de termijn voor het eerste contact is niet (meer) verlopen")
    kandidaat = _kandidaat(
        huidig.arbeidsmarktregio, huidig.gemeente, await toewijzingen.profiel(conn, cmd.kandidaat_id)
    )
    eerder = {*huidig.eerdere_uitzendbureaus, huidig.uitzendbureau}
    bureaus_in_regio = await bureaus.in_regio(conn, huidig.arbeidsmarktregio)
    keuze = domain.herkeuze(kandidaat, bureaus_in_regio, huidig.uitzendbureau, eerder, cmd.naar)
    nieuw: str | None = None
    redenen: list[Reden] = []
    waarom = f"{cmd.reden}; {keuze.reden}" if isinstance(keuze, domain.GeenKeuze) else cmd.reden
    if isinstance(keuze, domain.Keuze):
        nieuw, redenen = keuze.uitzendbureau, list(keuze.redenen)
    waarom = waarom[:1000]
    await bureaus.tel(conn, huidig.uitzendbureau, -1)
    if nieuw is not None:
        await bureaus.tel(conn, nieuw, +1)
    toewijzing_id = uuid4()
    await toewijzingen.zet(
        conn,
        cmd.kandidaat_id,
        toewijzing_id=toewijzing_id,
        uitzendbureau=nieuw,
        status="toegewezen" if nieuw else "niet_toegewezen",
        besloten_op=nu,
        toegewezen_op=nu if nieuw else None,
        termijn_tot=toewijzer.termijn(nu) if nieuw else None,
        eerste_contact_op=None,
        eerdere_uitzendbureaus=sorted(eerder),
        regelversie=domain.REGELVERSIE,
        redenen=[r.model_dump() for r in redenen],
        versie=huidig.versie + 1,
    )
    await vacatures.voor_kandidaat(uow, cmd.kandidaat_id, nieuw, nu)
    await toewijzingen.leg_hertoewijzing_vast(
        conn,
        kandidaat_id=cmd.kandidaat_id,
        toewijzing_id=toewijzing_id,
        gemeente=huidig.gemeente,
        van_uitzendbureau=huidig.uitzendbureau,
        naar_uitzendbureau=nieuw,
        aanleiding=cmd.aanleiding.value,
        reden=waarom,
        op=nu,
    )
    event = KandidaatHertoegewezen(
        kandidaat_id=cmd.kandidaat_id,
        arbeidsmarktregio=huidig.arbeidsmarktregio,
        gemeente=huidig.gemeente,
        toewijzing_id=toewijzing_id,
        vorig_uitzendbureau=huidig.uitzendbureau,
        uitzendbureau=nieuw,
        aanleiding=cmd.aanleiding,
        regelversie=domain.REGELVERSIE,
        redenen=redenen,
        toewijzingsversie=huidig.versie + 1,
        vorige_toewijzing_id=huidig.toewijzing_id,
        persoonlijk=await _afwijzing(uow, cmd.kandidaat_id, cmd.afwijzingsreden),
    )
    await uow.publish(event, time=nu, source=source_of("matching", cmd.door))
    naam = "hertoegewezen aan uitzendbureau" if nieuw else "teruggegeven aan de gemeente"
    await uow.vastleggen(HOUDER, naam, [Betrokkene(cmd.kandidaat_id, huidig.gemeente)])
    row = await toewijzingen.lees(conn, cmd.kandidaat_id)
    assert row is not None
    return row


async def _afwijzing(uow: UnitOfWork, kandidaat_id: UUID, reden: Afwijzingsreden | None) -> Versleuteld | None:
    """A give-back's reason, encrypted for the person (a reason such as zorg_nodig reveals more than a step)."""
    if reden is None:
        return None
    try:
        return await uow.versleutel(kandidaat_id, Afwijzingsgegevens(reden=reden))
    except Gewist:
        return None  # erased meanwhile: the reason goes nowhere


async def afwijzen(uow: UnitOfWork, cmd: Afwijzen, toewijzer: Toewijzer) -> Row[Any]:
    """The agency holding the candidate declines; the candidate goes to the best other agency."""
    huidig = await toewijzingen.lees(uow.conn, cmd.kandidaat_id)
    if huidig is None or huidig.uitzendbureau != cmd.door:  # another agency's: existence does not leak
        raise NotFound(f"kandidaat {cmd.kandidaat_id} is niet aan uw organisatie toegewezen")
    reden = f"afgewezen door {cmd.door}: {cmd.reden}"
    opdracht = Hertoewijzen(
        cmd.kandidaat_id,
        Hertoewijzingsaanleiding.AFGEWEZEN,
        reden,
        uow.now(),
        door=cmd.door,
        afwijzingsreden=cmd.afwijzingsreden,
    )
    return await hertoewijs(uow, opdracht, toewijzer)


async def teruggegeven(uow: UnitOfWork, cmd: Teruggeven, toewijzer: Toewijzer) -> None:
    """The agency gave the candidate back through plaatsing: the same reassignment as a decline here. A give-back
    by an agency that no longer holds the candidate (it moved on meanwhile) changes nothing."""
    huidig = await toewijzingen.lees(uow.conn, cmd.kandidaat_id, vergrendeld=True)
    if huidig is None or huidig.status != "toegewezen" or huidig.uitzendbureau != cmd.uitzendbureau:
        return
    opdracht = Hertoewijzen(
        cmd.kandidaat_id,
        Hertoewijzingsaanleiding.AFGEWEZEN,
        f"afgewezen door {cmd.uitzendbureau}: {cmd.reden.value}",
        cmd.op,
        door=cmd.uitzendbureau,
        afwijzingsreden=cmd.reden,
    )
    await hertoewijs(uow, opdracht, toewijzer)


async def beeindig(uow: UnitOfWork, cmd: Beeindigen) -> None:
    """End the holding agency's assignment (its place is freed; ToewijzingBeeindigd). `blijvend`: the candidate
    is never assigned again, also when no agency holds it now."""
    conn = uow.conn
    huidig = await toewijzingen.lees(conn, cmd.kandidaat_id, vergrendeld=True)
    if huidig is None:
        if cmd.blijvend and await toewijzingen.claim(
            conn, cmd.kandidaat_id, cmd.arbeidsmarktregio, cmd.gemeente, cmd.op
        ):
            await toewijzingen.zet(conn, cmd.kandidaat_id, status="beeindigd", beeindigd_op=cmd.datum)
        return
    houder = huidig.uitzendbureau if huidig.status == "toegewezen" else None
    if houder is None or (cmd.van is not None and houder != cmd.van):
        if cmd.blijvend and huidig.status != "beeindigd":
            await toewijzingen.zet(conn, cmd.kandidaat_id, status="beeindigd", beeindigd_op=cmd.datum)
        return
    versie = huidig.versie + 1
    await bureaus.tel(conn, houder, -1)
    await toewijzingen.zet(
        conn,
        cmd.kandidaat_id,
        uitzendbureau=None,
        status="beeindigd",
        beeindigd_op=cmd.datum,
        besloten_op=cmd.op,
        eerdere_uitzendbureaus=sorted({*huidig.eerdere_uitzendbureaus, houder}),
        versie=versie,
    )
    await vacatures.voor_kandidaat(uow, cmd.kandidaat_id, None, cmd.op)
    einde = ToewijzingBeeindigd(
        kandidaat_id=cmd.kandidaat_id,
        arbeidsmarktregio=huidig.arbeidsmarktregio,
        gemeente=huidig.gemeente,
        toewijzing_id=huidig.toewijzing_id,
        uitzendbureau=houder,
        aanleiding=cmd.aanleiding,
        datum=cmd.datum,
        toewijzingsversie=versie,
    )
    await uow.publish(einde, time=cmd.op)
    await uow.vastleggen(HOUDER, "toewijzing beeindigd", [Betrokkene(cmd.kandidaat_id, huidig.gemeente)])


async def handmatig_hertoewijzen(uow: UnitOfWork, cmd: HandmatigHertoewijzen, toewijzer: Toewijzer) -> Row[Any]:
    """A consultant moves the candidate by hand, with a reason; a refusal names the field `uitzendbureau`."""
    huidig = await toewijzingen.lees(uow.conn, cmd.kandidaat_id)
    if huidig is None or not domain.mag_zien(cmd.rol, cmd.eigen_gemeenten, huidig.gemeente):
        raise NotFound(f"geen toewijzing voor kandidaat {cmd.kandidaat_id}")
    opdracht = Hertoewijzen(
        cmd.kandidaat_id, Hertoewijzingsaanleiding.HANDMATIG, cmd.reden, uow.now(), naar=cmd.naar, door=cmd.door
    )
    try:
        return await hertoewijs(uow, opdracht, toewijzer)
    except Weigering as exc:
        raise exc.over("uitzendbureau") from None


async def controleer_termijnen(units: UnitOfWorkFactory, cmd: TermijnenControleren, toewijzer: Toewijzer) -> list[UUID]:
    """Reassign every candidate without first contact within the term; one transaction per candidate."""
    async with units.engine.connect() as conn:
        verlopen = await toewijzingen.verlopen(conn, cmd.peildatum, cmd.gemeente)
    gedaan: list[UUID] = []
    for kandidaat_id in verlopen:
        opdracht = Hertoewijzen(
            kandidaat_id,
            Hertoewijzingsaanleiding.GEEN_EERSTE_CONTACT,
            toewijzer.reden_verlopen(),
            cmd.nu,
            verlopen_op=cmd.peildatum,
        )
        try:
            async with units() as uow:
                await hertoewijs(uow, opdracht, toewijzer)
        except Weigering:
            continue  # first contact came in, or it moved, meanwhile
        gedaan.append(kandidaat_id)
    return gedaan


async def termijnbewaking(units: UnitOfWorkFactory, toewijzer: Toewijzer) -> list[UUID]:
    """The periodic step: reassign the candidates whose term for first contact has passed, as of now."""
    nu = units.clock.now()
    return await controleer_termijnen(units, TermijnenControleren(peildatum=nu.date(), nu=nu), toewijzer)


@dataclass(frozen=True)
class Gecontroleerd:
    peildatum: date
    hertoegewezen: list[UUID]
    vacatures_verlopen: list[UUID]


async def termijnbewaking_nu(units: UnitOfWorkFactory, cmd: Termijnbewaking, toewijzer: Toewijzer) -> Gecontroleerd:
    """Reassign every candidate without first contact in time and close the vacancies past their open_tot, as
    of the peildatum (the periodic steps, run now)."""
    nu = domain.peilmoment(units.clock.now(), cmd.peildatum, cmd.klok_instelbaar)
    hertoegewezen = await controleer_termijnen(units, TermijnenControleren(nu.date(), nu, cmd.gemeente), toewijzer)
    verlopen = await vacatures.sluit_verlopen(units, VerlopenSluiten(nu.date(), nu, cmd.gemeente))
    return Gecontroleerd(peildatum=nu.date(), hertoegewezen=hertoegewezen, vacatures_verlopen=verlopen)


async def verwijderd(uow: UnitOfWork, event: PersoonsgegevensVerwijderd, einde: Beeindigen) -> None:
    """The person is erased: their assignment ends (the agency's place is freed, ToewijzingBeeindigd), then every
    row about them goes, and the receipt stays."""
    await beeindig(uow, einde)
    await verwijdering.voer_uit(uow, event, tables.SCHEMA, tables.verwijderingen, op=einde.op)
