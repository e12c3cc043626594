"""The processing log: who processed whose data, why, and in which trace (after Logius' Logboek Dataverwerkingen).

One record per action per data subject, no sampling. A record holds the ids of the span that did it (W3C Trace
Context, see `tracing`), its name, start and end, status, the person (token subject) and organisation, the
processing activity (a URI into the register in `werkkloket_contracts.referentie`) and the data subject as a
pseudonym (the kandidaat id) with its gemeente, so a gemeente can read the log of its own inhabitants.

The table lives in `<schema>_logboek`, owned by a NOLOGIN role: the service may only SELECT and INSERT there
(provisioning creates it, see `ddl`). A change logs in the transaction that makes it; a read logs before the data
leaves, and a failed write means the data does not leave.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any, Literal
from uuid import UUID

from sqlalchemy import BigInteger, Column, DateTime, Index, MetaData, SmallInteger, String, Table, select
from sqlalchemy.ext.asyncio import AsyncConnection
from werkkloket_contracts.referentie import verwerking

from . import tracing
from .identity import Organisatie

LOGBOEK_SUFFIX = "_logboek"
STATUS_UNSET, STATUS_OK, STATUS_ERROR = 0, 1, 2
BetrokkeneType = Literal["kandidaat_id", "paspoort_id"]


def logboek_schema(schema: str) -> str:
    return f"{schema}{LOGBOEK_SUFFIX}"


def verwerkingen_table(schema: str, metadata: MetaData | None = None) -> Table:
    """The log's table in `<schema>_logboek` (field names after Logboek Dataverwerkingen)."""
    return Table(
        "verwerkingen",
        metadata or MetaData(),
        Column("id", BigInteger, primary_key=True),
        Column("trace_id", String(32), nullable=False),
        Column("span_id", String(16), nullable=False),
        Column("parent_span_id", String(16)),
        Column("name", String(200), nullable=False),
        Column("status_code", SmallInteger, nullable=False),
        Column("start_time", DateTime(timezone=True), nullable=False),
        Column("end_time", DateTime(timezone=True), nullable=False),
        Column("processing_activity_id", String(200), nullable=False),
        Column("data_subject_id", String(100), nullable=False),
        Column("data_subject_id_type", String(40), nullable=False),
        Column("gemeente", String(6)),
        Column("persoon", String(200)),
        Column("organisatie", String(100), nullable=False),
        Column("rol", String(40), nullable=False),
        Column("dienst", String(40), nullable=False),
        Index("verwerkingen_gemeente_tijd", "gemeente", "start_time"),
        Index("verwerkingen_betrokkene", "data_subject_id"),
        schema=logboek_schema(schema),
    )


def ddl(schema: str) -> str:
    """The table and its indexes, idempotent; run by provisioning as the log's owner role."""
    s = logboek_schema(schema)
    return f"""
CREATE TABLE IF NOT EXISTS {s}.verwerkingen (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  trace_id varchar(32) NOT NULL CHECK (trace_id ~ '^[0-9a-f]{{32}}$'),
  span_id varchar(16) NOT NULL CHECK (span_id ~ '^[0-9a-f]{{16}}$'),
  parent_span_id varchar(16),
  name varchar(200) NOT NULL,
  status_code smallint NOT NULL CHECK (status_code IN (0, 1, 2)),
  start_time timestamptz NOT NULL,
  end_time timestamptz NOT NULL,
  processing_activity_id varchar(200) NOT NULL,
  data_subject_id varchar(100) NOT NULL,
  data_subject_id_type varchar(40) NOT NULL,
  gemeente varchar(6),
  persoon varchar(200),
  organisatie varchar(100) NOT NULL,
  rol varchar(40) NOT NULL,
  dienst varchar(40) NOT NULL
);
CREATE INDEX IF NOT EXISTS verwerkingen_gemeente_tijd ON {s}.verwerkingen (gemeente, start_time);
CREATE INDEX IF NOT EXISTS verwerkingen_betrokkene ON {s}.verwerkingen (data_subject_id);
"""


@dataclass(frozen=True)
class Betrokkene:
    """The data subject of an action: its pseudonym and the gemeente it belongs to (a worker's paspoort: none)."""

    id: UUID
    gemeente: str | None
    type: BetrokkeneType = "kandidaat_id"


@dataclass(frozen=True)
class Actie:
    """One action under a registered processing activity, on these data subjects."""

    activiteit: str
    naam: str
    betrokkenen: Sequence[Betrokkene]


@dataclass(frozen=True)
class Actor:
    """Who acts: a person of an organisation (the token's subject), or the platform itself (persoon None)."""

    organisatie: str
    rol: str
    persoon: str | None = None

    @classmethod
    def van(cls, org: Organisatie) -> Actor:
        return cls(organisatie=org.code, rol=org.rol, persoon=org.persoon or None)

    @classmethod
    def werknemer_met_sleutel(cls) -> Actor:
        """The worker itself, with the key of its paspoort (no login)."""
        return cls(organisatie="werknemer", rol="werknemer")

    @classmethod
    def dienst(cls, service: str) -> Actor:
        """The service itself, acting on an event or a schedule."""
        return cls(organisatie=f"werkkloket-{service}", rol="systeem")


@dataclass(frozen=True)
class Logboek:
    """One service's processing log."""

    table: Table
    dienst: str

    @classmethod
    def voor(cls, service: str, schema: str) -> Logboek:
        return cls(verwerkingen_table(schema), service)

    async def vastleggen(
        self,
        conn: AsyncConnection,
        actor: Actor,
        acties: Sequence[Actie],
        start: datetime | None = None,
        status_code: int = STATUS_OK,
    ) -> int:
        """Write one record per action per data subject, in the caller's transaction and one statement, within
        the current span (a span of its own when there is none), from the span's start (or `start`) until now.
        Returns the number of records."""
        uris = [verwerking(a.activiteit).uri for a in acties]  # a KeyError for an activity not registered
        ids = tracing.huidige()
        if ids is None:
            with tracing.span(acties[0].naam if acties else "verwerking", None):
                return await self.vastleggen(conn, actor, acties, start, status_code)
        eind = datetime.now(UTC)
        rows = [
            {
                "trace_id": ids.trace_id,
                "span_id": ids.span_id,
                "parent_span_id": ids.parent_span_id,
                "name": actie.naam,
                "status_code": status_code,
                "start_time": start or ids.begin or eind,
                "end_time": eind,
                "processing_activity_id": uri,
                "data_subject_id": str(b.id),
                "data_subject_id_type": b.type,
                "gemeente": b.gemeente,
                "persoon": actor.persoon,
                "organisatie": actor.organisatie,
                "rol": actor.rol,
                "dienst": self.dienst,
            }
            for actie, uri in zip(acties, uris, strict=True)
            for b in dict.fromkeys(actie.betrokkenen)
        ]
        if rows:
            await conn.execute(self.table.insert(), rows)
        return len(rows)

    async def lees(
        self,
        conn: AsyncConnection,
        gemeenten: frozenset[str],
        *,
        betrokkene: UUID | None = None,
        trace_id: str | None = None,
        van: date | None = None,
        tot: date | None = None,
        limit: int = 1000,
    ) -> list[dict[str, Any]]:
        """Records about the inhabitants of these gemeenten, newest first."""
        t = self.table
        q = select(t).where(t.c.gemeente.in_(sorted(gemeenten)))
        if betrokkene is not None:
            q = q.where(t.c.data_subject_id == str(betrokkene))
        if trace_id is not None:
            q = q.where(t.c.trace_id == trace_id)
        if van is not None:
            q = q.where(t.c.start_time >= datetime.combine(van, datetime.min.time(), UTC))
        if tot is not None:
            q = q.where(t.c.start_time < datetime.combine(tot, datetime.max.time(), UTC))
        rows = await conn.execute(q.order_by(t.c.start_time.desc(), t.c.id.desc()).limit(limit))
        return [dict(r._mapping) for r in rows]


@dataclass(frozen=True)
class Verantwoording:
    """Writes the processing log for one actor, under the processing activities its endpoint declared (the
    platform itself, acting on an event or a schedule, under any registered one its code names); anything else is
    a programming error."""

    logboek: Logboek
    actor: Actor
    verwerkingen: tuple[str, ...] | None  # None: any registered activity

    async def vastleggen(
        self,
        conn: AsyncConnection,
        activiteit: str,
        naam: str,
        betrokkenen: Iterable[Betrokkene],
        start: datetime | None = None,
    ) -> int:
        return await self.vastleggen_alle(conn, [Actie(activiteit, naam, list(betrokkenen))], start)

    async def vastleggen_alle(
        self, conn: AsyncConnection, acties: Sequence[Actie], start: datetime | None = None
    ) -> int:
        """Several actions of one request in one statement."""
        for actie in acties:
            if self.verwerkingen is not None and actie.activiteit not in self.verwerkingen:
                raise RuntimeError(
                    f"processing activity {actie.activiteit!r} is not declared here ({self.verwerkingen})"
                )
        return await self.logboek.vastleggen(conn, self.actor, acties, start)
