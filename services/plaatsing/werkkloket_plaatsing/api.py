"""Plaatsing HTTP API, for the agency that holds the candidate."""

from collections.abc import Awaitable, Callable
from datetime import date, datetime
from typing import Annotated
from uuid import UUID, uuid4

from fastapi import APIRouter, Depends
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncConnection
from werkkloket_contracts import (
    EersteContactGelegd,
    Gebeurtenis,
    PlaatsingGerealiseerd,
    SollicitatiegesprekGehouden,
    encode,
    source_of,
)
from werkkloket_runtime.http import Organisatie, Problem, require
from werkkloket_runtime.outbox import enqueue
from werkkloket_runtime.service import ServiceRuntime

from . import domain
from .store import gesprekken, kandidaten, outbox, plaatsingen

# Writes a step's own rows and returns its event (and the id of what was recorded), inside the transaction.
Bouwer = Callable[[AsyncConnection, str, str], Awaitable[tuple[Gebeurtenis, UUID | None]]]


class EersteContactInvoer(BaseModel):
    model_config = ConfigDict(extra="forbid")
    datum: date


class GesprekInvoer(BaseModel):
    model_config = ConfigDict(extra="forbid")
    werkgever: str = Field(min_length=1, max_length=200)
    datum: date


class PlaatsingInvoer(BaseModel):
    model_config = ConfigDict(extra="forbid")
    werkgever: str = Field(min_length=1, max_length=200)
    startdatum: date
    uren_per_week: int = Field(ge=1, le=60)


class Vastgelegd(BaseModel):
    kandidaat_id: UUID
    id: UUID | None = None
    gebeurtenis: str


class KandidaatOverzicht(BaseModel):
    kandidaat_id: UUID
    arbeidsmarktregio: str
    gemeente: str
    toegewezen_op: datetime
    eerste_contact_op: date | None


def router(rt: ServiceRuntime) -> APIRouter:
    api = APIRouter(prefix="/api/v1", tags=["plaatsing"])
    bureau_only = require(rt.keys, "uitzendbureau")
    Bureau = Annotated[Organisatie, Depends(bureau_only)]

    async def dossier(conn: AsyncConnection, kandidaat_id: UUID) -> tuple[domain.Dossier | None, str, str]:
        row = (
            await conn.execute(select(kandidaten).where(kandidaten.c.kandidaat_id == kandidaat_id).with_for_update())
        ).first()
        if row is None:
            return None, "", ""
        return (
            domain.Dossier(uitzendbureau=row.uitzendbureau, eerste_contact_op=row.eerste_contact_op),
            row.arbeidsmarktregio,
            row.gemeente,
        )

    async def record(
        kandidaat_id: UUID,
        org: Organisatie,
        stap: domain.Stap,
        datum: date,
        build: Bouwer,
    ) -> Vastgelegd:
        async with rt.engine.begin() as conn:
            d, regio, gemeente = await dossier(conn, kandidaat_id)
            try:
                domain.mag_vastleggen(d, org.code, stap, datum)
            except domain.Weigering as w:
                raise Problem(w.status, "Niet toegestaan" if w.status != 404 else "Niet gevonden", w.reden) from None
            event, ident = await build(conn, regio, gemeente)
            await enqueue(conn, outbox, encode(event, source=source_of("plaatsing", org.code)))
        rt.wake_relay()
        return Vastgelegd(kandidaat_id=kandidaat_id, id=ident, gebeurtenis=event.event_name)

    @api.get("/kandidaten", response_model=list[KandidaatOverzicht])
    async def mijn_kandidaten(org: Bureau) -> list[KandidaatOverzicht]:
        async with rt.engine.connect() as conn:
            rows = (
                await conn.execute(
                    select(kandidaten)
                    .where(kandidaten.c.uitzendbureau == org.code)
                    .order_by(kandidaten.c.toegewezen_op, kandidaten.c.kandidaat_id)
                )
            ).all()
        return [
            KandidaatOverzicht(
                kandidaat_id=r.kandidaat_id,
                arbeidsmarktregio=r.arbeidsmarktregio,
                gemeente=r.gemeente,
                toegewezen_op=r.toegewezen_op,
                eerste_contact_op=r.eerste_contact_op,
            )
            for r in rows
        ]

    @api.post("/kandidaten/{kandidaat_id}/eerste-contact", status_code=201, response_model=Vastgelegd)
    async def eerste_contact(kandidaat_id: UUID, invoer: EersteContactInvoer, org: Bureau) -> Vastgelegd:
        async def build(conn: AsyncConnection, regio: str, gemeente: str) -> tuple[Gebeurtenis, UUID | None]:
            await conn.execute(
                update(kandidaten)
                .where(kandidaten.c.kandidaat_id == kandidaat_id)
                .values(eerste_contact_op=invoer.datum)
            )
            return EersteContactGelegd(
                kandidaat_id=kandidaat_id,
                arbeidsmarktregio=regio,
                gemeente=gemeente,
                uitzendbureau=org.code,
                datum=invoer.datum,
            ), None

        return await record(kandidaat_id, org, domain.Stap.EERSTE_CONTACT, invoer.datum, build)

    @api.post("/kandidaten/{kandidaat_id}/gesprekken", status_code=201, response_model=Vastgelegd)
    async def gesprek(kandidaat_id: UUID, invoer: GesprekInvoer, org: Bureau) -> Vastgelegd:
        gesprek_id = uuid4()

        async def build(conn: AsyncConnection, regio: str, gemeente: str) -> tuple[Gebeurtenis, UUID | None]:
            await conn.execute(
                gesprekken.insert().values(
                    gesprek_id=gesprek_id,
                    kandidaat_id=kandidaat_id,
                    uitzendbureau=org.code,
                    werkgever=invoer.werkgever,
                    datum=invoer.datum,
                )
            )
            return SollicitatiegesprekGehouden(
                kandidaat_id=kandidaat_id,
                arbeidsmarktregio=regio,
                gemeente=gemeente,
                gesprek_id=gesprek_id,
                uitzendbureau=org.code,
                werkgever=invoer.werkgever,
                datum=invoer.datum,
            ), gesprek_id

        return await record(kandidaat_id, org, domain.Stap.GESPREK, invoer.datum, build)

    @api.post("/kandidaten/{kandidaat_id}/plaatsingen", status_code=201, response_model=Vastgelegd)
    async def plaatsing(kandidaat_id: UUID, invoer: PlaatsingInvoer, org: Bureau) -> Vastgelegd:
        plaatsing_id = uuid4()

        async def build(conn: AsyncConnection, regio: str, gemeente: str) -> tuple[Gebeurtenis, UUID | None]:
            await conn.execute(
                plaatsingen.insert().values(
                    plaatsing_id=plaatsing_id,
                    kandidaat_id=kandidaat_id,
                    uitzendbureau=org.code,
                    werkgever=invoer.werkgever,
                    startdatum=invoer.startdatum,
                    uren_per_week=invoer.uren_per_week,
                )
            )
            return PlaatsingGerealiseerd(
                kandidaat_id=kandidaat_id,
                arbeidsmarktregio=regio,
                gemeente=gemeente,
                plaatsing_id=plaatsing_id,
                uitzendbureau=org.code,
                werkgever=invoer.werkgever,
                startdatum=invoer.startdatum,
                uren_per_week=invoer.uren_per_week,
            ), plaatsing_id

        return await record(kandidaat_id, org, domain.Stap.PLAATSING, invoer.startdatum, build)

    return api
