"""Kafka cluster ids as `kafka-storage format` takes them."""

from __future__ import annotations

import base64
import uuid
from unittest import mock

from werkkloket_deploy.provision import kafka


def test_a_cluster_id_never_starts_with_a_dash() -> None:
    dash = uuid.UUID(bytes=b"\xf8" + bytes(15))  # base64url of 0xf8... starts with "-"
    plain = uuid.UUID(bytes=b"\x01" * 16)
    assert base64.urlsafe_b64encode(dash.bytes).decode().startswith("-")
    with mock.patch.object(kafka.uuid, "uuid4", side_effect=[dash, plain]):
        cluster_id = kafka.new_cluster_id()
    assert cluster_id == base64.urlsafe_b64encode(plain.bytes).decode().rstrip("=")
    assert len(cluster_id) == 22
