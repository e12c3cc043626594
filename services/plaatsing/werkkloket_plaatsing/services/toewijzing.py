"""Which agency holds which candidate, as the toewijzing announces it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from werkkloket_contracts import Afwijzingsgegevens, Afwijzingsreden, KandidaatAfgewezen, PersoonsgegevensVerwijderd
from werkkloket_runtime import verwijdering
from werkkloket_runtime.unit_of_work import UnitOfWork

from ..adapters import kandidaten, tables


@dataclass(frozen=True, kw_only=True)
class Toewijzing:
    kandidaat_id: UUID
    uitzendbureau: str
    arbeidsmarktregio: str
    gemeente: str
    op: datetime


@dataclass(frozen=True, kw_only=True)
class Hertoewijzing:
    kandidaat_id: UUID
    uitzendbureau: str  # '' when the candidate went back to the gemeente, or no agency holds it any more
    op: datetime
    # Set when the previous agency declined the candidate in matching (not through plaatsing's give-back).
    afgewezen_door: str | None = None
    afwijzingsreden: Afwijzingsreden | None = None


async def toegewezen(uow: UnitOfWork, cmd: Toewijzing) -> None:
    """A new assignment (after a decline) starts the lifecycle again with the new agency."""
    await kandidaten.toegewezen(
        uow.conn, cmd.kandidaat_id, cmd.uitzendbureau, cmd.arbeidsmarktregio, cmd.gemeente, cmd.op
    )


async def hertoegewezen(uow: UnitOfWork, cmd: Hertoewijzing) -> None:
    """The previous agency loses the candidate. A decline in matching is a give-back like one recorded here: the
    same KandidaatAfgewezen, once."""
    if cmd.afgewezen_door is not None:
        gevonden = await kandidaten.dossier(uow.conn, cmd.kandidaat_id)
        if gevonden is not None:
            dossier, k = gevonden
            if dossier.uitzendbureau == cmd.afgewezen_door and dossier.afgewezen_op is None:
                reden = cmd.afwijzingsreden or Afwijzingsreden.OVERIG
                datum = cmd.op.date()
                await kandidaten.afgewezen(uow.conn, cmd.kandidaat_id, datum, reden)
                versleuteld = await uow.versleutel(cmd.kandidaat_id, Afwijzingsgegevens(reden=reden))
                afgewezen = KandidaatAfgewezen(**k.velden(), datum=datum, persoonlijk=versleuteld)
                await uow.publish(afgewezen, time=cmd.op)
    await kandidaten.hertoegewezen(uow.conn, cmd.kandidaat_id, cmd.uitzendbureau, cmd.op)


async def verwijderd(uow: UnitOfWork, event: PersoonsgegevensVerwijderd, op: datetime) -> None:
    """The person is erased: every row about them goes; the receipt stays."""
    await verwijdering.voer_uit(uow, event, tables.SCHEMA, tables.verwijderingen, op=op)
