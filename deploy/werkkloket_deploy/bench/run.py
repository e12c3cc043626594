"""The run: provision a broker and a database, measure each figure in turn, keep them in bench/results.json.

The bus is the closed one, provisioned as for `werkkloket up`; every client connects as the principal that does
that work live: each service as itself (the history each topic by its owner, the replay as rapportage), plain
readers as `waarnemer`, and the bus admin for scratch topics, other groups' offsets, deleting topics and Kafka's
own tools (whose consumer joins a group of its own).
"""

from __future__ import annotations

import asyncio
import json
import os
import platform
import shutil
import sys
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cached_property
from pathlib import Path
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine
from werkkloket_contracts import AANMELDINGEN, PLAATSINGEN, TOEWIJZINGEN
from werkkloket_runtime.kafka import SASL_MECHANISM, SECURITY_PROTOCOL, KafkaConnection

from ..bus.acls import ADMIN, WAARNEMER, group_of
from ..bus.platform import Bus
from ..identities import Identities, all_identities, provision_identities
from ..paths import REPO_ROOT, RUN_DIR
from ..provision import KeycloakServer, free_port, remove_postgres, start_kafka, start_keycloak, start_postgres
from ..replaying import load_runtime
from ..sleutels import sleutelbestand
from ..stack import SERVICES, ServiceProcess, start_service, wait_healthy
from .history import history, produce
from .kafka_tools import ToolClient, group_caught_up, kafka_consume_rate, kafka_perf, plain_consumer_rate
from .load import drive, registry_file

RESULTS = REPO_ROOT / "bench" / "results.json"
TOPICS = [AANMELDINGEN.name, TOEWIJZINGEN.name, PLAATSINGEN.name]
RATES = (25, 50, 75, 100, 200, 400, 700, 1000, 1500)
GEMEENTE = "gemeente-den-haag"  # registers in the end-to-end runs
# The end-to-end runs post up to 1,500/s as one identity, far over the services' default write limit: the limit
# of these runs lies well above the highest rate, so it never refuses and costs what it costs live.
WRITE_LIMIT = "10000/second"


def machine() -> dict[str, Any]:
    mem_kb = 0
    with open("/proc/meminfo") as f:
        for line in f:
            if line.startswith("MemTotal:"):
                mem_kb = int(line.split()[1])
    return {
        "cores": os.cpu_count(),
        "memory_gib": round(mem_kb / 1024 / 1024, 1),
        "cpu": platform.processor() or platform.machine(),
        "python": platform.python_version(),
    }


def say(line: str) -> None:
    print(line, flush=True)


@dataclass
class Bench:
    """One run's servers, settings and figures."""

    base: Path
    bus: Bus
    admin_url: str  # the superuser's
    urls: dict[str, str]  # service -> its own role's URL
    events: int
    minute: float
    quick: bool
    figures: dict[str, Any]
    services: list[ServiceProcess] = field(default_factory=list)
    keycloak: KeycloakServer | None = None
    identities: Identities | None = None
    env: dict[str, str] = field(default_factory=dict)

    @property
    def admin(self) -> KafkaConnection:
        return self.bus.connection(ADMIN)

    @property
    def waarnemer(self) -> KafkaConnection:
        return self.bus.connection(WAARNEMER)

    @cached_property
    def tools(self) -> ToolClient:
        """Kafka's tools as the bus admin: its client properties (mode 600) in this run's directory."""
        return ToolClient.of(self.admin, self.base / "clients")

    def auth(self, organisatie: str) -> dict[str, str]:
        """A current token of the organisation's machine client (each measured run is shorter than its life)."""
        assert self.identities is not None
        return {"Authorization": f"Bearer {self.identities.token(organisatie)}"}

    def start(self, name: str) -> ServiceProcess:
        assert self.keycloak is not None
        svc = start_service(
            name,
            port=free_port(),
            kafka=self.bus.connection(name),
            database_url=self.urls[name],
            oidc_issuer=self.keycloak.issuer(),
            log_dir=self.base / "logs",
            extra_env=self.env,
            sleutels=sleutelbestand(self.base / "sleutels" / "intake.json"),  # made at the first start, then kept
        )
        self.services.append(svc)
        return svc


# --- replay ---------------------------------------------------------------------------------------------------


def replay_rate(kafka: KafkaConnection, database_url: str, sleutels: Path | None = None) -> dict[str, float]:
    rt = load_runtime("rapportage", kafka, database_url, sleutels)

    async def go() -> tuple[int, float]:
        try:
            result = await rt.replay(batch_size=5000).run(restart=True, switch=False)
            return result.applied, result.seconds
        finally:
            await rt.engine.dispose()

    applied, seconds = asyncio.run(go())
    return {"events": applied, "seconds": round(seconds, 1), "events_per_s": round(applied / seconds)}


async def _delete_topics(admin: KafkaConnection, topics: list[str]) -> None:
    from aiokafka.admin import AIOKafkaAdminClient

    client = AIOKafkaAdminClient(**admin.client())
    await client.start()
    try:
        await client.delete_topics(topics)
        for _ in range(100):
            if not set(topics) & set(await client.list_topics()):
                break
            await asyncio.sleep(0.2)
    finally:
        await client.close()


async def _drop_rapportage(admin_url: str) -> None:
    engine = create_async_engine(admin_url)
    try:
        async with engine.begin() as conn:  # empty again, and still rapportage's own
            for schema in ("rapportage", "rapportage_next"):
                await conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
                await conn.execute(text(f'CREATE SCHEMA "{schema}" AUTHORIZATION rapportage'))
    finally:
        await engine.dispose()


def _reset(b: Bench, topics: list[str]) -> None:
    """Empty topics (deleted by the bus admin, made again by provisioning, as at install) and no rapportage."""
    asyncio.run(_delete_topics(b.admin, topics))
    b.bus.provision()
    asyncio.run(_drop_rapportage(b.admin_url))


def _applied(url: str) -> int:
    async def go() -> int:
        engine = create_async_engine(url)
        try:
            async with engine.connect() as conn:
                return int(await conn.scalar(text("SELECT count(*) FROM rapportage.verwerkte_events")) or 0)
        finally:
            await engine.dispose()

    return asyncio.run(go())


# --- the figures, in the order they are measured --------------------------------------------------------------


def kafka_figures(b: Bench) -> None:
    say(f"kafka tools: {b.events:,} records of 100 B …")
    k = b.figures["kafka"] = kafka_perf(b.admin, b.tools, b.events)
    say(f"  ProducerPerformance {k['producer_records_per_s']:,.0f} records/s, "
        f"ConsumerPerformance {k['consumer_records_per_s']:,.0f} records/s")  # fmt: skip


def replay_figures(b: Bench) -> None:
    say(f"history: producing {b.events:,} funnel events …")
    records = history(b.events)
    asyncio.run(produce(b.bus.connection, records))
    counts = {t: sum(1 for topic, _ in records if topic == t) for t in TOPICS}
    del records
    kafka_rate = kafka_consume_rate(b.tools, counts)
    # The schema the replay builds next to: rapportage's migrations, as the live service would run them.
    url = b.urls["rapportage"]  # as the service's own role
    sleutels = sleutelbestand(b.base / "sleutels" / "intake.json")
    rt = load_runtime("rapportage", b.bus.connection("rapportage"), url, sleutels)
    from werkkloket_runtime.db import migrate

    migrate(url, rt.migrations_dir, rt.schema)
    replay = replay_rate(b.bus.connection("rapportage"), url, sleutels)
    replay["kafka_consumer_records_per_s"] = round(kafka_rate)
    replay["ratio_to_kafka"] = round(replay["events_per_s"] / kafka_rate, 3)
    b.figures["replay"] = replay
    say(
        f"replay rapportage: {replay['events']:,} events in {replay['seconds']}s = {replay['events_per_s']:,}/s; "
        f"Kafka's consumer on the same events {kafka_rate:,.0f}/s; ratio {replay['ratio_to_kafka']} (target ≥ 0.5)"
    )


def service_figures(b: Bench) -> None:
    """One service's handling rate: rapportage working through the history already on the bus."""
    plain = asyncio.run(plain_consumer_rate(b.waarnemer, TOPICS, b.events))
    t0 = time.monotonic()
    b.start("rapportage")
    while not asyncio.run(group_caught_up(b.admin, group_of("rapportage"), TOPICS)):
        time.sleep(0.5)
    seconds = time.monotonic() - t0
    handled = _applied(b.urls["rapportage"])
    service_rate = handled / seconds
    b.figures["service"] = {
        "service": "rapportage",
        "events_handled": handled,
        "seconds_including_start": round(seconds, 1),
        "events_per_s": round(service_rate),
        "plain_aiokafka_per_s": round(plain),
        "ratio_to_plain_aiokafka": round(service_rate / plain, 3),
    }
    say(f"rapportage service: {handled:,} events in {seconds:.1f}s (incl. start) = {service_rate:,.0f}/s; "
        f"plain aiokafka on the same topics {plain:,.0f}/s; ratio {service_rate / plain:.3f}")  # fmt: skip


def _kept_up(run: dict[str, Any], rate: float) -> bool:
    return bool(
        run["errors"] == 0
        and run["assigned"] == run["posted"]
        and run["post_rate_per_s"] >= 0.95 * rate
        and run["p99_ms"] < 5000
    )


def end_to_end_figures(b: Bench) -> None:
    """On empty topics and tables: matching must not first work through the synthetic history."""
    b.services.pop().stop()
    _reset(b, TOPICS)
    for name in SERVICES:
        b.start(name)
    wait_healthy(b.services, timeout=300)
    intake = next(s for s in b.services if s.name == "intake").url
    asyncio.run(drive(intake, b.auth(GEMEENTE), b.waarnemer, 20, 3))  # warm up
    steady = b.figures["end_to_end_100_per_s"] = asyncio.run(
        drive(intake, b.auth(GEMEENTE), b.waarnemer, 100, 30 if b.quick else 60)
    )
    say(f"end to end at 100/s: p50 {steady['p50_ms']} ms, p99 {steady['p99_ms']} ms (target ≤ 100), "
        f"{steady['assigned']}/{steady['posted']} assigned")  # fmt: skip
    best: dict[str, Any] | None = None
    for rate in RATES:
        run = asyncio.run(drive(intake, b.auth(GEMEENTE), b.waarnemer, rate, b.minute))
        say(
            f"  {rate}/s for {b.minute:.0f}s: posted {run['post_rate_per_s']}/s, "
            f"assigned {run['assigned_rate_per_s']}/s, p99 {run['p99_ms']} ms, errors {run['errors']}"
        )
        if not _kept_up(run, rate):
            break
        best = run
    b.figures["highest_sustained"] = best
    highest = best["target_per_s"] if best else "below 25"
    say(f"highest rate sustained for {b.minute:.0f}s: {highest}/s (target ≥ 1,000)")


def _measure(b: Bench) -> None:
    created = b.bus.provision()
    # Figures from before the bus was closed (PLAINTEXT, no ACLs) are not comparable one to one.
    b.figures["bus"] = {"security_protocol": SECURITY_PROTOCOL, "sasl_mechanism": SASL_MECHANISM, "acls": True}
    say(f"bus: {SECURITY_PROTOCOL}, {SASL_MECHANISM}, ACLs; topics created by the admin: {', '.join(created)}")
    kafka_figures(b)
    replay_figures(b)
    assert b.keycloak is not None
    b.keycloak.wait_ready()
    gemeente = [i for i in all_identities() if i.organisatie == GEMEENTE]
    admin = b.keycloak.admin_credentials()
    b.identities = provision_identities(b.keycloak.url, admin, b.base / "identities", gemeente)
    b.env = {"WERKKLOKET_UITZENDBUREAUS_FILE": str(registry_file(b.base / "uitzendbureaus.json")),
             "WERKKLOKET_LOG_LEVEL": "warning", "WERKKLOKET_RATE_LIMIT_WRITES": WRITE_LIMIT}  # fmt: skip
    service_figures(b)
    end_to_end_figures(b)


def main() -> None:
    quick = "--quick" in sys.argv
    figures: dict[str, Any] = {"when": datetime.now(UTC).isoformat(timespec="seconds"), "machine": machine()}
    say(f"machine: {figures['machine']}")
    base = RUN_DIR / "bench"
    shutil.rmtree(base, ignore_errors=True)
    remove_postgres(base / "postgres")
    # Keycloak gets ready while Kafka's and replay's figures are measured.
    keycloak = start_keycloak(base / "keycloak", wait=False)
    kafka = start_kafka(base / "kafka", heap="1g")
    pg = start_postgres(base / "postgres")
    events, minute = (100_000, 15.0) if quick else (1_000_000, 60.0)
    b = Bench(base, kafka.bus, pg.admin_url, pg.service_urls(), events, minute, quick, figures, keycloak=keycloak)
    try:
        _measure(b)
    finally:
        for s in b.services:
            s.stop()
        pg.remove()
        kafka.stop()
        keycloak.stop()
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(figures, indent=2) + "\n")
    say(f"results: {RESULTS}")
