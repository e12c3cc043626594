"""Two matching instances in one consumer group, 1,000 aanmeldingen: every candidate has exactly one agency."""

from __future__ import annotations

import asyncio
import json
from collections import Counter
from pathlib import Path

import httpx
import pytest
from aiokafka.admin import AIOKafkaAdminClient
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine
from werkkloket_contracts import TOEWIJZINGEN
from werkkloket_deploy.provision import free_port
from werkkloket_deploy.stack import start_service, wait_healthy
from werkkloket_matching.toewijzing.adapters.registry import DEFAULT_REGISTRY

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


@pytest.mark.timeout(900)
async def test_two_instances_one_group_one_agency_per_candidate(stack: Stack, tmp_path: Path) -> None:
    tweede = start_service(
        "matching",
        port=free_port(),
        kafka_bootstrap_servers=stack.infra.kafka_bootstrap_servers,
        database_url=stack.infra.database_url,
        api_keys_file=stack.api_keys_file,
        log_dir=tmp_path / "logs",
        extra_env={"WERKKLOKET_UITZENDBUREAUS_FILE": str(registry_met_groningen(tmp_path / "registry.json"))},
    )
    reader = await BusReader(stack.infra.kafka_bootstrap_servers, [TOEWIJZINGEN.name]).start()
    engine = create_async_engine(stack.infra.database_url)
    try:
        await asyncio.to_thread(wait_healthy, [tweede], 120)
        admin = AIOKafkaAdminClient(bootstrap_servers=stack.infra.kafka_bootstrap_servers)
        await admin.start()
        try:

            async def two_members() -> bool:
                (response,) = await admin.describe_consumer_groups(["werkkloket-matching"])
                _, _, state, _, _, members, *_ = response.groups[0]
                return state == "Stable" and len(members) == 2

            await wait_for(two_members, timeout=60, what="two matching instances in the group")
        finally:
            await admin.close()

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

            ids = set(await asyncio.gather(*(registreer(i) for i in range(AANTAL))))
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
        records = await reader.until(
            lambda r: (
                headers_of(r).get("ce_subject") in ids
                and headers_of(r)["ce_type"] == "nl.werkkloket.KandidaatToegewezen.v1"
            ),
            count=AANTAL,
            timeout=60,
        )
        await asyncio.sleep(2)  # anything duplicated would arrive now
        await reader.poll()
        per_kandidaat = Counter(
            headers_of(r)["ce_subject"]
            for r in reader.records
            if headers_of(r)["ce_subject"] in ids and headers_of(r)["ce_type"].endswith("KandidaatToegewezen.v1")
        )
        assert len(records) >= AANTAL
        assert set(per_kandidaat) == ids and set(per_kandidaat.values()) == {1}
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
    finally:
        await reader.stop()
        await engine.dispose()
        tweede.stop()
