"""Which agency holds which candidate, as the toewijzing announces it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from werkkloket_runtime.unit_of_work import UnitOfWork

from ..adapters import kandidaten


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
    uitzendbureau: str  # '' when the candidate went back to the gemeente
    op: datetime


async def toegewezen(uow: UnitOfWork, cmd: Toewijzing) -> None:
    """A new assignment (after a decline) starts the lifecycle again with the new agency."""
    await kandidaten.toegewezen(
        uow.conn, cmd.kandidaat_id, cmd.uitzendbureau, cmd.arbeidsmarktregio, cmd.gemeente, cmd.op
    )


async def hertoegewezen(uow: UnitOfWork, cmd: Hertoewijzing) -> None:
    """The previous agency loses the candidate."""
    await kandidaten.hertoegewezen(uow.conn, cmd.kandidaat_id, cmd.uitzendbureau, cmd.op)
