"""Faults against the real stack: crashes, broker and database restarts, garbage on the bus.

This module runs its own Kafka broker and PostgreSQL server (it restarts them). `make test` runs a quick
version; `make faults` the full one (WERKKLOKET_FAULT_AANMELDINGEN=5000, WERKKLOKET_FAULT_MALFORMED=1000).
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import shutil
import signal
from collections import defaultdict
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

import httpx
import pytest
from aiokafka import AIOKafkaConsumer, TopicPartition
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine
from werkkloket_contracts import (
    AANMELDINGEN,
    DEAD_LETTERS,
    PLAATSINGEN,
    TOEWIJZINGEN,
    AanmeldingOntvangen,
    KandidaatToegewezen,
    PlaatsingGerealiseerd,
    encode,
    source_of,
)
from werkkloket_deploy.bus.acls import WAARNEMER
from werkkloket_deploy.provision import (
    RUN_DIR,
    KafkaServer,
    PostgresServer,
    free_port,
    start_kafka,
    start_postgres,
    stop_pid,
)
from werkkloket_deploy.sleutels import sleutelbestand
from werkkloket_deploy.stack import SERVICES, ServiceProcess, start_service, wait_healthy
from werkkloket_runtime.kafka import KafkaConnection

from ..conftest import Idp
from ..e2e.helpers import producer, wait_for

pytestmark = pytest.mark.integration

AANMELDINGEN_COUNT = int(os.environ.get("WERKKLOKET_FAULT_AANMELDINGEN", "200"))
MALFORMED_COUNT = int(os.environ.get("WERKKLOKET_FAULT_MALFORMED", "80"))
ROOT = Path(__file__).resolve().parents[2]


@dataclass
class FaultStack:
    base: Path
    kafka: KafkaServer
    pg: PostgresServer
    kafka_port: int
    pg_port: int
    idp: Idp
    env: dict[str, str]
    services: dict[str, ServiceProcess] = field(default_factory=dict)

    def start(self, name: str, port: int | None = None) -> ServiceProcess:
        svc = start_service(
            name,
            port=port or free_port(),
            kafka=self.kafka.bus.connection(name),
            database_url=self.pg.url_for(name),
            oidc_issuer=self.idp.server.issuer(),
            log_dir=self.base / "logs",
            extra_env=self.env,
            sleutels=sleutelbestand(self.base / "sleutels" / "intake.json"),  # made at the first start, then kept
        )
        self.services[name] = svc
        return svc

    def url(self, name: str) -> str:
        return self.services[name].url

    def auth(self, org: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.idp.identities.token(org)}"}


def _registry(path: Path) -> Path:
    data = json.loads((ROOT / "services/matching/werkkloket_matching/data/uitzendbureaus.json").read_text())
    for bureau in data["uitzendbureaus"]:
        bureau["capaciteit"] = 1_000_000  # room for everybody: every aanmelding is assigned
    path.write_text(json.dumps(data))
    return path


@pytest.fixture(scope="module")
def faults(keycloak: Idp) -> Iterator[FaultStack]:
    base = RUN_DIR / f"faults-{os.getpid()}"
    shutil.rmtree(base, ignore_errors=True)
    base.mkdir(parents=True)
    kafka_port, pg_port = free_port(), free_port()
    kafka = start_kafka(base / "kafka", port=kafka_port, controller_port=free_port(), short_lived=True)
    kafka.bus.provision()
    pg = start_postgres(base / "postgres", port=pg_port)
    env = {
        "WERKKLOKET_UITZENDBUREAUS_FILE": str(_registry(base / "uitzendbureaus.json")),
        "WERKKLOKET_LOG_LEVEL": "warning",
        "WERKKLOKET_TRANSIENT_RETRY_SECONDS": "120",
    }
    stack = FaultStack(base, kafka, pg, kafka_port, pg_port, keycloak, env)
    try:
        for name in SERVICES:
            stack.start(name)
        wait_healthy(list(stack.services.values()), timeout=180)
        yield stack
    finally:
        for svc in stack.services.values():
            svc.stop()
        stack.pg.remove()
        stack.kafka.stop()
        shutil.rmtree(base, ignore_errors=True)


# --- ground truth and load ---------------------------------------------------------------------------------


@dataclass
class Truth:
    aangemeld: dict[str, str] = field(default_factory=dict)  # naam token → kandidaat_id
    bureau: dict[str, str] = field(default_factory=dict)  # kandidaat_id → uitzendbureau (from the bus)
    contact: set[str] = field(default_factory=set)
    geplaatst: dict[str, str] = field(default_factory=dict)  # kandidaat_id → werkgever token


def _profiel(token: str, n: int) -> dict[str, Any]:
    gemeente, postcode = [("GM0518", "2512 AB"), ("GM0637", "2711 AB")][n % 2]
    return {
        "naam": f"Kandidaat {token}",
        "telefoon": f"06{10000000 + n:08d}",
        "email": f"k{token}@voorbeeld.nl",
        "postcode": postcode,
        "gemeente": gemeente,
        "opleidingsniveau": "mbo3",
        "werkervaring": [
            {"beroep": "4110", "van": "2015-03-01", "tot": (date.today() - timedelta(days=61)).isoformat()}
        ],
        "wensberoepen": ["4110", "8322"],
        # Recently out of work: screened into a category that is handed to an agency.
        "werkloos_sinds": (date.today() - timedelta(days=60)).isoformat(),
        "uitkering": "ww",
        "toestemming": {"gegeven_op": "2025-01-06T10:00:00+01:00", "door": "consulent", "doel": "bemiddeling"},
    }


_GEMEENTE_ORG = {"GM0518": "gemeente-den-haag", "GM0637": "gemeente-zoetermeer"}


async def _lookup(engine: AsyncEngine, sql: str, value: str) -> str | None:
    """After a request whose answer was lost: did it commit? (the service's own table is the source of truth)"""
    while True:
        try:
            async with engine.connect() as conn:
                found = await conn.scalar(text(sql), {"v": value})
            return str(found) if found is not None else None
        except Exception:
            await asyncio.sleep(0.5)  # the database itself is restarting


async def register(client: httpx.AsyncClient, fs: FaultStack, engine: AsyncEngine, truth: Truth, n: int) -> str:
    token = uuid4().hex[:12]
    body = _profiel(token, n)
    while True:
        try:
            r = await client.post(
                f"{fs.url('intake')}/api/v1/aanmeldingen", json=body, headers=fs.auth(_GEMEENTE_ORG[body["gemeente"]])
            )
            if r.status_code == 201:
                kid: str = r.json()["kandidaat_id"]
                truth.aangemeld[token] = kid
                return kid
            assert r.status_code >= 500, r.text  # only the infrastructure may fail here
        except httpx.HTTPError:
            pass
        found = await _lookup(engine, "SELECT kandidaat_id FROM intake.aanmeldingen WHERE naam = :v", body["naam"])
        if found is not None:
            truth.aangemeld[token] = found
            return found
        await asyncio.sleep(0.3)


async def follow_up(client: httpx.AsyncClient, fs: FaultStack, engine: AsyncEngine, truth: Truth, kid: str) -> None:
    """The agency records first contact, and then a placement, retrying through crashes without doubling."""
    while kid not in truth.bureau:
        await asyncio.sleep(0.2)
    bureau = truth.bureau[kid]
    base = f"{fs.url('plaatsing')}/api/v1/kandidaten/{kid}"
    while kid not in truth.contact:
        try:
            r = await client.post(
                f"{fs.url('plaatsing')}/api/v1/kandidaten/{kid}/eerste-contact",
                json={"datum": "2025-05-01"},
                headers=fs.auth(bureau),
            )
            if r.status_code in (201, 409):  # 409: recorded by an attempt whose answer was lost
                truth.contact.add(kid)
                break
            assert r.status_code in (404,) or r.status_code >= 500, r.text  # 404: dossier not there yet
        except httpx.HTTPError:
            pass
        await asyncio.sleep(0.3)
    werkgever = f"Werkgever {uuid4().hex[:10]}"
    while True:
        try:
            r = await client.post(
                f"{base}/plaatsingen",
                json={"werkgever": werkgever, "startdatum": "2025-05-12", "uren_per_week": 24},
                headers=fs.auth(bureau),
            )
            if r.status_code == 201:
                truth.geplaatst[kid] = werkgever
                return
            assert r.status_code >= 500, r.text
        except httpx.HTTPError:
            pass
        found = await _lookup(engine, "SELECT plaatsing_id FROM plaatsing.plaatsingen WHERE werkgever = :v", werkgever)
        if found is not None:
            truth.geplaatst[kid] = werkgever
            return
        await asyncio.sleep(0.3)


class Bus:
    """Everything on the event topics, read without a group (survives broker restarts)."""

    def __init__(self, kafka: KafkaConnection, topics: list[str]) -> None:
        self.consumer = AIOKafkaConsumer(**kafka.client(), enable_auto_commit=False)
        self.topics = topics
        self.records: list[Any] = []
        self.task: asyncio.Task[None] | None = None
        self.listeners: list[Any] = []

    async def start(self) -> Bus:
        await self.consumer.start()
        tps = [TopicPartition(t, p) for t in self.topics for p in range(6 if t != DEAD_LETTERS.name else 1)]
        self.consumer.assign(tps)
        await self.consumer.seek_to_beginning(*tps)
        self.task = asyncio.create_task(self._run())
        return self

    async def _run(self) -> None:
        while True:
            try:
                batch = await self.consumer.getmany(timeout_ms=200)
            except Exception:
                await asyncio.sleep(0.5)
                continue
            for recs in batch.values():
                for r in recs:
                    self.records.append(r)
                    for listener in self.listeners:
                        listener(r)

    async def stop(self) -> None:
        if self.task is not None:
            self.task.cancel()
        await self.consumer.stop()


def _h(r: Any) -> dict[str, str]:
    return {k: v.decode(errors="replace") for k, v in r.headers or ()}


async def chaos(fs: FaultStack, rng: random.Random, log: list[str]) -> None:
    """Each service SIGKILLed at a random moment and restarted; then Kafka restarted; then PostgreSQL."""
    for name in SERVICES:
        await asyncio.sleep(rng.uniform(0.5, 3.0))
        old = fs.services[name]
        await asyncio.to_thread(stop_pid, old.pid, 5, signal.SIGKILL)
        log.append(f"SIGKILL {name} (pid {old.pid})")
        fs.start(name, port=old.port)
        await asyncio.to_thread(wait_healthy, [fs.services[name]], 180)
    await asyncio.sleep(rng.uniform(0.5, 3.0))
    await asyncio.to_thread(fs.kafka.stop)
    log.append("kafka stopped")
    await asyncio.sleep(rng.uniform(0.5, 2.0))
    fs.kafka = await asyncio.to_thread(start_kafka, fs.base / "kafka", fs.kafka_port, short_lived=True)
    log.append("kafka restarted")
    await asyncio.sleep(rng.uniform(1.0, 3.0))
    await asyncio.to_thread(fs.pg.stop)
    log.append("postgresql stopped")
    await asyncio.sleep(rng.uniform(0.5, 2.0))
    fs.pg = await asyncio.to_thread(start_postgres, fs.base / "postgres", fs.pg_port)
    log.append("postgresql restarted")


@pytest.fixture
async def engine(faults: FaultStack) -> AsyncIterator[AsyncEngine]:
    e = create_async_engine(faults.pg.admin_url, pool_pre_ping=True)  # looks across the services' schemas
    yield e
    await e.dispose()


async def funnel(client: httpx.AsyncClient, fs: FaultStack) -> dict[str, int]:
    """The funnel of both gemeenten, each read by its own gemeente (exact), added up."""
    result: dict[str, int] = {}
    for org in _GEMEENTE_ORG.values():
        r = await client.get(f"{fs.url('rapportage')}/api/v1/rapportage/funnel", headers=fs.auth(org))
        assert r.status_code == 200, r.text
        assert r.json()["onderdrukt"] is False
        for k, v in r.json()["totaal"].items():
            if isinstance(v, int):
                result[k] = result.get(k, 0) + v
    # Every recorded placement: confirmed by the gemeente (geplaatst) or still a claim of the agency (geclaimd).
    result["geplaatst"] += result["geclaimd"]
    return result


@dataclass
class OnTheBus:
    """Per candidate, the toewijzing_ids and plaatsing_ids seen on the bus; the agency goes into the truth."""

    truth: Truth
    toewijzingen: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    plaatsingen: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))

    def on_record(self, r: Any) -> None:
        h = _h(r)
        data = json.loads(r.value)
        if h.get("ce_type") == KandidaatToegewezen.ce_type():
            self.toewijzingen[h["ce_subject"]].add(data["toewijzing_id"])
            self.truth.bureau.setdefault(h["ce_subject"], data["uitzendbureau"])
        elif h.get("ce_type") == PlaatsingGerealiseerd.ce_type():
            self.plaatsingen[h["ce_subject"]].add(data["plaatsing_id"])


async def drive_through_chaos(
    client: httpx.AsyncClient, fs: FaultStack, engine: AsyncEngine, truth: Truth, rng: random.Random, log: list[str]
) -> None:
    """Register every aanmelding (every 4th followed up to a placement) while services, Kafka and PostgreSQL go down."""
    follow_ups: list[asyncio.Task[None]] = []
    chaos_task = asyncio.create_task(chaos(fs, rng, log))
    sem = asyncio.Semaphore(16)
    follow_sem = asyncio.Semaphore(16)

    async def follow(kid: str) -> None:
        async with follow_sem:
            await follow_up(client, fs, engine, truth, kid)

    async def one(n: int) -> None:
        async with sem:
            kid = await register(client, fs, engine, truth, n)
            if n % 4 == 0:
                follow_ups.append(asyncio.create_task(follow(kid)))

    # Spread the load over the faults: a few hundred per second at most.
    registrations = []
    for n in range(AANMELDINGEN_COUNT):
        await asyncio.sleep(0.004)
        registrations.append(asyncio.create_task(one(n)))
    await asyncio.wait_for(asyncio.gather(*registrations), timeout=900)
    await chaos_task
    await asyncio.wait_for(asyncio.gather(*follow_ups), timeout=600)


async def settled_funnel(
    client: httpx.AsyncClient, fs: FaultStack, seen: OnTheBus, expected: dict[str, int]
) -> dict[str, int]:
    """The funnel once the bus and the report have caught up with the ground truth."""
    truth = seen.truth
    kids = set(truth.aangemeld.values())

    async def settled() -> bool:
        try:
            f = await funnel(client, fs)
        except (httpx.HTTPError, AssertionError):
            return False
        return (
            kids <= set(seen.toewijzingen)
            and set(truth.geplaatst) <= set(seen.plaatsingen)
            and all(f[k] == v for k, v in expected.items())
        )

    await wait_for(settled, timeout=600, what="the funnel to equal the ground truth")
    return await funnel(client, fs)


@pytest.mark.timeout(3600)
async def test_crashes_and_restarts_lose_nothing_and_double_nothing(faults: FaultStack, engine: AsyncEngine) -> None:
    fs, truth, rng = faults, Truth(), random.Random(55)
    bus = await Bus(fs.kafka.bus.connection(WAARNEMER), [TOEWIJZINGEN.name, PLAATSINGEN.name]).start()
    seen = OnTheBus(truth)
    toewijzingen, plaatsingen = seen.toewijzingen, seen.plaatsingen
    bus.listeners.append(seen.on_record)
    log: list[str] = []
    # Bounded concurrency on a bounded pool: with hundreds of waiting requests the HTTP client's own pool
    # bookkeeping takes all the CPU and the test, not the system, becomes the bottleneck.
    limits = httpx.Limits(max_connections=32, max_keepalive_connections=32)
    async with httpx.AsyncClient(timeout=20, limits=limits) as client:
        await drive_through_chaos(client, fs, engine, truth, rng, log)
        kids = set(truth.aangemeld.values())
        expected = {
            "aangemeld": len(kids),
            "toegewezen": len(kids),
            "eerste_contact": len(truth.contact),
            "geplaatst": len(truth.geplaatst),
        }
        final = await settled_funnel(client, fs, seen, expected)
    await bus.stop()

    assert log == [
        *(f"SIGKILL {n} (pid {p})" for n, p in zip(SERVICES, _pids(log), strict=True)),
        "kafka stopped",
        "kafka restarted",
        "postgresql stopped",
        "postgresql restarted",
    ]
    assert len(kids) == AANMELDINGEN_COUNT
    # Exactly one assignment per aanmelding, none for anything else.
    one_each = [k for k in kids if len(toewijzingen[k]) == 1]
    assert len(one_each) == AANMELDINGEN_COUNT, {k: v for k, v in toewijzingen.items() if len(v) != 1}
    assert set(toewijzingen) == kids
    async with engine.connect() as conn:
        rows = await conn.scalar(
            text("SELECT count(*) FROM matching.toewijzingen WHERE status = 'toegewezen' AND kandidaat_id = ANY(:k)"),
            {"k": [UUID(k) for k in kids]},
        )
        placed_rows = await conn.scalar(text("SELECT count(*) FROM plaatsing.plaatsingen"))
    assert rows == AANMELDINGEN_COUNT
    # Every recorded placement once: in plaatsing's table and on the bus.
    assert placed_rows == len(truth.geplaatst)
    assert all(len(plaatsingen[k]) == 1 for k in truth.geplaatst)
    assert sum(len(v) for v in plaatsingen.values()) == len(truth.geplaatst)
    # The funnel equals the ground truth kept here.
    assert {k: final[k] for k in expected} == expected
    assert expected["geplaatst"] == len(range(0, AANMELDINGEN_COUNT, 4))


def _pids(log: list[str]) -> list[str]:
    return [line.split("pid ")[1].rstrip(")") for line in log if line.startswith("SIGKILL")]


# --- garbage on the bus ------------------------------------------------------------------------------------


def malformed(i: int, rng: random.Random) -> tuple[bytes, list[tuple[str, bytes]], str]:
    """One malformed record of a kind chosen by i, and the reason code it must be dead-lettered with."""
    kid = str(uuid4())
    event = AanmeldingOntvangen(
        kandidaat_id=UUID(kid),
        arbeidsmarktregio="haaglanden",
        gemeente="GM0518",
        aanmelding_id=uuid4(),
        opleidingsniveau="mbo3",
        wensberoepen=["4110"],
        uitkering="ww",
    )
    rec = encode(event, source=source_of("intake"))
    headers = [(k, v.encode()) for k, v in rec.headers.items()]
    data = json.loads(rec.value)
    kind = i % 8
    if kind == 0:
        return bytes(rng.randrange(256) for _ in range(rng.randrange(1, 200))), [], "missing-headers"
    if kind == 1:
        return b'{"kandidaat_id": "' + kid.encode() + b'", oops', headers, "invalid-data"
    if kind == 2:
        # Another type's name (from its own producer) over this payload.
        other = {"ce_type": PlaatsingGerealiseerd.ce_type().encode(), "ce_source": source_of("plaatsing").encode()}
        wrong = [(k, other.get(k, v)) for k, v in headers]
        return rec.value, wrong, "invalid-data"
    if kind == 3:
        unknown = [(k, b"nl.werkkloket.Onbekend.v1" if k == "ce_type" else v) for k, v in headers]
        return rec.value, unknown, "unknown-type"
    if kind == 4:
        return rec.value, [(k, v) for k, v in headers if k not in ("ce_id", "ce_source")], "missing-headers"
    if kind == 5:
        data["wensberoepen"] = "4110"
        data["opleidingsniveau"] = 2512
        return json.dumps(data).encode(), headers, "invalid-data"
    if kind == 6:
        data["bsn"] = "123456782"
        return json.dumps(data).encode(), headers, "direct-identifier"
    data["toelichting"] = "x" * (300 * 1024)
    return json.dumps(data).encode(), headers, "oversized"


@pytest.mark.timeout(3600)
async def test_malformed_messages_are_dead_lettered_and_valid_ones_processed(faults: FaultStack) -> None:
    fs, rng = faults, random.Random(7)
    observer = fs.kafka.bus.connection(WAARNEMER)
    dlq = await Bus(observer, [DEAD_LETTERS.name]).start()
    bus = await Bus(observer, [TOEWIJZINGEN.name]).start()
    expected: dict[tuple[int, int], str] = {}  # (partition, offset) on aanmeldingen → reason code
    valid: set[str] = set()
    p = await producer(fs.kafka.bus.connection("intake"))  # a faulty producer on its own topic
    try:
        for i in range(MALFORMED_COUNT):
            value, headers, code = malformed(i, rng)
            key = uuid4().hex.encode()
            meta = await (await p.send(AANMELDINGEN.name, value, key=key, headers=headers))
            expected[(meta.partition, meta.offset)] = code
            # Valid traffic interleaved: one valid aanmelding after every malformed one.
            event = AanmeldingOntvangen(
                kandidaat_id=uuid4(),
                arbeidsmarktregio="haaglanden",
                gemeente="GM0518",
                aanmelding_id=uuid4(),
                opleidingsniveau="mbo3",
                wensberoepen=["4110"],
                uitkering="ww",
            )
            rec = encode(event, source=source_of("intake"))
            await p.send(rec.topic, rec.value, key=rec.key, headers=[(k, v.encode()) for k, v in rec.headers.items()])
            valid.add(str(event.kandidaat_id))
        await p.flush()
    finally:
        await p.stop()

    def dead_for(group: str) -> dict[tuple[int, int], str]:
        found: dict[tuple[int, int], str] = {}
        for r in dlq.records:
            h = _h(r)
            if h.get("dlq_consumer_group") == group and h.get("dlq_original_topic") == AANMELDINGEN.name:
                found[(int(h["dlq_original_partition"]), int(h["dlq_original_offset"]))] = h["dlq_reason_code"]
        return found

    async def all_dead() -> bool:
        return all(set(expected) <= set(dead_for(g)) for g in ("werkkloket-matching", "werkkloket-rapportage"))

    async def all_assigned() -> bool:
        return valid <= {_h(r).get("ce_subject") for r in bus.records}

    await wait_for(all_dead, timeout=300, what="every malformed message in the dead-letter topic")
    await wait_for(all_assigned, timeout=300, what="every valid aanmelding assigned")
    for group in ("werkkloket-matching", "werkkloket-rapportage"):
        dead = dead_for(group)
        assert {k: dead[k] for k in expected} == expected, group
        assert len([k for k in expected if k in dead]) == MALFORMED_COUNT
    reasons = {r for r in expected.values()}
    assert reasons == {"missing-headers", "invalid-data", "unknown-type", "direct-identifier", "oversized"}
    assigned = {_h(r).get("ce_subject") for r in bus.records} & valid
    assert len(assigned) == MALFORMED_COUNT
    await dlq.stop()
    await bus.stop()
