"""A synthetic history of the funnel, produced straight onto the bus: each topic by the service that owns it."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from typing import Any
from uuid import uuid4

from aiokafka import AIOKafkaProducer
from werkkloket_contracts import (
    AANMELDINGEN,
    ALL_TOPICS,
    BY_CE_TYPE,
    EVENT_TYPES,
    PLAATSINGEN,
    PRODUCER_OF,
    TOEWIJZINGEN,
    source_of,
)
from werkkloket_runtime.kafka import KafkaConnection

Record = tuple[bytes, bytes, list[tuple[str, bytes]]]
_REGIOS = [("haaglanden", "GM0518"), ("rijnmond", "GM0599"), ("groot-amsterdam", "GM0363"), ("utrecht", "GM0344")]
_WHEN = "2025-03-03T09:30:00Z"
# Each event's current version (what the services publish now).
_HUIDIG = {e.event_name: e.ce_type() for e in EVENT_TYPES}


def _record(ce_type: str, kid: str, data: dict[str, Any]) -> Record:
    full_type = _HUIDIG[ce_type]
    # As its owner published it: consumers refuse a type from any other service.
    owner = PRODUCER_OF[BY_CE_TYPE[full_type]]
    headers = [
        ("ce_specversion", b"1.0"),
        ("ce_id", str(uuid4()).encode()),
        ("ce_source", source_of(owner).encode()),
        ("ce_type", full_type.encode()),
        ("ce_time", _WHEN.encode()),
        ("ce_subject", kid.encode()),
        ("content-type", b"application/json"),
    ]
    return kid.encode(), json.dumps(data, separators=(",", ":")).encode(), headers


def _candidate(i: int) -> list[tuple[str, Record]]:
    """One candidate's events: aanmelding, assignment, contact; every 2nd an interview, every 4th a placement."""
    kid = str(uuid4())
    regio, gemeente = _REGIOS[i % len(_REGIOS)]
    base = {"kandidaat_id": kid, "arbeidsmarktregio": regio, "gemeente": gemeente}
    bureau = f"bureau-{i % 7}"
    aanmelding = {
        **base,
        "aanmelding_id": str(uuid4()),
        "opleidingsniveau": "mbo3",
        "werkervaring": [],
        "wensberoepen": ["4110"],
        "werkloos_sinds": None,
        "uitkering": "ww",
    }
    toegewezen = {**base, "toewijzing_id": str(uuid4()), "uitzendbureau": bureau, "regelversie": "toewijzing-v1"}
    events: list[tuple[str, str, dict[str, Any]]] = [
        (AANMELDINGEN.name, "AanmeldingOntvangen", aanmelding),
        (TOEWIJZINGEN.name, "KandidaatToegewezen", {**toegewezen, "redenen": []}),
        (PLAATSINGEN.name, "EersteContactGelegd", {**base, "uitzendbureau": bureau, "datum": "2025-03-05"}),
    ]
    bij_werkgever = {**base, "uitzendbureau": bureau}
    if i % 2 == 0:
        gesprek = {**bij_werkgever, "gesprek_id": str(uuid4()), "datum": "2025-03-10"}
        events.append((PLAATSINGEN.name, "SollicitatiegesprekGehouden", gesprek))
    if i % 4 == 0:
        plaatsing = {**bij_werkgever, "plaatsing_id": str(uuid4()), "startdatum": "2025-03-17", "uren_per_week": 32}
        events.append((PLAATSINGEN.name, "PlaatsingGerealiseerd", plaatsing))
    return [(topic, _record(ce_type, kid, data)) for topic, ce_type, data in events]


def history(total: int) -> list[tuple[str, Record]]:
    """About `total` events of the funnel: aanmelding, assignment, contact, interview, placement."""
    out: list[tuple[str, Record]] = []
    i = 0
    while len(out) < total:
        out.extend(_candidate(i))
        i += 1
    return out[:total]


async def _produce(kafka: KafkaConnection, records: list[tuple[str, Record]]) -> None:
    producer = AIOKafkaProducer(**kafka.client(), acks="all", enable_idempotence=True, linger_ms=20,
                                max_batch_size=512 * 1024)  # fmt: skip
    await producer.start()
    try:
        pending = []
        for topic, (key, value, headers) in records:
            pending.append(await producer.send(topic, value, key=key, headers=headers))
            if len(pending) >= 20_000:
                await asyncio.gather(*pending)
                pending.clear()
        await asyncio.gather(*pending)
    finally:
        await producer.stop()


async def produce(connection: Callable[[str], KafkaConnection], records: list[tuple[str, Record]]) -> None:
    """Each topic's records as its owning service writes them, connected as that service's principal (as live):
    one producer per owner, side by side, each topic's records in their order."""
    owner = {t.name: t.producer for t in ALL_TOPICS}
    by_owner: dict[str, list[tuple[str, Record]]] = {}
    for topic, record in records:
        by_owner.setdefault(owner[topic], []).append((topic, record))
    await asyncio.gather(*(_produce(connection(service), own) for service, own in by_owner.items()))
