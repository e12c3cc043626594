"""Every service's processing log, for the gemeente: the records about its own inhabitants, as JSON or CSV."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel
from sqlalchemy.ext.asyncio import AsyncEngine

from .dependencies import Engine
from .identity import Organisatie
from .logboek import Logboek
from .toegang import Aanroeper, BeveiligdeRoute, toegang

router = APIRouter(prefix="/api/v1", tags=["verwerkingenlogboek"], route_class=BeveiligdeRoute)


class Verwerking(BaseModel):
    """One record: one action on one data subject (field names after Logboek Dataverwerkingen)."""

    trace_id: str
    span_id: str
    parent_span_id: str | None
    name: str
    status_code: int
    start_time: datetime
    end_time: datetime
    processing_activity_id: str
    data_subject_id: str
    data_subject_id_type: str
    gemeente: str | None
    persoon: str | None
    organisatie: str
    rol: str
    dienst: str


COLUMNS = list(Verwerking.model_fields)


@dataclass(frozen=True)
class Vraag:
    """Which records: about one person or one trace, in a period, at most `limit`, newest first."""

    kandidaat_id: UUID | None
    trace_id: str | None
    van: date | None
    tot: date | None
    limit: int


def _vraag(
    kandidaat_id: Annotated[UUID | None, Query(description="One data subject (its pseudonym)")] = None,
    trace_id: Annotated[str | None, Query(pattern=r"^[0-9a-f]{32}$", description="One trace (W3C trace id)")] = None,
    van: Annotated[date | None, Query(description="From this day (UTC)")] = None,
    tot: Annotated[date | None, Query(description="Up to and including this day (UTC)")] = None,
    limit: Annotated[int, Query(ge=1, le=10000)] = 1000,
) -> Vraag:
    return Vraag(kandidaat_id, trace_id, van, tot, limit)


async def _lees(request: Request, org: Organisatie, engine: AsyncEngine, v: Vraag) -> list[dict[str, Any]]:
    logboek: Logboek = request.app.state.logboek
    async with engine.connect() as conn:
        return await logboek.lees(
            conn, org.gemeenten, betrokkene=v.kandidaat_id, trace_id=v.trace_id, van=v.van, tot=v.tot, limit=v.limit
        )


VraagDep = Annotated[Vraag, Depends(_vraag)]


@router.get("/logboek", response_model=list[Verwerking])
@toegang("gemeente", scope="gemeente")
async def logboek(request: Request, org: Aanroeper, engine: Engine, vraag: VraagDep) -> list[dict[str, Any]]:
    """Who processed the data of the gemeente's inhabitants in this service, when, why and in which trace;
    newest first."""
    return await _lees(request, org, engine, vraag)


@router.get("/logboek.csv", response_class=Response)
@toegang("gemeente", scope="gemeente")
async def logboek_csv(request: Request, org: Aanroeper, engine: Engine, vraag: VraagDep) -> Response:
    return Response(
        als_csv(await _lees(request, org, engine, vraag)),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="verwerkingenlogboek.csv"'},
    )


def als_csv(records: list[dict[str, Any]]) -> str:
    """Records as CSV, one column per field (also what `werkkloket audit --csv` prints)."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\n", extrasaction="ignore")
    writer.writeheader()
    for row in records:
        writer.writerow({k: "" if row.get(k) is None else row[k] for k in COLUMNS})
    return buffer.getvalue()
