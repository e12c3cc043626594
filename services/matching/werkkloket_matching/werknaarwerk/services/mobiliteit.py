"""Werk naar werk use cases: surpluses and shortages, proposed moves, transfers and lendings. Every change is
published through the outbox in the transaction that makes it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from uuid import UUID, uuid4

from sqlalchemy import Row
from sqlalchemy.ext.asyncio import AsyncConnection
from werkkloket_contracts import (
    Gebeurtenis,
    MobiliteitBeeindigd,
    MobiliteitGestart,
    Mobiliteitsvorm,
    MobiliteitTeruggekeerd,
    MobiliteitVoorgesteld,
    OverschotGemeld,
    TekortGemeld,
    source_of,
)
from werkkloket_runtime.errors import Conflict, Invalid, NotFound
from werkkloket_runtime.unit_of_work import UnitOfWork, UnitOfWorkFactory

from ...adapters.tables import overschotten, tekorten
from .. import domain
from ..adapters import meldingen, mobiliteiten, paspoorten, voorstellen
from ..commands import Afronden, Melding, OverschotMelden, Starten, TekortMelden, TerugkeerControleren


@dataclass(frozen=True)
class Voorgesteld:
    """A stored proposal (a row of mobiliteitsvoorstellen) with its employers and the shortage's occupation."""

    voorstel: Row[Any]
    van_werkgever: str
    naar_werkgever: str
    beroep: str


@dataclass(frozen=True)
class Gemeld:
    id: UUID
    werkgever: str
    voorstellen: list[Voorgesteld]


def _van_naar(o: Row[Any], t: Row[Any], v: domain.Voorstel | Row[Any]) -> dict[str, Any]:
    """What the events of a proposal and of a move tell of where people go: from the surplus (its key) to the
    shortage, across which sectors (`v`: a proposal, stored or not)."""
    return {
        "arbeidsmarktregio": o.arbeidsmarktregio,
        "gemeente": o.gemeente,
        "overschot_id": o.overschot_id,
        "tekort_id": t.tekort_id,
        "van_werkgever": o.werkgever,
        "naar_werkgever": t.werkgever,
        "naar_regio": t.arbeidsmarktregio,
        "van_sector": v.van_sector,
        "naar_sector": v.naar_sector,
    }


async def _stel_voor(
    uow: UnitOfWork, o: Row[Any], t: Row[Any], v: domain.Voorstel, door: str, nu: datetime
) -> Voorgesteld | None:
    """Store and publish one proposal; None when this pair was proposed before."""
    voorstel_id = uuid4()
    inserted = await voorstellen.bewaar(uow.conn, voorstel_id, v, o, t, nu)
    if inserted is None:
        return None
    event = MobiliteitVoorgesteld(
        **_van_naar(o, t, v),
        voorstel_id=voorstel_id,
        beroep=t.beroep,
        score=min(1.0, v.score),
        factoren=list(v.factoren),
        sectoroverstap=v.sectoroverstap,
        vormen=list(v.vormen),
        regelversie=domain.REGELVERSIE,
    )
    await uow.publish(event, time=nu, source=source_of("matching", door))
    return Voorgesteld(inserted, o.werkgever, t.werkgever, t.beroep)


def _gemeld_velden(r: Row[Any], door: str) -> dict[str, Any]:
    """What OverschotGemeld and TekortGemeld both tell of the stored report."""
    return {
        "arbeidsmarktregio": r.arbeidsmarktregio,
        "gemeente": r.gemeente,
        "werkgever": r.werkgever,
        "sbi": r.sbi,
        "aantal": r.aantal,
        "skills": list(r.skills),
        "vanaf": r.vanaf,
        "gemeld_door": door,
    }


def _melding(invoer: Melding, werkgever: str, door: str, nu: datetime) -> dict[str, Any]:
    """The columns a surplus and a shortage share."""
    return {
        "werkgever": werkgever,
        "gemeld_door": door,
        "sbi": invoer.sbi,
        "arbeidsmarktregio": invoer.arbeidsmarktregio,
        "gemeente": invoer.gemeente,
        "aantal": invoer.aantal,
        "skills": domain.skills(invoer.skills),
        "vanaf": invoer.vanaf,
        "gemeld_op": nu,
    }


async def _gemeld(
    uow: UnitOfWork,
    melding_id: UUID,
    werkgever: str,
    paren: tuple[Sequence[Row[Any]], Sequence[Row[Any]]],
    keuze: list[domain.Voorstel],
    door: str,
    nu: datetime,
) -> Gemeld:
    """Store and publish the chosen proposals between these surpluses and shortages."""
    per_overschot = {str(o.overschot_id): o for o in paren[0]}
    per_tekort = {str(t.tekort_id): t for t in paren[1]}
    gedaan = [await _stel_voor(uow, per_overschot[v.overschot_id], per_tekort[v.tekort_id], v, door, nu) for v in keuze]
    return Gemeld(id=melding_id, werkgever=werkgever, voorstellen=[v for v in gedaan if v])


async def overschot_melden(uow: UnitOfWork, cmd: OverschotMelden) -> Gemeld:
    """An employer (or the WSP for it) reports a surplus; open shortages get proposed moves."""
    invoer, door, nu = cmd.invoer, cmd.melder.code, uow.now()
    werkgever = cmd.melder.namens(invoer.werkgever)
    cmd.melder.meldt_in(invoer.arbeidsmarktregio, invoer.gemeente)
    if invoer.uitlenen_tot is not None and not invoer.uitlenen_toegestaan:
        raise Invalid("uitlenen_tot", "alleen als uitlenen is toegestaan")
    regios = sorted(set(invoer.regios) | {invoer.arbeidsmarktregio})
    o = await meldingen.nieuw(
        uow.conn,
        overschotten,
        overschot_id=uuid4(),
        **_melding(invoer, werkgever, door, nu),
        beroepen=list(dict.fromkeys(invoer.beroepen)),
        aard=invoer.aard.value,
        uitlenen_toegestaan=invoer.uitlenen_toegestaan,
        uitlenen_tot=invoer.uitlenen_tot,
        regios=regios,
        uitsluiting=invoer.uitsluiting.model_dump(),
    )
    event = OverschotGemeld(
        **_gemeld_velden(o, door),
        overschot_id=o.overschot_id,
        beroepen=list(o.beroepen),
        aard=invoer.aard,
        uitlenen_toegestaan=o.uitlenen_toegestaan,
        uitlenen_tot=o.uitlenen_tot,
        regios=list(o.regios),
        uitsluiting=invoer.uitsluiting,
    )
    await uow.publish(event, time=nu, source=source_of("matching", door))
    open_ = await meldingen.open_tekorten(uow.conn, regios)
    keuze = domain.beste_tekorten(meldingen.overschot(o), (meldingen.tekort(t) for t in open_))
    return await _gemeld(uow, o.overschot_id, werkgever, ([o], open_), keuze, door, nu)


async def tekort_melden(uow: UnitOfWork, cmd: TekortMelden) -> Gemeld:
    """An employer (or the WSP for it) reports a shortage; open surpluses get proposed moves to it."""
    invoer, door, nu = cmd.invoer, cmd.melder.code, uow.now()
    werkgever = cmd.melder.namens(invoer.werkgever)
    cmd.melder.meldt_in(invoer.arbeidsmarktregio, invoer.gemeente)
    t = await meldingen.nieuw(
        uow.conn,
        tekorten,
        tekort_id=uuid4(),
        **_melding(invoer, werkgever, door, nu),
        beroep=invoer.beroep,
        uren_per_week=invoer.uren_per_week,
        postcodegebied=invoer.postcode[:4],
    )
    event = TekortGemeld(
        **_gemeld_velden(t, door),
        tekort_id=t.tekort_id,
        beroep=t.beroep,
        uren_per_week=t.uren_per_week,
        postcodegebied=t.postcodegebied,
    )
    await uow.publish(event, time=nu, source=source_of("matching", door))
    open_ = await meldingen.open_overschotten(uow.conn, t.arbeidsmarktregio)
    keuze = domain.beste_overschotten(meldingen.tekort(t), (meldingen.overschot(o) for o in open_))
    return await _gemeld(uow, t.tekort_id, werkgever, (open_, [t]), keuze, door, nu)


async def _voorstel(
    conn: AsyncConnection, voorstel_id: UUID, melder: domain.Melder
) -> tuple[Row[Any], Row[Any], Row[Any]]:
    """A proposal with its surplus and shortage, locked; only for a melder that may act on it (an employer that
    is part of it, the WSP of a region it is from or to)."""
    v = await voorstellen.lees(conn, voorstel_id)
    if v is None:
        raise NotFound(f"voorstel {voorstel_id} bestaat niet")
    o, t = await meldingen.lees(conn, v.overschot_id, v.tekort_id, vergrendeld=True)
    if not melder.mag_handelen((o.werkgever, t.werkgever), (o.arbeidsmarktregio, t.arbeidsmarktregio)):
        raise NotFound(f"voorstel {voorstel_id} bestaat niet")
    return v, o, t


async def _werknemer(conn: AsyncConnection, paspoort_id: UUID | None, melder: domain.Melder) -> UUID:
    """The worker who moves: the holder of the paspoort named, or a new pseudonymous id. A paspoort of a surplus
    outside a WSP's regions is as unknown as one that does not exist."""
    if paspoort_id is None:
        return uuid4()
    p = await paspoorten.lees(conn, paspoort_id)
    if p is None or (p.arbeidsmarktregio is not None and not melder.mag_in(p.arbeidsmarktregio)):
        raise Invalid("paspoort_id", "onbekend paspoort")
    werknemer_id: UUID = p.paspoort_id
    return werknemer_id


async def starten(uow: UnitOfWork, cmd: Starten) -> Row[Any]:
    """A worker of the surplus starts at the shortage employer: a transfer, or a lending with a return date."""
    invoer, nu = cmd.invoer, uow.now()
    v, o, t = await _voorstel(uow.conn, cmd.voorstel_id, cmd.melder)
    if invoer.vorm.value not in v.vormen:
        raise Invalid("vorm", f"mogelijk: {', '.join(v.vormen)}")
    fout = domain.startfout(meldingen.overschot(o), invoer.vorm, invoer.startdatum, invoer.terugkeerdatum)
    if fout:
        raise Invalid(*fout)
    if o.verplaatst >= o.aantal or t.ingevuld >= t.aantal:
        raise Conflict("het overschot is op, of het tekort is al ingevuld")
    werknemer_id = await _werknemer(uow.conn, invoer.paspoort_id, cmd.melder)
    await meldingen.verplaats(uow.conn, o.overschot_id, t.tekort_id)
    row = await mobiliteiten.nieuw(
        uow.conn,
        mobiliteit_id=uuid4(),
        voorstel_id=v.voorstel_id,
        overschot_id=o.overschot_id,
        tekort_id=t.tekort_id,
        werknemer_id=werknemer_id,
        vorm=invoer.vorm.value,
        startdatum=invoer.startdatum,
        terugkeerdatum=invoer.terugkeerdatum,
    )
    event = MobiliteitGestart(
        **_van_naar(o, t, v),
        mobiliteit_id=row.mobiliteit_id,
        voorstel_id=v.voorstel_id,
        werknemer_id=werknemer_id,
        vorm=invoer.vorm,
        startdatum=invoer.startdatum,
        terugkeerdatum=invoer.terugkeerdatum,
    )
    await uow.publish(event, time=nu, source=source_of("matching", cmd.melder.code))
    return row


async def _rond_af(
    uow: UnitOfWork, o: Row[Any], mobiliteit_id: UUID, datum: date, reden: str | None, bron: str, nu: datetime
) -> Row[Any]:
    """A lending returns (reden None) or a move ends on `datum`: store it and publish the event."""
    waarden = {"teruggekeerd_op": datum} if reden is None else {"beeindigd_op": datum, "reden": reden}
    row = await mobiliteiten.rond_af(uow.conn, mobiliteit_id, **waarden)
    sleutel = {
        "arbeidsmarktregio": o.arbeidsmarktregio,
        "gemeente": o.gemeente,
        "overschot_id": o.overschot_id,
        "mobiliteit_id": mobiliteit_id,
        "datum": datum,
    }
    event: Gebeurtenis = (
        MobiliteitTeruggekeerd(**sleutel) if reden is None else MobiliteitBeeindigd(**sleutel, reden=reden)
    )
    await uow.publish(event, time=nu, source=bron)
    return row


async def afronden(uow: UnitOfWork, cmd: Afronden) -> Row[Any]:
    """A lent worker returns to the original employer (reden None), or a move ends before its time."""
    m = await mobiliteiten.vergrendel(uow.conn, cmd.mobiliteit_id)
    if m is None:
        raise NotFound(f"mobiliteit {cmd.mobiliteit_id} bestaat niet")
    o, t = await meldingen.lees(uow.conn, m.overschot_id, m.tekort_id)
    if not cmd.melder.mag_handelen((o.werkgever, t.werkgever), (o.arbeidsmarktregio, t.arbeidsmarktregio)):
        raise NotFound(f"mobiliteit {cmd.mobiliteit_id} bestaat niet")
    if m.teruggekeerd_op or m.beeindigd_op:
        raise Conflict("deze mobiliteit is al afgerond")
    if cmd.reden is None and m.vorm != Mobiliteitsvorm.DETACHERING.value:
        raise Conflict("alleen een detachering keert terug")
    if cmd.datum < m.startdatum:
        raise Invalid("datum", "ligt voor de startdatum")
    bron = source_of("matching", cmd.melder.code)
    return await _rond_af(uow, o, cmd.mobiliteit_id, cmd.datum, cmd.reden, bron, uow.now())


async def terugkeren(uow: UnitOfWork, peildatum: date, nu: datetime) -> list[UUID]:
    """Lendings whose return date has come as of peildatum return, dated on their return date (not today)."""
    per_id = {str(r.mobiliteit_id): r for r in await mobiliteiten.lopende_detacheringen(uow.conn, peildatum)}
    gedaan: list[UUID] = []
    for mid, datum in domain.terug_te_keren(((k, r.terugkeerdatum) for k, r in per_id.items()), peildatum):
        r = per_id[mid]
        await _rond_af(uow, r, r.mobiliteit_id, datum, None, source_of("matching"), nu)
        gedaan.append(r.mobiliteit_id)
    return gedaan


async def terugkeercontrole(uow: UnitOfWork, cmd: TerugkeerControleren) -> list[UUID]:
    """Beheer lets the lendings return now; a peildatum only with a settable clock."""
    nu = uow.now()
    if cmd.peildatum is not None and not cmd.klok_instelbaar:
        raise Invalid("peildatum", "de klok is niet instelbaar")
    return await terugkeren(uow, cmd.peildatum or nu.date(), nu)


async def terugkeerbewaking(units: UnitOfWorkFactory) -> list[UUID]:
    """The periodic step: the lendings whose return date has come return."""
    async with units() as uow:
        return await terugkeercontrole(uow, TerugkeerControleren(peildatum=None, klok_instelbaar=False))
