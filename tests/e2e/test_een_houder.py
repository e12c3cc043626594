"""One holder at a time, and access that ends: after every step of a candidate's way exactly one agency (or none)
reads the contact data, within seconds, and the processing log shows each read.

Give-back through plaatsing and decline through matching are one give-back (the same two events); withdrawing
consent for the hand-off and ending the mediation end the agency's access too.
"""

from __future__ import annotations

import asyncio
import json
from datetime import date, timedelta
from typing import Any

import httpx
import pytest
from werkkloket_contracts import AANMELDINGEN, PLAATSINGEN, TOEWIJZINGEN, Afwijzingsgegevens
from werkkloket_deploy.bus.acls import WAARNEMER
from werkkloket_deploy.organisaties import REGISTRY

from ..conftest import Stack
from .helpers import BusReader, ce_type_is, data_of, geopend, profiel, wait_for

pytestmark = pytest.mark.integration

DEN_HAAG = "gemeente-den-haag"
# Within this many seconds after a step, access follows it.
BINNEN = 10.0
BUREAUS = tuple(
    b["code"]
    for b in json.loads((REGISTRY / "uitzendbureaus.json").read_text())["uitzendbureaus"]
    if "haaglanden" in b["regios"]
)


async def lezers(client: httpx.AsyncClient, stack: Stack, kandidaat: str) -> set[str]:
    """The region's agencies that get the contact data now; every other one gets 404."""

    async def lees(bureau: str) -> tuple[str, int]:
        r = await client.get(f"{stack.url('intake')}/api/v1/kandidaten/{kandidaat}/contact", headers=stack.auth(bureau))
        assert r.status_code in (200, 404), (bureau, r.status_code, r.text)
        return bureau, r.status_code

    uitkomsten = await asyncio.gather(*(lees(b) for b in BUREAUS))
    return {b for b, code in uitkomsten if code == 200}


async def alleen(client: httpx.AsyncClient, stack: Stack, kandidaat: str, bureau: str | None) -> list[str]:
    """Wait (at most BINNEN seconds) until exactly `bureau` (None: no agency) reads the contact data; the agencies
    that read it on the way (each read is one processing log record)."""
    gelezen: list[str] = []

    async def precies() -> bool | None:
        nu = await lezers(client, stack, kandidaat)
        gelezen.extend(sorted(nu))
        return nu == ({bureau} if bureau else set()) or None

    await wait_for(precies, timeout=BINNEN, what=f"only {bureau or 'no agency'} reading the contact data")
    return gelezen


async def intake_houder(client: httpx.AsyncClient, stack: Stack, aanmelding_id: str) -> dict[str, Any]:
    r = await client.get(f"{stack.url('intake')}/api/v1/aanmeldingen/{aanmelding_id}", headers=stack.auth(DEN_HAAG))
    assert r.status_code == 200, r.text
    status: dict[str, Any] = r.json()
    return status


async def registreer(client: httpx.AsyncClient, stack: Stack, **overrides: Any) -> dict[str, Any]:
    r = await client.post(
        f"{stack.url('intake')}/api/v1/aanmeldingen", json=profiel(**overrides), headers=stack.auth(DEN_HAAG)
    )
    assert r.status_code == 201, r.text
    aanmelding: dict[str, Any] = r.json()
    return aanmelding


async def toegewezen_aan(client: httpx.AsyncClient, stack: Stack, aanmelding: dict[str, Any]) -> str:
    async def bureau() -> str | None:
        houder: str | None = (await intake_houder(client, stack, aanmelding["id"]))["uitzendbureau"]
        return houder

    return await wait_for(bureau, what="the assignment in intake")


async def contactlezingen(client: httpx.AsyncClient, stack: Stack, kandidaat: str) -> list[str]:
    r = await client.get(
        f"{stack.url('intake')}/api/v1/logboek", params={"kandidaat_id": kandidaat}, headers=stack.auth(DEN_HAAG)
    )
    assert r.status_code == 200, r.text
    return sorted(rec["organisatie"] for rec in r.json() if rec["name"] == "contactgegevens gelezen")


async def plaats(
    client: httpx.AsyncClient, stack: Stack, kandidaat: str, bureau: str, op: date, werkgever: str = "Bakkerij Houtrust"
) -> str:
    """First contact and a placement starting `op`, recorded by `bureau` once plaatsing knows it holds the
    candidate; the placement's id."""
    r: httpx.Response | None = None
    for pad, body in (
        ("eerste-contact", {"datum": op.isoformat()}),
        ("plaatsingen", {"werkgever": werkgever, "startdatum": op.isoformat(), "uren_per_week": 32}),
    ):

        async def vastgelegd(pad: str = pad, body: dict[str, Any] = body) -> httpx.Response | None:
            r = await client.post(
                f"{stack.url('plaatsing')}/api/v1/kandidaten/{kandidaat}/{pad}", json=body, headers=stack.auth(bureau)
            )
            assert r.status_code in (201, 404), r.text  # 404: plaatsing has not seen the reassignment yet
            return r if r.status_code == 201 else None

        r = await wait_for(vastgelegd, timeout=BINNEN, what=f"plaatsing accepting {pad}")
    assert r is not None
    plaatsing_id: str = r.json()["id"]
    return plaatsing_id


async def test_give_back_reassignment_placement_and_its_end_leave_one_reader_or_none(stack: Stack) -> None:
    reader = await BusReader(stack.infra.kafka(WAARNEMER), [TOEWIJZINGEN.name, PLAATSINGEN.name]).start()
    gelezen: list[str] = []
    vandaag = date.today()
    try:
        async with httpx.AsyncClient(timeout=15) as client:
            a = await registreer(client, stack)
            kandidaat = a["kandidaat_id"]
            eerste = await toegewezen_aan(client, stack, a)
            gelezen += await alleen(client, stack, kandidaat, eerste)

            # Give-back through plaatsing: matching reassigns to another agency (or the gemeente) within seconds.
            r = await client.post(
                f"{stack.url('plaatsing')}/api/v1/kandidaten/{kandidaat}/afwijzing",
                json={"datum": vandaag.isoformat(), "reden": "geen_passend_werk"},
                headers=stack.auth(eerste),
            )
            assert r.status_code == 201, r.text
            (her,) = await reader.until(ce_type_is("KandidaatHertoegewezen", kandidaat), timeout=BINNEN)
            nieuw = data_of(her)
            assert (nieuw["vorig_uitzendbureau"], nieuw["aanleiding"]) == (eerste, "afgewezen")
            assert nieuw["toewijzingsversie"] == 2 and "geen_passend_werk" not in json.dumps(nieuw)
            afwijzing = await geopend(stack.infra, her, Afwijzingsgegevens, "plaatsing")
            assert afwijzing is not None and afwijzing.reden == "geen_passend_werk"  # encrypted for the person
            tweede: str | None = nieuw["uitzendbureau"]
            gelezen += await alleen(client, stack, kandidaat, tweede)
            status = await intake_houder(client, stack, a["id"])
            assert status["uitzendbureau"] == tweede
            assert tweede is not None, "the region has agencies with free places"

            # The new agency places the candidate: it keeps access while the placement runs.
            plaatsing_id = await plaats(client, stack, kandidaat, tweede, vandaag)
            gelezen += await alleen(client, stack, kandidaat, tweede)

            # The placement ends: nobody holds the candidate any more.
            r = await client.post(
                f"{stack.url('plaatsing')}/api/v1/plaatsingen/{plaatsing_id}/beeindiging",
                json={"einddatum": (vandaag + timedelta(days=1)).isoformat(), "reden": "einde_contract"},
                headers=stack.auth(tweede),
            )
            assert r.status_code == 201, r.text
            gelezen += await alleen(client, stack, kandidaat, None)
            (einde,) = await reader.until(ce_type_is("ToewijzingBeeindigd", kandidaat), timeout=BINNEN)
            assert data_of(einde)["uitzendbureau"] == tweede
            assert (data_of(einde)["aanleiding"], data_of(einde)["toewijzingsversie"]) == ("plaatsing_beeindigd", 3)
            status = await intake_houder(client, stack, a["id"])
            assert (status["uitzendbureau"], status["status"]) == (None, "afgerond")
            r = await client.get(
                f"{stack.url('matching')}/api/v1/toewijzingen/{kandidaat}", headers=stack.auth(DEN_HAAG)
            )
            assert (r.json()["status"], r.json()["uitzendbureau"], r.json()["versie"]) == ("beeindigd", None, 3)

            # Every read that returned the contact data is in the processing log, with the agency that read it.
            assert await contactlezingen(client, stack, kandidaat) == sorted(gelezen)
            assert set(gelezen) == {eerste, tweede}
    finally:
        await reader.stop()


async def test_a_decline_in_matching_is_the_same_give_back(stack: Stack) -> None:
    reader = await BusReader(stack.infra.kafka(WAARNEMER), [TOEWIJZINGEN.name, PLAATSINGEN.name]).start()
    try:
        async with httpx.AsyncClient(timeout=15) as client:
            a = await registreer(client, stack)
            kandidaat = a["kandidaat_id"]
            eerste = await toegewezen_aan(client, stack, a)
            r = await client.post(
                f"{stack.url('matching')}/api/v1/toewijzingen/{kandidaat}/afwijzing",
                json={"reden": "kandidaat woont te ver weg", "afwijzingsreden": "niet_beschikbaar"},
                headers=stack.auth(eerste),
            )
            assert r.status_code == 200, r.text
            (afgewezen,) = await reader.until(ce_type_is("KandidaatAfgewezen", kandidaat), timeout=BINNEN)
            assert data_of(afgewezen)["uitzendbureau"] == eerste and "reden" not in data_of(afgewezen)
            afwijzing = await geopend(stack.infra, afgewezen, Afwijzingsgegevens)
            assert afwijzing is not None and afwijzing.reden == "niet_beschikbaar"
            (her,) = await reader.until(ce_type_is("KandidaatHertoegewezen", kandidaat), timeout=BINNEN)
            assert data_of(her)["vorig_uitzendbureau"] == eerste and data_of(her)["aanleiding"] == "afgewezen"
            await alleen(client, stack, kandidaat, data_of(her)["uitzendbureau"])
            # The give-back event plaatsing published does not move the candidate a second time.
            await asyncio.sleep(1)
            await reader.poll()
            assert len([r for r in reader.records if ce_type_is("KandidaatHertoegewezen", kandidaat)(r)]) == 1
            assert len([r for r in reader.records if ce_type_is("KandidaatAfgewezen", kandidaat)(r)]) == 1
    finally:
        await reader.stop()


async def test_withdrawn_consent_and_ended_mediation_end_access_and_no_agency_gets_it_again(stack: Stack) -> None:
    reader = await BusReader(stack.infra.kafka(WAARNEMER), [AANMELDINGEN.name, TOEWIJZINGEN.name]).start()
    try:
        async with httpx.AsyncClient(timeout=15) as client:
            ingetrokken, beeindigd = await registreer(client, stack), await registreer(client, stack)
            for a in (ingetrokken, beeindigd):
                await alleen(client, stack, a["kandidaat_id"], await toegewezen_aan(client, stack, a))

            r = await client.post(
                f"{stack.url('intake')}/api/v1/aanmeldingen/{ingetrokken['id']}/toestemmingen",
                json={"doel": "overdracht_uitzendbureau", "gegeven": False, "tekstversie": "2026.1"},
                headers=stack.auth(DEN_HAAG),
            )
            assert r.status_code == 201, r.text
            stand = r.json()
            assert stand["geldend"]["overdracht_uitzendbureau"] is False
            assert [(g["doel"], g["gegeven"]) for g in stand["geschiedenis"]] == [
                ("overdracht_uitzendbureau", True),
                ("overdracht_uitzendbureau", False),
            ]
            # At once, in intake itself: no agency reads the contact data any more.
            assert await lezers(client, stack, ingetrokken["kandidaat_id"]) == set()
            status = await intake_houder(client, stack, ingetrokken["id"])
            assert (status["uitzendbureau"], status["status"]) == (None, "bij_gemeente")
            # Withdrawing again: nothing holds to withdraw.
            r = await client.post(
                f"{stack.url('intake')}/api/v1/aanmeldingen/{ingetrokken['id']}/toestemmingen",
                json={"doel": "overdracht_uitzendbureau", "gegeven": False},
                headers=stack.auth(DEN_HAAG),
            )
            assert r.status_code == 409 and r.headers["content-type"].startswith("application/problem+json")

            r = await client.post(
                f"{stack.url('intake')}/api/v1/aanmeldingen/{beeindigd['id']}/beeindiging",
                json={"reden": "werk_gevonden"},
                headers=stack.auth(DEN_HAAG),
            )
            assert r.status_code == 200, r.text
            assert (r.json()["status"], r.json()["uitzendbureau"]) == ("beeindigd", None)
            assert await lezers(client, stack, beeindigd["kandidaat_id"]) == set()

            # Matching ends both assignments (each agency's place is freed) and never assigns them again.
            for a, aanleiding, status_na in (
                (ingetrokken, "toestemming_ingetrokken", "bij_gemeente"),
                (beeindigd, "bemiddeling_beeindigd", "beeindigd"),
            ):
                (einde,) = await reader.until(ce_type_is("ToewijzingBeeindigd", a["kandidaat_id"]), timeout=BINNEN)
                assert data_of(einde)["aanleiding"] == aanleiding
                r = await client.get(
                    f"{stack.url('matching')}/api/v1/toewijzingen/{a['kandidaat_id']}", headers=stack.auth(DEN_HAAG)
                )
                assert (r.json()["status"], r.json()["uitzendbureau"]) == ("beeindigd", None)
                assert (await intake_houder(client, stack, a["id"]))["status"] == status_na
            (ev,) = await reader.until(ce_type_is("ToestemmingIngetrokken", ingetrokken["kandidaat_id"]))
            assert data_of(ev)["doel"] == "overdracht_uitzendbureau"
            (ev,) = await reader.until(ce_type_is("BemiddelingBeeindigd", beeindigd["kandidaat_id"]))
            assert data_of(ev)["reden"] == "werk_gevonden"

            # A changed profile of the withdrawn one is not handed to an agency again.
            r = await client.patch(
                f"{stack.url('intake')}/api/v1/aanmeldingen/{ingetrokken['id']}",
                json={"wensberoepen": ["5120"]},
                headers=stack.auth(DEN_HAAG),
            )
            assert r.status_code == 200, r.text
            (gewijzigd,) = await reader.until(ce_type_is("ProfielAangevuld", ingetrokken["kandidaat_id"]))
            assert data_of(gewijzigd)["naar_uitzendbureau"] is False
            await asyncio.sleep(1)
            assert await lezers(client, stack, ingetrokken["kandidaat_id"]) == set()
            # The ended one cannot be changed any more.
            r = await client.patch(
                f"{stack.url('intake')}/api/v1/aanmeldingen/{beeindigd['id']}",
                json={"wensberoepen": ["5120"]},
                headers=stack.auth(DEN_HAAG),
            )
            assert r.status_code == 409, r.text
    finally:
        await reader.stop()


async def test_consent_per_purpose_is_recorded_with_person_text_version_and_history(stack: Stack) -> None:
    async with httpx.AsyncClient(timeout=15) as client:
        toestemming = {**profiel()["toestemming"], "doelen": ["onderzoek"], "tekstversie": "2026.1-b"}
        a = await registreer(client, stack, toestemming=toestemming)
        # No consent for the hand-off: the gemeente keeps the candidate.
        assert a["status"] in ("bij_gemeente", "mogelijk_dubbel"), a
        url = f"{stack.url('intake')}/api/v1/aanmeldingen/{a['id']}/toestemmingen"
        r = await client.get(url, headers=stack.auth(DEN_HAAG))
        assert r.status_code == 200, r.text
        assert r.json()["geldend"] == {
            "overdracht_uitzendbureau": False,
            "delen_mobiliteitsteam": False,
            "skills_paspoort": False,
            "onderzoek": True,
        }
        (regel,) = r.json()["geschiedenis"]
        assert (regel["tekstversie"], regel["organisatie"]) == ("2026.1-b", DEN_HAAG) and regel["vastgelegd_door"]
        r = await client.post(
            url, json={"doel": "delen_mobiliteitsteam", "gegeven": True}, headers=stack.auth(DEN_HAAG)
        )
        assert r.status_code == 201 and r.json()["geldend"]["delen_mobiliteitsteam"] is True, r.text
        r = await client.post(url, json={"doel": "verkopen", "gegeven": True}, headers=stack.auth(DEN_HAAG))
        assert r.status_code == 422 and r.json()["invalid_params"][0]["name"].endswith("doel"), r.text
        # Another gemeente does not see it exists.
        r = await client.get(url, headers=stack.auth("gemeente-delft"))
        assert r.status_code == 404, r.text


async def test_access_ends_once_the_last_follow_up_of_a_placement_is_confirmed(stack: Stack) -> None:
    vandaag = date.today()
    begonnen = vandaag - timedelta(days=400)  # the 12-month checkpoint lies behind us
    async with httpx.AsyncClient(timeout=15) as client:
        a = await registreer(client, stack)
        kandidaat = a["kandidaat_id"]
        bureau = await toegewezen_aan(client, stack, a)
        plaatsing_id = await plaats(client, stack, kandidaat, bureau, begonnen)
        opvolging = f"{stack.url('plaatsing')}/api/v1/plaatsingen/{plaatsing_id}/opvolging"
        r = await client.post(f"{opvolging}/6", json={"datum": vandaag.isoformat()}, headers=stack.auth(bureau))
        assert r.status_code == 201, r.text
        await asyncio.sleep(1)
        assert await lezers(client, stack, kandidaat) == {bureau}  # not the last checkpoint: it keeps access
        r = await client.post(f"{opvolging}/12", json={"datum": vandaag.isoformat()}, headers=stack.auth(bureau))
        assert r.status_code == 201, r.text
        await alleen(client, stack, kandidaat, None)
        status = await intake_houder(client, stack, a["id"])
        assert (status["uitzendbureau"], status["status"]) == (None, "afgerond")
