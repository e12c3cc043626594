"""Request and response bodies of the werk naar werk API (the larger requests are the commands' input models)."""

from __future__ import annotations

from datetime import date
from typing import Any, Self
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import Row
from werkkloket_contracts import Mobiliteitsvorm, Reden

from ..commands import PASPOORT_TEKSTVERSIE, Diploma, Ervaring


class VoorstelUit(BaseModel):
    voorstel_id: UUID
    overschot_id: UUID
    tekort_id: UUID
    van_werkgever: str
    naar_werkgever: str
    beroep: str
    van_sector: str
    naar_sector: str
    score: float
    factoren: list[Reden]
    sectoroverstap: bool
    vormen: list[Mobiliteitsvorm]
    regelversie: str

    @classmethod
    def van(cls, r: Row[Any], **werkgevers_en_beroep: str) -> Self:
        """A stored proposal, with its employers and the shortage's occupation (from the row, or given)."""
        return cls.model_validate({**r._mapping, **werkgevers_en_beroep})


class MeldingUit(BaseModel):
    id: UUID
    werkgever: str
    voorstellen: list[VoorstelUit]


class MobiliteitUit(BaseModel):
    mobiliteit_id: UUID
    voorstel_id: UUID
    overschot_id: UUID
    tekort_id: UUID
    werknemer_id: UUID
    vorm: Mobiliteitsvorm
    startdatum: date
    terugkeerdatum: date | None
    teruggekeerd_op: date | None
    beeindigd_op: date | None
    status: str = Field(description="lopend, teruggekeerd or beeindigd")

    @classmethod
    def van(cls, r: Row[Any]) -> Self:
        status = "beeindigd" if r.beeindigd_op else "teruggekeerd" if r.teruggekeerd_op else "lopend"
        return cls.model_validate({**r._mapping, "status": status})


class Terugkeer(BaseModel):
    model_config = ConfigDict(extra="forbid")

    datum: date


class Beeindiging(BaseModel):
    model_config = ConfigDict(extra="forbid")

    datum: date
    reden: str = Field(min_length=3, max_length=200)


class Terugkeercontrole(BaseModel):
    model_config = ConfigDict(extra="forbid")

    peildatum: date | None = Field(default=None, description="Check as of this date (only with a settable clock)")


class PaspoortAangemaakt(BaseModel):
    paspoort_id: UUID
    werknemer_sleutel: str = Field(description="The worker's own key; shown once, give it to the worker")


class Instemming(BaseModel):
    model_config = ConfigDict(extra="forbid")

    gegeven: bool = Field(description="The worker consents to its skills paspoort; without it no link")
    tekstversie: str = Field(
        default=PASPOORT_TEKSTVERSIE, pattern=r"^[0-9A-Za-z.\-]{1,40}$", description="Version of the text shown"
    )


class Koppeling(BaseModel):
    model_config = ConfigDict(extra="forbid")

    toestemming: Instemming


class Ontkoppeld(BaseModel):
    paspoort_id: UUID
    niet_meer_gedeeld_met: list[str] = Field(description="The employers that no longer read the paspoort")


class Paspoort(BaseModel):
    paspoort_id: UUID
    skills: list[str]
    diplomas: list[Diploma]
    werkervaring: list[Ervaring]
    gedeeld_met: list[str] | None = Field(default=None, description="Only shown to the worker")
