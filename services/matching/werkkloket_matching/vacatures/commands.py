"""What vacancy use cases are asked to do."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Annotated, Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field
from werkkloket_contracts import Opleidingsniveau, Vacaturesluiting


class VacatureInvoer(BaseModel):
    model_config = ConfigDict(extra="forbid")

    titel: str = Field(min_length=2, max_length=200)
    beroep: str = Field(pattern=r"^\d{4}$", description="ISCO-08 unit group")
    sector: str = Field(pattern=r"^[A-U]$", description="SBI 2008 section of the employer")
    arbeidsmarktregio: str = Field(pattern=r"^[a-z0-9-]{2,40}$")
    gemeente: str = Field(pattern=r"^GM\d{4}$", description="CBS code of the workplace's gemeente")
    postcode: str = Field(pattern=r"^[1-9]\d{3} ?[A-Za-z]{2}$|^[1-9]\d{3}$", description="Of the workplace")
    uren_per_week: int = Field(ge=1, le=60)
    skills: list[Annotated[str, Field(min_length=1, max_length=80)]] = Field(default_factory=list, max_length=20)
    opleidingsniveau: Opleidingsniveau | None = None
    open_tot: date


class Sluiting(BaseModel):
    model_config = ConfigDict(extra="forbid")

    # verlopen is set by the service itself, when open_tot has passed.
    reden: Literal["vervuld", "ingetrokken"] = "ingetrokken"


@dataclass(frozen=True)
class VacatureOpenen:
    door: str  # the agency or gemeente that registers it
    invoer: VacatureInvoer
    # A gemeente's: the arbeidsmarktregio's of its gemeenten, where it registers vacancies; None for an agency.
    regios: frozenset[str] | None = None


@dataclass(frozen=True)
class VacatureSluiten:
    vacature_id: UUID
    door: str
    reden: Vacaturesluiting


@dataclass(frozen=True)
class VerlopenSluiten:
    """Close the vacancies past their open_tot as of peildatum (of one gemeente only, or of all)."""

    peildatum: date
    nu: datetime
    gemeente: str | None = None
