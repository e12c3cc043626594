"""FastAPI dependencies of matching's routers: what the composition root configured, and the readers."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from werkkloket_runtime.identity import Rol

from ..toewijzing.domain import Toewijzer


def _toewijzer(request: Request) -> Toewijzer:
    toewijzer: Toewijzer = request.app.state.toewijzer
    return toewijzer


def _klok_instelbaar(request: Request) -> bool:
    return bool(request.app.state.klok_instelbaar)


ToewijzerDep = Annotated[Toewijzer, Depends(_toewijzer)]
# Whether beheer may run the periodic checks as of another date (tests, rehearsals); off in production.
KlokInstelbaar = Annotated[bool, Depends(_klok_instelbaar)]

# Who reads assignments: the gemeente its own, UWV, the programme and beheer all.
LEZERS: tuple[Rol, ...] = ("gemeente", "uwv", "rapportage", "beheer")
# Who reports surpluses and shortages and draws up paspoorten: an employer, or the gemeente's werkgeversservicepunt.
MELDERS: tuple[Rol, ...] = ("werkgever", "gemeente")
# Who reads werk naar werk's proposals and moves: who reports them, and the regional mobility team (read only).
WNW_LEZERS: tuple[Rol, ...] = (*MELDERS, "mobiliteitsteam")
