"""FastAPI dependencies of matching's routers: who may call, and what the composition root configured."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from werkkloket_runtime.identity import Organisatie, require

from ..toewijzing.domain import Toewijzer


def _toewijzer(request: Request) -> Toewijzer:
    toewijzer: Toewijzer = request.app.state.toewijzer
    return toewijzer


def _klok_instelbaar(request: Request) -> bool:
    return bool(request.app.state.klok_instelbaar)


ToewijzerDep = Annotated[Toewijzer, Depends(_toewijzer)]
# Whether beheer may run the periodic checks as of another date (tests, rehearsals); off in production.
KlokInstelbaar = Annotated[bool, Depends(_klok_instelbaar)]

Lezer = Annotated[Organisatie, Depends(require("gemeente", "rapportage", "beheer"))]
Bureau = Annotated[Organisatie, Depends(require("uitzendbureau"))]
GemeenteOfBeheer = Annotated[Organisatie, Depends(require("gemeente", "beheer"))]
Beheer = Annotated[Organisatie, Depends(require("beheer"))]
VacatureSchrijver = Annotated[Organisatie, Depends(require("uitzendbureau", "gemeente"))]
Melder = Annotated[Organisatie, Depends(require("werkgever", "gemeente"))]
