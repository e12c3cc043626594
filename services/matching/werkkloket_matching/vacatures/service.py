"""Vacancy use cases: opening and closing vacancies, and proposing them to the candidates agencies hold.

Every change is published through the outbox in the transaction that makes it.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from uuid import UUID, uuid4

from sqlalchemy import Row
from werkkloket_contracts import (
    MatchVoorgesteld,
    Opleidingsniveau,
    VacatureGeopend,
    VacatureGesloten,
    Vacaturesluiting,
    source_of,
)
from werkkloket_runtime.errors import Conflict, Forbidden, Invalid, NotFound
from werkkloket_runtime.unit_of_work import UnitOfWork, UnitOfWorkFactory

from . import domain
from .adapters import matches, vacatures
from .commands import VacatureOpenen, VacatureSluiten, VerlopenSluiten


async def _stel_voor(
    uow: UnitOfWork, kandidaat: Row[Any], bureau: str, m: domain.Match, beroep: str, nu: datetime
) -> None:
    await matches.bewaar(uow.conn, kandidaat.kandidaat_id, m, nu)
    event = MatchVoorgesteld(
        kandidaat_id=kandidaat.kandidaat_id,
        arbeidsmarktregio=kandidaat.arbeidsmarktregio,
        gemeente=kandidaat.gemeente,
        vacature_id=UUID(m.vacature_id),
        uitzendbureau=bureau,
        beroep=beroep,
        score=min(1.0, m.score),
        factoren=list(m.factoren),
        sectoroverstap=m.sectoroverstap,
        regelversie=domain.REGELVERSIE,
    )
    await uow.publish(event, time=nu)


async def voor_kandidaat(uow: UnitOfWork, kandidaat_id: UUID, bureau: str | None, nu: datetime) -> int:
    """Replace the candidate's proposals by the top N open vacancies of its region (none without an agency)."""
    k = await matches.kandidaat(uow.conn, kandidaat_id)
    await matches.wis(uow.conn, kandidaat_id=kandidaat_id)
    if k is None or bureau is None:
        return 0
    p = matches.profiel(k.profiel)
    eigen, naar = domain.toegestane_beroepen(p)
    rows = await vacatures.open_in_regio(uow.conn, k.arbeidsmarktregio, nu.date(), eigen, naar)
    beroepen = {str(r.vacature_id): r.beroep for r in rows}
    top = domain.beste(p, (vacatures.vacature(r) for r in rows), nu.date())
    for m in top:
        await _stel_voor(uow, k, bureau, m, beroepen[m.vacature_id], nu)
    return len(top)


async def _voor_vacature(uow: UnitOfWork, r: Row[Any], nu: datetime) -> int:
    """A new vacancy goes to every waiting candidate of the region for whom it ranks in the top N."""
    vac = vacatures.vacature(r)
    voorgesteld = 0
    for k in await matches.wachtend(uow.conn, r.arbeidsmarktregio):
        m = domain.score(matches.profiel(k.profiel), vac, nu.date())
        if m is None:
            continue
        bestaand = await matches.van_kandidaat(uow.conn, k.kandidaat_id)
        if len(bestaand) >= domain.TOP_N:
            slechtste = bestaand[0]
            if m.score <= slechtste.score:
                continue
            await matches.wis(uow.conn, kandidaat_id=k.kandidaat_id, vacature_id=slechtste.vacature_id)
        await _stel_voor(uow, k, k.uitzendbureau, m, r.beroep, nu)
        voorgesteld += 1
    return voorgesteld


async def openen(uow: UnitOfWork, cmd: VacatureOpenen) -> tuple[Row[Any], int]:
    """Register a vacancy, publish VacatureGeopend, and propose it to waiting candidates (how many: the int)."""
    invoer, nu = cmd.invoer, uow.now()
    buiten = domain.buiten_werkgebied(cmd.regios, invoer.arbeidsmarktregio, invoer.gemeente)
    if buiten is not None:
        veld, reden = buiten
        raise Forbidden(f"{cmd.door} registreert hier geen vacatures", invalid_params=[{"name": veld, "reason": reden}])
    if invoer.open_tot < nu.date():
        raise Invalid("open_tot", "ligt in het verleden")
    row = await vacatures.nieuw(
        uow.conn,
        vacature_id=uuid4(),
        door=cmd.door,
        titel=invoer.titel,
        beroep=invoer.beroep,
        sector=domain.sector(invoer.beroep),
        sbi=invoer.sector,
        arbeidsmarktregio=invoer.arbeidsmarktregio,
        gemeente=invoer.gemeente,
        postcodegebied=invoer.postcode[:4],
        uren_per_week=invoer.uren_per_week,
        skills=sorted({s.strip().lower() for s in invoer.skills}),
        opleidingsniveau=invoer.opleidingsniveau.value if invoer.opleidingsniveau else None,
        open_tot=invoer.open_tot,
        geopend_op=nu,
    )
    event = VacatureGeopend(
        vacature_id=row.vacature_id,
        arbeidsmarktregio=row.arbeidsmarktregio,
        gemeente=row.gemeente,
        door=row.door,
        titel=row.titel,
        beroep=row.beroep,
        sector=row.sbi,
        postcodegebied=row.postcodegebied,
        uren_per_week=row.uren_per_week,
        skills=list(row.skills),
        opleidingsniveau=Opleidingsniveau(row.opleidingsniveau) if row.opleidingsniveau else None,
        open_tot=row.open_tot,
    )
    await uow.publish(event, time=nu, source=source_of("matching", row.door))
    return row, await _voor_vacature(uow, row, nu)


async def _sluit(
    uow: UnitOfWork, r: Row[Any], reden: Vacaturesluiting, datum: date, nu: datetime, door: str | None = None
) -> None:
    """Close a locked open vacancy: no longer proposed, its proposals withdrawn, VacatureGesloten published."""
    await vacatures.sluit(uow.conn, r.vacature_id, reden.value, nu)
    await matches.wis(uow.conn, vacature_id=r.vacature_id)
    if r.gemeente is None:
        return  # registered before vacancies were published: its opening was never on the bus either
    event = VacatureGesloten(
        vacature_id=r.vacature_id,
        arbeidsmarktregio=r.arbeidsmarktregio,
        gemeente=r.gemeente,
        door=r.door,
        datum=datum,
        reden=reden,
    )
    await uow.publish(event, time=nu, source=source_of("matching", door))


async def sluiten(uow: UnitOfWork, cmd: VacatureSluiten) -> Row[Any]:
    """Close a vacancy (filled or withdrawn) by the organisation that opened it."""
    nu = uow.now()
    row = await vacatures.lees(uow.conn, cmd.vacature_id, vergrendeld=True)
    if row is None or row.door != cmd.door:
        raise NotFound(f"vacature {cmd.vacature_id} van {cmd.door} bestaat niet")
    if row.gesloten_op is not None:
        raise Conflict("deze vacature is al gesloten")
    await _sluit(uow, row, cmd.reden, nu.date(), nu, door=cmd.door)
    gesloten = await vacatures.lees(uow.conn, cmd.vacature_id)
    assert gesloten is not None
    return gesloten


async def sluit_verlopen(units: UnitOfWorkFactory, cmd: VerlopenSluiten) -> list[UUID]:
    """Close every vacancy past its open_tot with reden verlopen and datum open_tot; one transaction each."""
    async with units.engine.connect() as conn:
        te_sluiten = await vacatures.verlopen(conn, cmd.peildatum, cmd.gemeente)
    gesloten: list[UUID] = []
    for vacature_id in te_sluiten:
        async with units() as uow:
            r = await vacatures.lees(uow.conn, vacature_id, vergrendeld=True)
            if r is None or r.gesloten_op is not None or not domain.verlopen(r.open_tot, cmd.peildatum):
                continue  # closed (or extended) meanwhile
            await _sluit(uow, r, Vacaturesluiting.VERLOPEN, r.open_tot, cmd.nu)
        gesloten.append(vacature_id)
    return gesloten


async def vacaturebewaking(units: UnitOfWorkFactory) -> list[UUID]:
    """The periodic step: close the vacancies past their open_tot, as of now."""
    nu = units.clock.now()
    return await sluit_verlopen(units, VerlopenSluiten(peildatum=nu.date(), nu=nu))
