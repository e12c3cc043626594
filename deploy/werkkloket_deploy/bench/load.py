"""End to end under load: POST aanmeldingen at a steady rate, time each until its KandidaatToegewezen is on the bus."""

from __future__ import annotations

import asyncio
import json
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import httpx
from aiokafka import AIOKafkaConsumer
from werkkloket_contracts import TOEWIJZINGEN
from werkkloket_runtime.kafka import KafkaConnection

from ..paths import REPO_ROOT
from .kafka_tools import partitions_of

TOEGEWEZEN = b"nl.werkkloket.KandidaatToegewezen.v1"
# A fixed set of workers on a small connection pool: the load generator must not become the bottleneck (an HTTP
# client with hundreds of open requests spends its CPU on its own pool).
WORKERS = 32


def registry_file(path: Path) -> Path:
    """The demo's agencies with room for everybody, so every aanmelding ends in KandidaatToegewezen."""
    source = REPO_ROOT / "services/matching/werkkloket_matching/data/uitzendbureaus.json"
    data = json.loads(source.read_text())
    for bureau in data["uitzendbureaus"]:
        bureau["capaciteit"] = 10_000_000
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data))
    return path


def _profiel(n: int) -> dict[str, Any]:
    return {
        "naam": f"Bench Kandidaat {n}",
        "telefoon": f"06{10000000 + n % 90000000:08d}",
        "email": f"kandidaat{n}@voorbeeld.nl",
        "postcode": "2512 AB",
        "gemeente": "GM0518",
        "opleidingsniveau": "mbo3",
        "werkervaring": [
            {"beroep": "4110", "van": "2015-03-01", "tot": (date.today() - timedelta(days=61)).isoformat()}
        ],
        "wensberoepen": ["4110"],
        # Recently out of work: screened into a category that is handed to an agency.
        "werkloos_sinds": (date.today() - timedelta(days=60)).isoformat(),
        "uitkering": "ww",
        "toestemming": {"gegeven_op": "2025-01-06T10:00:00+01:00", "door": "consulent", "doel": "bemiddeling"},
    }


class _Toewijzingen:
    """Notes when each candidate's KandidaatToegewezen is read from the bus, from the current end on (an observer:
    assign + seek, no consumer group)."""

    def __init__(self, observer: KafkaConnection) -> None:
        self.consumer = AIOKafkaConsumer(**observer.client(), enable_auto_commit=False, fetch_max_wait_ms=10)
        self.seen_at: dict[str, float] = {}
        self.done = asyncio.Event()
        self.deadline = float("inf")

    async def start(self) -> None:
        await self.consumer.start()
        tps = await partitions_of(self.consumer, [TOEWIJZINGEN.name])
        self.consumer.assign(tps)
        await self.consumer.seek_to_end(*tps)
        for tp in tps:
            await self.consumer.position(tp)

    async def read(self, sent_at: dict[str, float]) -> None:
        """Until sending is done and every sent candidate is seen, or the deadline after that."""
        while not self.done.is_set() or len(self.seen_at) < len(sent_at):
            batch = await self.consumer.getmany(timeout_ms=50)
            now = time.monotonic()
            for recs in batch.values():
                for r in recs:
                    h = dict(r.headers)
                    if h.get("ce_type") == TOEGEWEZEN:
                        self.seen_at.setdefault(h["ce_subject"].decode(), now)
            if self.done.is_set() and time.monotonic() > self.deadline:
                return

    def finish(self, grace: float) -> None:
        self.deadline = time.monotonic() + grace
        self.done.set()


class _Sender:
    """POSTs aanmeldingen at a steady rate; latency counts from the moment a request was due, so a slow system is
    not hidden by requests that start late."""

    def __init__(self, intake: str, auth: dict[str, str], rate: float) -> None:
        self.intake, self.auth, self.rate = intake, auth, rate
        self.sent_at: dict[str, float] = {}
        self.errors = 0
        self.start = time.monotonic()

    async def _worker(self, client: httpx.AsyncClient, queue: asyncio.Queue[int | None]) -> None:
        while (n := await queue.get()) is not None:
            due = self.start + n / self.rate
            try:
                r = await client.post(f"{self.intake}/api/v1/aanmeldingen", json=_profiel(n), headers=self.auth)
            except httpx.HTTPError:
                self.errors += 1
                continue
            if r.status_code != 201:
                self.errors += 1
                continue
            self.sent_at[r.json()["kandidaat_id"]] = due

    async def send(self, seconds: float) -> float:
        """Send for `seconds`; how long sending took."""
        queue: asyncio.Queue[int | None] = asyncio.Queue()
        limits = httpx.Limits(max_connections=WORKERS, max_keepalive_connections=WORKERS)
        self.start = time.monotonic()
        async with httpx.AsyncClient(timeout=60, limits=limits) as client:
            pool = [asyncio.create_task(self._worker(client, queue)) for _ in range(WORKERS)]
            for n in range(int(self.rate * seconds)):
                delay = self.start + n / self.rate - time.monotonic()
                if delay > 0:
                    await asyncio.sleep(delay)
                queue.put_nowait(n)
            for _ in pool:
                queue.put_nowait(None)
            await asyncio.gather(*pool)
        return time.monotonic() - self.start


def _summary(sender: _Sender, seen_at: dict[str, float], sending: float) -> dict[str, Any]:
    lat = sorted((seen_at[k] - t) * 1000 for k, t in sender.sent_at.items() if k in seen_at)
    finished = max(seen_at.values(), default=sender.start) - sender.start

    def pct(p: float) -> float:
        return round(lat[min(len(lat) - 1, int(p * len(lat)))], 1) if lat else float("nan")

    return {
        "target_per_s": sender.rate,
        "posted": len(sender.sent_at),
        "errors": sender.errors,
        "assigned": len(lat),
        "post_rate_per_s": round(len(sender.sent_at) / sending, 1),
        "assigned_rate_per_s": round(len(lat) / finished, 1) if finished > 0 else 0.0,
        "p50_ms": pct(0.50),
        "p99_ms": pct(0.99),
        "max_ms": round(lat[-1], 1) if lat else float("nan"),
    }


async def drive(
    intake: str, auth: dict[str, str], observer: KafkaConnection, rate: float, seconds: float
) -> dict[str, Any]:
    """POST at a steady rate; latency = POST due → KandidaatToegewezen read from the bus (as `observer`)."""
    toewijzingen = _Toewijzingen(observer)
    await toewijzingen.start()
    sender = _Sender(intake, auth, rate)
    reader = asyncio.create_task(toewijzingen.read(sender.sent_at))
    try:
        sending = await sender.send(seconds)
        toewijzingen.finish(grace=30)
        await reader
    finally:
        reader.cancel()
        await toewijzingen.consumer.stop()
    return _summary(sender, toewijzingen.seen_at, sending)
