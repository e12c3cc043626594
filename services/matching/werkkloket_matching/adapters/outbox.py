"""Queueing matching's events in its outbox, dated at the moment of the decision they report."""

from __future__ import annotations

from datetime import datetime

from werkkloket_contracts import Gebeurtenis, encode, source_of
from werkkloket_runtime.outbox import enqueue
from werkkloket_runtime.unit_of_work import UnitOfWork

from .tables import outbox

BRON = source_of("matching")


async def publiceer(uow: UnitOfWork, event: Gebeurtenis, *, op: datetime, bron: str = BRON) -> None:
    """`uow.publish`, with the event's time set to `op`: an assignment is dated as the aanmelding that caused it,
    and a check run as of another peildatum dates its events on that day."""
    await enqueue(uow.conn, outbox, encode(event, source=bron, time=op))
    uow.published += 1  # the relay is woken once the unit of work commits
