"""Registrations in `intake.aanmeldingen`: the one place that maps a registration and its profile to and from
the table. The profile's personal data and its aanmelddatum are columns; its coded attributes are the JSONB
column `profiel`; the screening is the JSONB column `screening`."""

from __future__ import annotations

from dataclasses import fields
from datetime import datetime
from typing import Any
from uuid import UUID

from pydantic import TypeAdapter
from sqlalchemy import ColumnElement, Row, and_, case, or_, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from ..domain.aanmelding import NA_BEMIDDELING, Aanmelding, Beoordeling, Status
from ..domain.profiel import Profiel
from .tables import aanmeldingen

PROFIEL = TypeAdapter(Profiel)
BEOORDELING = TypeAdapter(Beoordeling)
# The profile's fields kept in columns of their own; the other fields (coded) are the JSONB column `profiel`.
KOLOMMEN = (
    "naam",
    "telefoon",
    "email",
    "postcode",
    "woonplaats",
    "geboortedatum",
    "bsn",
    "toestemming",
    "aanmelddatum",
)
GECODEERD = tuple(f.name for f in fields(Profiel) if f.name not in KOLOMMEN)


def _profiel(row: Row[Any]) -> Profiel:
    return PROFIEL.validate_python({**row.profiel, **{k: getattr(row, k) for k in KOLOMMEN}})


def _aanmelding(row: Row[Any]) -> Aanmelding:
    return Aanmelding(
        id=row.id,
        kandidaat_id=row.kandidaat_id,
        gemeente=row.gemeente,
        arbeidsmarktregio=row.arbeidsmarktregio,
        geregistreerd_door=row.geregistreerd_door,
        profiel=_profiel(row),
        status=Status(row.status),
        ontvangen_op=row.ontvangen_op,
        uitzendbureau=row.uitzendbureau,
        mogelijke_dubbelingen=tuple(UUID(i) for i in row.mogelijke_dubbelingen),
        beoordeling=BEOORDELING.validate_python(row.screening) if row.screening else None,
        status_gewijzigd_op=row.status_gewijzigd_op,
        overgedragen_op=row.overgedragen_op,
        overdracht_toegestaan=row.overdracht_toegestaan,
    )


def _waarden(a: Aanmelding) -> dict[str, Any]:
    """The columns a registration's use cases write (the agency is the subscribers' to set)."""
    p = a.profiel
    data = PROFIEL.dump_python(p, mode="json")
    return {
        **{k: getattr(p, k) for k in KOLOMMEN},
        "toestemming": data["toestemming"],
        "profiel": {k: data[k] for k in GECODEERD},
        "dubbel_sleutel": p.dubbel_sleutel(),
        "ontbrekend": p.ontbrekend(),
        "status": a.status,
        "status_gewijzigd_op": a.status_gewijzigd_op,
        "mogelijke_dubbelingen": [str(i) for i in a.mogelijke_dubbelingen],
        "categorie": a.categorie,
        "screening": BEOORDELING.dump_python(a.beoordeling, mode="json") if a.beoordeling is not None else None,
        "overgedragen_op": a.overgedragen_op,
        "overdracht_toegestaan": a.overdracht_toegestaan,
    }


async def voeg_toe(conn: AsyncConnection, a: Aanmelding) -> None:
    await conn.execute(
        aanmeldingen.insert().values(
            id=a.id,
            kandidaat_id=a.kandidaat_id,
            gemeente=a.gemeente,
            arbeidsmarktregio=a.arbeidsmarktregio,
            geregistreerd_door=a.geregistreerd_door,
            ontvangen_op=a.ontvangen_op,
            **_waarden(a),
        )
    )


async def bewaar(conn: AsyncConnection, a: Aanmelding, *, zonder_houder: bool = False) -> None:
    """Store a changed registration; `zonder_houder`: the agency holding it loses it (here, not by matching)."""
    extra = {"uitzendbureau": None} if zonder_houder else {}
    await conn.execute(update(aanmeldingen).where(aanmeldingen.c.id == a.id).values(**_waarden(a), **extra))


async def _een(conn: AsyncConnection, waar: ColumnElement[bool], *, vergrendel: bool = False) -> Aanmelding | None:
    query = select(aanmeldingen).where(waar)
    row = (await conn.execute(query.with_for_update() if vergrendel else query)).first()
    return _aanmelding(row) if row is not None else None


async def met_id(conn: AsyncConnection, aanmelding_id: UUID, *, vergrendel: bool = False) -> Aanmelding | None:
    """One registration; `vergrendel` locks it until the transaction ends (to change it)."""
    return await _een(conn, aanmeldingen.c.id == aanmelding_id, vergrendel=vergrendel)


async def van_kandidaat(conn: AsyncConnection, kandidaat_id: UUID) -> Aanmelding | None:
    return await _een(conn, aanmeldingen.c.kandidaat_id == kandidaat_id)


async def lijst(
    conn: AsyncConnection, gemeenten: frozenset[str] | None, status: Status | None, limit: int
) -> list[Aanmelding]:
    """Registrations, newest first: of these gemeenten (None: all), with one status (or any)."""
    query = select(aanmeldingen).order_by(aanmeldingen.c.ontvangen_op.desc()).limit(limit)
    if gemeenten is not None:
        query = query.where(aanmeldingen.c.gemeente.in_(sorted(gemeenten)))
    if status is not None:
        query = query.where(aanmeldingen.c.status == status)
    return [_aanmelding(row) for row in await conn.execute(query)]


async def dubbelingen(conn: AsyncConnection, eigen: UUID, profiel: Profiel) -> tuple[UUID, ...]:
    """Other registrations, not confirmed duplicates, with the same BSN or the same duplicate key."""
    criteria: list[ColumnElement[bool]] = []
    if profiel.bsn:
        criteria.append(aanmeldingen.c.bsn == profiel.bsn)
    if sleutel := profiel.dubbel_sleutel():
        criteria.append(aanmeldingen.c.dubbel_sleutel == sleutel)
    if not criteria:
        return ()
    rows = await conn.execute(
        select(aanmeldingen.c.id)
        .where(or_(*criteria), aanmeldingen.c.id != eigen, aanmeldingen.c.status != Status.VERVALLEN)
        .order_by(aanmeldingen.c.ontvangen_op)
    )
    return tuple(r.id for r in rows)


async def zet_toewijzing(
    conn: AsyncConnection,
    kandidaat_id: UUID,
    status: Status,
    uitzendbureau: str | None,
    op: datetime,
    versie: int | None,
) -> None:
    """Matching's assignment, if newer than the one applied (`versie`; None: an event from before versions, applied
    only while none with a version was). Without consent for a hand-off, or after the mediation ended, no agency
    holds the candidate and the status stays."""
    a = aanmeldingen.c
    nieuwer = a.toewijzingsversie == 0 if versie is None else a.toewijzingsversie < versie
    toegestaan = and_(a.overdracht_toegestaan, a.status.not_in(NA_BEMIDDELING))
    await conn.execute(
        update(aanmeldingen)
        .where(a.kandidaat_id == kandidaat_id, nieuwer)
        .values(
            toewijzingsversie=versie if versie is not None else a.toewijzingsversie,
            uitzendbureau=case((toegestaan, uitzendbureau), else_=None),
            status=case((toegestaan, status), else_=a.status),
            status_gewijzigd_op=case((toegestaan, op), else_=a.status_gewijzigd_op),
        )
    )
