"""What makes a record a dead letter before any handler sees it, and the headers a dead letter carries."""

from __future__ import annotations

import json
from typing import Any

from aiokafka import ConsumerRecord

# Direct identifiers never belong on the bus; an event carrying one is dead-lettered, not applied.
DIRECT_IDENTIFIERS = ("bsn", "burgerservicenummer", "naam", "telefoon", "email", "e-mail", "adres", "geboortedatum")


def _first_identifier(node: Any) -> str | None:
    if isinstance(node, dict):
        for key, child in node.items():
            if any(k in str(key).lower() for k in DIRECT_IDENTIFIERS):
                return str(key)
            found = _first_identifier(child)
            if found:
                return found
    elif isinstance(node, list):
        return next((f for f in map(_first_identifier, node) if f), None)
    return None


def carries_direct_identifier(value: bytes | None) -> str | None:
    """The first direct identifier among the JSON keys of a record's value, if any (a cheap scan first)."""
    if not value or not any(f'"{k}'.encode() in value.lower() for k in DIRECT_IDENTIFIERS):
        return None
    try:
        data = json.loads(value)
    except ValueError:
        return None

    return _first_identifier(data)


def dead_letter_headers(record: ConsumerRecord[Any, Any], group_id: str, code: str, reason: str) -> dict[str, str]:
    headers: dict[str, str] = {}
    for name, value in record.headers or ():
        try:
            headers[name] = value.decode() if isinstance(value, bytes) else str(value)
        except UnicodeDecodeError:
            continue  # an original header that is not text cannot be carried as a header
    headers.update(
        {
            "dlq_reason_code": code,
            "dlq_reason": reason[:2000],
            "dlq_consumer_group": group_id,
            "dlq_original_topic": record.topic,
            "dlq_original_partition": str(record.partition),
            "dlq_original_offset": str(record.offset),
            "dlq_original_timestamp": str(record.timestamp),
        }
    )
    return headers
