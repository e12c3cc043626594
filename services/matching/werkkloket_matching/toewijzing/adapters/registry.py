"""The agency registry, loaded from a data file into matching's own table at start-up."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from sqlalchemy.ext.asyncio import AsyncConnection

from ...adapters.sql import upsert
from ...adapters.tables import uitzendbureaus
from ..domain import Doel, Uitzendbureau

DEFAULT_REGISTRY = Path(__file__).parents[2] / "data" / "uitzendbureaus.json"
GEMEENTECODE = re.compile(r"^GM\d{4}$")


class OngeldigRegister(ValueError):
    """The registry file names something the service cannot use."""


def _gemeenten(b: dict[str, Any]) -> frozenset[str]:
    codes = b.get("gemeenten") or []
    fout = [c for c in codes if not isinstance(c, str) or not GEMEENTECODE.match(c)]
    if fout:
        raise OngeldigRegister(f"{b['code']}: geen CBS-gemeentecode: {', '.join(map(str, fout))}")
    return frozenset(codes)


def _doel(b: dict[str, Any]) -> Doel | None:
    doel = b.get("doel")
    if doel is None:
        return None
    plaatsingen, periode = doel.get("plaatsingen"), doel.get("periode")
    if not isinstance(plaatsingen, int) or isinstance(plaatsingen, bool) or plaatsingen < 0:
        raise OngeldigRegister(f"{b['code']}: doel.plaatsingen moet een geheel getal >= 0 zijn")
    if not isinstance(periode, str) or not 1 <= len(periode) <= 20:
        raise OngeldigRegister(f'{b["code"]}: doel.periode moet een tekst van 1 tot 20 tekens zijn, bv. "2025"')
    return Doel(plaatsingen=plaatsingen, periode=periode)


def parse_registry(data: dict[str, Any]) -> list[Uitzendbureau]:
    return [
        Uitzendbureau(
            code=b["code"],
            naam=b["naam"],
            sectoren=frozenset(b["sectoren"]),
            regios=frozenset(b["regios"]),
            capaciteit=int(b["capaciteit"]),
            gemeenten=_gemeenten(b),
            doel=_doel(b),
        )
        for b in data["uitzendbureaus"]
    ]


def load_registry(path: Path = DEFAULT_REGISTRY) -> list[Uitzendbureau]:
    return parse_registry(json.loads(path.read_text()))


async def sync_registry(conn: AsyncConnection, bureaus: list[Uitzendbureau]) -> None:
    """Upsert the registry; the running count of active candidates (`actief`) is kept."""
    for b in bureaus:
        await conn.execute(
            upsert(
                uitzendbureaus,
                uitzendbureaus.c.code,
                ("naam", "sectoren", "regios", "capaciteit", "gemeenten", "doel_plaatsingen", "doel_periode"),
                code=b.code,
                naam=b.naam,
                sectoren=sorted(b.sectoren),
                regios=sorted(b.regios),
                capaciteit=b.capaciteit,
                actief=0,
                gemeenten=sorted(b.gemeenten),
                doel_plaatsingen=b.doel.plaatsingen if b.doel else None,
                doel_periode=b.doel.periode if b.doel else None,
            )
        )
