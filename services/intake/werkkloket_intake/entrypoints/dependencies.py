"""Who may call intake's endpoints, and the organisation a request acts for."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends
from werkkloket_contracts import source_of
from werkkloket_runtime.identity import Organisatie, require

from ..domain.gemeenten import Namens

Gemeente = Annotated[Organisatie, Depends(require("gemeente"))]
Bureau = Annotated[Organisatie, Depends(require("uitzendbureau"))]


def namens(org: Organisatie) -> Namens:
    return Namens(code=org.code, gemeente=org.gemeente)


def bron(org: Organisatie) -> str:
    """The source of the events a request publishes: intake, on behalf of the organisation."""
    source: str = source_of("intake", org.code)
    return source
