"""Trace context over HTTP and CloudEvents headers, and the processing log's declared activities; the log's rows
in a real database are tested end to end (tests/e2e/test_logboek.py)."""

from __future__ import annotations

import asyncio
import secrets
from datetime import UTC, datetime
from typing import Any
from uuid import uuid4

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from werkkloket_contracts import AanmeldingOntvangen, decode, encode
from werkkloket_contracts.envelope import CE_TRACEPARENT
from werkkloket_contracts.referentie import VERWERKINGEN, verwerking
from werkkloket_runtime import tracing
from werkkloket_runtime.http import install_problem_handlers
from werkkloket_runtime.logboek import Actor, Betrokkene, Logboek, Verantwoording
from werkkloket_runtime.toegang import Toegang, toegang


def traceparent() -> tuple[str, str, str]:
    trace_id, span_id = secrets.token_hex(16), secrets.token_hex(8)
    return f"00-{trace_id}-{span_id}-01", trace_id, span_id


def echo_app() -> FastAPI:
    app = FastAPI()
    install_problem_handlers(app)

    @app.get("/ids")
    async def ids() -> dict[str, Any]:
        current = tracing.huidige()
        assert current is not None
        return {"trace_id": current.trace_id, "span_id": current.span_id, "parent": current.parent_span_id}

    return app


def test_a_request_continues_the_callers_trace_and_names_its_span_in_the_response() -> None:
    header, trace_id, caller_span = traceparent()
    with TestClient(echo_app()) as client:
        r = client.get("/ids", headers={"traceparent": header})
        ids = r.json()
        assert (ids["trace_id"], ids["parent"]) == (trace_id, caller_span)
        assert ids["span_id"] != caller_span
        assert r.headers["traceparent"] == f"00-{trace_id}-{ids['span_id']}-01"
        # Without (or with a malformed) traceparent a request starts a trace of its own.
        fresh = [client.get("/ids", headers=h).json() for h in ({}, {"traceparent": "00-zz-yy-01"})]
        assert all(f["parent"] is None and f["trace_id"] != trace_id for f in fresh)
        assert fresh[0]["trace_id"] != fresh[1]["trace_id"]
        # A refusal names its trace too.
        assert client.get("/bestaat-niet").headers["traceparent"].startswith("00-")


def aanmelding() -> AanmeldingOntvangen:
    return AanmeldingOntvangen(
        kandidaat_id=uuid4(),
        aanmelding_id=uuid4(),
        gemeente="GM0518",
        arbeidsmarktregio="haaglanden",
        opleidingsniveau="mbo3",
        wensberoepen=["4110"],
        uitkering="ww",
    )


def test_an_event_carries_the_publishing_span_and_its_handler_runs_in_a_child_span() -> None:
    header, trace_id, caller_span = traceparent()
    with tracing.span("POST /api/v1/aanmeldingen", header):
        published = tracing.huidige()
        record = encode(aanmelding(), source="/werkkloket/intake", traceparent=tracing.traceparent())
    assert published is not None and published.parent_span_id == caller_span
    assert record.headers[CE_TRACEPARENT] == f"00-{trace_id}-{published.span_id}-01"
    envelope = decode(record.headers, record.value)
    with tracing.event_span(envelope):
        handling = tracing.huidige()
        assert handling is not None and handling.begin is not None
        assert handling.begin <= datetime.now(UTC)  # a record's start_time: when the handling began
    assert handling is not None
    assert (handling.trace_id, handling.parent_span_id) == (trace_id, published.span_id)
    # Tracing is context: a malformed header is dropped, the event is still accepted.
    bad = decode({**record.headers, CE_TRACEPARENT: "nonsense"}, record.value)
    assert bad.traceparent is None and bad.data == envelope.data
    assert CE_TRACEPARENT not in encode(aanmelding(), source="/werkkloket/intake").headers


def test_endpoints_declare_registered_activities_and_the_log_refuses_any_other() -> None:
    with pytest.raises(KeyError, match="register"):
        toegang("gemeente", scope="gemeente", verwerkingen=("nieuwsgierigheid",))
    declared = Toegang(("uitzendbureau",), "uitzendbureau", ("contactgegevens-verstrekken",))
    assert declared.beschrijving()["verwerkingen"] == ["urn:werkkloket:verwerking:contactgegevens-verstrekken:1"]
    log = Verantwoording(
        Logboek.voor("intake", "intake"), Actor("centraal-werkt", "uitzendbureau", "p-1"), declared.verwerkingen
    )
    with pytest.raises(RuntimeError, match="not declared"):  # before any database is touched
        asyncio.run(log.vastleggen(None, "bsn-inzien", "BSN gelezen", [Betrokkene(uuid4(), "GM0518")]))  # type: ignore[arg-type]


def test_the_register_names_each_activity_with_purpose_legal_basis_and_version() -> None:
    assert {"contactgegevens-verstrekken", "bsn-inzien", "toestemming-vastleggen"} <= set(VERWERKINGEN)
    for activiteit in VERWERKINGEN.values():
        assert activiteit.doel and activiteit.grondslag and activiteit.versie >= 1
        assert verwerking(activiteit.id).uri == f"urn:werkkloket:verwerking:{activiteit.id}:{activiteit.versie}"
    assert Logboek.voor("matching", "matching").table.schema == "matching_logboek"
