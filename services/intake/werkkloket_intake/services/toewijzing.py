"""What intake follows of matching's assignments: the gemeente sees the status, the assigned agency gets access
to the contact data (and a previous agency loses it)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from werkkloket_runtime.unit_of_work import UnitOfWork

from ..adapters import aanmeldingen
from ..domain.aanmelding import na_toewijzing


@dataclass(frozen=True)
class Toewijzing:
    kandidaat_id: UUID
    uitzendbureau: str | None  # None: no agency (any more)
    op: datetime


async def verwerk(uow: UnitOfWork, t: Toewijzing) -> None:
    await aanmeldingen.zet_toewijzing(uow.conn, t.kandidaat_id, na_toewijzing(t.uitzendbureau), t.uitzendbureau, t.op)
