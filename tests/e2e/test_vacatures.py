"""Vacancies and proposed matches with an explanation per factor, end to end."""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

import httpx
import pytest
from werkkloket_contracts import MATCHES

from ..conftest import Stack
from .helpers import BusReader, ce_type_is, data_of, profiel, wait_for

pytestmark = pytest.mark.integration

DELFT = "gemeente-delft"


async def open_vacature(client: httpx.AsyncClient, stack: Stack, org: str, **kw: Any) -> dict[str, Any]:
    body = {
        "titel": "Kok",
        "beroep": "5120",
        "sector": "I",
        "arbeidsmarktregio": "haaglanden",
        "postcode": "2611 AB",
        "uren_per_week": 32,
        "skills": ["koken"],
        "opleidingsniveau": "mbo2",
        "open_tot": (date.today() + timedelta(days=60)).isoformat(),
        **kw,
    }
    r = await client.post(f"{stack.url('matching')}/api/v1/vacatures", json=body, headers=stack.auth(org))
    assert r.status_code == 201, r.text
    result: dict[str, Any] = r.json()
    return result


async def test_matches_respect_wishes_label_sector_moves_and_are_the_agencys_own(stack: Stack) -> None:
    matching = f"{stack.url('matching')}/api/v1"
    pc4 = str(random.randint(2600, 2629))
    reader = await BusReader(stack.infra.kafka_bootstrap_servers, [MATCHES.name]).start()
    async with httpx.AsyncClient(timeout=30) as client:
        kok = await open_vacature(client, stack, DELFT, postcode=f"{pc4} XY", titel="Kok restaurant")
        software = await open_vacature(
            client, stack, DELFT, titel="Developer", beroep="2512", sector="J", skills=["python"]
        )
        beveiliger = await open_vacature(
            client, stack, DELFT, titel="Beveiliger", beroep="5414", sector="N", skills=["klantcontact", "vca"]
        )
        gesloten = await open_vacature(client, stack, DELFT, postcode=f"{pc4} XZ", titel="Kok kantine")
        r = await client.post(f"{matching}/vacatures/{gesloten['vacature_id']}/sluiting", headers=stack.auth(DELFT))
        assert r.status_code == 200 and r.json()["gesloten_op"] is not None
        r = await client.post(
            f"{matching}/vacatures/{kok['vacature_id']}/sluiting", headers=stack.auth("gemeente-zoetermeer")
        )
        assert r.status_code == 404  # only who opened it may close it
        r = await client.post(
            f"{matching}/vacatures", json={"titel": "x", "beroep": "51", "sector": "Z"}, headers=stack.auth(DELFT)
        )
        assert r.status_code == 422
        assert {"beroep", "sector", "open_tot"} <= {p["name"] for p in r.json()["invalid_params"]}

        body = profiel(
            gemeente="GM0503",
            postcode=f"{pc4} AB",
            wensberoepen=["5120"],
            werkervaring=[
                {"beroep": "5131", "van": "2018-01-01", "tot": (date.today() - timedelta(days=70)).isoformat()}
            ],
            skills=["klantcontact", "koken"],
            opleidingsniveau="mbo2",
            uren_per_week=32,
            taalniveau="b1",
        )
        r = await client.post(f"{stack.url('intake')}/api/v1/aanmeldingen", json=body, headers=stack.auth(DELFT))
        assert r.status_code == 201, r.text
        kandidaat = r.json()["kandidaat_id"]
        voorstellen = await reader.until(ce_type_is("MatchVoorgesteld", kandidaat), count=2)
        per_vacature = {data_of(v)["vacature_id"]: data_of(v) for v in voorstellen}
        assert kok["vacature_id"] in per_vacature and beveiliger["vacature_id"] in per_vacature
        assert software["vacature_id"] not in per_vacature and gesloten["vacature_id"] not in per_vacature
        beste = per_vacature[kok["vacature_id"]]
        assert beste["score"] == 1.0 and beste["sectoroverstap"] is False and beste["regelversie"] == "match-v1"
        assert [f["factor"] for f in beste["factoren"]] == [
            "wens_ervaring",
            "skills",
            "opleiding",
            "reisafstand",
            "uren",
        ]
        overstap = per_vacature[beveiliger["vacature_id"]]
        assert overstap["sectoroverstap"] is True
        assert overstap["factoren"][0]["waarde"].startswith("sectoroverstap naar beveiliging")
        assert abs(sum(f["score"] for f in overstap["factoren"]) - overstap["score"]) < 1e-6
        bureau = beste["uitzendbureau"]

        # The agency lists its own candidates with their matches, best first; another agency never sees them.
        r = await client.get(f"{matching}/mijn-kandidaten", headers=stack.auth(bureau))
        assert r.status_code == 200
        (mijn,) = [k for k in r.json() if k["kandidaat_id"] == kandidaat]
        ids = [m["vacature_id"] for m in mijn["matches"]]
        assert ids[0] == kok["vacature_id"] and beveiliger["vacature_id"] in ids
        ander = "hofstad-uitzend" if bureau != "hofstad-uitzend" else "residentie-flex"
        r = await client.get(f"{matching}/mijn-kandidaten", headers=stack.auth(ander))
        assert all(k["kandidaat_id"] != kandidaat for k in r.json())
        r = await client.get(f"{matching}/mijn-kandidaten", headers=stack.auth(DELFT))
        assert r.status_code == 403

        # A new vacancy is matched against waiting candidates too; a closed one is withdrawn.
        nieuw = await open_vacature(client, stack, bureau, postcode=f"{pc4} AC", titel="Zelfstandig werkend kok")
        assert nieuw["voorgesteld_aan"] >= 1
        await reader.until(
            lambda rec: (
                ce_type_is("MatchVoorgesteld", kandidaat)(rec) and data_of(rec)["vacature_id"] == nieuw["vacature_id"]
            )
        )
        r = await client.post(f"{matching}/vacatures/{kok['vacature_id']}/sluiting", headers=stack.auth(DELFT))
        assert r.status_code == 200

        async def zonder_gesloten() -> list[str] | None:
            r = await client.get(f"{matching}/mijn-kandidaten", headers=stack.auth(bureau))
            (mijn,) = [k for k in r.json() if k["kandidaat_id"] == kandidaat]
            ids = [m["vacature_id"] for m in mijn["matches"]]
            return ids if kok["vacature_id"] not in ids else None

        ids = await wait_for(zonder_gesloten)
        assert ids[0] == nieuw["vacature_id"]
    await reader.stop()
