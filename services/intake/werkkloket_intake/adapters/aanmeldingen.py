"""Registrations in `intake.aanmeldingen`: the one place that maps a registration and its profile to and from
the table. The profile's personal data and its aanmelddatum are columns; its coded attributes are the JSONB
column `profiel`; the screening is the JSONB column `screening`. The BSN is stored only encrypted under the
person's data key (`persoonssleutels`, read in the same query), and the BSN and the duplicate key only as keyed
hashes to search by."""

from __future__ import annotations

from dataclasses import fields
from datetime import datetime
from typing import Any
from uuid import UUID

from pydantic import TypeAdapter
from sqlalchemy import ColumnElement, Row, Select, and_, case, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from ..domain.aanmelding import NA_BEMIDDELING, Aanmelding, Beoordeling, Dubbeling, Status
from ..domain.profiel import Profiel
from . import persoonssleutels
from .tables import aanmeldingen
from .tables import persoonssleutels as sleutels

PROFIEL = TypeAdapter(Profiel)
BEOORDELING = TypeAdapter(Beoordeling)
# The profile's fields kept in columns of their own (the BSN encrypted); the other fields (coded) are the JSONB
# column `profiel`.
KOLOMMEN = (
    "naam",
    "telefoon",
    "email",
    "postcode",
    "woonplaats",
    "geboortedatum",
    "toestemming",
    "aanmelddatum",
)
GECODEERD = tuple(f.name for f in fields(Profiel) if f.name not in (*KOLOMMEN, "bsn"))
_MET_SLEUTEL = aanmeldingen.outerjoin(sleutels, sleutels.c.kandidaat_id == aanmeldingen.c.kandidaat_id)


def _select() -> Select[Any]:
    """A registration's row with its person's wrapped data key (one row, one query)."""
    return select(*aanmeldingen.c, sleutels.c.sleutel_versleuteld).select_from(_MET_SLEUTEL)


def _bsn(row: Row[Any]) -> str | None:
    """The BSN, decrypted; None without one, or when the person's data key is gone (erased)."""
    if row.bsn_versleuteld is None or row.sleutel_versleuteld is None:
        return None
    return persoonssleutels.kluis().bsn(row.kandidaat_id, row.sleutel_versleuteld, row.bsn_versleuteld)


def _profiel(row: Row[Any]) -> Profiel:
    return PROFIEL.validate_python({**row.profiel, **{k: getattr(row, k) for k in KOLOMMEN}, "bsn": _bsn(row)})


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
        mogelijke_dubbelingen=tuple(Dubbeling(UUID(d["id"]), d["gemeente"]) for d in row.mogelijke_dubbelingen),
        beoordeling=BEOORDELING.validate_python(row.screening) if row.screening else None,
        status_gewijzigd_op=row.status_gewijzigd_op,
        overgedragen_op=row.overgedragen_op,
        overdracht_toegestaan=row.overdracht_toegestaan,
    )


def _waarden(a: Aanmelding) -> dict[str, Any]:
    """The columns a registration's use cases write (the agency is the subscribers' to set; the BSN `_bsn_waarden`)."""
    p = a.profiel
    data = PROFIEL.dump_python(p, mode="json")
    sleutel = p.dubbel_sleutel()
    return {
        **{k: getattr(p, k) for k in KOLOMMEN},
        "toestemming": data["toestemming"],
        "profiel": {k: data[k] for k in GECODEERD},
        "dubbel_sleutel_hmac": persoonssleutels.kluis().dubbel_hash(sleutel) if sleutel else None,
        "ontbrekend": p.ontbrekend(),
        "status": a.status,
        "status_gewijzigd_op": a.status_gewijzigd_op,
        "mogelijke_dubbelingen": [{"id": str(d.id), "gemeente": d.gemeente} for d in a.mogelijke_dubbelingen],
        "categorie": a.categorie,
        "screening": BEOORDELING.dump_python(a.beoordeling, mode="json") if a.beoordeling is not None else None,
        "overgedragen_op": a.overgedragen_op,
        "overdracht_toegestaan": a.overdracht_toegestaan,
    }


def _bsn_waarden(sleutel: bytes, a: Aanmelding) -> dict[str, bytes | None]:
    """The BSN's columns: encrypted under the person's data key `sleutel`, and its keyed hash."""
    bsn, k = a.profiel.bsn, persoonssleutels.kluis()
    if not bsn:
        return {"bsn_versleuteld": None, "bsn_hmac": None}
    return {"bsn_versleuteld": k.versleutel_bsn(sleutel, a.kandidaat_id, bsn), "bsn_hmac": k.bsn_hash(bsn)}


async def voeg_toe(conn: AsyncConnection, a: Aanmelding) -> None:
    """A new registration; the person gets a data key of their own (made already when it was handed over in the
    same transaction)."""
    sleutel = await persoonssleutels.van(conn, a.kandidaat_id)
    await conn.execute(
        aanmeldingen.insert().values(
            id=a.id,
            kandidaat_id=a.kandidaat_id,
            gemeente=a.gemeente,
            arbeidsmarktregio=a.arbeidsmarktregio,
            geregistreerd_door=a.geregistreerd_door,
            ontvangen_op=a.ontvangen_op,
            **_waarden(a),
            **_bsn_waarden(sleutel, a),
        )
    )


async def bewaar(conn: AsyncConnection, a: Aanmelding, *, zonder_houder: bool = False, bsn: bool = False) -> None:
    """Store a changed registration; `zonder_houder`: the agency holding it loses it (here, not by matching);
    `bsn`: the BSN was given (encrypted again under the person's data key), else its columns stay."""
    extra: dict[str, Any] = {"uitzendbureau": None} if zonder_houder else {}
    if bsn:
        extra |= _bsn_waarden(await persoonssleutels.van(conn, a.kandidaat_id), a)
    await conn.execute(update(aanmeldingen).where(aanmeldingen.c.id == a.id).values(**_waarden(a), **extra))


async def _een(conn: AsyncConnection, waar: ColumnElement[bool], *, vergrendel: bool = False) -> Aanmelding | None:
    query = _select().where(waar)
    row = (await conn.execute(query.with_for_update(of=aanmeldingen) if vergrendel else query)).first()
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
    query = _select().order_by(aanmeldingen.c.ontvangen_op.desc()).limit(limit)
    if gemeenten is not None:
        query = query.where(aanmeldingen.c.gemeente.in_(sorted(gemeenten)))
    if status is not None:
        query = query.where(aanmeldingen.c.status == status)
    return [_aanmelding(row) for row in await conn.execute(query)]


async def onveranderd_sinds(
    conn: AsyncConnection, grenzen: dict[Status, datetime], gemeenten: frozenset[str] | None, limit: int
) -> list[UUID]:
    """Registrations whose status is one of `grenzen`' and has not changed since before its moment (oldest first;
    of these gemeenten, None: all)."""
    a = aanmeldingen.c
    sinds = func.coalesce(a.status_gewijzigd_op, a.ontvangen_op)
    query = (
        select(a.id)
        .where(or_(*(and_(a.status == status, sinds < grens) for status, grens in grenzen.items())))
        .order_by(sinds)
        .limit(limit)
    )
    if gemeenten is not None:
        query = query.where(a.gemeente.in_(sorted(gemeenten)))
    return list((await conn.execute(query)).scalars())


async def dubbelingen(conn: AsyncConnection, eigen: UUID, profiel: Profiel) -> tuple[Dubbeling, ...]:
    """Other registrations in any gemeente, not confirmed duplicates, with the same BSN or the same duplicate key
    (compared by keyed hash). Who may see which of them is the domain's (`Aanmelding.dubbelingen_voor`)."""
    k, a = persoonssleutels.kluis(), aanmeldingen.c
    criteria: list[ColumnElement[bool]] = []
    if profiel.bsn:
        criteria.append(a.bsn_hmac == k.bsn_hash(profiel.bsn))
    if sleutel := profiel.dubbel_sleutel():
        criteria.append(a.dubbel_sleutel_hmac == k.dubbel_hash(sleutel))
    if not criteria:
        return ()
    rows = await conn.execute(
        select(a.id, a.gemeente)
        .where(or_(*criteria), a.id != eigen, a.status != Status.VERVALLEN)
        .order_by(a.ontvangen_op)
    )
    return tuple(Dubbeling(r.id, r.gemeente) for r in rows)


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
