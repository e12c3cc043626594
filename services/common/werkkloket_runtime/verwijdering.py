"""Erasure of everything a service holds about one person (AVG art. 17), with a receipt per service.

Intake erases on the gemeente's request (or when the retention term passes): it deletes its own rows and the
person's data key, writes a tombstone on werkkloket.sleutels and publishes PersoonsgegevensVerwijderd. Each service
that holds data about people then deletes every row of its schema keyed by the person's `kandidaat_id` (found from
the database's catalogue, as the right of access finds them, so a new table is never forgotten), forgets its copy
of the key, and stores a receipt (`verwijderingen`) naming what it removed and what it kept anonymised. The
gemeente reads each receipt at `GET /api/v1/verwijderingen/{verzoek_id}`; `werkkloket verwijder` merges them.

The receipt is also the service's memory that the person is erased: events about them that arrive later (from
before the erasure, on other topics) are not applied again (`gewist`).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any
from uuid import UUID

from fastapi import APIRouter, Request
from pydantic import BaseModel, Field
from sqlalchemy import Column, DateTime, MetaData, String, Table, select, text
from sqlalchemy.dialects.postgresql import JSONB, insert
from sqlalchemy.dialects.postgresql import UUID as PgUUID
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection
from werkkloket_contracts import PersoonsgegevensVerwijderd

from .dependencies import Engine
from .errors import NotFound
from .logboek import Betrokkene
from .outbox import replaying
from .persoonsgegevens import tabellen
from .toegang import Aanroeper, BeveiligdeRoute, Verantwoord, toegang
from .unit_of_work import UnitOfWork

BEWIJZEN = "verwijderingen"
VERWIJDEREN = "persoonsgegevens-verwijderen"


def verwijderingen_table(metadata: MetaData) -> Table:
    """The receipts of one service (its migration creates the table in its own schema)."""
    return Table(
        BEWIJZEN,
        metadata,
        Column("verzoek_id", PgUUID(as_uuid=True), primary_key=True),
        Column("kandidaat_id", PgUUID(as_uuid=True), nullable=False, index=True),
        Column("gemeente", String(6), nullable=False),
        Column("aanleiding", String(20), nullable=False),
        Column("verwijderd_op", DateTime(timezone=True), nullable=False),
        Column("verwijderd", JSONB, nullable=False),  # {table: rows deleted}
        Column("geanonimiseerd", JSONB, nullable=False),  # {table: columns emptied, rows kept as counts}
    )


async def verwijder(
    conn: AsyncConnection, schema: str, kandidaat_id: UUID, *, behalve: Iterable[str] = ()
) -> dict[str, int]:
    """Delete every row about the person from the service's schema; returns the rows deleted per table (tables
    in `behalve`, and the receipts, are left to the caller). A table referenced by another waits for it."""
    overslaan = {BEWIJZEN, *behalve}
    open_ = [t for t in await tabellen(conn, schema) if t not in overslaan]
    verwijderd: dict[str, int] = {}
    for _ in range(len(open_) + 1):
        if not open_:
            break
        later: list[str] = []
        for tabel in open_:
            try:
                async with conn.begin_nested():
                    # Names from the catalogue, quoted; the value is a bound parameter.
                    result = await conn.execute(
                        text(f'DELETE FROM "{schema}"."{tabel}" WHERE kandidaat_id = :id'), {"id": kandidaat_id}
                    )
            except IntegrityError:
                later.append(tabel)  # still referenced: after the referencing table
                continue
            if result.rowcount:
                verwijderd[tabel] = result.rowcount
        open_ = later
    if open_:
        raise RuntimeError(f"rows about a person in {schema} could not be deleted: {', '.join(open_)}")
    return verwijderd


async def bewaar_bewijs(
    conn: AsyncConnection,
    bewijzen: Table,
    *,
    verzoek_id: UUID,
    kandidaat_id: UUID,
    gemeente: str,
    aanleiding: str,
    op: datetime,
    verwijderd: dict[str, int],
    geanonimiseerd: dict[str, list[str]] | None = None,
) -> None:
    await conn.execute(
        insert(bewijzen)
        .values(
            verzoek_id=verzoek_id,
            kandidaat_id=kandidaat_id,
            gemeente=gemeente,
            aanleiding=aanleiding,
            verwijderd_op=op,
            verwijderd=verwijderd,
            geanonimiseerd=geanonimiseerd or {},
        )
        .on_conflict_do_nothing()
    )


async def voer_uit(
    uow: UnitOfWork,
    event: PersoonsgegevensVerwijderd,
    schema: str,
    bewijzen: Table,
    *,
    op: datetime,
    behalve: Iterable[str] = (),
    geanonimiseerd: dict[str, list[str]] | None = None,
) -> dict[str, int]:
    """A service's part of an erasure (on PersoonsgegevensVerwijderd): forget the person's key, delete every row
    about them (but `behalve`, which the caller anonymised as `geanonimiseerd`), keep the receipt (dated `op`, the
    erasure's own time: a replay writes the same receipt), log it."""
    if uow.heeft_sleutelring:
        uow.sleutelring.vergeet(event.kandidaat_id)
    verwijderd = await verwijder(uow.conn, schema, event.kandidaat_id, behalve=behalve)
    await bewaar_bewijs(
        uow.conn,
        bewijzen,
        verzoek_id=event.verzoek_id,
        kandidaat_id=event.kandidaat_id,
        gemeente=event.gemeente,
        aanleiding=event.aanleiding.value,
        op=op,
        verwijderd=verwijderd,
        geanonimiseerd=geanonimiseerd,
    )
    if uow.heeft_log and not replaying.get():  # logged once, when it happened (not again in a rebuild)
        betrokkene = Betrokkene(event.kandidaat_id, event.gemeente)
        await uow.vastleggen(VERWIJDEREN, "persoonsgegevens verwijderd", [betrokkene])
    return verwijderd


async def gewist(conn: AsyncConnection, bewijzen: Table, kandidaat_ids: Iterable[UUID]) -> set[UUID]:
    """The persons among these that this service erased."""
    ids = list(set(kandidaat_ids))
    if not ids:
        return set()
    rows = await conn.execute(select(bewijzen.c.kandidaat_id).where(bewijzen.c.kandidaat_id.in_(ids)))
    return {r[0] for r in rows}


class Verwijderingsbewijs(BaseModel):
    dienst: str
    verzoek_id: UUID
    kandidaat_id: UUID
    aanleiding: str
    verwijderd_op: datetime
    verwijderd: dict[str, int] = Field(description="Per table: the rows about the person that were deleted")
    geanonimiseerd: dict[str, list[str]] = Field(
        description="Per table: the columns emptied in rows kept as anonymous counts"
    )
    sleutel_vernietigd: bool = Field(description="This service's copy of the person's data key is destroyed")


router = APIRouter(prefix="/api/v1", tags=["persoonsgegevens"], route_class=BeveiligdeRoute)


@router.get("/verwijderingen/{verzoek_id}", response_model=Verwijderingsbewijs)
@toegang("gemeente", scope="gemeente", verwerkingen=(VERWIJDEREN,))
async def bewijs(verzoek_id: UUID, request: Request, org: Aanroeper, engine: Engine, log: Verantwoord) -> Any:
    """This service's receipt of an erasure the gemeente asked for (404 until the service has done it)."""
    runtime = request.app.state.runtime
    async with engine.begin() as conn:
        row = (
            await conn.execute(
                text(f'SELECT * FROM "{runtime.schema}".{BEWIJZEN} WHERE verzoek_id = :id'), {"id": verzoek_id}
            )
        ).first()
        if row is None or row.gemeente not in org.gemeenten:
            raise NotFound(f"geen verwijdering {verzoek_id} in {runtime.name}")
        betrokkene = Betrokkene(row.kandidaat_id, row.gemeente)
        await log.vastleggen(conn, VERWIJDEREN, "verwijderingsbewijs gelezen", [betrokkene])
    ring = runtime.sleutelring
    return Verwijderingsbewijs(
        dienst=runtime.name,
        verzoek_id=row.verzoek_id,
        kandidaat_id=row.kandidaat_id,
        aanleiding=row.aanleiding,
        verwijderd_op=row.verwijderd_op,
        verwijderd=row.verwijderd,
        geanonimiseerd=row.geanonimiseerd,
        sleutel_vernietigd=ring is None or not ring.heeft(row.kandidaat_id),
    )
