"""Vacancies and proposed matches with an explanation per factor, end to end."""

from __future__ import annotations

import asyncio
import random
from datetime import date, timedelta
from typing import Any

import httpx
import pytest
from werkkloket_contracts import MATCHES, VACATURES
from werkkloket_deploy.bus.acls import WAARNEMER

from ..conftest import Stack
from .helpers import BusReader, ce_type_is, data_of, headers_of, profiel, wait_for

pytestmark = pytest.mark.integration

DELFT = "gemeente-delft"


async def open_vacature(client: httpx.AsyncClient, stack: Stack, org: str, **kw: Any) -> dict[str, Any]:
    body = {
        "titel": "Kok",
        "beroep": "5120",
        "sector": "I",
        "arbeidsmarktregio": "haaglanden",
        "gemeente": "GM0503",
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


async def vacatures_in_delft(client: httpx.AsyncClient, stack: Stack, pc4: str) -> dict[str, dict[str, Any]]:
    """A cook's vacancy near the candidate, a developer's, a security guard's, and a closed cook's vacancy."""
    matching = f"{stack.url('matching')}/api/v1"
    vacatures = {
        "kok": await open_vacature(client, stack, DELFT, postcode=f"{pc4} XY", titel="Kok restaurant"),
        "software": await open_vacature(
            client, stack, DELFT, titel="Developer", beroep="2512", sector="J", skills=["python"]
        ),
        "beveiliger": await open_vacature(
            client, stack, DELFT, titel="Beveiliger", beroep="5414", sector="N", skills=["klantcontact", "vca"]
        ),
        "gesloten": await open_vacature(client, stack, DELFT, postcode=f"{pc4} XZ", titel="Kok kantine"),
    }
    r = await client.post(
        f"{matching}/vacatures/{vacatures['gesloten']['vacature_id']}/sluiting", headers=stack.auth(DELFT)
    )
    assert r.status_code == 200 and r.json()["gesloten_op"] is not None
    r = await client.post(
        f"{matching}/vacatures/{vacatures['kok']['vacature_id']}/sluiting", headers=stack.auth("gemeente-zoetermeer")
    )
    assert r.status_code == 404  # only who opened it may close it
    r = await client.post(
        f"{matching}/vacatures", json={"titel": "x", "beroep": "51", "sector": "Z"}, headers=stack.auth(DELFT)
    )
    assert r.status_code == 422
    assert {"beroep", "sector", "gemeente", "open_tot"} <= {p["name"] for p in r.json()["invalid_params"]}
    return vacatures


def uitgelegd(per_vacature: dict[str, dict[str, Any]], vacatures: dict[str, dict[str, Any]]) -> str:
    """The proposals: the open cook's and guard's, explained per factor, the guard's a sector move; the agency."""
    kok, software, beveiliger, gesloten = (vacatures[k] for k in ("kok", "software", "beveiliger", "gesloten"))
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
    return str(beste["uitzendbureau"])


async def alleen_eigen_kandidaten(
    client: httpx.AsyncClient, stack: Stack, bureau: str, kandidaat: str, vacatures: dict[str, dict[str, Any]]
) -> None:
    """The agency lists its own candidates with their matches, best first; another agency never sees them."""
    matching = f"{stack.url('matching')}/api/v1"
    r = await client.get(f"{matching}/mijn-kandidaten", headers=stack.auth(bureau))
    assert r.status_code == 200
    (mijn,) = [k for k in r.json() if k["kandidaat_id"] == kandidaat]
    ids = [m["vacature_id"] for m in mijn["matches"]]
    assert ids[0] == vacatures["kok"]["vacature_id"] and vacatures["beveiliger"]["vacature_id"] in ids
    ander = "hofstad-uitzend" if bureau != "hofstad-uitzend" else "residentie-flex"
    r = await client.get(f"{matching}/mijn-kandidaten", headers=stack.auth(ander))
    assert all(k["kandidaat_id"] != kandidaat for k in r.json())
    r = await client.get(f"{matching}/mijn-kandidaten", headers=stack.auth(DELFT))
    assert r.status_code == 403


async def test_matches_respect_wishes_label_sector_moves_and_are_the_agencys_own(stack: Stack) -> None:
    matching = f"{stack.url('matching')}/api/v1"
    pc4 = str(random.randint(2600, 2629))
    reader = await BusReader(stack.infra.kafka(WAARNEMER), [MATCHES.name]).start()
    async with httpx.AsyncClient(timeout=30) as client:
        vacatures = await vacatures_in_delft(client, stack, pc4)
        kok = vacatures["kok"]
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
        bureau = uitgelegd({data_of(v)["vacature_id"]: data_of(v) for v in voorstellen}, vacatures)
        await alleen_eigen_kandidaten(client, stack, bureau, kandidaat, vacatures)

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


async def test_opening_and_closing_publish_exactly_their_events_keyed_by_the_vacancy(stack: Stack) -> None:
    matching = f"{stack.url('matching')}/api/v1"
    reader = await BusReader(stack.infra.kafka(WAARNEMER), [VACATURES.name]).start()
    async with httpx.AsyncClient(timeout=30) as client:
        r = await client.post(
            f"{matching}/vacatures",
            json={"titel": "Kok", "beroep": "5120", "sector": "I", "arbeidsmarktregio": "haaglanden"},
            headers=stack.auth(DELFT),
        )
        assert r.status_code == 422 and r.headers["content-type"].startswith("application/problem+json")
        assert "gemeente" in {p["name"] for p in r.json()["invalid_params"]}
        r = await client.post(
            f"{matching}/vacatures",
            json={"titel": "Kok", "beroep": "5120", "sector": "I", "arbeidsmarktregio": "haaglanden",
                  "gemeente": "0503", "postcode": "2611 AB", "uren_per_week": 32, "open_tot": "2099-01-01"},
            headers=stack.auth(DELFT),
        )  # fmt: skip
        assert r.status_code == 422 and [p["name"] for p in r.json()["invalid_params"]] == ["gemeente"]
        # A gemeente registers vacancies only in the arbeidsmarktregio's of its own gemeenten.
        r = await client.post(
            f"{matching}/vacatures",
            json={"titel": "Kok", "beroep": "5120", "sector": "I", "arbeidsmarktregio": "rijnmond",
                  "gemeente": "GM0599", "postcode": "3011 AB", "uren_per_week": 32, "open_tot": "2099-01-01"},
            headers=stack.auth(DELFT),
        )  # fmt: skip
        assert r.status_code == 403 and r.headers["content-type"].startswith("application/problem+json")
        assert [p["name"] for p in r.json()["invalid_params"]] == ["arbeidsmarktregio"]

        open_tot = date.today() + timedelta(days=30)
        vervuld = await open_vacature(
            client, stack, DELFT, titel="Medewerker klantcontact", beroep="4222", sector="N",
            skills=["Klantcontact", "excel"], open_tot=open_tot.isoformat(),
        )  # fmt: skip
        assert vervuld["gemeente"] == "GM0503" and vervuld["sluitreden"] is None
        ingetrokken = await open_vacature(client, stack, "hofstad-uitzend", titel="Receptionist", beroep="4226")
        r = await client.post(
            f"{matching}/vacatures/{vervuld['vacature_id']}/sluiting",
            json={"reden": "vervuld"},
            headers=stack.auth(DELFT),
        )
        assert r.status_code == 200 and r.json()["sluitreden"] == "vervuld" and r.json()["gesloten_op"]
        r = await client.post(
            f"{matching}/vacatures/{ingetrokken['vacature_id']}/sluiting", headers=stack.auth("hofstad-uitzend")
        )
        assert r.status_code == 200 and r.json()["sluitreden"] == "ingetrokken"
        r = await client.post(
            f"{matching}/vacatures/{ingetrokken['vacature_id']}/sluiting",
            json={"reden": "verlopen"},
            headers=stack.auth("hofstad-uitzend"),
        )
        assert r.status_code == 422  # only the service closes a vacancy as expired
        r = await client.post(
            f"{matching}/vacatures/{ingetrokken['vacature_id']}/sluiting", headers=stack.auth("hofstad-uitzend")
        )
        assert r.status_code == 409

        def van(vacature: dict[str, Any]) -> Any:
            return lambda rec: rec.key == vacature["vacature_id"].encode()

        await reader.until(van(vervuld), count=2)
        await reader.until(van(ingetrokken), count=2)
        await asyncio.sleep(1)  # nothing else follows
        await reader.poll()
        eerste = [rec for rec in reader.records if van(vervuld)(rec)]
        types = [headers_of(rec)["ce_type"] for rec in eerste]
        assert types == ["nl.werkkloket.VacatureGeopend.v1", "nl.werkkloket.VacatureGesloten.v1"]
        assert all(headers_of(rec)["ce_subject"] == vervuld["vacature_id"] for rec in eerste)
        assert len({rec.partition for rec in eerste}) == 1
        geopend, gesloten = (data_of(rec) for rec in eerste)
        assert geopend == {
            "vacature_id": vervuld["vacature_id"],
            "arbeidsmarktregio": "haaglanden",
            "gemeente": "GM0503",
            "door": DELFT,
            "titel": "Medewerker klantcontact",
            "beroep": "4222",
            "sector": "N",
            "postcodegebied": "2611",
            "uren_per_week": 32,
            "skills": ["excel", "klantcontact"],
            "opleidingsniveau": "mbo2",
            "open_tot": open_tot.isoformat(),
        }
        assert headers_of(eerste[0])["ce_source"] == f"/werkkloket/matching/{DELFT}"
        assert gesloten == {
            "vacature_id": vervuld["vacature_id"],
            "arbeidsmarktregio": "haaglanden",
            "gemeente": "GM0503",
            "door": DELFT,
            "datum": date.today().isoformat(),
            "reden": "vervuld",
        }
        andere = [data_of(rec) for rec in reader.records if van(ingetrokken)(rec)]
        assert [d.get("reden") for d in andere] == [None, "ingetrokken"] and andere[1]["door"] == "hofstad-uitzend"
    await reader.stop()


async def test_a_vacancy_past_its_open_tot_is_closed_as_expired(stack: Stack) -> None:
    matching = f"{stack.url('matching')}/api/v1"
    zoetermeer = "gemeente-zoetermeer"
    vandaag = date.today()
    reader = await BusReader(stack.infra.kafka(WAARNEMER), [VACATURES.name]).start()
    async with httpx.AsyncClient(timeout=30) as client:
        laatste_dag = await open_vacature(
            client, stack, zoetermeer, gemeente="GM0637", postcode="2711 AA", open_tot=vandaag.isoformat()
        )
        morgen = await open_vacature(
            client, stack, zoetermeer, gemeente="GM0637", postcode="2711 AB",
            open_tot=(vandaag + timedelta(days=1)).isoformat(),
        )  # fmt: skip
        controle = f"{matching}/beheer/termijncontrole"
        beheer = stack.auth("beheer")
        r = await client.post(controle, json={"peildatum": vandaag.isoformat(), "gemeente": "GM0637"}, headers=beheer)
        assert r.status_code == 200 and r.json()["vacatures_verlopen"] == []  # the last day still counts
        peildatum = (vandaag + timedelta(days=1)).isoformat()
        r = await client.post(controle, json={"peildatum": peildatum, "gemeente": "GM0637"}, headers=beheer)
        assert r.status_code == 200
        verlopen = r.json()["vacatures_verlopen"]
        assert laatste_dag["vacature_id"] in verlopen and morgen["vacature_id"] not in verlopen
        r = await client.post(controle, json={"peildatum": peildatum, "gemeente": "GM0637"}, headers=beheer)
        assert laatste_dag["vacature_id"] not in r.json()["vacatures_verlopen"]  # closed once

        (gesloten,) = await reader.until(
            lambda rec: ce_type_is("VacatureGesloten")(rec) and rec.key == laatste_dag["vacature_id"].encode()
        )
        assert data_of(gesloten) == {
            "vacature_id": laatste_dag["vacature_id"],
            "arbeidsmarktregio": "haaglanden",
            "gemeente": "GM0637",
            "door": zoetermeer,
            "datum": vandaag.isoformat(),
            "reden": "verlopen",
        }
        r = await client.post(
            f"{matching}/vacatures/{laatste_dag['vacature_id']}/sluiting", headers=stack.auth(zoetermeer)
        )
        assert r.status_code == 409
        await asyncio.sleep(1)
        await reader.poll()
        assert not [
            rec
            for rec in reader.records
            if ce_type_is("VacatureGesloten")(rec) and rec.key == morgen["vacature_id"].encode()
        ]
    await reader.stop()
