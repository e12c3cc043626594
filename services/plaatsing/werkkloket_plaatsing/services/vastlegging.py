"""What a recorded step answers: the candidate, the id of what was recorded and the event it announced."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from werkkloket_contracts import KandidaatGebeurtenis
from werkkloket_runtime.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class Vastlegging:
    kandidaat_id: UUID
    id: UUID | None
    gebeurtenis: str


async def gemeld(uow: UnitOfWork, event: KandidaatGebeurtenis, ident: UUID | None = None) -> Vastlegging:
    """Publish the step's event and answer what was recorded."""
    await uow.publish(event)
    return Vastlegging(kandidaat_id=event.kandidaat_id, id=ident, gebeurtenis=event.event_name)
