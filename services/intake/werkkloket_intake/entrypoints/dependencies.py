"""The organisation a request to intake acts for."""

from __future__ import annotations

from werkkloket_contracts import source_of
from werkkloket_runtime.identity import Organisatie

from ..domain.gemeenten import Namens


def namens(org: Organisatie) -> Namens:
    """UWV registers nationally; everyone else acts for the gemeenten in its token (an agency for none)."""
    return Namens(code=org.code, gemeenten=None if org.rol == "uwv" else org.gemeenten, persoon=org.persoon or org.code)


def bron(org: Organisatie) -> str:
    """The source of the events a request publishes: intake, on behalf of the organisation."""
    source: str = source_of("intake", org.code)
    return source
