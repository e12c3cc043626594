"""Kafka records of real encoded events, as the consumer gets them from aiokafka."""

from __future__ import annotations

from uuid import UUID, uuid4

from aiokafka import ConsumerRecord
from werkkloket_contracts import AanmeldingOntvangen, KafkaRecord


def aanmelding(kid: UUID) -> AanmeldingOntvangen:
    return AanmeldingOntvangen(
        kandidaat_id=kid,
        arbeidsmarktregio="twente",
        gemeente="GM0153",
        aanmelding_id=uuid4(),
        opleidingsniveau="mbo2",
        wensberoepen=["9333"],
        uitkering="ww",
    )


def record(
    rec: KafkaRecord, offset: int, *, value: bytes | None = None, headers: dict[str, str] | None = None
) -> ConsumerRecord[bytes, bytes]:
    """The record as consumed at `offset` (partition by parity); value and headers may be replaced."""
    body = rec.value if value is None else value
    assert body is not None
    hdrs = rec.headers if headers is None else headers
    return ConsumerRecord(
        topic=rec.topic,
        partition=offset % 2,
        offset=offset,
        timestamp=1_700_000_000_000 + offset,
        timestamp_type=0,
        key=rec.key,
        value=body,
        checksum=None,
        serialized_key_size=len(rec.key),
        serialized_value_size=len(body),
        headers=[(k, v.encode()) for k, v in hdrs.items()],
    )
