"""A write over the limit of one identity is refused by a real intake service, and nothing of it is stored.

An extra intake instance with a low limit, on the session stack's bus, database and Keycloak (the stack's own
services keep the default, which the other tests stay below)."""

from __future__ import annotations

import asyncio
from pathlib import Path
from uuid import uuid4

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine
from werkkloket_deploy.stack import wait_healthy

from ..conftest import Stack
from .helpers import profiel

pytestmark = pytest.mark.integration


async def test_the_fourth_registration_of_a_gemeente_over_3_per_minute_is_a_429_and_not_stored(
    stack: Stack, tmp_path: Path
) -> None:
    intake = stack.another("intake", tmp_path / "logs", {"WERKKLOKET_RATE_LIMIT_WRITES": "3/minute"})
    engine = create_async_engine(stack.infra.database_url)
    merk = uuid4().hex[:10]
    try:
        await asyncio.to_thread(wait_healthy, [intake], 120)
        url = f"{intake.url}/api/v1/aanmeldingen"
        zoetermeer = stack.auth("gemeente-zoetermeer")
        async with httpx.AsyncClient(timeout=30) as client:
            antwoorden = [
                await client.post(
                    url,
                    json=profiel(naam=f"Fatima de Vries-{merk}{i}", gemeente="GM0637", postcode="2711 AB"),
                    headers=zoetermeer,
                )
                for i in range(4)
            ]
            assert [r.status_code for r in antwoorden[:3]] == [201, 201, 201], [r.text for r in antwoorden]
            over = antwoorden[3]
            assert over.status_code == 429, over.text
            assert over.headers["content-type"] == "application/problem+json"
            assert 1 <= int(over.headers["retry-after"]) <= 60
            assert over.json()["limiet"] == "3 per 1 minute" and "3 per 1 minute" in over.json()["detail"]
            # Reads are not limited; another gemeente has a limit of its own.
            gelezen = await client.get(f"{url}/{antwoorden[0].json()['id']}", headers=zoetermeer)
            assert gelezen.status_code == 200, gelezen.text
            den_haag = await client.post(
                url, json=profiel(naam=f"Fatima de Vries-{merk}h"), headers=stack.auth("gemeente-den-haag")
            )
            assert den_haag.status_code == 201, den_haag.text
        async with engine.connect() as conn:
            opgeslagen = await conn.scalar(
                text("SELECT count(*) FROM intake.aanmeldingen WHERE naam LIKE :merk AND gemeente = 'GM0637'"),
                {"merk": f"Fatima de Vries-{merk}%"},
            )
        assert opgeslagen == 3
    finally:
        await engine.dispose()
        intake.stop()
