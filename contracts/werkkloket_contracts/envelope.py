"""CloudEvents 1.0, Kafka protocol binding, binary mode.

Attributes travel as `ce_*` headers, the event payload as the record value (JSON), the Kafka key is the
event's subject (the kandidaat id for candidate events) so that one subject's events keep their order.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Generic, TypeVar
from uuid import UUID, uuid4

from pydantic import ValidationError

from .events.basis import Gebeurtenis
from .events.eerdere import Eerdere
from .topics import BY_CE_TYPE, PRODUCER_OF, SLEUTELS, topic_for

SPECVERSION = "1.0"
CONTENT_TYPE = "application/json"
REQUIRED_HEADERS = ("ce_specversion", "ce_id", "ce_source", "ce_type", "ce_time", "ce_subject", "content-type")
MAX_VALUE_BYTES = 256 * 1024
# CloudEvents distributed tracing extension: the W3C traceparent of the span that published the event.
CE_TRACEPARENT = "ce_traceparent"
_TRACEPARENT = re.compile(r"^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$")

E = TypeVar("E", bound=Gebeurtenis)


class DecodeError(ValueError):
    """A Kafka record is not a valid Werkkloket CloudEvent; `reason` says why, `code` is a short key."""

    def __init__(self, code: str, reason: str) -> None:
        super().__init__(f"{code}: {reason}")
        self.code = code
        self.reason = reason


@dataclass(frozen=True)
class Envelope(Generic[E]):
    id: UUID
    source: str
    type: str
    time: datetime
    subject: str
    data: E
    traceparent: str | None = None  # W3C Trace Context of the span that published it (ce_traceparent)


@dataclass(frozen=True)
class KafkaRecord:
    topic: str
    key: bytes
    value: bytes | None  # None: a tombstone (werkkloket.sleutels)
    headers: dict[str, str]


def source_of(service: str, organisatie: str | None = None) -> str:
    """ce_source: the producing service, and the organisation on whose behalf it acted."""
    base = f"/werkkloket/{service}"
    return f"{base}/{organisatie}" if organisatie else base


def service_of(source: str) -> str | None:
    """The producing service named in a ce_source (`/werkkloket/<service>[/<organisatie>]`), if any."""
    parts = source.split("/")
    return parts[2] if len(parts) >= 3 and parts[0] == "" and parts[1] == "werkkloket" and parts[2] else None


def encode(
    event: Gebeurtenis,
    *,
    source: str,
    event_id: UUID | None = None,
    time: datetime | None = None,
    traceparent: str | None = None,
) -> KafkaRecord:
    """Build the Kafka record of an event. The event was validated strictly when it was constructed."""
    when = (time or datetime.now(UTC)).astimezone(UTC)
    subject = event.onderwerp()
    headers = {
        "ce_specversion": SPECVERSION,
        "ce_id": str(event_id or uuid4()),
        "ce_source": source,
        "ce_type": event.ce_type(),
        "ce_time": when.isoformat().replace("+00:00", "Z"),
        "ce_subject": subject,
        "content-type": CONTENT_TYPE,
    }
    if traceparent:
        headers[CE_TRACEPARENT] = traceparent
    return KafkaRecord(
        topic=topic_for(type(event)).name,
        key=subject.encode(),
        value=event.model_dump_json().encode(),
        headers=headers,
    )


def normalise_headers(raw: Mapping[str, str | bytes] | Iterable[tuple[str, bytes]]) -> dict[str, str]:
    items = raw.items() if isinstance(raw, Mapping) else raw
    out: dict[str, str] = {}
    for name, value in items:
        if isinstance(value, bytes):
            try:
                value = value.decode()
            except UnicodeDecodeError as exc:
                raise DecodeError("header-encoding", f"header {name!r} is not UTF-8") from exc
        out[name] = value
    return out


def _model_of(hdrs: Mapping[str, str], accept: Mapping[str, type[Gebeurtenis]]) -> type[Gebeurtenis]:
    missing = [h for h in REQUIRED_HEADERS if not hdrs.get(h)]
    if missing:
        raise DecodeError("missing-headers", f"missing CloudEvents headers: {', '.join(missing)}")
    if hdrs["ce_specversion"] != SPECVERSION:
        raise DecodeError("specversion", f"unsupported ce_specversion {hdrs['ce_specversion']!r}")
    if hdrs["content-type"].split(";")[0].strip() != CONTENT_TYPE:
        raise DecodeError("content-type", f"unsupported content-type {hdrs['content-type']!r}")
    model = accept.get(hdrs["ce_type"])
    if model is None:
        raise DecodeError("unknown-type", f"unknown ce_type {hdrs['ce_type']!r}")
    owner = PRODUCER_OF.get(model)
    if owner is not None and service_of(hdrs["ce_source"]) != owner:
        raise DecodeError(
            "foreign-producer",
            f"type not owned by producer: {hdrs['ce_type']} is published by {owner}, not by {hdrs['ce_source']!r}",
        )
    return model


def _traceparent(value: str | None) -> str | None:
    """A well-formed traceparent, else none: tracing is context, never a reason to refuse an event."""
    return value if value is not None and _TRACEPARENT.match(value) else None


def _id_and_time(hdrs: Mapping[str, str]) -> tuple[UUID, datetime]:
    try:
        event_id = UUID(hdrs["ce_id"])
    except ValueError as exc:
        raise DecodeError("bad-id", f"ce_id {hdrs['ce_id']!r} is not a UUID") from exc
    try:
        time = datetime.fromisoformat(hdrs["ce_time"].replace("Z", "+00:00"))
    except ValueError as exc:
        raise DecodeError("bad-time", f"ce_time {hdrs['ce_time']!r} is not RFC 3339") from exc
    if time.tzinfo is None:
        raise DecodeError("bad-time", "ce_time has no time zone")
    return event_id, time


def decode(
    headers: Mapping[str, str | bytes] | Iterable[tuple[str, bytes]],
    value: bytes | None,
    accept: Mapping[str, type[Gebeurtenis]] = BY_CE_TYPE,
) -> Envelope[Gebeurtenis]:
    """Parse a record into an envelope; unknown payload fields are ignored (tolerant reader).

    Raises DecodeError naming the problem for anything that is not a valid event of a known type.
    """
    hdrs = normalise_headers(headers)
    model = _model_of(hdrs, accept)
    if value is None:
        raise DecodeError("empty-value", "record has no value")
    if len(value) > MAX_VALUE_BYTES:
        raise DecodeError("oversized", f"value of {len(value)} bytes exceeds {MAX_VALUE_BYTES}")
    event_id, time = _id_and_time(hdrs)
    try:
        data = model.model_validate_json(value, extra="ignore")
    except ValidationError as exc:
        fields = "; ".join(f"{'.'.join(str(p) for p in e['loc']) or '<root>'}: {e['msg']}" for e in exc.errors())
        raise DecodeError("invalid-data", f"{model.event_name}: {fields}"[:1000]) from exc
    if data.onderwerp() != hdrs["ce_subject"]:
        raise DecodeError("subject-mismatch", f"ce_subject differs from data.{model.sleutel}")
    if isinstance(data, Eerdere):  # an earlier version: handlers get the current one
        data = data.nieuw()
    return Envelope(
        id=event_id,
        source=hdrs["ce_source"],
        type=hdrs["ce_type"],
        time=time,
        subject=hdrs["ce_subject"],
        data=data,
        traceparent=_traceparent(hdrs.get(CE_TRACEPARENT)),
    )


PERSOONSSLEUTEL_TYPE = "nl.werkkloket.Persoonssleutel.v1"


def sleutel_record(kandidaat_id: UUID, waarde: bytes | None, *, source: str) -> KafkaRecord:
    """A werkkloket.sleutels record: the person's wrapped keys (a Persoonssleutel as JSON), or None: a tombstone,
    the person is erased."""
    headers = {
        "ce_specversion": SPECVERSION,
        "ce_id": str(uuid4()),
        "ce_source": source,
        "ce_type": PERSOONSSLEUTEL_TYPE,
        "ce_time": datetime.now(UTC).isoformat().replace("+00:00", "Z"),
        "ce_subject": str(kandidaat_id),
        "content-type": CONTENT_TYPE,
    }
    return KafkaRecord(topic=SLEUTELS.name, key=str(kandidaat_id).encode(), value=waarde, headers=headers)
