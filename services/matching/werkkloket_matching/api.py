"""Matching HTTP API: the agency registry with its current load."""

from typing import Annotated

from fastapi import APIRouter, Depends
from pydantic import BaseModel
from sqlalchemy import select
from werkkloket_runtime.http import Organisatie, require
from werkkloket_runtime.service import ServiceRuntime

from .store import uitzendbureaus


class UitzendbureauStand(BaseModel):
    code: str
    naam: str
    sectoren: list[str]
    regios: list[str]
    capaciteit: int
    actief: int


def router(rt: ServiceRuntime) -> APIRouter:
    api = APIRouter(prefix="/api/v1", tags=["matching"])
    lezer = require(rt.keys, "gemeente", "rapportage", "beheer")

    @api.get("/uitzendbureaus", response_model=list[UitzendbureauStand])
    async def lijst(_: Annotated[Organisatie, Depends(lezer)]) -> list[UitzendbureauStand]:
        async with rt.engine.connect() as conn:
            rows = (await conn.execute(select(uitzendbureaus).order_by(uitzendbureaus.c.code))).all()
        return [
            UitzendbureauStand(
                code=r.code,
                naam=r.naam,
                sectoren=list(r.sectoren),
                regios=list(r.regios),
                capaciteit=r.capaciteit,
                actief=r.actief,
            )
            for r in rows
        ]

    return api
