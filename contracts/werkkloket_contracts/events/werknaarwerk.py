"""Werk naar werk: employers with surplus staff and employers with shortages, and the moves between them."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import ClassVar
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from .basis import (
    ISCO_CODE,
    ORGANISATIE_CODE,
    REGIO_CODE,
    SBI_CODE,
    Gebeurtenis,
    Reden,
)

# --- werk naar werk (issue 6): employers with surplus staff and employers with shortages ---


class Overschotaard(StrEnum):
    TIJDELIJK = "tijdelijk"
    STRUCTUREEL = "structureel"


class Mobiliteitsvorm(StrEnum):
    """A transfer to the new employer, or a lending (detachering) after which the worker returns."""

    OVERGANG = "overgang"
    DETACHERING = "detachering"


class Uitsluiting(BaseModel):
    """Where an employer does not want its people to go: competitors by SBI branch, or named companies."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    zelfde_branche: bool = Field(default=False, description="Exclude employers of the same SBI division (2 digits)")
    branches: list[SBI_CODE] = Field(default_factory=list, description="Exclude employers whose SBI code starts so")
    werkgevers: list[ORGANISATIE_CODE] = Field(default_factory=list, description="Exclude these employers")


class OverschotGebeurtenis(Gebeurtenis):
    """An event about one employer's surplus; every proposal and move from it keeps its order under this key."""

    sleutel: ClassVar[str] = "overschot_id"

    overschot_id: UUID = Field(description="Also the Kafka key and ce_subject")


class OverschotGemeld(OverschotGebeurtenis):
    """An employer, or the WSP on its behalf, reports more people than work (published by matching)."""

    event_name: ClassVar[str] = "OverschotGemeld"

    werkgever: ORGANISATIE_CODE
    sbi: SBI_CODE
    aantal: int = Field(ge=1, le=10_000, description="How many people")
    beroepen: list[ISCO_CODE] = Field(min_length=1, max_length=10)
    skills: list[str] = Field(default_factory=list, max_length=30)
    vanaf: date
    aard: Overschotaard
    uitlenen_toegestaan: bool = Field(description="May the people be lent out (detachering)")
    uitlenen_tot: date | None = Field(default=None, description="Lending allowed until this date")
    regios: list[REGIO_CODE] = Field(description="Arbeidsmarktregio's the people may move to")
    uitsluiting: Uitsluiting = Field(default_factory=Uitsluiting)
    gemeld_door: ORGANISATIE_CODE = Field(description="The employer itself, or the WSP (gemeente) on its behalf")


class TekortGemeld(Gebeurtenis):
    """An employer, or the WSP on its behalf, reports a shortage: vacancies to fill (published by matching)."""

    event_name: ClassVar[str] = "TekortGemeld"
    sleutel: ClassVar[str] = "tekort_id"

    tekort_id: UUID = Field(description="Also the Kafka key and ce_subject")
    werkgever: ORGANISATIE_CODE
    sbi: SBI_CODE
    aantal: int = Field(ge=1, le=10_000)
    beroep: ISCO_CODE
    skills: list[str] = Field(default_factory=list, max_length=30)
    uren_per_week: int = Field(ge=1, le=60)
    postcodegebied: str = Field(pattern=r"^\d{4}$")
    vanaf: date
    gemeld_door: ORGANISATIE_CODE


class MobiliteitVoorgesteld(OverschotGebeurtenis):
    """A proposed move from a surplus to a shortage, explained per factor (published by matching)."""

    event_name: ClassVar[str] = "MobiliteitVoorgesteld"

    voorstel_id: UUID
    tekort_id: UUID
    van_werkgever: ORGANISATIE_CODE
    naar_werkgever: ORGANISATIE_CODE
    naar_regio: REGIO_CODE
    beroep: ISCO_CODE = Field(description="The shortage's occupation")
    van_sector: str = Field(description="Sector of the surplus occupation, e.g. 'horeca'")
    naar_sector: str = Field(description="Sector of the shortage occupation, e.g. 'beveiliging'")
    score: float = Field(ge=0, le=1)
    factoren: list[Reden] = Field(description="beroep, skills, regio, beschikbaarheid, omvang")
    sectoroverstap: bool
    vormen: list[Mobiliteitsvorm] = Field(description="The forms the surplus allows")
    regelversie: str


class MobiliteitGestart(OverschotGebeurtenis):
    """A worker of the surplus started at the shortage employer (published by matching)."""

    event_name: ClassVar[str] = "MobiliteitGestart"

    mobiliteit_id: UUID
    voorstel_id: UUID
    tekort_id: UUID
    werknemer_id: UUID = Field(description="Pseudonymous worker id (the skills paspoort's id when there is one)")
    vorm: Mobiliteitsvorm
    startdatum: date
    terugkeerdatum: date | None = Field(default=None, description="Detachering: the date the worker returns")
    van_werkgever: ORGANISATIE_CODE
    naar_werkgever: ORGANISATIE_CODE
    naar_regio: REGIO_CODE
    van_sector: str
    naar_sector: str


class MobiliteitTeruggekeerd(OverschotGebeurtenis):
    """A lent worker returned to the original employer, on `datum` (published by matching)."""

    event_name: ClassVar[str] = "MobiliteitTeruggekeerd"

    mobiliteit_id: UUID
    datum: date


class MobiliteitBeeindigd(OverschotGebeurtenis):
    """A move ended before its time (published by matching)."""

    event_name: ClassVar[str] = "MobiliteitBeeindigd"

    mobiliteit_id: UUID
    datum: date
    reden: str = Field(min_length=3, max_length=200)
