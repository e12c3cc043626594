"""The agency registry, loaded from a data file into matching's own table at start-up."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncEngine

from .domain import Uitzendbureau
from .store import uitzendbureaus

DEFAULT_REGISTRY = Path(__file__).parent / "data" / "uitzendbureaus.json"


def load_registry(path: Path = DEFAULT_REGISTRY) -> list[Uitzendbureau]:
    data = json.loads(path.read_text())
    return [
        Uitzendbureau(
            code=b["code"],
            naam=b["naam"],
            sectoren=frozenset(b["sectoren"]),
            regios=frozenset(b["regios"]),
            capaciteit=int(b["capaciteit"]),
        )
        for b in data["uitzendbureaus"]
    ]


async def sync_registry(engine: AsyncEngine, bureaus: list[Uitzendbureau]) -> None:
    """Upsert the registry; the running count of active candidates (`actief`) is kept."""
    async with engine.begin() as conn:
        for b in bureaus:
            stmt = insert(uitzendbureaus).values(
                code=b.code,
                naam=b.naam,
                sectoren=sorted(b.sectoren),
                regios=sorted(b.regios),
                capaciteit=b.capaciteit,
                actief=0,
            )
            await conn.execute(
                stmt.on_conflict_do_update(
                    index_elements=[uitzendbureaus.c.code],
                    set_={
                        "naam": stmt.excluded.naam,
                        "sectoren": stmt.excluded.sectoren,
                        "regios": stmt.excluded.regios,
                        "capaciteit": stmt.excluded.capaciteit,
                    },
                )
            )
