"""The funnel report's response models. Outside the reader's own scope a count of 1 to 4 persons is "<5" and a
figure that would reveal one is "x" (`werkkloket_runtime.onderdrukking`)."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, Field
from werkkloket_runtime.onderdrukking import Aantal

Conversie = float | Literal["x"] | None


class FunnelRegel(BaseModel):
    aangemeld: Aantal
    volledig: Aantal
    toegewezen: Aantal
    eerste_contact: Aantal
    gesprek: Aantal
    geplaatst: Aantal
    duurzaam: Aantal
    geclaimd: Aantal
    conversie: dict[str, Conversie]


class PerUitzendbureau(FunnelRegel):
    uitzendbureau: str


class PerGroep(FunnelRegel):
    groep: str | None


class FunnelRapport(BaseModel):
    peildatum: date
    duurzaam_maanden: int
    filters: dict[str, str]
    onderdrukt: bool = Field(description='Small cells suppressed: counts of 1 to `drempel`-1 persons as "<5"')
    drempel: int
    onderdrukking: str | None = Field(default=None, description="How figures were suppressed, when they were")
    totaal: FunnelRegel
    per_uitzendbureau: list[PerUitzendbureau]
    groepering: str | None = None
    groepen: list[PerGroep] = []
