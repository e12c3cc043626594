"""Request and response bodies of the toewijzing API."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Self
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import Row
from werkkloket_contracts import Afwijzingsreden, Hertoewijzingsaanleiding, Reden
from werkkloket_runtime import onderdrukking
from werkkloket_runtime.onderdrukking import Aantal


class DoelUit(BaseModel):
    plaatsingen: int
    periode: str


class UitzendbureauStand(BaseModel):
    code: str
    naam: str
    sectoren: list[str]
    regios: list[str]
    gemeenten: list[str] = Field(description="CBS codes of the gemeenten it serves; empty: all of its regions")
    capaciteit: int = Field(description="Places: no count of persons, always exact")
    actief: Aantal = Field(description='Candidates it holds now; for all but beheer 1 to 4 shown as "<5"')
    doel: DoelUit | None = Field(description="The placements it agreed to, and the period")
    onderdrukt: bool = Field(default=False, description="Small cells suppressed (threshold 5)")

    @classmethod
    def van(cls, r: Row[Any]) -> Self:
        doel = (
            {"plaatsingen": r.doel_plaatsingen, "periode": r.doel_periode} if r.doel_plaatsingen is not None else None
        )
        return cls.model_validate({**r._mapping, "doel": doel})

    @classmethod
    def onderdrukt_getoond(cls, standen: list[Self]) -> list[Self]:
        """The list with the load suppressed (a second agency's hidden when only one is under 5)."""
        rijen = onderdrukking.tabel([s.model_dump() for s in standen], ("actief",))
        return [cls.model_validate({**r, "onderdrukt": True}) for r in rijen]


class ToewijzingStand(BaseModel):
    kandidaat_id: UUID
    toewijzing_id: UUID | None
    gemeente: str
    status: str
    uitzendbureau: str | None
    toegewezen_op: datetime | None
    termijn_eerste_contact: date | None = Field(description="Last working day for first contact")
    eerste_contact_op: date | None
    eerdere_uitzendbureaus: list[str]
    regelversie: str | None
    redenen: list[Reden] = Field(description="Why this agency: the factors of the choice")
    versie: int = Field(description="One higher with every change of holder (the events' toewijzingsversie)")

    @classmethod
    def van(cls, r: Row[Any]) -> Self:
        return cls.model_validate({**r._mapping, "termijn_eerste_contact": r.termijn_tot, "redenen": r.redenen or []})


class Afwijzing(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reden: str = Field(min_length=3, max_length=1000, description="Stays in matching; the bus carries the code")
    afwijzingsreden: Afwijzingsreden = Field(default=Afwijzingsreden.OVERIG, description="The reason's code")


class Hertoewijzing(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reden: str = Field(min_length=3, max_length=1000)
    uitzendbureau: str | None = Field(default=None, description="A chosen agency; default: the best other one")


class HertoewijzingRegel(BaseModel):
    kandidaat_id: UUID
    gemeente: str
    van_uitzendbureau: str
    naar_uitzendbureau: str | None
    aanleiding: Hertoewijzingsaanleiding
    reden: str
    op: datetime


class Termijncontrole(BaseModel):
    model_config = ConfigDict(extra="forbid")

    peildatum: date | None = Field(default=None, description="Check as of this date (only with a settable clock)")
    gemeente: str | None = Field(default=None, pattern=r"^GM\d{4}$")


class TermijncontroleUitkomst(BaseModel):
    peildatum: date
    hertoegewezen: list[UUID]
    vacatures_verlopen: list[UUID] = Field(description="Vacancies closed because their open_tot passed")


class MatchUit(BaseModel):
    vacature_id: UUID
    titel: str
    beroep: str
    score: float
    factoren: list[Reden]
    sectoroverstap: bool
    regelversie: str


class MijnKandidaat(BaseModel):
    kandidaat_id: UUID
    gemeente: str
    toegewezen_op: datetime | None
    termijn_eerste_contact: date | None
    matches: list[MatchUit]
