"""What intake follows of matching's assignments: the gemeente sees the status, the assigned agency gets access
to the contact data (and a previous agency loses it). Events are applied in the order of their assignment
version, so a late one never gives an earlier agency access again."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from werkkloket_contracts import Toewijzingseinde
from werkkloket_runtime.unit_of_work import UnitOfWork

from ..adapters import aanmeldingen
from ..domain.aanmelding import Status, na_toewijzing

# The status once an assignment ended without a new agency.
NA_EINDE = {
    Toewijzingseinde.PLAATSING_BEEINDIGD: Status.AFGEROND,
    Toewijzingseinde.OPVOLGING_AFGEROND: Status.AFGEROND,
    Toewijzingseinde.TOESTEMMING_INGETROKKEN: Status.BIJ_GEMEENTE,
    Toewijzingseinde.BEMIDDELING_BEEINDIGD: Status.BEEINDIGD,
}


@dataclass(frozen=True)
class Toewijzing:
    kandidaat_id: UUID
    uitzendbureau: str | None  # None: no agency (any more)
    op: datetime
    versie: int | None  # None: an event from before assignment versions
    einde: Toewijzingseinde | None = None  # the assignment ended without a new agency


async def verwerk(uow: UnitOfWork, t: Toewijzing) -> None:
    status = NA_EINDE[t.einde] if t.einde is not None else na_toewijzing(t.uitzendbureau)
    await aanmeldingen.zet_toewijzing(uow.conn, t.kandidaat_id, status, t.uitzendbureau, t.op, t.versie)
