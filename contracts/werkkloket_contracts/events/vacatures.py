"""Vacancy events, keyed by the vacancy."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import ClassVar
from uuid import UUID

from pydantic import Field

from .basis import (
    ISCO_CODE,
    ORGANISATIE_CODE,
    Gebeurtenis,
    Opleidingsniveau,
)

# --- vacatures (issue 3): keyed by the vacancy ---


class VacatureGebeurtenis(Gebeurtenis):
    """An event about one vacancy; the region and gemeente are those of the workplace."""

    sleutel: ClassVar[str] = "vacature_id"

    vacature_id: UUID = Field(description="Also the Kafka key and ce_subject")


class Vacaturesluiting(StrEnum):
    VERVULD = "vervuld"
    INGETROKKEN = "ingetrokken"
    VERLOPEN = "verlopen"


class VacatureGeopend(VacatureGebeurtenis):
    """An agency or a gemeente (werkgeversservicepunt) registered an open vacancy (published by matching)."""

    event_name: ClassVar[str] = "VacatureGeopend"

    door: ORGANISATIE_CODE = Field(description="The organisation that registered it")
    titel: str = Field(min_length=2, max_length=200)
    beroep: ISCO_CODE
    sector: str = Field(pattern=r"^[A-U]$", description="SBI 2008 section of the employer")
    postcodegebied: str = Field(pattern=r"^\d{4}$")
    uren_per_week: int = Field(ge=1, le=60)
    skills: list[str] = Field(default_factory=list, max_length=20)
    opleidingsniveau: Opleidingsniveau | None = None
    open_tot: date


class VacatureGesloten(VacatureGebeurtenis):
    """A vacancy is closed: filled, withdrawn or past its date; it is no longer proposed (published by matching)."""

    event_name: ClassVar[str] = "VacatureGesloten"

    door: ORGANISATIE_CODE
    datum: date
    reden: Vacaturesluiting
