"""What the gemeente records after a placement: the work is confirmed (benefit ended or reduced, or the
candidate confirmed it), or the candidate returned to a benefit (herinstroom)."""

from datetime import date
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends
from pydantic import BaseModel, ConfigDict
from sqlalchemy import select
from werkkloket_contracts import (
    Bevestigingsbron,
    HerinstroomGemeld,
    KandidaatGebeurtenis,
    PlaatsingBevestigd,
    Uitkering,
    encode,
    source_of,
)
from werkkloket_runtime.http import Organisatie, Problem, require
from werkkloket_runtime.outbox import enqueue
from werkkloket_runtime.service import ServiceRuntime

from .store import aanmeldingen, outbox


class BevestigingInvoer(BaseModel):
    model_config = ConfigDict(extra="forbid")
    bron: Bevestigingsbron
    datum: date


class HerinstroomInvoer(BaseModel):
    model_config = ConfigDict(extra="forbid")
    uitkering: Uitkering
    datum: date


class Gemeld(BaseModel):
    kandidaat_id: UUID
    gebeurtenis: str


def router(rt: ServiceRuntime) -> APIRouter:
    api = APIRouter(prefix="/api/v1", tags=["intake"])
    Gemeente = Annotated[Organisatie, Depends(require(rt.keys, "gemeente"))]

    async def meld(kandidaat_id: UUID, org: Organisatie, maak: type[KandidaatGebeurtenis], **velden: object) -> Gemeld:
        async with rt.engine.begin() as conn:
            row = (
                await conn.execute(
                    select(aanmeldingen.c.gemeente, aanmeldingen.c.arbeidsmarktregio).where(
                        aanmeldingen.c.kandidaat_id == kandidaat_id
                    )
                )
            ).first()
            if row is None or (org.gemeente is not None and row.gemeente != org.gemeente):
                raise Problem(404, "Niet gevonden", f"kandidaat {kandidaat_id} bestaat niet")
            event = maak(
                kandidaat_id=kandidaat_id, arbeidsmarktregio=row.arbeidsmarktregio, gemeente=row.gemeente, **velden
            )
            await enqueue(conn, outbox, encode(event, source=source_of("intake", org.code)))
        rt.wake_relay()
        return Gemeld(kandidaat_id=kandidaat_id, gebeurtenis=event.event_name)

    @api.post("/kandidaten/{kandidaat_id}/plaatsing-bevestiging", status_code=201, response_model=Gemeld)
    async def bevestig(kandidaat_id: UUID, invoer: BevestigingInvoer, org: Gemeente) -> Gemeld:
        """The placement is no longer a claim: the benefit ended or was reduced, or the candidate confirmed it."""
        return await meld(kandidaat_id, org, PlaatsingBevestigd, bron=invoer.bron, datum=invoer.datum)

    @api.post("/kandidaten/{kandidaat_id}/herinstroom", status_code=201, response_model=Gemeld)
    async def herinstroom(kandidaat_id: UUID, invoer: HerinstroomInvoer, org: Gemeente) -> Gemeld:
        """The candidate receives a benefit again."""
        return await meld(kandidaat_id, org, HerinstroomGemeld, uitkering=invoer.uitkering, datum=invoer.datum)

    return api
