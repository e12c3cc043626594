"""Rebuild a service's read model from the Kafka log into a fresh schema, then switch over atomically.

The service's own migrations create the tables of the fresh schema (`<schema>_next`) through SQLAlchemy's
`schema_translate_map`, and the service's own handlers fill it, so the rebuild follows whatever tables the
service has. Topics are read by assign + seek (no consumer group); the position of every partition is stored in
the fresh schema in the same transaction as the rows it produced, so an interrupted replay resumes where it
stopped. Outgoing events are suppressed (`outbox.enqueue` writes nothing while replaying). The live schema keeps
answering until the switch: one transaction that holds the consumers' switch lock, applies the last events, and
renames `<schema>` → `<schema>_vorige` and `<schema>_next` → `<schema>`. It runs as the service's own database
role: creating and renaming schemas go through `db.create_schema` and `db.swap_schema_names`.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from aiokafka import AIOKafkaConsumer, ConsumerRecord, TopicPartition
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine
from tenacity import AsyncRetrying, RetryError, retry_if_result, stop_after_attempt, wait_fixed

from .consumer import EventConsumer, switch_lock_key
from .db import create_schema, migrate_async, swap_schema_names
from .kafka import KafkaConnection
from .outbox import replaying
from .sleutelring import Sleutelring

log = logging.getLogger(__name__)

POSITIONS = "replay_posities"


@dataclass
class Progress:
    applied: int
    lag: int
    rate: float  # events per second, since this run started
    caught_up: bool

    @property
    def eta_seconds(self) -> float | None:
        return self.lag / self.rate if self.rate > 0 else None


@dataclass
class ReplayResult:
    applied: int
    seconds: float
    switched: bool
    schema: str
    previous_schema: str | None


class Replay:
    """Replays the topics of a service's consumers into `<schema>_next` and switches it in."""

    def __init__(
        self,
        *,
        engine: AsyncEngine,
        database_url: str,
        kafka: KafkaConnection,
        schema: str,
        migrations_dir: Path,
        consumers: list[EventConsumer],
        batch_size: int = 5000,
        sleutelring: Sleutelring | None = None,
    ) -> None:
        if not consumers:
            raise ValueError("this service consumes no events: nothing to replay")
        self.translate = {schema: f"{schema}_next"}
        # The service's handlers name its own schema; on this engine they write into the fresh one.
        self.engine = engine.execution_options(schema_translate_map=self.translate)
        self.database_url = database_url
        self.kafka = kafka
        self.schema = schema
        self.next_schema = f"{schema}_next"
        self.previous_schema = f"{schema}_vorige"
        self.migrations_dir = migrations_dir
        self.consumers = consumers
        self.batch_size = batch_size
        self.applied = 0
        # The persons' keys the handlers open encrypted parts with (read here when the service is not running).
        self.sleutelring = sleutelring

    # --- the fresh schema -------------------------------------------------------------------------------

    async def _schema_exists(self, conn: AsyncConnection, name: str) -> bool:
        found = await conn.scalar(text("SELECT 1 FROM pg_namespace WHERE nspname = :n"), {"n": name})
        return found is not None

    async def prepare(self, *, restart: bool) -> bool:
        """Create the fresh schema unless a resumable one exists; True when resuming."""
        async with self.engine.begin() as conn:
            exists = await self._schema_exists(conn, self.next_schema)
            if exists and not restart:
                has_positions = await conn.scalar(
                    text("SELECT to_regclass(:t) IS NOT NULL"), {"t": f'"{self.next_schema}".{POSITIONS}'}
                )
                if has_positions:
                    return True
            await conn.execute(text(f'DROP SCHEMA IF EXISTS "{self.next_schema}" CASCADE'))
            await conn.run_sync(create_schema, self.next_schema)
        await migrate_async(
            self.database_url,
            self.migrations_dir,
            self.next_schema,
            schema_translate_map=self.translate,
        )
        async with self.engine.begin() as conn:
            await conn.execute(
                text(
                    f'CREATE TABLE "{self.next_schema}".{POSITIONS} ('
                    "topic text NOT NULL, partitie integer NOT NULL, volgende_offset bigint NOT NULL, "
                    "PRIMARY KEY (topic, partitie))"
                )
            )
        return False

    async def positions(self) -> dict[TopicPartition, int]:
        async with self.engine.connect() as conn:
            rows = await conn.execute(
                text(f'SELECT topic, partitie, volgende_offset FROM "{self.next_schema}".{POSITIONS}')
            )
            return {TopicPartition(r.topic, r.partitie): r.volgende_offset for r in rows}

    # --- reading the log --------------------------------------------------------------------------------

    def topics(self) -> list[str]:
        return sorted({t for c in self.consumers for t in c.topics})

    async def _start_positions(
        self, reader: AIOKafkaConsumer, partitions: list[TopicPartition], since: datetime | None
    ) -> dict[TopicPartition, int]:
        stored = await self.positions()
        starts = await reader.beginning_offsets(partitions)
        if since is not None:
            found = await reader.offsets_for_times({tp: int(since.timestamp() * 1000) for tp in partitions})
            ends = await reader.end_offsets(partitions)
            starts = {tp: (found[tp].offset if found.get(tp) is not None else ends[tp]) for tp in partitions}
        return {tp: stored.get(tp, starts[tp]) for tp in partitions}

    async def _apply(self, conn: AsyncConnection, records: list[ConsumerRecord[Any, Any]]) -> int:
        """Apply records with every consumer's handlers into the fresh schema, and store the positions."""
        applied = 0
        for consumer in self.consumers:
            mine = [r for r in records if r.topic in consumer.topics]
            items, _ = consumer.sort(mine)  # undecodable records were dead-lettered by the live consumer
            if items:
                await consumer.apply_all(conn, items)
                applied += len(items)
        last: dict[tuple[str, int], int] = {}
        for r in records:
            last[(r.topic, r.partition)] = max(last.get((r.topic, r.partition), -1), r.offset)
        if last:
            await conn.execute(
                text(
                    f'INSERT INTO "{self.next_schema}".{POSITIONS} (topic, partitie, volgende_offset) '
                    "SELECT * FROM unnest(CAST(:t AS text[]), CAST(:p AS integer[]), CAST(:o AS bigint[])) "
                    "ON CONFLICT (topic, partitie) DO UPDATE SET volgende_offset = EXCLUDED.volgende_offset"
                ),
                {
                    "t": [k[0] for k in last],
                    "p": [k[1] for k in last],
                    "o": [v + 1 for v in last.values()],
                },
            )
        return applied

    async def _catch_up(
        self,
        conn_factory: Callable[[], Any],
        reader: AIOKafkaConsumer,
        partitions: list[TopicPartition],
        on_progress: Callable[[Progress], None] | None,
        started: float,
    ) -> None:
        """Read and apply until every partition reached the end offsets seen when it started."""
        ends = await reader.end_offsets(partitions)
        while True:
            positions = [await reader.position(tp) for tp in partitions]
            lag = sum(max(0, ends[tp] - pos) for tp, pos in zip(partitions, positions, strict=True))
            if on_progress is not None:
                elapsed = max(time.monotonic() - started, 1e-6)
                on_progress(Progress(self.applied, lag, self.applied / elapsed, lag == 0))
            if lag == 0:
                return
            records = await self._read_batch(reader)
            if not records:
                continue
            async with conn_factory() as conn:
                self.applied += await self._apply(conn, records)

    async def _read_batch(self, reader: AIOKafkaConsumer) -> list[ConsumerRecord[Any, Any]]:
        """Up to batch_size records: what the fetcher has buffered, gathered over several small polls."""
        records: list[ConsumerRecord[Any, Any]] = []
        timeout = 500
        while len(records) < self.batch_size:
            batch = await reader.getmany(timeout_ms=timeout, max_records=self.batch_size - len(records))
            got = [r for rs in batch.values() for r in rs]
            if not got:
                break
            records.extend(got)
            timeout = 5
        return records

    # --- the whole run ----------------------------------------------------------------------------------

    async def run(
        self,
        *,
        since: datetime | None = None,
        restart: bool = False,
        switch: bool = True,
        on_progress: Callable[[Progress], None] | None = None,
    ) -> ReplayResult:
        token = replaying.set(True)
        started = time.monotonic()
        reader = AIOKafkaConsumer(
            **self.kafka.client(),
            enable_auto_commit=False,
            max_partition_fetch_bytes=4 * 1024 * 1024,
            fetch_max_bytes=64 * 1024 * 1024,
        )
        ring = self.sleutelring if self.sleutelring is not None and not self.sleutelring.gestart else None
        try:
            if ring is not None:
                await ring.start()
            resumed = await self.prepare(restart=restart)
            if resumed:
                log.info("resuming the replay into %s", self.next_schema)
            await reader.start()
            partitions = await self._partitions(reader)
            reader.assign(partitions)
            for tp, offset in (await self._start_positions(reader, partitions, since)).items():
                reader.seek(tp, offset)
            await self._catch_up(self.engine.begin, reader, partitions, on_progress, started)
            if not switch:
                return ReplayResult(self.applied, time.monotonic() - started, False, self.next_schema, None)
            await self._switch(reader, partitions, on_progress, started)
            return ReplayResult(self.applied, time.monotonic() - started, True, self.schema, self.previous_schema)
        finally:
            replaying.reset(token)
            await reader.stop()
            if ring is not None:
                await ring.stop()

    async def _partitions(self, reader: AIOKafkaConsumer) -> list[TopicPartition]:
        """Every partition of the topics, once the client's metadata knows them all (retried for ~5 s)."""
        wanted = set(self.topics())

        def complete(found: list[TopicPartition]) -> bool:
            return {tp.topic for tp in found} == wanted

        async def known() -> list[TopicPartition]:
            found = [TopicPartition(t, p) for t in sorted(wanted) for p in sorted(reader.partitions_for_topic(t) or ())]
            if not complete(found):
                await reader._client.force_metadata_update()
            return found

        retrying = AsyncRetrying(
            stop=stop_after_attempt(50), wait=wait_fixed(0.1), retry=retry_if_result(lambda f: not complete(f))
        )
        try:
            partitions: list[TopicPartition] = await retrying(known)
        except RetryError:
            raise RuntimeError(f"topics {sorted(wanted)} not found on the broker") from None
        return partitions

    async def _switch(
        self,
        reader: AIOKafkaConsumer,
        partitions: list[TopicPartition],
        on_progress: Callable[[Progress], None] | None,
        started: float,
    ) -> None:
        """One transaction: stop the live consumers' transactions, apply the last events, swap the schemas."""
        async with self.engine.begin() as conn:
            await hold_switch_lock(conn, self.schema)

            class _Same:
                async def __aenter__(self) -> AsyncConnection:
                    return conn

                async def __aexit__(self, *exc: object) -> None:
                    return None

            await self._catch_up(_Same, reader, partitions, on_progress, started)
            await swap_schemas(conn, self.schema)
        log.info("switched %s to the rebuilt read model; the previous one is %s", self.schema, self.previous_schema)


async def hold_switch_lock(conn: AsyncConnection, schema: str) -> None:
    """The live consumers take this lock (shared) in every batch transaction: holding it exclusively means no
    live batch is half-applied and none starts until this transaction has committed."""
    await conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": switch_lock_key(schema)})


async def swap_schemas(conn: AsyncConnection, schema: str) -> None:
    """Within the caller's transaction (holding the switch lock): the rebuilt `<schema>_next` becomes `<schema>`,
    the live one is kept as `<schema>_vorige`."""
    nxt, previous = f"{schema}_next", f"{schema}_vorige"
    await conn.execute(text(f'DROP TABLE "{nxt}".{POSITIONS}'))
    await conn.execute(text(f'DROP SCHEMA IF EXISTS "{previous}" CASCADE'))
    await conn.run_sync(swap_schema_names, schema)
