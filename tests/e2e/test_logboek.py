"""The processing log: contact and BSN reads, and consent, category and holder changes, each with the person who
did it, the registered processing activity and the trace of the request; one registration is one trace."""

from __future__ import annotations

import csv
import io
import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

import httpx
import pytest
from werkkloket_contracts.referentie import verwerking
from werkkloket_deploy import audit

from ..conftest import Stack
from .helpers import profiel, wait_for
from .test_intake_toewijzing import nieuw_bsn

pytestmark = pytest.mark.integration

DEN_HAAG, DELFT, BUREAU = "gemeente-den-haag", "gemeente-delft", "centraal-werkt"


def traceparent() -> tuple[str, str]:
    """A caller's own W3C traceparent, and its trace id."""
    trace_id = secrets.token_hex(16)
    return f"00-{trace_id}-{secrets.token_hex(8)}-01", trace_id


def bearer(token: str, **extra: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}", **extra}


async def logboek(
    client: httpx.AsyncClient, stack: Stack, service: str, org: str, kandidaat_id: str
) -> list[dict[str, Any]]:
    r = await client.get(
        f"{stack.url(service)}/api/v1/logboek", params={"kandidaat_id": kandidaat_id}, headers=stack.auth(org)
    )
    assert r.status_code == 200, r.text
    records: list[dict[str, Any]] = r.json()
    return records


@dataclass(frozen=True)
class Geregistreerd:
    aanmelding: dict[str, Any]
    naam: str
    trace_id: str


def subject_of(stack: Stack, token: str) -> str:
    userinfo = httpx.get(f"{stack.issuer}/protocol/openid-connect/userinfo", headers=bearer(token), timeout=10)
    sub: str = userinfo.json()["sub"]
    return sub


async def registreer(client: httpx.AsyncClient, stack: Stack, consulent: str) -> Geregistreerd:
    """The gemeente's consultant registers a person with a BSN and consent, in a trace of her own; matching
    assigns the candidate on the registration's event in that same trace, with the platform as actor."""
    header, trace_id = traceparent()
    body = profiel(bsn=nieuw_bsn())
    r = await client.post(
        f"{stack.url('intake')}/api/v1/aanmeldingen", json=body, headers=bearer(consulent, traceparent=header)
    )
    assert r.status_code == 201, r.text
    assert r.headers["traceparent"].split("-")[1] == trace_id
    aanmelding = r.json()
    assert aanmelding["bsn"] and aanmelding["categorie"] is not None

    async def toegewezen() -> list[dict[str, Any]] | None:
        return await logboek(client, stack, "matching", DEN_HAAG, aanmelding["kandidaat_id"]) or None

    (toewijzing,) = await wait_for(toegewezen, what="the assignment in matching's processing log")
    assert toewijzing["trace_id"] == trace_id
    assert toewijzing["processing_activity_id"] == verwerking("uitzendbureau-toewijzen").uri
    assert (toewijzing["rol"], toewijzing["persoon"]) == ("systeem", None)
    return Geregistreerd(aanmelding, body["naam"], trace_id)


async def naar_bureau(client: httpx.AsyncClient, stack: Stack, consulent: str, g: Geregistreerd) -> bool:
    """The consultant hands the candidate to the agency whose person reads the contact data; False when the rule
    had chosen that agency already."""
    kandidaat = g.aanmelding["kandidaat_id"]
    hand = await client.post(
        f"{stack.url('matching')}/api/v1/toewijzingen/{kandidaat}/hertoewijzing",
        json={"reden": "kandidaat kent dit bureau al", "uitzendbureau": BUREAU},
        headers=bearer(consulent),
    )
    assert hand.status_code in (200, 409), hand.text  # 409: the agency has the candidate already

    async def bij_bureau() -> bool | None:
        r = await client.get(
            f"{stack.url('intake')}/api/v1/aanmeldingen/{g.aanmelding['id']}", headers=bearer(consulent)
        )
        return r.json()["uitzendbureau"] == BUREAU or None

    await wait_for(bij_bureau, what="the candidate with the agency in intake")
    return hand.status_code == 200


async def test_reads_and_changes_are_logged_with_person_activity_and_trace(stack: Stack) -> None:
    people = stack.idp.identities
    consulent, bemiddelaar = people.person_token(DEN_HAAG), people.person_token(BUREAU)
    subject = {DEN_HAAG: subject_of(stack, consulent), BUREAU: subject_of(stack, bemiddelaar)}
    async with httpx.AsyncClient(timeout=15) as client:
        g = await registreer(client, stack, consulent)
        kandidaat = g.aanmelding["kandidaat_id"]
        met_de_hand = await naar_bureau(client, stack, consulent, g)

        # The agency's person reads the contact data, in a trace of its own.
        header, lezing_trace = traceparent()
        r = await client.get(
            f"{stack.url('intake')}/api/v1/kandidaten/{kandidaat}/contact",
            headers=bearer(bemiddelaar, traceparent=header),
        )
        assert r.status_code == 200 and r.json()["naam"] == g.naam, r.text

        records = await logboek(client, stack, "intake", DEN_HAAG, kandidaat)
        by_name = {rec["name"]: rec for rec in records}
        contact = by_name["contactgegevens gelezen"]
        assert contact["trace_id"] == lezing_trace
        assert (contact["persoon"], contact["organisatie"], contact["rol"]) == (
            subject[BUREAU],
            BUREAU,
            "uitzendbureau",
        )
        assert contact["processing_activity_id"] == verwerking("contactgegevens-verstrekken").uri
        assert (contact["data_subject_id"], contact["data_subject_id_type"]) == (kandidaat, "kandidaat_id")
        assert contact["gemeente"] == "GM0518" and contact["status_code"] == 1
        assert len(contact["trace_id"]) == 32 and len(contact["span_id"]) == 16
        # From the request's start until the record was written: the read lies in between.
        assert datetime.fromisoformat(contact["start_time"]) < datetime.fromisoformat(contact["end_time"])
        for naam, activiteit in (
            ("toestemming vastgelegd", "toestemming-vastleggen"),
            ("categorie vastgesteld", "categorie-vaststellen"),
            ("BSN gelezen", "bsn-inzien"),
        ):
            rec = by_name[naam]
            assert rec["trace_id"] == g.trace_id, naam
            assert (rec["persoon"], rec["organisatie"]) == (subject[DEN_HAAG], DEN_HAAG), naam
            assert rec["processing_activity_id"] == verwerking(activiteit).uri, naam

        # The holder change by hand is logged with the consultant who made it.
        matching = await logboek(client, stack, "matching", DEN_HAAG, kandidaat)
        door_consulent = [m["name"] for m in matching if m["persoon"] == subject[DEN_HAAG]]
        assert door_consulent == (["hertoegewezen aan uitzendbureau"] if met_de_hand else [])

        # `werkkloket audit` reads every service's log: intake's and matching's records together, newest first.
        alles = audit.lees(
            {s: stack.url(s) for s in stack.services}, stack.token(DEN_HAAG), kandidaat_id=UUID(kandidaat)
        )
        assert len(alles) == len(records) + len(matching)
        assert [r["start_time"] for r in alles] == sorted((r["start_time"] for r in alles), reverse=True)
        assert "contactgegevens gelezen" in audit.als_tabel(alles) and lezing_trace in audit.als_csv(alles)


async def test_each_bsn_in_a_list_is_logged_and_the_log_is_the_gemeentes_own(stack: Stack) -> None:
    async with httpx.AsyncClient(timeout=15) as client:
        g = await registreer(client, stack, stack.token(DEN_HAAG))
        kandidaat = g.aanmelding["kandidaat_id"]
        r = await client.get(
            f"{stack.url('intake')}/api/v1/aanmeldingen", params={"limit": 20}, headers=stack.auth(DEN_HAAG)
        )
        assert r.status_code == 200, r.text
        met_bsn = sorted(a["kandidaat_id"] for a in r.json() if a["bsn"])
        assert kandidaat in met_bsn
        lijst_trace = r.headers["traceparent"].split("-")[1]
        r = await client.get(
            f"{stack.url('intake')}/api/v1/logboek", params={"trace_id": lijst_trace}, headers=stack.auth(DEN_HAAG)
        )
        assert sorted(rec["data_subject_id"] for rec in r.json()) == met_bsn
        assert {rec["name"] for rec in r.json()} == {"BSN gelezen"}

        # The same records as CSV; another gemeente sees none of them.
        r = await client.get(
            f"{stack.url('intake')}/api/v1/logboek.csv",
            params={"kandidaat_id": kandidaat},
            headers=stack.auth(DEN_HAAG),
        )
        assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
        rows = list(csv.DictReader(io.StringIO(r.text)))
        assert lijst_trace in {row["trace_id"] for row in rows}
        assert {row["name"] for row in rows} >= {"toestemming vastgelegd", "BSN gelezen"}
        assert await logboek(client, stack, "intake", DELFT, kandidaat) == []
        assert await logboek(client, stack, "matching", DELFT, kandidaat) == []
