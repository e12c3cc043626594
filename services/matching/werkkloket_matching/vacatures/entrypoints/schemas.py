"""Response bodies of the vacancy API (the requests are the commands' input models)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Self
from uuid import UUID

from pydantic import BaseModel, Field
from sqlalchemy import Row
from werkkloket_contracts import Vacaturesluiting


class VacatureStand(BaseModel):
    vacature_id: UUID
    titel: str
    beroep: str
    arbeidsmarktregio: str
    gemeente: str | None
    open_tot: date
    gesloten_op: datetime | None
    sluitreden: Vacaturesluiting | None
    voorgesteld_aan: int = Field(description="Waiting candidates it was proposed to now")

    @classmethod
    def van(cls, r: Row[Any], voorgesteld_aan: int = 0) -> Self:
        return cls.model_validate({**r._mapping, "voorgesteld_aan": voorgesteld_aan})
