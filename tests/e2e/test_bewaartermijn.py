"""The retention schedule: intake's scheduled step erases every registration past its term, everywhere, and
nothing before (run here with an injected clock, against the stack's database and bus)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine
from werkkloket_contracts import source_of
from werkkloket_intake.adapters import persoonssleutels, tables
from werkkloket_intake.domain.bewaartermijn import maanden_terug
from werkkloket_intake.services.bewaartermijn import bewaak
from werkkloket_runtime.logboek import Logboek
from werkkloket_runtime.unit_of_work import UnitOfWorkFactory
from werkkloket_runtime.versleuteling import lees_sleutels

from ..conftest import Stack
from .helpers import profiel, wait_for

pytestmark = pytest.mark.integration

DORDRECHT = "gemeente-dordrecht"
GEMEENTE = "GM0505"


@dataclass
class Klok:
    nu: datetime

    def now(self) -> datetime:
        return self.nu


@pytest.fixture
async def units(stack: Stack) -> AsyncIterator[tuple[UnitOfWorkFactory, Klok]]:
    """Intake's units of work in this process, on intake's own role and keys, with a clock the test sets."""
    persoonssleutels.stel_in(lees_sleutels(stack.infra.sleutels))
    engine = create_async_engine(stack.infra.database_urls["intake"])
    klok = Klok(datetime.now().astimezone())
    try:
        yield (
            UnitOfWorkFactory(
                engine, tables.outbox, klok, source_of("intake"), logboek=Logboek.voor("intake", "intake")
            ),
            klok,
        )
    finally:
        persoonssleutels.stel_in(None)
        await engine.dispose()


async def test_the_scheduled_step_erases_what_is_past_its_term_and_nothing_else(
    stack: Stack, units: tuple[UnitOfWorkFactory, Klok]
) -> None:
    factory, klok = units
    gemeente = {"gemeente": GEMEENTE, "postcode": "3311 AB"}
    async with httpx.AsyncClient(timeout=15) as client:
        aanmelden = f"{stack.url('intake')}/api/v1/aanmeldingen"

        async def registreer(**velden: Any) -> dict[str, Any]:
            r = await client.post(aanmelden, json=profiel(**gemeente, **velden), headers=stack.auth(DORDRECHT))
            assert r.status_code == 201, r.text
            a: dict[str, Any] = r.json()
            return a

        beeindigd = await registreer()
        r = await client.post(
            f"{aanmelden}/{beeindigd['id']}/beeindiging", json={"reden": "verhuisd"}, headers=stack.auth(DORDRECHT)
        )
        assert r.status_code == 200 and r.json()["status"] == "beeindigd", r.text
        onvolledig = await registreer(wensberoepen=[])  # lacks what matching needs: held, never handed over
        assert onvolledig["status"] == "onvolledig"
        lopend = await registreer()  # in mediation: no term runs

        async def bestaat(a: dict[str, Any]) -> bool:
            r = await client.get(f"{aanmelden}/{a['id']}", headers=stack.auth(DORDRECHT))
            return r.status_code == 200

        nu = datetime.now().astimezone()
        alle = (beeindigd, onvolledig, lopend)
        # Just before the shorter term: nothing goes.
        klok.nu = maanden_terug(nu, -12) - timedelta(days=1)
        assert await bewaak(factory, frozenset({GEMEENTE})) == []
        assert [await bestaat(a) for a in alle] == [True, True, True]
        # The incomplete registration's term (12 months) has passed; the ended mediation's (24) not yet.
        klok.nu = maanden_terug(nu, -12) + timedelta(days=1)
        (eerste,) = await bewaak(factory, frozenset({GEMEENTE}))
        assert eerste.kandidaat_id == _uuid(onvolledig["kandidaat_id"])
        assert [await bestaat(a) for a in alle] == [True, False, True]
        # Two years after the end of the mediation.
        klok.nu = maanden_terug(nu, -24) + timedelta(days=1)
        (tweede,) = await bewaak(factory, frozenset({GEMEENTE}))
        assert tweede.kandidaat_id == _uuid(beeindigd["kandidaat_id"])
        assert [await bestaat(a) for a in alle] == [False, False, True]
        # Run again: nothing left to erase.
        assert await bewaak(factory, frozenset({GEMEENTE})) == []

        # Every service does its part and keeps its receipt, as for a request.
        await bewijzen(client, stack, str(tweede.verzoek_id))
    await niets_meer_in_intake(stack, [beeindigd, onvolledig], lopend)


async def bewijzen(client: httpx.AsyncClient, stack: Stack, verzoek: str) -> None:
    async def alle() -> list[dict[str, Any]] | None:
        uit = []
        for dienst in ("intake", "matching", "plaatsing", "rapportage"):
            r = await client.get(f"{stack.url(dienst)}/api/v1/verwijderingen/{verzoek}", headers=stack.auth(DORDRECHT))
            if r.status_code != 200:
                return None
            uit.append(r.json())
        return uit

    bewijs = await wait_for(alle, timeout=10, what="every service's receipt of the retention erasure")
    assert {b["aanleiding"] for b in bewijs} == {"bewaartermijn"}
    assert all(b["sleutel_vernietigd"] for b in bewijs)


async def niets_meer_in_intake(stack: Stack, gewist: list[dict[str, Any]], lopend: dict[str, Any]) -> None:
    engine = create_async_engine(stack.infra.database_url)
    try:
        async with engine.connect() as conn:
            over = {"a": [_uuid(a["kandidaat_id"]) for a in gewist]}
            for tabel in ("aanmeldingen", "toestemmingen", "persoonssleutels"):
                n = await conn.scalar(text(f"SELECT count(*) FROM intake.{tabel} WHERE kandidaat_id = ANY(:a)"), over)
                assert n == 0, tabel
            redenen = await conn.execute(
                text("SELECT aanleiding FROM intake.verwijderingen WHERE kandidaat_id = ANY(:a)"), over
            )
            assert sorted(r[0] for r in redenen) == ["bewaartermijn"] * len(gewist)
            lopend_id = {"k": _uuid(lopend["kandidaat_id"])}
            n = await conn.scalar(text("SELECT count(*) FROM intake.aanmeldingen WHERE kandidaat_id = :k"), lopend_id)
            assert n == 1
    finally:
        await engine.dispose()


def _uuid(value: str) -> UUID:
    return UUID(value)
