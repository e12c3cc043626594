"""The walking skeleton end to end, over a real Kafka broker and a real PostgreSQL server."""

from __future__ import annotations

import re
from typing import Any
from uuid import UUID

import httpx
import pytest
from aiokafka import ConsumerRecord
from werkkloket_contracts import AANMELDINGEN, ALL_TOPICS, DEAD_LETTERS, PLAATSINGEN, TOEWIJZINGEN
from werkkloket_deploy.bus.acls import ADMIN, BEHEER, WAARNEMER
from werkkloket_deploy.organisaties import GEMEENTEN

from ..conftest import Stack
from .helpers import BusReader, caught_up, ce_type_is, data_of, headers_of, producer, profiel, wait_for

pytestmark = pytest.mark.integration

GEMEENTE = "gemeente-den-haag"
UUID_RE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


async def funnel(client: httpx.AsyncClient, stack: Stack, gemeente: str, **filters: str) -> dict[str, Any]:
    """The funnel of a gemeente, read by that gemeente: its own figures, exact."""
    org = next(o.code for o in GEMEENTEN if o.gemeente == gemeente)
    r = await client.get(
        f"{stack.url('rapportage')}/api/v1/rapportage/funnel",
        params={"gemeente": gemeente, **filters},
        headers=stack.auth(org),
    )
    assert r.status_code == 200, r.text
    result: dict[str, Any] = r.json()
    assert result["onderdrukt"] is False
    return result


async def registreer(client: httpx.AsyncClient, stack: Stack, org: str = GEMEENTE, **overrides: Any) -> dict[str, Any]:
    r = await client.post(
        f"{stack.url('intake')}/api/v1/aanmeldingen", json=profiel(**overrides), headers=stack.auth(org)
    )
    assert r.status_code == 201, r.text
    result: dict[str, Any] = r.json()
    return result


async def bevestig(client: httpx.AsyncClient, stack: Stack, org: str, kandidaat: str, datum: str) -> None:
    r = await client.post(
        f"{stack.url('intake')}/api/v1/kandidaten/{kandidaat}/plaatsing-bevestiging",
        json={"bron": "uitkering_beeindigd", "datum": datum},
        headers=stack.auth(org),
    )
    assert r.status_code == 201, r.text


def assert_cloudevent(record: ConsumerRecord[bytes, bytes], kandidaat: str) -> str:
    """A KandidaatToegewezen with every CloudEvents header, keyed by the candidate; the agency."""
    headers = headers_of(record)
    assert headers["ce_specversion"] == "1.0"
    assert UUID_RE.match(headers["ce_id"])
    assert headers["ce_source"] == "/werkkloket/matching"
    assert headers["ce_type"] == "nl.werkkloket.KandidaatToegewezen.v1"
    assert headers["ce_subject"] == kandidaat
    assert re.match(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$", headers["ce_time"])
    assert headers["content-type"] == "application/json"
    assert record.key == kandidaat.encode()
    event = data_of(record)
    assert event["arbeidsmarktregio"] == "rijnmond" and event["gemeente"] == "GM0599"
    assert event["regelversie"] == "toewijzing-v2"
    assert {reden["factor"] for reden in event["redenen"]} >= {"wensberoep", "regio", "belasting"}
    return str(event["uitzendbureau"])


async def in_plaatsing(client: httpx.AsyncClient, stack: Stack, kandidaat: str, bureau: str) -> bool:
    r = await client.get(f"{stack.url('plaatsing')}/api/v1/kandidaten", headers=stack.auth(bureau))
    return any(k["kandidaat_id"] == kandidaat for k in r.json())


async def contact_data(
    client: httpx.AsyncClient, stack: Stack, kandidaat: str, bureau: str, body: dict[str, Any]
) -> None:
    """The assigned agency fetches contact data from intake; another agency may not."""
    contact = await client.get(
        f"{stack.url('intake')}/api/v1/kandidaten/{kandidaat}/contact", headers=stack.auth(bureau)
    )
    assert contact.status_code == 200
    assert contact.json()["naam"] == body["naam"] and contact.json()["email"] == body["email"]
    other = "maasvlakte-personeel" if bureau != "maasvlakte-personeel" else "bouwkracht-zuidholland"
    denied = await client.get(f"{stack.url('intake')}/api/v1/kandidaten/{kandidaat}/contact", headers=stack.auth(other))
    assert denied.status_code == 404  # another agency's candidate: existence does not leak
    assert denied.headers["content-type"].startswith("application/problem+json")


async def test_aanmelding_to_placement_and_funnel(stack: Stack) -> None:
    reader = await BusReader(stack.infra.kafka(WAARNEMER), [TOEWIJZINGEN.name]).start()
    async with httpx.AsyncClient(timeout=10) as client:
        # Rotterdam is this test's own gemeente, so the funnel's change is this test's alone.
        before = await funnel(client, stack, gemeente="GM0599")
        body = profiel(
            gemeente="GM0599",
            postcode="3011 AA",
            wensberoepen=["8322"],
            werkervaring=[{"beroep": "8322", "van": "2016-01-01", "tot": "2024-12-31"}],
        )
        rotterdam = "gemeente-rotterdam"
        r = await client.post(f"{stack.url('intake')}/api/v1/aanmeldingen", json=body, headers=stack.auth(rotterdam))
        assert r.status_code == 201, r.text
        aanmelding = r.json()
        kandidaat = aanmelding["kandidaat_id"]
        assert r.headers["location"] == f"/api/v1/aanmeldingen/{aanmelding['id']}"

        # A plain aiokafka consumer sees the assignment, with every CloudEvents header.
        (record,) = await reader.until(ce_type_is("KandidaatToegewezen", kandidaat), timeout=30)
        await reader.stop()
        bureau = assert_cloudevent(record, kandidaat)

        # The gemeente sees to whom the candidate went.
        async def assigned() -> dict[str, Any] | None:
            s = await client.get(
                f"{stack.url('intake')}/api/v1/aanmeldingen/{aanmelding['id']}", headers=stack.auth(rotterdam)
            )
            return s.json() if s.json()["status"] == "toegewezen" else None

        status = await wait_for(assigned, what="intake to see the assignment")
        assert status["uitzendbureau"] == bureau
        await contact_data(client, stack, kandidaat, bureau, body)

        # The agency records first contact, an interview and a placement.
        base = f"{stack.url('plaatsing')}/api/v1/kandidaten/{kandidaat}"
        await wait_for(lambda: in_plaatsing(client, stack, kandidaat, bureau), what="plaatsing to know the assignment")
        steps = [
            ("eerste-contact", {"datum": "2025-01-08"}),
            ("gesprekken", {"werkgever": "Gemeente Den Haag, Publieksdienst", "datum": "2025-01-15"}),
            ("plaatsingen", {"werkgever": "Haagse Zorg BV", "startdatum": "2025-02-01", "uren_per_week": 32}),
        ]
        for path, payload in steps:
            r = await client.post(f"{base}/{path}", json=payload, headers=stack.auth(bureau))
            assert r.status_code == 201, r.text
        # A placement counts once the gemeente confirms it (here: the benefit ended).
        await bevestig(client, stack, rotterdam, kandidaat, "2025-02-15")

        expected = {
            k: before["totaal"][k] + 1 for k in ("aangemeld", "toegewezen", "eerste_contact", "gesprek", "geplaatst")
        }

        async def counted() -> dict[str, Any] | None:
            now = await funnel(client, stack, gemeente="GM0599")
            got = {k: now["totaal"][k] for k in expected}
            return now if got == expected else None

        after = await wait_for(counted, timeout=30, what=f"funnel {expected}")
        assert after["filters"] == {"gemeente": "GM0599"}
        row = next(b for b in after["per_uitzendbureau"] if b["uitzendbureau"] == bureau)
        old = next((b for b in before["per_uitzendbureau"] if b["uitzendbureau"] == bureau), {"geplaatst": 0})
        assert row["geplaatst"] == old["geplaatst"] + 1


async def drive_delft(client: httpx.AsyncClient, stack: Stack, i: int, s: dict[str, Any]) -> None:
    """The i-th candidate: contact for the first 8, an interview for 5, a confirmed placement for 2."""
    bureau, base = s["uitzendbureau"], f"{stack.url('plaatsing')}/api/v1/kandidaten/{s['kandidaat_id']}"
    await wait_for(lambda: in_plaatsing(client, stack, s["kandidaat_id"], bureau))
    steps = [
        (8, "eerste-contact", {"datum": "2025-03-03"}),
        (5, "gesprekken", {"werkgever": "TU Delft", "datum": "2025-03-10"}),
        (2, "plaatsingen", {"werkgever": "TU Delft", "startdatum": "2025-04-01", "uren_per_week": 36}),
    ]
    for n, path, payload in steps:
        if i < n:
            r = await client.post(f"{base}/{path}", json=payload, headers=stack.auth(bureau))
            assert r.status_code == 201, r.text
    if i < 2:
        await bevestig(client, stack, "gemeente-delft", s["kandidaat_id"], "2025-04-15")


async def test_funnel_counts_exactly_what_was_driven(stack: Stack) -> None:
    """Twelve aanmeldingen in Delft; contact for 8, an interview for 5, a placement for 2: the funnel says so."""
    async with httpx.AsyncClient(timeout=10) as client:
        delft = "gemeente-delft"
        before = await funnel(client, stack, gemeente="GM0503")
        kandidaten = []
        for _ in range(12):
            r = await client.post(
                f"{stack.url('intake')}/api/v1/aanmeldingen",
                json=profiel(gemeente="GM0503", postcode="2611 AA"),
                headers=stack.auth(delft),
            )
            assert r.status_code == 201, r.text
            kandidaten.append(r.json())

        async def all_assigned() -> list[dict[str, Any]] | None:
            out = []
            for k in kandidaten:
                s = await client.get(f"{stack.url('intake')}/api/v1/aanmeldingen/{k['id']}", headers=stack.auth(delft))
                if s.json()["status"] != "toegewezen":
                    return None
                out.append(s.json())
            return out

        statuses = await wait_for(all_assigned, timeout=60, what="all twelve assigned")
        for i, s in enumerate(statuses):
            await drive_delft(client, stack, i, s)

        expected = {"aangemeld": 12, "toegewezen": 12, "eerste_contact": 8, "gesprek": 5, "geplaatst": 2}

        async def exact() -> dict[str, int] | None:
            now = await funnel(client, stack, gemeente="GM0503")
            delta = {k: now["totaal"][k] - before["totaal"][k] for k in expected}
            return delta if delta == expected else None

        assert await wait_for(exact, timeout=60, what=f"funnel delta {expected}") == expected


async def test_same_event_delivered_twice_has_one_effect(stack: Stack) -> None:
    """Redeliver an AanmeldingOntvangen and a PlaatsingGerealiseerd with the same ce_id: one effect each."""
    reader = await BusReader(stack.infra.kafka(WAARNEMER), [AANMELDINGEN.name, PLAATSINGEN.name]).start(
        from_beginning=True
    )
    async with httpx.AsyncClient(timeout=10) as client:
        before = await funnel(client, stack, gemeente="GM0637")
        a = await registreer(client, stack, "gemeente-zoetermeer", gemeente="GM0637", postcode="2711 AB")
        kandidaat = a["kandidaat_id"]
        (original,) = await reader.until(ce_type_is("AanmeldingOntvangen", kandidaat))
        toewijzing_reader = await BusReader(stack.infra.kafka(WAARNEMER), [TOEWIJZINGEN.name]).start(
            from_beginning=True
        )
        (toegewezen,) = await toewijzing_reader.until(ce_type_is("KandidaatToegewezen", kandidaat))
        bureau = data_of(toegewezen)["uitzendbureau"]

        async def known() -> bool:
            r = await client.get(f"{stack.url('plaatsing')}/api/v1/kandidaten", headers=stack.auth(bureau))
            return any(k["kandidaat_id"] == kandidaat for k in r.json())

        await wait_for(known)
        base = f"{stack.url('plaatsing')}/api/v1/kandidaten/{kandidaat}"
        assert (
            await client.post(f"{base}/eerste-contact", json={"datum": "2025-05-01"}, headers=stack.auth(bureau))
        ).status_code == 201
        assert (
            await client.post(
                f"{base}/plaatsingen",
                json={"werkgever": "Zoetermeer Logistiek", "startdatum": "2025-05-12", "uren_per_week": 24},
                headers=stack.auth(bureau),
            )
        ).status_code == 201
        (placed,) = await reader.until(ce_type_is("PlaatsingGerealiseerd", kandidaat))
        await bevestig(client, stack, "gemeente-zoetermeer", kandidaat, "2025-05-20")

        # Redeliver both, byte for byte, with their original ids (as `werkkloket dlq replay` would).
        p = await producer(stack.infra.kafka(BEHEER))
        try:
            for rec in (original, placed, original, placed):
                await p.send_and_wait(rec.topic, rec.value, key=rec.key, headers=list(rec.headers))
        finally:
            await p.stop()
        for group in ("werkkloket-matching", "werkkloket-rapportage"):
            await caught_up(stack.infra.kafka(ADMIN), group, [AANMELDINGEN.name, PLAATSINGEN.name])
        await toewijzing_reader.poll()
        assigned = [r for r in toewijzing_reader.records if headers_of(r)["ce_subject"] == kandidaat]
        assert len(assigned) == 1, "the redelivered aanmelding was assigned again"
        await toewijzing_reader.stop()
        await reader.stop()
        f = await funnel(client, stack, gemeente="GM0637")
        assert f["totaal"]["aangemeld"] == before["totaal"]["aangemeld"] + 1
        assert f["totaal"]["geplaatst"] == before["totaal"]["geplaatst"] + 1


async def test_bad_requests_are_problem_json(stack: Stack) -> None:
    async with httpx.AsyncClient(timeout=10) as client:
        body = profiel(telefoon="12", postcode="XYZ")
        del body["naam"]
        r = await client.post(f"{stack.url('intake')}/api/v1/aanmeldingen", json=body, headers=stack.auth(GEMEENTE))
        assert r.status_code == 422
        assert r.headers["content-type"].startswith("application/problem+json")
        problem = r.json()
        named = {p["name"] for p in problem["invalid_params"]}
        assert {"naam", "telefoon", "postcode"} <= named
        for field in ("naam", "telefoon", "postcode"):
            assert field in problem["detail"]
        assert problem["status"] == 422

        r = await client.post(
            f"{stack.url('intake')}/api/v1/aanmeldingen", json=profiel(bsn="123456789"), headers=stack.auth(GEMEENTE)
        )
        assert r.status_code == 422 and "bsn" in r.json()["detail"]  # fails the elfproef

        r = await client.post(
            f"{stack.url('intake')}/api/v1/aanmeldingen", content=b"{not json", headers=stack.auth(GEMEENTE)
        )
        assert r.status_code == 422 and r.headers["content-type"].startswith("application/problem+json")


@pytest.mark.parametrize(
    ("service", "method", "path"),
    [
        ("intake", "POST", "/api/v1/aanmeldingen"),
        ("intake", "GET", "/api/v1/aanmeldingen/00000000-0000-0000-0000-000000000000"),
        ("intake", "GET", "/api/v1/kandidaten/00000000-0000-0000-0000-000000000000/contact"),
        ("matching", "GET", "/api/v1/uitzendbureaus"),
        ("plaatsing", "GET", "/api/v1/kandidaten"),
        ("plaatsing", "POST", "/api/v1/kandidaten/00000000-0000-0000-0000-000000000000/eerste-contact"),
        ("rapportage", "GET", "/api/v1/rapportage/funnel"),
    ],
)
async def test_no_key_no_access(stack: Stack, service: str, method: str, path: str) -> None:
    async with httpx.AsyncClient(timeout=10) as client:
        for headers in ({}, {"Authorization": "Bearer wk_not-a-key"}, {"Authorization": "Basic Zm9vOmJhcg=="}):
            r = await client.request(method, stack.url(service) + path, headers=headers, json={})
            assert r.status_code == 401, (headers, r.text)
            assert r.headers["content-type"].startswith("application/problem+json")


async def test_agency_cannot_touch_another_agencys_candidate(stack: Stack) -> None:
    async with httpx.AsyncClient(timeout=10) as client:
        a = await registreer(client, stack)
        kandidaat = a["kandidaat_id"]

        async def assigned() -> str | None:
            s = await client.get(f"{stack.url('intake')}/api/v1/aanmeldingen/{a['id']}", headers=stack.auth(GEMEENTE))
            return s.json()["uitzendbureau"]

        bureau = await wait_for(assigned)
        other = "hofstad-uitzend" if bureau != "hofstad-uitzend" else "residentie-flex"

        async def known() -> bool:
            r = await client.get(f"{stack.url('plaatsing')}/api/v1/kandidaten", headers=stack.auth(bureau))
            return any(k["kandidaat_id"] == kandidaat for k in r.json())

        await wait_for(known)
        base = f"{stack.url('plaatsing')}/api/v1/kandidaten/{kandidaat}"
        for path, payload in (
            ("eerste-contact", {"datum": "2025-01-08"}),
            ("gesprekken", {"werkgever": "X", "datum": "2025-01-09"}),
            ("plaatsingen", {"werkgever": "X", "startdatum": "2025-02-01", "uren_per_week": 20}),
        ):
            r = await client.post(f"{base}/{path}", json=payload, headers=stack.auth(other))
            assert r.status_code == 404, r.text
            assert r.headers["content-type"].startswith("application/problem+json")
        # A gemeente key is the wrong role for the agency API.
        r = await client.post(f"{base}/eerste-contact", json={"datum": "2025-01-08"}, headers=stack.auth(GEMEENTE))
        assert r.status_code == 403
        # The other agency's list does not show the candidate.
        r = await client.get(f"{stack.url('plaatsing')}/api/v1/kandidaten", headers=stack.auth(other))
        assert all(k["kandidaat_id"] != kandidaat for k in r.json())


async def test_undecodable_event_is_dead_lettered_and_consumer_goes_on(stack: Stack) -> None:
    dlq = await BusReader(stack.infra.kafka(WAARNEMER), [DEAD_LETTERS.name]).start()
    toewijzingen = await BusReader(stack.infra.kafka(WAARNEMER), [TOEWIJZINGEN.name]).start()
    p = await producer(stack.infra.kafka("intake"))  # a faulty producer on its own topic
    try:
        await p.send_and_wait(AANMELDINGEN.name, b"\x00\xffnot json at all", key=b"garbage-1")
    finally:
        await p.stop()
    async with httpx.AsyncClient(timeout=10) as client:
        a = await registreer(client, stack)
    # matching, plaatsing (herinstroom) and rapportage read this topic
    dead = await dlq.until(lambda r: r.key == b"garbage-1", count=3, timeout=30)
    groups = {headers_of(r)["dlq_consumer_group"] for r in dead}
    assert groups == {"werkkloket-matching", "werkkloket-plaatsing", "werkkloket-rapportage"}
    for r in dead:
        h = headers_of(r)
        assert h["dlq_reason_code"] == "missing-headers"
        assert "ce_specversion" in h["dlq_reason"]
        assert h["dlq_original_topic"] == AANMELDINGEN.name
        assert int(h["dlq_original_offset"]) >= 0
        assert r.value == b"\x00\xffnot json at all"
    await toewijzingen.until(ce_type_is("KandidaatToegewezen", a["kandidaat_id"]), timeout=30)
    await dlq.stop()
    await toewijzingen.stop()


async def test_no_direct_identifier_on_the_bus(stack: Stack) -> None:
    """Whatever was posted to intake as name, phone or e-mail appears in no message on any topic."""
    async with httpx.AsyncClient(timeout=10) as client:
        posted = [profiel() for _ in range(3)]
        ids = []
        for body in posted:
            r = await client.post(f"{stack.url('intake')}/api/v1/aanmeldingen", json=body, headers=stack.auth(GEMEENTE))
            assert r.status_code == 201
            ids.append(r.json()["kandidaat_id"])
    reader = await BusReader(stack.infra.kafka(WAARNEMER), [t.name for t in ALL_TOPICS]).start(from_beginning=True)
    for kandidaat in ids:
        await reader.until(ce_type_is("KandidaatToegewezen", kandidaat), timeout=30)
    await reader.poll()
    await reader.stop()
    assert len(reader.records) >= 6
    secrets = [
        s.encode() for body in posted for s in (body["naam"], body["telefoon"], body["email"], "2512 AB", "2512AB")
    ]
    for record in reader.records:
        blob = (record.value or b"") + (record.key or b"") + b"".join(k.encode() + v for k, v in record.headers)
        for secret in secrets:
            assert secret not in blob, f"{secret!r} found on {record.topic}"
    for kandidaat in ids:
        assert UUID(kandidaat)
