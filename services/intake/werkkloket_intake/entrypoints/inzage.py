"""How intake's rows show in the right of access (`GET /api/v1/personen/{kandidaat_id}`): as stored, except a
registration's possible duplicates, which the asking gemeente sees as the API answers them."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from ..domain.aanmelding import Dubbeling, Dubbelingen
from ..domain.gemeenten import Namens


def rij_voor(tabel: str, rij: dict[str, Any], gemeenten: frozenset[str]) -> dict[str, Any]:
    """A registration's possible duplicates by id in the asking gemeente's own gemeenten; the others only as
    `elders_aangemeld`, never with another gemeente's id or code."""
    if tabel != "aanmeldingen":
        return rij
    opgeslagen = [Dubbeling(UUID(d["id"]), d["gemeente"]) for d in rij.get("mogelijke_dubbelingen") or []]
    d = Dubbelingen.voor(opgeslagen, Namens("inzage", gemeenten))
    return {**rij, "mogelijke_dubbelingen": [str(i) for i in d.zichtbaar], "elders_aangemeld": d.elders}
