"""Rapportage HTTP API: the funnel as JSON."""

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel
from sqlalchemy import func, select
from werkkloket_runtime.http import Organisatie, require
from werkkloket_runtime.service import ServiceRuntime

from .domain import Funnel
from .store import funnel_kandidaten as f


class FunnelRegel(BaseModel):
    aangemeld: int
    toegewezen: int
    eerste_contact: int
    gesprek: int
    geplaatst: int
    conversie: dict[str, float | None]


class PerUitzendbureau(FunnelRegel):
    uitzendbureau: str


class FunnelRapport(BaseModel):
    filters: dict[str, str]
    totaal: FunnelRegel
    per_uitzendbureau: list[PerUitzendbureau]


def _counts() -> list[Any]:
    return [
        func.count(f.c.aangemeld_op).label("aangemeld"),
        func.count(f.c.toegewezen_op).label("toegewezen"),
        func.count(f.c.eerste_contact_op).label("eerste_contact"),
        func.count(f.c.gesprek_op).label("gesprek"),
        func.count(f.c.geplaatst_op).label("geplaatst"),
    ]


def _funnel(row: Any) -> Funnel:
    return Funnel(
        aangemeld=row.aangemeld,
        toegewezen=row.toegewezen,
        eerste_contact=row.eerste_contact,
        gesprek=row.gesprek,
        geplaatst=row.geplaatst,
    ).met_conversie()


def router(rt: ServiceRuntime) -> APIRouter:
    api = APIRouter(prefix="/api/v1/rapportage", tags=["rapportage"])
    lezer = require(rt.keys, "rapportage", "gemeente", "beheer")

    @api.get("/funnel", response_model=FunnelRapport)
    async def funnel(
        _: Annotated[Organisatie, Depends(lezer)],
        regio: Annotated[str | None, Query(pattern=r"^[a-z0-9-]{2,40}$")] = None,
        gemeente: Annotated[str | None, Query(pattern=r"^GM\d{4}$")] = None,
        uitzendbureau: Annotated[str | None, Query(pattern=r"^[a-z0-9-]{2,60}$")] = None,
    ) -> FunnelRapport:
        conditions = []
        filters: dict[str, str] = {}
        if regio:
            conditions.append(f.c.arbeidsmarktregio == regio)
            filters["regio"] = regio
        if gemeente:
            conditions.append(f.c.gemeente == gemeente)
            filters["gemeente"] = gemeente
        if uitzendbureau:
            conditions.append(f.c.uitzendbureau == uitzendbureau)
            filters["uitzendbureau"] = uitzendbureau
        async with rt.engine.connect() as conn:
            totaal = (await conn.execute(select(*_counts()).where(*conditions))).one()
            per_bureau = (
                await conn.execute(
                    select(f.c.uitzendbureau, *_counts())
                    .where(*conditions, f.c.uitzendbureau.is_not(None))
                    .group_by(f.c.uitzendbureau)
                    .order_by(f.c.uitzendbureau)
                )
            ).all()
        return FunnelRapport(
            filters=filters,
            totaal=FunnelRegel(**vars(_funnel(totaal))),
            per_uitzendbureau=[PerUitzendbureau(uitzendbureau=r.uitzendbureau, **vars(_funnel(r))) for r in per_bureau],
        )

    return api
