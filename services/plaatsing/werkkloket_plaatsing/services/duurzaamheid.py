"""Use cases of a placement after its start: its end, the durability checkpoints confirmed or missed, and a
return to a benefit that misses the checkpoints still ahead."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from uuid import UUID

from werkkloket_contracts import (
    Beeindigingsgegevens,
    Beeindigingsreden,
    Gemistreden,
    HerinstroomGemeld,
    OpvolgingBevestigd,
    OpvolgingGemist,
    PlaatsingBeeindigd,
)
from werkkloket_runtime.unit_of_work import UnitOfWork

from .. import domain
from ..adapters import opvolgingen, plaatsingen
from ..domain import Opvolgstatus
from .vastlegging import Vastlegging, gemeld


@dataclass(frozen=True, kw_only=True)
class Beeindiging:
    plaatsing_id: UUID
    uitzendbureau: str
    einddatum: date  # last working day
    reden: Beeindigingsreden


@dataclass(frozen=True, kw_only=True)
class Opvolging:
    plaatsing_id: UUID
    maanden: int
    uitzendbureau: str
    datum: date  # of the follow-up contact


async def _eigen_plaatsing(uow: UnitOfWork, plaatsing_id: UUID, uitzendbureau: str) -> domain.Plaatsing:
    gevonden = await plaatsingen.voor_wijziging(uow.conn, plaatsing_id)
    return domain.eigen_plaatsing(gevonden, plaatsing_id, uitzendbureau)


async def _missen(uow: UnitOfWork, plaatsing: domain.Plaatsing, laatste_werkdag: date, reden: Gemistreden) -> None:
    """Mark the open checkpoints after the last day in work as missed, each with an OpvolgingGemist event."""
    open_ = await opvolgingen.open_mijlpalen(uow.conn, plaatsing.plaatsing_id)
    for maanden, mijlpaal in domain.gemist(open_, laatste_werkdag):
        await opvolgingen.afgehandeld(
            uow.conn, plaatsing.plaatsing_id, maanden, Opvolgstatus.GEMIST, laatste_werkdag, reden
        )
        await uow.publish(
            OpvolgingGemist(
                **plaatsing.kandidaat.velden(),
                plaatsing_id=plaatsing.plaatsing_id,
                maanden=maanden,
                mijlpaal=mijlpaal,
                reden=reden,
            )
        )


async def beeindigen(uow: UnitOfWork, cmd: Beeindiging) -> Vastlegging:
    p = await _eigen_plaatsing(uow, cmd.plaatsing_id, cmd.uitzendbureau)
    domain.mag_beeindigen(p.startdatum, p.einddatum, cmd.einddatum)
    await plaatsingen.beeindigd(uow.conn, cmd.plaatsing_id, cmd.einddatum, cmd.reden)
    reden = await uow.versleutel(p.kandidaat.kandidaat_id, Beeindigingsgegevens(reden=cmd.reden))
    event = PlaatsingBeeindigd(
        **p.kandidaat.velden(), plaatsing_id=cmd.plaatsing_id, einddatum=cmd.einddatum, persoonlijk=reden
    )
    vastgelegd = await gemeld(uow, event, cmd.plaatsing_id)
    await _missen(uow, p, cmd.einddatum, Gemistreden.BEEINDIGD)
    return vastgelegd


async def bevestigen(uow: UnitOfWork, cmd: Opvolging) -> Vastlegging:
    p = await _eigen_plaatsing(uow, cmd.plaatsing_id, cmd.uitzendbureau)
    taak = domain.bestaande_taak(await opvolgingen.taak(uow.conn, cmd.plaatsing_id, cmd.maanden), cmd.maanden)
    domain.mag_opvolgen(taak.status, taak.mijlpaal, cmd.datum)
    await opvolgingen.afgehandeld(uow.conn, cmd.plaatsing_id, cmd.maanden, Opvolgstatus.BEVESTIGD, cmd.datum)
    event = OpvolgingBevestigd(
        **p.kandidaat.velden(),
        plaatsing_id=cmd.plaatsing_id,
        maanden=cmd.maanden,
        mijlpaal=taak.mijlpaal,
        datum=cmd.datum,
        laatste=cmd.maanden == domain.MIJLPALEN[-1],
    )
    return await gemeld(uow, event, cmd.plaatsing_id)


async def herinstroom(uow: UnitOfWork, cmd: HerinstroomGemeld) -> None:
    """A return to a benefit misses every later checkpoint of the placements that had started by then."""
    laatste = domain.laatste_werkdag(None, cmd.datum)
    assert laatste is not None
    for p in await plaatsingen.gestart_voor(uow.conn, cmd.kandidaat_id, cmd.datum):
        await _missen(uow, p, laatste, Gemistreden.HERINSTROOM)
