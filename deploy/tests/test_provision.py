"""Provisioning against real servers: a Kafka broker from the Maven jars and PostgreSQL from the machine."""

from __future__ import annotations

import asyncio
import os
import shutil
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import asyncpg
import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from werkkloket_deploy.provision import RUN_DIR, pid_alive, start_kafka, start_postgres

pytestmark = pytest.mark.integration


@pytest.fixture
def base_dir() -> Iterator[Path]:
    # Not pytest's tmp_path: that lies under a 0700 directory the postgres account cannot enter.
    path = RUN_DIR / f"test-provision-{os.getpid()}-{uuid.uuid4().hex[:8]}"
    path.mkdir(parents=True)
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


async def test_kafka_produce_and_consume(base_dir: Path) -> None:
    t0 = time.monotonic()
    kafka = start_kafka(base_dir / "kafka")
    print(f"\nkafka ready in {time.monotonic() - t0:.1f}s at {kafka.bootstrap_servers} (pid {kafka.pid})")
    try:
        topic = "provision-check"
        admin = AIOKafkaAdminClient(bootstrap_servers=kafka.bootstrap_servers)
        await admin.start()
        try:
            await admin.create_topics([NewTopic(topic, num_partitions=1, replication_factor=1)])
        finally:
            await admin.close()

        producer = AIOKafkaProducer(bootstrap_servers=kafka.bootstrap_servers, acks="all", enable_idempotence=True)
        await producer.start()
        try:
            sent = await producer.send_and_wait(topic, b"hallo werkkloket", key=b"k1")
        finally:
            await producer.stop()
        assert sent.offset == 0

        consumer = AIOKafkaConsumer(
            topic,
            bootstrap_servers=kafka.bootstrap_servers,
            group_id="provision-check",
            auto_offset_reset="earliest",
            enable_auto_commit=False,
        )
        await consumer.start()
        try:
            message = await asyncio.wait_for(consumer.getone(), timeout=30)
        finally:
            await consumer.stop()
        assert (message.key, message.value) == (b"k1", b"hallo werkkloket")
    finally:
        t0 = time.monotonic()
        kafka.stop()
        print(f"kafka stopped in {time.monotonic() - t0:.1f}s")
    assert not pid_alive(kafka.pid)
    assert "Kafka Server started" in kafka.log_file.read_text(errors="replace")


async def test_postgres_start_connect_restart(base_dir: Path) -> None:
    t0 = time.monotonic()
    pg = start_postgres(base_dir / "postgres")
    print(f"\npostgres initdb+start+role/db in {time.monotonic() - t0:.2f}s on port {pg.port} (pid {pg.pid})")
    assert pg.url == f"postgresql+asyncpg://werkkloket:werkkloket@127.0.0.1:{pg.port}/werkkloket"
    try:
        conn = await asyncpg.connect(f"postgresql://werkkloket:werkkloket@127.0.0.1:{pg.port}/werkkloket")
        try:
            assert await conn.fetchval("select 1") == 1
            assert await conn.fetchval("select current_user") == "werkkloket"
        finally:
            await conn.close()
    finally:
        pg.stop()
    assert not pid_alive(pg.pid)

    # The same data dir again (on a new port): no initdb, role and database are still there.
    t0 = time.monotonic()
    again = start_postgres(base_dir / "postgres")
    print(f"postgres restart in {time.monotonic() - t0:.2f}s on port {again.port} (pid {again.pid})")
    try:
        assert again.data_dir == pg.data_dir
        conn = await asyncpg.connect(f"postgresql://werkkloket:werkkloket@127.0.0.1:{again.port}/werkkloket")
        try:
            assert await conn.fetchval("select 1") == 1
        finally:
            await conn.close()
        # Starting it while it runs re-uses the running server.
        same = start_postgres(base_dir / "postgres")
        assert (same.pid, same.port) == (again.pid, again.port)
    finally:
        again.stop()
    assert not pid_alive(again.pid)
