"""The bus is closed: no client without TLS and valid SCRAM credentials, and each principal only what its ACLs
grant (a service writes only the topics it owns; a mobility team only reads the pseudonymous topics)."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
from typing import Any

import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from aiokafka.errors import (
    ClusterAuthorizationFailedError,
    KafkaConnectionError,
    KafkaError,
    TopicAuthorizationFailedError,
)
from werkkloket_contracts import AANMELDINGEN, DEAD_LETTERS, MATCHES, TOEWIJZINGEN, WERK_NAAR_WERK
from werkkloket_deploy.bus.acls import WAARNEMER
from werkkloket_runtime.kafka import KafkaConnection

from ..conftest import Infra

pytestmark = pytest.mark.integration
# A principal with Write on no topic at all is refused even a producer id.
REFUSED_WRITE = (TopicAuthorizationFailedError, ClusterAuthorizationFailedError)


async def _refused_to_connect(client: AIOKafkaProducer | AIOKafkaConsumer) -> Exception:
    try:
        await asyncio.wait_for(client.start(), timeout=30)
    except (KafkaError, OSError) as exc:
        return exc
    finally:
        await client.stop()
    raise AssertionError("the broker accepted the client")


async def test_a_client_without_credentials_or_tls_is_refused(infra: Infra) -> None:
    bootstrap = infra.bus.bootstrap_servers
    # Plain TCP, as every client could before: the TLS listener does not speak to it.
    plain = AIOKafkaProducer(bootstrap_servers=bootstrap, request_timeout_ms=5000)
    assert isinstance(await _refused_to_connect(plain), KafkaConnectionError)
    # TLS, but no SASL at all.
    tls_only: dict[str, Any] = {
        "bootstrap_servers": bootstrap,
        "security_protocol": "SSL",
        "ssl_context": infra.kafka(WAARNEMER).ssl_context,
    }
    await _refused_to_connect(AIOKafkaConsumer(**tls_only, request_timeout_ms=5000))


async def test_wrong_password_cannot_produce_or_consume(infra: Infra) -> None:
    forged = dataclasses.replace(infra.kafka("matching"), password="not-the-password")
    await _refused_to_connect(AIOKafkaProducer(**forged.client(), request_timeout_ms=5000))
    await _refused_to_connect(AIOKafkaConsumer(TOEWIJZINGEN.name, **forged.client(), request_timeout_ms=5000))


async def _write_refused(kafka: KafkaConnection, topic: str) -> bool:
    p = AIOKafkaProducer(**kafka.client(), acks="all", enable_idempotence=True)
    try:
        await p.start()
        await asyncio.wait_for(p.send_and_wait(topic, b"{}", key=b"k"), timeout=30)
    except REFUSED_WRITE:
        return True
    finally:
        with contextlib.suppress(*REFUSED_WRITE):  # a failed producer-id request surfaces again at stop
            await p.stop()
    return False


async def test_only_the_owner_writes_its_topic(infra: Infra) -> None:
    for principal in ("plaatsing", "intake", WAARNEMER):
        assert await _write_refused(infra.kafka(principal), TOEWIJZINGEN.name), principal
    # (That matching, the owner, may write it, every flow test shows.)


async def _can_read(infra: Infra, principal: str, topic: str) -> bool:
    # A fetch answers within 100 ms, with records or an authorization error.
    consumer = AIOKafkaConsumer(**infra.kafka(principal).client(), enable_auto_commit=False, fetch_max_wait_ms=100)
    await consumer.start()
    try:
        if topic not in await consumer.topics():  # without Describe, the broker does not even show it
            return False
        tp = TopicPartition(topic, 0)
        consumer.assign([tp])
        await consumer.seek_to_beginning(tp)
        await consumer.getmany(tp, timeout_ms=500)
        return True
    except TopicAuthorizationFailedError:
        return False
    finally:
        await consumer.stop()


async def test_services_read_only_what_they_consume(infra: Infra) -> None:
    assert await _can_read(infra, "intake", TOEWIJZINGEN.name)
    assert not await _can_read(infra, "intake", AANMELDINGEN.name)  # its own topic: it writes, never reads
    assert not await _can_read(infra, "plaatsing", DEAD_LETTERS.name)
    assert not await _can_read(infra, "matching", MATCHES.name)


async def test_a_mobility_team_reads_the_pseudonymous_topics_and_nothing_else(infra: Infra) -> None:
    team = await asyncio.to_thread(infra.bus.add_mobiliteitsteam, "proefregio")
    assert team.username == "mobiliteitsteam-proefregio"
    assert await _can_read(infra, team.username, WERK_NAAR_WERK.name)
    assert await _can_read(infra, team.username, AANMELDINGEN.name)
    assert not await _can_read(infra, team.username, DEAD_LETTERS.name)
    assert not await _can_read(infra, team.username, MATCHES.name)
    assert await _write_refused(team, WERK_NAAR_WERK.name)
    # Created once: asking again gives the same principal and password.
    again = await asyncio.to_thread(infra.bus.add_mobiliteitsteam, "proefregio")
    assert again.password == team.password
