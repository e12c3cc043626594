"""The funnel report's response models."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel


class FunnelRegel(BaseModel):
    aangemeld: int
    volledig: int
    toegewezen: int
    eerste_contact: int
    gesprek: int
    geplaatst: int
    duurzaam: int
    geclaimd: int
    conversie: dict[str, float | None]


class PerUitzendbureau(FunnelRegel):
    uitzendbureau: str


class PerGroep(FunnelRegel):
    groep: str | None


class FunnelRapport(BaseModel):
    peildatum: date
    duurzaam_maanden: int
    filters: dict[str, str]
    totaal: FunnelRegel
    per_uitzendbureau: list[PerUitzendbureau]
    groepering: str | None = None
    groepen: list[PerGroep] = []
