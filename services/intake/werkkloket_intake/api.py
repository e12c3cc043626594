"""Intake HTTP API, for the gemeente (registrations) and for the assigned agency (contact data)."""

from datetime import UTC, date, datetime
from typing import Annotated
from uuid import UUID, uuid4

from fastapi import APIRouter, Depends, Response
from pydantic import BaseModel, ConfigDict, Field, field_validator
from sqlalchemy import select
from werkkloket_contracts import Opleidingsniveau, Uitkering, Werkervaring, encode, source_of
from werkkloket_runtime.http import Organisatie, Problem, require
from werkkloket_runtime.outbox import enqueue
from werkkloket_runtime.service import ServiceRuntime

from . import domain
from .store import aanmeldingen, outbox

TELEFOON = r"^(\+31|0031|0)[1-9][0-9]{8}$"
EMAIL = r"^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$"


class Toestemming(BaseModel):
    model_config = ConfigDict(extra="forbid")

    gegeven_op: datetime
    door: str = Field(min_length=1, max_length=200, description="Who recorded the consent")
    doel: str = Field(min_length=1, max_length=500, description="For which purpose")


class AanmeldingInvoer(BaseModel):
    model_config = ConfigDict(extra="forbid")

    naam: str = Field(min_length=1, max_length=200)
    telefoon: str = Field(pattern=TELEFOON, description="Dutch phone number, e.g. 0612345678")
    email: str = Field(pattern=EMAIL, max_length=254)
    postcode: str = Field(description="Dutch postcode, e.g. 2511 AB")
    gemeente: str | None = Field(default=None, description="CBS code; defaults to the caller's gemeente")
    opleidingsniveau: Opleidingsniveau
    werkervaring: list[Werkervaring] = Field(default_factory=list)
    wensberoepen: list[Annotated[str, Field(pattern=r"^\d{4}$")]] = Field(min_length=1, max_length=3)
    werkloos_sinds: date | None = None
    uitkering: Uitkering
    toestemming: Toestemming
    aanmelddatum: date | None = Field(
        default=None, description="Date of the registration at the gemeente, when entered afterwards"
    )

    @field_validator("telefoon")
    @classmethod
    def _telefoon(cls, v: str) -> str:
        return v.replace(" ", "")

    @field_validator("postcode")
    @classmethod
    def _postcode(cls, v: str) -> str:
        return domain.normaliseer_postcode(v)


class AanmeldingStatus(BaseModel):
    id: UUID
    kandidaat_id: UUID
    gemeente: str
    arbeidsmarktregio: str
    status: domain.Status
    uitzendbureau: str | None
    ontvangen_op: datetime


class ContactGegevens(BaseModel):
    kandidaat_id: UUID
    naam: str
    telefoon: str
    email: str
    postcode: str


def router(rt: ServiceRuntime) -> APIRouter:
    api = APIRouter(prefix="/api/v1", tags=["intake"])
    gemeente_only = require(rt.keys, "gemeente")
    bureau_only = require(rt.keys, "uitzendbureau")

    @api.post("/aanmeldingen", status_code=201, response_model=AanmeldingStatus)
    async def registreer(
        invoer: AanmeldingInvoer, response: Response, org: Annotated[Organisatie, Depends(gemeente_only)]
    ) -> AanmeldingStatus:
        code = invoer.gemeente or org.gemeente
        if code is None:
            raise Problem(422, "Ongeldige invoer", "gemeente ontbreekt", invalid_params=[{"name": "gemeente"}])
        if org.gemeente is not None and code != org.gemeente:
            raise Problem(403, "Geen toegang", f"{org.code} registreert niet voor gemeente {code}")
        try:
            g = domain.gemeente(code)
        except domain.OnbekendeGemeente:
            raise Problem(
                422,
                "Ongeldige invoer",
                f"onbekende gemeente {code!r}",
                invalid_params=[{"name": "gemeente", "reason": "onbekende CBS-gemeentecode"}],
            ) from None
        aanmelding_id, kandidaat_id = uuid4(), uuid4()
        profiel = domain.Profiel(
            postcode=invoer.postcode,
            opleidingsniveau=invoer.opleidingsniveau,
            werkervaring=tuple(invoer.werkervaring),
            wensberoepen=tuple(invoer.wensberoepen),
            werkloos_sinds=invoer.werkloos_sinds,
            uitkering=invoer.uitkering,
        )
        event = domain.aanmelding_ontvangen(
            aanmelding_id=aanmelding_id, kandidaat_id=kandidaat_id, gemeente_code=g.code, profiel=profiel
        )
        now = datetime.now(UTC)
        if invoer.aanmelddatum is not None:
            if invoer.aanmelddatum > now.date():
                raise Problem(
                    422,
                    "Ongeldige invoer",
                    "Ongeldige of ontbrekende velden: aanmelddatum",
                    invalid_params=[{"name": "aanmelddatum", "reason": "ligt in de toekomst"}],
                )
            event = event.model_copy(update={"aanmelddatum": invoer.aanmelddatum})
        async with rt.engine.begin() as conn:
            await conn.execute(
                aanmeldingen.insert().values(
                    id=aanmelding_id,
                    kandidaat_id=kandidaat_id,
                    gemeente=g.code,
                    arbeidsmarktregio=g.arbeidsmarktregio,
                    geregistreerd_door=org.code,
                    naam=invoer.naam,
                    telefoon=invoer.telefoon,
                    email=invoer.email,
                    postcode=invoer.postcode,
                    profiel=invoer.model_dump(
                        mode="json",
                        include={
                            "opleidingsniveau",
                            "werkervaring",
                            "wensberoepen",
                            "werkloos_sinds",
                            "uitkering",
                        },
                    ),
                    toestemming=invoer.toestemming.model_dump(mode="json"),
                    status=domain.Status.ONTVANGEN,
                    ontvangen_op=now,
                )
            )
            await enqueue(conn, outbox, encode(event, source=source_of("intake", org.code), time=now))
        rt.wake_relay()
        response.headers["Location"] = f"/api/v1/aanmeldingen/{aanmelding_id}"
        return AanmeldingStatus(
            id=aanmelding_id,
            kandidaat_id=kandidaat_id,
            gemeente=g.code,
            arbeidsmarktregio=g.arbeidsmarktregio,
            status=domain.Status.ONTVANGEN,
            uitzendbureau=None,
            ontvangen_op=now,
        )

    @api.get("/aanmeldingen/{aanmelding_id}", response_model=AanmeldingStatus)
    async def status(aanmelding_id: UUID, org: Annotated[Organisatie, Depends(gemeente_only)]) -> AanmeldingStatus:
        async with rt.engine.connect() as conn:
            row = (await conn.execute(select(aanmeldingen).where(aanmeldingen.c.id == aanmelding_id))).first()
        if row is None or (org.gemeente is not None and row.gemeente != org.gemeente):
            raise Problem(404, "Niet gevonden", f"aanmelding {aanmelding_id} bestaat niet")
        return AanmeldingStatus(
            id=row.id,
            kandidaat_id=row.kandidaat_id,
            gemeente=row.gemeente,
            arbeidsmarktregio=row.arbeidsmarktregio,
            status=domain.Status(row.status),
            uitzendbureau=row.uitzendbureau,
            ontvangen_op=row.ontvangen_op,
        )

    @api.get("/kandidaten/{kandidaat_id}/contact", response_model=ContactGegevens)
    async def contact(kandidaat_id: UUID, org: Annotated[Organisatie, Depends(bureau_only)]) -> ContactGegevens:
        async with rt.engine.connect() as conn:
            row = (await conn.execute(select(aanmeldingen).where(aanmeldingen.c.kandidaat_id == kandidaat_id))).first()
        if row is None:
            raise Problem(404, "Niet gevonden", f"kandidaat {kandidaat_id} bestaat niet")
        if row.uitzendbureau != org.code:
            raise Problem(403, "Geen toegang", "deze kandidaat is niet aan uw organisatie toegewezen")
        return ContactGegevens(
            kandidaat_id=row.kandidaat_id,
            naam=row.naam,
            telefoon=row.telefoon,
            email=row.email,
            postcode=row.postcode,
        )

    return api
