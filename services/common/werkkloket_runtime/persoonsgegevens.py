"""What a service holds about one person: every row of its schema keyed by the person's pseudonym
(`kandidaat_id`), found from the database's own catalogue so that a new table is never forgotten, and the
processing log's records about the person.

`GET /api/v1/personen/{kandidaat_id}` answers it to the person's gemeente (AVG art. 15, right of access);
`werkkloket inzage` merges every service's answer into one document.
"""

from __future__ import annotations

import base64
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from fastapi import APIRouter, Request
from pydantic import BaseModel, Field
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

from .dependencies import Engine
from .errors import NotFound
from .logboek import Betrokkene, Logboek
from .toegang import Aanroeper, BeveiligdeRoute, Verantwoord, toegang

SLEUTELKOLOM = "kandidaat_id"
INZAGE = "inzage-verstrekken"
# Key material about a person (a wrapped data key) is no data about the person: never in an answer; nor are the
# receipts of an erasure (`verwijdering`).
SLEUTELTABELLEN = frozenset({"persoonssleutels", "verwijderingen"})
# How a service shows one of its rows (table, row, the asking gemeente's gemeenten) in the answer, e.g. without
# references to another gemeente's records (`ServiceRuntime.inzage_weergave`); unset: the row as stored.
Rijweergave = Callable[[str, dict[str, Any], frozenset[str]], dict[str, Any]]


async def tabellen(conn: AsyncConnection, schema: str) -> list[str]:
    """The tables of `schema` with a column `kandidaat_id`, by name."""
    rows = await conn.execute(
        text(
            "SELECT c.table_name FROM information_schema.columns c "
            "JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name "
            "WHERE c.table_schema = :schema AND c.column_name = :kolom AND t.table_type = 'BASE TABLE' "
            "ORDER BY c.table_name"
        ),
        {"schema": schema, "kolom": SLEUTELKOLOM},
    )
    return [r.table_name for r in rows]


def _waarde(v: Any) -> Any:
    """A column's value as JSON; encrypted bytes stay encrypted (base64)."""
    if isinstance(v, UUID | Decimal):
        return str(v)
    if isinstance(v, datetime | date):
        return v.isoformat()
    if isinstance(v, bytes | memoryview):
        return {"versleuteld": base64.b64encode(bytes(v)).decode()}
    if isinstance(v, list | tuple):
        return [_waarde(x) for x in v]
    if isinstance(v, Mapping):
        return {str(k): _waarde(x) for k, x in v.items()}
    return v


@dataclass(frozen=True)
class Gegevens:
    """One service's rows about one person, per table, and the person's gemeente as those rows name it."""

    tabellen: dict[str, list[dict[str, Any]]]

    @property
    def gemeenten(self) -> set[str]:
        return {r["gemeente"] for rows in self.tabellen.values() for r in rows if r.get("gemeente")}


async def van(conn: AsyncConnection, schema: str, kandidaat_id: UUID) -> Gegevens:
    """Every row about the person in the service's schema (tables without a row left out)."""
    gevonden: dict[str, list[dict[str, Any]]] = {}
    for tabel in await tabellen(conn, schema):
        if tabel in SLEUTELTABELLEN:
            continue
        # Names from the catalogue, quoted; the value is a bound parameter.
        rows = await conn.execute(
            text(f'SELECT * FROM "{schema}"."{tabel}" WHERE {SLEUTELKOLOM} = :id'), {"id": kandidaat_id}
        )
        lijst = [{k: _waarde(v) for k, v in r._mapping.items()} for r in rows]
        if lijst:
            gevonden[tabel] = lijst
    return Gegevens(gevonden)


class Inzage(BaseModel):
    dienst: str
    kandidaat_id: UUID
    tabellen: dict[str, list[dict[str, Any]]] = Field(description="Every row about the person, per table")
    verwerkingen: list[dict[str, Any]] = Field(description="The processing log's records about the person")


router = APIRouter(prefix="/api/v1", tags=["persoonsgegevens"], route_class=BeveiligdeRoute)


@router.get("/personen/{kandidaat_id}", response_model=Inzage)
@toegang("gemeente", scope="gemeente", verwerkingen=(INZAGE,))
async def inzage(kandidaat_id: UUID, request: Request, org: Aanroeper, engine: Engine, log: Verantwoord) -> Inzage:
    """Everything this service holds about one of the gemeente's inhabitants (AVG art. 15); another gemeente's
    inhabitant is as unknown as one that is not there. The request is itself in the processing log."""
    runtime = request.app.state.runtime
    logboek: Logboek = request.app.state.logboek
    async with engine.begin() as conn:
        gegevens = await van(conn, runtime.schema, kandidaat_id)
        eigen = gegevens.gemeenten & org.gemeenten
        if not eigen:
            raise NotFound(f"geen gegevens over {kandidaat_id}")
        verwerkingen = await logboek.lees(conn, org.gemeenten, betrokkene=kandidaat_id, limit=10000)
        gemeente = min(eigen)
        await log.vastleggen(conn, INZAGE, "inzage verstrekt", [Betrokkene(kandidaat_id, gemeente)])
    weergave: Rijweergave | None = runtime.inzage_weergave
    tabellen = {
        tabel: [weergave(tabel, rij, org.gemeenten) for rij in rijen] if weergave is not None else rijen
        for tabel, rijen in gegevens.tabellen.items()
    }
    return Inzage(
        dienst=runtime.name,
        kandidaat_id=kandidaat_id,
        tabellen=tabellen,
        verwerkingen=[{k: _waarde(v) for k, v in r.items()} for r in verwerkingen],
    )
