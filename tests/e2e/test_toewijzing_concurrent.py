"""Two matching instances in one consumer group, 1,000 aanmeldingen: every candidate has exactly one agency."""

from __future__ import annotations

import asyncio
import json
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest
from aiokafka import ConsumerRecord
from aiokafka.admin import AIOKafkaAdminClient
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine
from werkkloket_contracts import TOEWIJZINGEN
from werkkloket_deploy.bus.acls import ADMIN, WAARNEMER
from werkkloket_deploy.stack import wait_healthy
from werkkloket_matching.toewijzing.adapters.registry import DEFAULT_REGISTRY
from werkkloket_runtime.kafka import KafkaConnection

from ..conftest import Stack
from .helpers import BusReader, headers_of, profiel, wait_for

pytestmark = pytest.mark.integration

AANTAL = 1000
GRONINGEN = ("noorderzon-uitzend", "stad-en-ommeland", "eemsdelta-werk")


def registry_met_groningen(path: Path) -> Path:
    """The default registry plus three agencies in Groningen with room for every candidate of this test."""
    data = json.loads(DEFAULT_REGISTRY.read_text())
    data["uitzendbureaus"] += [
        {"code": code, "naam": code.title(), "sectoren": sectoren, "regios": ["groningen"], "capaciteit": 400}
        for code, sectoren in zip(GRONINGEN, (["administratie"], ["horeca", "logistiek"], ["zorg"]), strict=True)
    ]
    path.write_text(json.dumps(data))
    return path


async def two_members_in_the_group(kafka: KafkaConnection) -> None:
    admin = AIOKafkaAdminClient(**kafka.client())
    await admin.start()
    try:

        async def two_members() -> bool:
            (response,) = await admin.describe_consumer_groups(["werkkloket-matching"])
            _, _, state, _, _, members, *_ = response.groups[0]
            return state == "Stable" and len(members) == 2

        await wait_for(two_members, timeout=60, what="two matching instances in the group")
    finally:
        await admin.close()


async def registreer_in_groningen(stack: Stack) -> set[str]:
    """AANTAL aanmeldingen in Groningen, 16 at a time; their candidates."""
    sem = asyncio.Semaphore(16)
    async with httpx.AsyncClient(timeout=30) as client:

        async def registreer(i: int) -> str:
            body = profiel(gemeente="GM0014", postcode=f"97{i % 100:02d} AB", wensberoepen=["4110", "5120", "3221"])
            async with sem:
                r = await client.post(
                    f"{stack.url('intake')}/api/v1/aanmeldingen",
                    json=body,
                    headers=stack.auth("gemeente-groningen"),
                )
            assert r.status_code == 201, r.text
            kandidaat: str = r.json()["kandidaat_id"]
            return kandidaat

        return set(await asyncio.gather(*(registreer(i) for i in range(AANTAL))))


def toegewezen_aan(ids: set[str]) -> Callable[[ConsumerRecord[bytes, bytes]], bool]:
    def match(r: ConsumerRecord[bytes, bytes]) -> bool:
        h = headers_of(r)
        return h.get("ce_subject") in ids and h["ce_type"] == "nl.werkkloket.KandidaatToegewezen.v1"

    return match


async def capaciteit_gerespecteerd(engine: AsyncEngine) -> None:
    """Every Groningen agency's load equals its assignments, within its capacity; all AANTAL assigned."""
    async with engine.connect() as conn:
        rows = (
            await conn.execute(
                text("SELECT code, capaciteit, actief FROM matching.uitzendbureaus WHERE 'groningen' = ANY(regios)")
            )
        ).all()
        per_bureau = dict(
            (
                await conn.execute(
                    text(
                        "SELECT uitzendbureau, count(*) FROM matching.toewijzingen "
                        "WHERE gemeente = 'GM0014' AND status = 'toegewezen' GROUP BY uitzendbureau"
                    )
                )
            ).all()
        )
    assert {r.code for r in rows} == set(GRONINGEN)
    assert sum(per_bureau.values()) == AANTAL
    for r in rows:
        assert r.actief == per_bureau.get(r.code, 0) <= r.capaciteit


@pytest.mark.timeout(900)
async def test_two_instances_one_group_one_agency_per_candidate(stack: Stack, tmp_path: Path) -> None:
    tweede = stack.another(
        "matching",
        tmp_path / "logs",
        {"WERKKLOKET_UITZENDBUREAUS_FILE": str(registry_met_groningen(tmp_path / "registry.json"))},
    )
    reader = await BusReader(stack.infra.kafka(WAARNEMER), [TOEWIJZINGEN.name]).start()
    engine = create_async_engine(stack.infra.database_url)
    try:
        await asyncio.to_thread(wait_healthy, [tweede], 120)
        await two_members_in_the_group(stack.infra.kafka(ADMIN))
        ids = await registreer_in_groningen(stack)
        assert len(ids) == AANTAL

        async def all_decided() -> bool:
            async with engine.connect() as conn:
                n = await conn.scalar(
                    text(
                        "SELECT count(*) FROM matching.toewijzingen WHERE gemeente = 'GM0014' AND status = 'toegewezen'"
                    )
                )
            return n == AANTAL

        await wait_for(all_decided, timeout=600, what=f"{AANTAL} assignments")
        records = await reader.until(toegewezen_aan(ids), count=AANTAL, timeout=60)
        await asyncio.sleep(2)  # anything duplicated would arrive now
        await reader.poll()
        per_kandidaat = Counter(
            headers_of(r)["ce_subject"]
            for r in reader.records
            if headers_of(r)["ce_subject"] in ids and headers_of(r)["ce_type"].endswith("KandidaatToegewezen.v1")
        )
        assert len(records) >= AANTAL
        assert set(per_kandidaat) == ids and set(per_kandidaat.values()) == {1}
        await capaciteit_gerespecteerd(engine)
    finally:
        await reader.stop()
        await engine.dispose()
        tweede.stop()
