"""CloudEvents binary-mode envelope: what goes on the wire, and what decode refuses."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta, timezone
from uuid import UUID

import pytest
from pydantic import ValidationError
from werkkloket_contracts import (
    PRODUCER_OF,
    AanmeldingOntvangen,
    DecodeError,
    Gebeurtenis,
    KafkaRecord,
    PlaatsingGerealiseerd,
    Werkervaring,
    decode,
    encode,
    service_of,
    source_of,
    topic_for,
)
from werkkloket_contracts.envelope import MAX_VALUE_BYTES, REQUIRED_HEADERS


def source_for(event: Gebeurtenis) -> str:
    """The event's own producer, acting for an organisation."""
    return source_of(PRODUCER_OF[type(event)], "gemeente-den-haag")


CE_TYPE = re.compile(r"^nl\.werkkloket\.[A-Z][A-Za-z]+\.v[1-9]$")


def record_of(event: Gebeurtenis, **kwargs: object) -> KafkaRecord:
    return encode(event, source=source_for(event), **kwargs)  # type: ignore[arg-type]


def kafka_headers(headers: dict[str, str]) -> list[tuple[str, bytes]]:
    """Headers as a Kafka client hands them over: (name, bytes) pairs."""
    return [(name, value.encode()) for name, value in headers.items()]


def expect(code: str, headers: object, value: bytes | None) -> DecodeError:
    with pytest.raises(DecodeError) as caught:
        decode(headers, value)  # type: ignore[arg-type]
    assert caught.value.code == code, caught.value
    return caught.value


# --- round trip and headers ------------------------------------------------------------------------------


def test_round_trip(voorbeeld: Gebeurtenis) -> None:
    event_id = UUID("aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa")
    time = datetime(2025, 2, 3, 9, 30, tzinfo=UTC)
    record = record_of(voorbeeld, event_id=event_id, time=time)

    envelope = decode(kafka_headers(record.headers), record.value)

    assert envelope.data == voorbeeld
    assert type(envelope.data) is type(voorbeeld)
    assert envelope.id == event_id
    assert envelope.time == time
    assert envelope.source == source_for(voorbeeld)
    assert envelope.type == type(voorbeeld).ce_type()
    assert envelope.subject == str(getattr(voorbeeld, type(voorbeeld).sleutel))


def test_decode_accepts_str_headers(aanmelding: AanmeldingOntvangen) -> None:
    record = record_of(aanmelding)
    assert decode(record.headers, record.value).data == aanmelding


def test_headers(voorbeeld: Gebeurtenis) -> None:
    record = record_of(voorbeeld)
    headers = record.headers

    assert set(REQUIRED_HEADERS) <= set(headers)
    assert headers["ce_specversion"] == "1.0"
    assert UUID(headers["ce_id"]).version == 4
    assert CE_TYPE.match(headers["ce_type"]), headers["ce_type"]
    assert headers["ce_type"] == f"nl.werkkloket.{type(voorbeeld).__name__}.v{type(voorbeeld).version}"
    assert headers["ce_source"] == source_for(voorbeeld)
    assert headers["content-type"] == "application/json"
    # One subject (candidate, vacancy, surplus) = one key = one partition = one order.
    sleutel = type(voorbeeld).sleutel
    assert headers["ce_subject"] == str(getattr(voorbeeld, sleutel))
    assert record.key == headers["ce_subject"].encode()
    assert record.topic == topic_for(type(voorbeeld)).name
    assert json.loads(record.value)[sleutel] == headers["ce_subject"]


def test_ce_id_unique_per_event(aanmelding: AanmeldingOntvangen) -> None:
    assert record_of(aanmelding).headers["ce_id"] != record_of(aanmelding).headers["ce_id"]


def test_ce_time_is_utc_rfc3339(aanmelding: AanmeldingOntvangen) -> None:
    amsterdam = timezone(timedelta(hours=1))
    record = record_of(aanmelding, time=datetime(2025, 2, 3, 10, 30, tzinfo=amsterdam))
    assert record.headers["ce_time"] == "2025-02-03T09:30:00Z"
    assert record_of(aanmelding).headers["ce_time"].endswith("Z")


def test_source_of() -> None:
    assert source_of("matching") == "/werkkloket/matching"
    assert source_of("plaatsing", "randstad") == "/werkkloket/plaatsing/randstad"


# --- rejections ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [b"\x00\xff\xfe garbage \x80", b"\x89PNG\r\n\x1a\n"],
    ids=["binary", "png"],
)
def test_garbage_bytes(aanmelding: AanmeldingOntvangen, value: bytes) -> None:
    expect("invalid-data", record_of(aanmelding).headers, value)


@pytest.mark.parametrize("value", [b'{"kandidaat_id": ', b"not json", b"[]", b'"text"', b""])
def test_invalid_json(aanmelding: AanmeldingOntvangen, value: bytes) -> None:
    expect("invalid-data", record_of(aanmelding).headers, value)


def test_no_value(aanmelding: AanmeldingOntvangen) -> None:
    expect("empty-value", record_of(aanmelding).headers, None)


@pytest.mark.parametrize("header", REQUIRED_HEADERS)
def test_missing_header(aanmelding: AanmeldingOntvangen, header: str) -> None:
    record = record_of(aanmelding)
    headers = {k: v for k, v in record.headers.items() if k != header}
    error = expect("missing-headers", headers, record.value)
    assert header in error.reason


@pytest.mark.parametrize("header", REQUIRED_HEADERS)
def test_empty_header_counts_as_missing(aanmelding: AanmeldingOntvangen, header: str) -> None:
    record = record_of(aanmelding)
    expect("missing-headers", {**record.headers, header: ""}, record.value)


@pytest.mark.parametrize(
    "ce_type",
    ["nl.werkkloket.Onbekend.v1", "nl.werkkloket.AanmeldingOntvangen.v3", "AanmeldingOntvangen"],
)
def test_unknown_type(aanmelding: AanmeldingOntvangen, ce_type: str) -> None:
    record = record_of(aanmelding)
    expect("unknown-type", {**record.headers, "ce_type": ce_type}, record.value)


def test_type_not_accepted(aanmelding: AanmeldingOntvangen) -> None:
    record = record_of(aanmelding)
    only = {PlaatsingGerealiseerd.ce_type(): PlaatsingGerealiseerd}
    with pytest.raises(DecodeError) as caught:
        decode(record.headers, record.value, accept=only)
    assert caught.value.code == "unknown-type"


def test_type_and_payload_of_other_event(aanmelding: AanmeldingOntvangen) -> None:
    record = record_of(aanmelding)
    headers = {**record.headers, "ce_type": PlaatsingGerealiseerd.ce_type(), "ce_source": source_of("plaatsing")}
    expect("invalid-data", headers, record.value)


@pytest.mark.parametrize(
    "source",
    [source_of("plaatsing", "uitzendbureau-a"), source_of("matching"), "/werkkloket", "/elders/intake", "intake", ""],
)
def test_a_type_from_another_producer_than_its_owner_is_refused(aanmelding: AanmeldingOntvangen, source: str) -> None:
    record = record_of(aanmelding)
    headers = {**record.headers, "ce_source": source}
    code = "missing-headers" if not source else "foreign-producer"
    error = expect(code, headers, record.value)
    if source:
        assert "type not owned by producer" in error.reason and "intake" in error.reason


def test_service_of_reads_the_producer_from_the_source() -> None:
    assert service_of(source_of("plaatsing", "uitzendbureau-a")) == "plaatsing"
    assert service_of(source_of("intake")) == "intake"
    assert service_of("/werkkloket/") is None
    assert service_of("/werkkloket") is None
    assert service_of("werkkloket/intake") is None


@pytest.mark.parametrize(
    ("field", "wrong"),
    [
        ("kandidaat_id", "geen-uuid"),
        ("persoonlijk", {"data": "niet versleuteld"}),
        ("persoonlijk", "2511"),
        ("opleidingsniveau", "promotie"),
        ("wensberoepen", "5223"),
        ("werkervaring", [{"beroep": "5223", "van": "gisteren"}]),
    ],
)
def test_wrong_field_type(aanmelding: AanmeldingOntvangen, field: str, wrong: object) -> None:
    record = record_of(aanmelding)
    payload = json.loads(record.value)
    payload[field] = wrong
    error = expect("invalid-data", record.headers, json.dumps(payload).encode())
    assert field in error.reason
    assert "AanmeldingOntvangen" in error.reason


def test_missing_field(aanmelding: AanmeldingOntvangen) -> None:
    record = record_of(aanmelding)
    payload = json.loads(record.value)
    del payload["uitkering"]
    error = expect("invalid-data", record.headers, json.dumps(payload).encode())
    assert "uitkering" in error.reason


def test_subject_mismatch(aanmelding: AanmeldingOntvangen) -> None:
    record = record_of(aanmelding)
    headers = {**record.headers, "ce_subject": "99999999-9999-4999-8999-999999999999"}
    expect("subject-mismatch", headers, record.value)


def test_oversized_value(aanmelding: AanmeldingOntvangen) -> None:
    record = record_of(aanmelding)
    payload = json.loads(record.value)
    payload["opvulling"] = "x" * MAX_VALUE_BYTES
    expect("oversized", record.headers, json.dumps(payload).encode())


def test_value_at_limit_is_not_oversized(aanmelding: AanmeldingOntvangen) -> None:
    record = record_of(aanmelding)
    value = record.value + b" " * (MAX_VALUE_BYTES - len(record.value))
    assert len(value) == MAX_VALUE_BYTES
    assert decode(record.headers, value).data == aanmelding


def test_non_utf8_header(aanmelding: AanmeldingOntvangen) -> None:
    record = record_of(aanmelding)
    headers = [*kafka_headers(record.headers), ("ce_herkomst", b"gemeente \xff\xfe")]
    error = expect("header-encoding", headers, record.value)
    assert "ce_herkomst" in error.reason


def test_non_utf8_required_header(aanmelding: AanmeldingOntvangen) -> None:
    record = record_of(aanmelding)
    headers = [(k, b"\xc3\x28" if k == "ce_source" else v) for k, v in kafka_headers(record.headers)]
    expect("header-encoding", headers, record.value)


@pytest.mark.parametrize(
    ("header", "value", "code"),
    [
        ("ce_specversion", "0.3", "specversion"),
        ("content-type", "application/avro", "content-type"),
        ("ce_id", "event-1", "bad-id"),
        ("ce_time", "gisteren", "bad-time"),
        ("ce_time", "2025-02-03T09:30:00", "bad-time"),
    ],
)
def test_bad_attribute(aanmelding: AanmeldingOntvangen, header: str, value: str, code: str) -> None:
    record = record_of(aanmelding)
    expect(code, {**record.headers, header: value}, record.value)


def test_content_type_parameters_allowed(aanmelding: AanmeldingOntvangen) -> None:
    record = record_of(aanmelding)
    headers = {**record.headers, "content-type": "application/json; charset=utf-8"}
    assert decode(headers, record.value).data == aanmelding


# --- strict producer, tolerant reader --------------------------------------------------------------------


def test_reader_ignores_unknown_fields(aanmelding: AanmeldingOntvangen) -> None:
    record = record_of(aanmelding)
    payload = json.loads(record.value)
    payload["bsn"] = "123456782"
    payload["nieuw_veld_v1_1"] = {"wat": "dan ook"}
    payload["werkervaring"][0]["functietitel"] = "heftruckchauffeur"

    envelope = decode(record.headers, json.dumps(payload).encode())

    assert envelope.data == aanmelding
    assert "bsn" not in envelope.data.model_dump()
    assert not hasattr(envelope.data, "bsn")


def test_producer_rejects_unknown_fields(aanmelding: AanmeldingOntvangen) -> None:
    fields = aanmelding.model_dump()
    with pytest.raises(ValidationError, match="bsn"):
        AanmeldingOntvangen(**fields, bsn="123456782")  # type: ignore[call-arg]
    with pytest.raises(ValidationError, match="extra"):
        AanmeldingOntvangen.model_validate({**fields, "bsn": "123456782"})
    with pytest.raises(ValidationError, match="functietitel"):
        Werkervaring.model_validate({"beroep": "5223", "van": "2020-01-01", "functietitel": "x"})


def test_events_are_frozen(aanmelding: AanmeldingOntvangen) -> None:
    with pytest.raises(ValidationError):
        aanmelding.postcodegebied = "1000"  # type: ignore[misc]


def test_candidate_events_are_keyed_by_the_candidate(voorbeeld: Gebeurtenis) -> None:
    """Every event on a candidate topic is keyed by kandidaat_id; the others by their own subject."""
    topic = topic_for(type(voorbeeld)).name
    kandidaat_topics = {
        "werkkloket.aanmeldingen",
        "werkkloket.toewijzingen",
        "werkkloket.plaatsingen",
        "werkkloket.matches",
    }
    expected = "kandidaat_id" if topic in kandidaat_topics else {"werkkloket.vacatures": "vacature_id"}.get(topic)
    if topic == "werkkloket.werk-naar-werk":
        expected = "tekort_id" if type(voorbeeld).__name__ == "TekortGemeld" else "overschot_id"
    assert type(voorbeeld).sleutel == expected
