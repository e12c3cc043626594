"""What the gemeente records after a placement: the work is confirmed (benefit ended or reduced, or the
candidate confirmed it), or the candidate returned to a benefit (herinstroom)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from uuid import UUID

from werkkloket_contracts import (
    Bevestigingsbron,
    HerinstroomGemeld,
    KandidaatGebeurtenis,
    PlaatsingBevestigd,
    Uitkering,
)
from werkkloket_runtime.unit_of_work import UnitOfWork

from ..domain.aanmelding import Aanmelding
from ..domain.gemeenten import Namens
from .vragen import eigen_kandidaat


@dataclass(frozen=True)
class Bevestiging:
    """The placement is no longer a claim of the agency."""

    kandidaat_id: UUID
    namens: Namens
    bron: Bevestigingsbron
    datum: date

    def gebeurtenis(self, a: Aanmelding) -> PlaatsingBevestigd:
        return PlaatsingBevestigd(
            **a.plaats(),
            bron=self.bron,
            datum=self.datum,
        )


@dataclass(frozen=True)
class Herinstroom:
    """The candidate receives a benefit again."""

    kandidaat_id: UUID
    namens: Namens
    uitkering: Uitkering
    datum: date

    def gebeurtenis(self, a: Aanmelding) -> HerinstroomGemeld:
        return HerinstroomGemeld(
            **a.plaats(),
            uitkering=self.uitkering,
            datum=self.datum,
        )


async def meld(uow: UnitOfWork, melding: Bevestiging | Herinstroom) -> KandidaatGebeurtenis:
    event = melding.gebeurtenis(await eigen_kandidaat(uow.conn, melding.kandidaat_id, melding.namens))
    await uow.publish(event)
    return event
