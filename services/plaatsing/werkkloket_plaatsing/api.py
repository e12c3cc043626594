"""Plaatsing HTTP API, for the agency that holds the candidate."""

from collections.abc import Awaitable, Callable
from datetime import date, datetime
from typing import Annotated, Any
from uuid import UUID, uuid4

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncConnection
from werkkloket_contracts import (
    AanbodGedaan,
    Afwijzingsreden,
    Beeindigingsreden,
    Contractvorm,
    EersteContactGelegd,
    Gebeurtenis,
    GesprekGepland,
    Gespreksuitkomst,
    KandidaatAfgewezen,
    OpvolgingBevestigd,
    PlaatsingBeeindigd,
    PlaatsingGerealiseerd,
    SollicitatiegesprekGehouden,
    encode,
    source_of,
)
from werkkloket_runtime.http import Organisatie, Problem, require
from werkkloket_runtime.outbox import enqueue
from werkkloket_runtime.service import ServiceRuntime

from . import domain
from .opvolging import beeindig, opvolgingen_aanmaken
from .store import aanbiedingen, gesprekken, kandidaten, opvolgingen, outbox, plaatsingen

# Writes a step's own rows and returns its event (and the id of what was recorded), inside the transaction.
Bouwer = Callable[[AsyncConnection, str, str], Awaitable[tuple[Gebeurtenis, UUID | None]]]


class EersteContactInvoer(BaseModel):
    model_config = ConfigDict(extra="forbid")
    datum: date


class GesprekInvoer(BaseModel):
    model_config = ConfigDict(extra="forbid")
    werkgever: str | None = Field(default=None, min_length=1, max_length=200, description="Not needed with gesprek_id")
    datum: date
    uitkomst: Gespreksuitkomst | None = None
    gesprek_id: UUID | None = Field(default=None, description="The planned interview that was held")


class GeplandGesprekInvoer(BaseModel):
    model_config = ConfigDict(extra="forbid")
    werkgever: str = Field(min_length=1, max_length=200)
    datum: date


class AanbodInvoer(BaseModel):
    model_config = ConfigDict(extra="forbid")
    werkgever: str = Field(min_length=1, max_length=200)
    datum: date


class AfwijzingInvoer(BaseModel):
    model_config = ConfigDict(extra="forbid")
    datum: date
    reden: Afwijzingsreden


class PlaatsingInvoer(BaseModel):
    model_config = ConfigDict(extra="forbid")
    werkgever: str = Field(min_length=1, max_length=200)
    startdatum: date
    uren_per_week: int = Field(ge=1, le=60)
    contractvorm: Contractvorm | None = None
    sbi: str | None = Field(default=None, pattern=r"^\d{2,5}$", description="SBI 2008 code of the employer")
    beroep: str | None = Field(default=None, pattern=r"^\d{4}$", description="ISCO-08 code of the job")


class BeeindigingInvoer(BaseModel):
    model_config = ConfigDict(extra="forbid")
    einddatum: date = Field(description="Last working day")
    reden: Beeindigingsreden


class OpvolgingInvoer(BaseModel):
    model_config = ConfigDict(extra="forbid")
    datum: date = Field(description="Date of the follow-up contact; on or after the checkpoint")


class Opvolgtaak(BaseModel):
    plaatsing_id: UUID
    kandidaat_id: UUID
    maanden: int
    mijlpaal: date
    status: domain.Opvolgstatus


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
    afgewezen_op: date | None = None


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
            domain.Dossier(
                uitzendbureau=row.uitzendbureau,
                eerste_contact_op=row.eerste_contact_op,
                afgewezen_op=row.afgewezen_op,
            ),
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
                afgewezen_op=r.afgewezen_op,
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

    @api.post("/kandidaten/{kandidaat_id}/gesprekken/gepland", status_code=201, response_model=Vastgelegd)
    async def gesprek_gepland(kandidaat_id: UUID, invoer: GeplandGesprekInvoer, org: Bureau) -> Vastgelegd:
        gesprek_id = uuid4()

        async def build(conn: AsyncConnection, regio: str, gemeente: str) -> tuple[Gebeurtenis, UUID | None]:
            await conn.execute(
                gesprekken.insert().values(
                    gesprek_id=gesprek_id,
                    kandidaat_id=kandidaat_id,
                    uitzendbureau=org.code,
                    werkgever=invoer.werkgever,
                    datum=invoer.datum,
                    gehouden=False,
                )
            )
            return GesprekGepland(
                kandidaat_id=kandidaat_id,
                arbeidsmarktregio=regio,
                gemeente=gemeente,
                gesprek_id=gesprek_id,
                uitzendbureau=org.code,
                werkgever=invoer.werkgever,
                datum=invoer.datum,
            ), gesprek_id

        return await record(kandidaat_id, org, domain.Stap.GESPREK_GEPLAND, invoer.datum, build)

    @api.post("/kandidaten/{kandidaat_id}/gesprekken", status_code=201, response_model=Vastgelegd)
    async def gesprek(kandidaat_id: UUID, invoer: GesprekInvoer, org: Bureau) -> Vastgelegd:
        if invoer.gesprek_id is None and invoer.werkgever is None:
            raise Problem(
                422,
                "Ongeldige invoer",
                "Ongeldige of ontbrekende velden: werkgever",
                invalid_params=[{"name": "werkgever", "reason": "werkgever of gesprek_id is nodig"}],
            )
        gesprek_id = invoer.gesprek_id or uuid4()

        async def build(conn: AsyncConnection, regio: str, gemeente: str) -> tuple[Gebeurtenis, UUID | None]:
            werkgever = invoer.werkgever
            if invoer.gesprek_id is not None:
                gepland = (
                    await conn.execute(
                        select(gesprekken).where(
                            gesprekken.c.gesprek_id == gesprek_id, gesprekken.c.kandidaat_id == kandidaat_id
                        )
                    )
                ).first()
                if gepland is None or gepland.gehouden:
                    raise Problem(409, "Niet toegestaan", "geen gepland gesprek met dit gesprek_id", invalid_params=[])
                werkgever = werkgever or gepland.werkgever
                await conn.execute(
                    update(gesprekken)
                    .where(gesprekken.c.gesprek_id == gesprek_id)
                    .values(gehouden=True, datum=invoer.datum, werkgever=werkgever, uitkomst=invoer.uitkomst)
                )
            else:
                await conn.execute(
                    gesprekken.insert().values(
                        gesprek_id=gesprek_id,
                        kandidaat_id=kandidaat_id,
                        uitzendbureau=org.code,
                        werkgever=werkgever,
                        datum=invoer.datum,
                        uitkomst=invoer.uitkomst,
                    )
                )
            assert werkgever is not None
            return SollicitatiegesprekGehouden(
                kandidaat_id=kandidaat_id,
                arbeidsmarktregio=regio,
                gemeente=gemeente,
                gesprek_id=gesprek_id,
                uitzendbureau=org.code,
                werkgever=werkgever,
                datum=invoer.datum,
                uitkomst=invoer.uitkomst,
            ), gesprek_id

        return await record(kandidaat_id, org, domain.Stap.GESPREK, invoer.datum, build)

    @api.post("/kandidaten/{kandidaat_id}/aanbiedingen", status_code=201, response_model=Vastgelegd)
    async def aanbod(kandidaat_id: UUID, invoer: AanbodInvoer, org: Bureau) -> Vastgelegd:
        aanbod_id = uuid4()

        async def build(conn: AsyncConnection, regio: str, gemeente: str) -> tuple[Gebeurtenis, UUID | None]:
            await conn.execute(
                aanbiedingen.insert().values(
                    aanbod_id=aanbod_id,
                    kandidaat_id=kandidaat_id,
                    uitzendbureau=org.code,
                    werkgever=invoer.werkgever,
                    datum=invoer.datum,
                )
            )
            return AanbodGedaan(
                kandidaat_id=kandidaat_id,
                arbeidsmarktregio=regio,
                gemeente=gemeente,
                aanbod_id=aanbod_id,
                uitzendbureau=org.code,
                werkgever=invoer.werkgever,
                datum=invoer.datum,
            ), aanbod_id

        return await record(kandidaat_id, org, domain.Stap.AANBOD, invoer.datum, build)

    @api.post("/kandidaten/{kandidaat_id}/afwijzing", status_code=201, response_model=Vastgelegd)
    async def afwijzing(kandidaat_id: UUID, invoer: AfwijzingInvoer, org: Bureau) -> Vastgelegd:
        async def build(conn: AsyncConnection, regio: str, gemeente: str) -> tuple[Gebeurtenis, UUID | None]:
            await conn.execute(
                update(kandidaten)
                .where(kandidaten.c.kandidaat_id == kandidaat_id)
                .values(afgewezen_op=invoer.datum, afwijzingsreden=invoer.reden)
            )
            return KandidaatAfgewezen(
                kandidaat_id=kandidaat_id,
                arbeidsmarktregio=regio,
                gemeente=gemeente,
                uitzendbureau=org.code,
                datum=invoer.datum,
                reden=invoer.reden,
            ), None

        return await record(kandidaat_id, org, domain.Stap.AFWIJZING, invoer.datum, build)

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
                    contractvorm=invoer.contractvorm,
                    sbi=invoer.sbi,
                    beroep=invoer.beroep,
                )
            )
            await opvolgingen_aanmaken(conn, plaatsing_id, kandidaat_id, org.code, invoer.startdatum)
            return PlaatsingGerealiseerd(
                kandidaat_id=kandidaat_id,
                arbeidsmarktregio=regio,
                gemeente=gemeente,
                plaatsing_id=plaatsing_id,
                uitzendbureau=org.code,
                werkgever=invoer.werkgever,
                startdatum=invoer.startdatum,
                uren_per_week=invoer.uren_per_week,
                contractvorm=invoer.contractvorm,
                sbi=invoer.sbi,
                beroep=invoer.beroep,
            ), plaatsing_id

        return await record(kandidaat_id, org, domain.Stap.PLAATSING, invoer.startdatum, build)

    async def mijn_plaatsing(conn: AsyncConnection, plaatsing_id: UUID, org: Organisatie) -> Any:
        row = (
            await conn.execute(
                select(plaatsingen, kandidaten.c.arbeidsmarktregio, kandidaten.c.gemeente)
                .join(kandidaten, kandidaten.c.kandidaat_id == plaatsingen.c.kandidaat_id)
                .where(plaatsingen.c.plaatsing_id == plaatsing_id)
                .with_for_update(of=plaatsingen)
            )
        ).first()
        if row is None:
            raise Problem(404, "Niet gevonden", f"plaatsing {plaatsing_id} bestaat niet")
        if row.uitzendbureau != org.code:
            raise Problem(403, "Niet toegestaan", "deze plaatsing is niet van uw organisatie")
        return row

    @api.post("/plaatsingen/{plaatsing_id}/beeindiging", status_code=201, response_model=Vastgelegd)
    async def beeindiging(plaatsing_id: UUID, invoer: BeeindigingInvoer, org: Bureau) -> Vastgelegd:
        async with rt.engine.begin() as conn:
            p = await mijn_plaatsing(conn, plaatsing_id, org)
            try:
                domain.mag_beeindigen(p.startdatum, p.einddatum, invoer.einddatum)
            except domain.Weigering as w:
                raise Problem(w.status, "Niet toegestaan", w.reden) from None
            event = PlaatsingBeeindigd(
                kandidaat_id=p.kandidaat_id,
                arbeidsmarktregio=p.arbeidsmarktregio,
                gemeente=p.gemeente,
                plaatsing_id=plaatsing_id,
                uitzendbureau=org.code,
                einddatum=invoer.einddatum,
                reden=invoer.reden,
            )
            await conn.execute(
                update(plaatsingen)
                .where(plaatsingen.c.plaatsing_id == plaatsing_id)
                .values(einddatum=invoer.einddatum, einde_reden=invoer.reden)
            )
            await enqueue(conn, outbox, encode(event, source=source_of("plaatsing", org.code)))
            await beeindig(conn, p, invoer.einddatum, "beeindigd", source_of("plaatsing", org.code))
        rt.wake_relay()
        return Vastgelegd(kandidaat_id=p.kandidaat_id, id=plaatsing_id, gebeurtenis=event.event_name)

    @api.get("/opvolging", response_model=list[Opvolgtaak])
    async def opvolging(
        org: Bureau,
        tot: Annotated[date | None, Query(description="Only checkpoints on or before this date")] = None,
        status: domain.Opvolgstatus = domain.Opvolgstatus.OPEN,
    ) -> list[Opvolgtaak]:
        o = opvolgingen
        conditions = [o.c.uitzendbureau == org.code, o.c.status == status]
        if tot is not None:
            conditions.append(o.c.mijlpaal <= tot)
        async with rt.engine.connect() as conn:
            rows = (await conn.execute(select(o).where(*conditions).order_by(o.c.mijlpaal, o.c.plaatsing_id))).all()
        return [
            Opvolgtaak(
                plaatsing_id=r.plaatsing_id,
                kandidaat_id=r.kandidaat_id,
                maanden=r.maanden,
                mijlpaal=r.mijlpaal,
                status=domain.Opvolgstatus(r.status),
            )
            for r in rows
        ]

    @api.post("/plaatsingen/{plaatsing_id}/opvolging/{maanden}", status_code=201, response_model=Vastgelegd)
    async def opvolging_bevestigen(
        plaatsing_id: UUID, maanden: int, invoer: OpvolgingInvoer, org: Bureau
    ) -> Vastgelegd:
        async with rt.engine.begin() as conn:
            p = await mijn_plaatsing(conn, plaatsing_id, org)
            taak = (
                await conn.execute(
                    select(opvolgingen).where(
                        opvolgingen.c.plaatsing_id == plaatsing_id, opvolgingen.c.maanden == maanden
                    )
                )
            ).first()
            if taak is None:
                raise Problem(404, "Niet gevonden", f"geen opvolging na {maanden} maanden; wel na 1, 3, 6 of 12")
            try:
                domain.mag_opvolgen(domain.Opvolgstatus(taak.status), taak.mijlpaal, invoer.datum)
            except domain.Weigering as w:
                raise Problem(w.status, "Niet toegestaan", w.reden) from None
            await conn.execute(
                update(opvolgingen)
                .where(opvolgingen.c.plaatsing_id == plaatsing_id, opvolgingen.c.maanden == maanden)
                .values(status=domain.Opvolgstatus.BEVESTIGD, afgehandeld=invoer.datum)
            )
            event = OpvolgingBevestigd(
                kandidaat_id=p.kandidaat_id,
                arbeidsmarktregio=p.arbeidsmarktregio,
                gemeente=p.gemeente,
                plaatsing_id=plaatsing_id,
                uitzendbureau=org.code,
                maanden=maanden,
                mijlpaal=taak.mijlpaal,
                datum=invoer.datum,
            )
            await enqueue(conn, outbox, encode(event, source=source_of("plaatsing", org.code)))
        rt.wake_relay()
        return Vastgelegd(kandidaat_id=p.kandidaat_id, id=plaatsing_id, gebeurtenis=event.event_name)

    return api
