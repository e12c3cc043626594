"""Set-based handlers: a handler returns its statements, and a batch runs each statement once (executemany)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import Executable
from sqlalchemy.ext.asyncio import AsyncConnection
from werkkloket_contracts import Envelope

if TYPE_CHECKING:
    from .unit_of_work import UnitOfWork


@dataclass(frozen=True)
class Rij:
    """One execution of a statement built once with bind parameters: what a batched handler asks for."""

    statement: Executable
    params: dict[str, Any]


@dataclass(frozen=True)
class Batched:
    """A handler that returns its statements instead of executing them, so a batch runs them set-based.

    The consumer groups the rows of one statement into one executemany call. It keeps the order of each
    subject's statements (events of one kandidaat, one vacancy, ...), and never puts one subject twice in one
    call; so a batched handler may only write rows that belong to its event's subject.
    """

    rows: Callable[[Envelope[Any]], Iterable[Rij]]
    # It opens its events' encrypted parts (without waiting): the consumer reads their keys first.
    opent: bool = False

    async def __call__(self, uow: UnitOfWork, envelope: Envelope[Any]) -> None:
        for rij in self.rows(envelope):
            await uow.conn.execute(rij.statement, rij.params)


class Groups:
    """Statements of a batch, grouped for executemany while each subject's own order is kept."""

    def __init__(self) -> None:
        self.groups: list[tuple[Executable, list[dict[str, Any]]]] = []
        self._latest: dict[int, int] = {}  # id(statement) -> index of its latest group
        self._last: dict[str, int] = {}  # subject -> index of the last group holding it

    def add(self, subject: str, rij: Rij) -> None:
        g = self._latest.get(id(rij.statement))
        if g is None or g <= self._last.get(subject, -1):
            g = len(self.groups)
            self.groups.append((rij.statement, []))
            self._latest[id(rij.statement)] = g
        self.groups[g][1].append(rij.params)
        self._last[subject] = g

    async def flush(self, conn: AsyncConnection) -> None:
        for statement, params in self.groups:
            await conn.execute(statement, params)
        self.groups.clear()
        self._latest.clear()
        self._last.clear()
