"""Request and response bodies of plaatsing's HTTP API."""

from __future__ import annotations

from datetime import date, datetime
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field
from werkkloket_contracts import Afwijzingsreden, Beeindigingsreden, Contractvorm, Gespreksuitkomst

from ..domain import Opvolgstatus


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
    model_config = ConfigDict(from_attributes=True)
    plaatsing_id: UUID
    kandidaat_id: UUID
    maanden: int
    mijlpaal: date
    status: Opvolgstatus


class Vastgelegd(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    kandidaat_id: UUID
    id: UUID | None = None
    gebeurtenis: str


class KandidaatOverzicht(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    kandidaat_id: UUID
    arbeidsmarktregio: str
    gemeente: str
    toegewezen_op: datetime
    eerste_contact_op: date | None
    afgewezen_op: date | None = None
