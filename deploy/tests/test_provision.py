"""Provisioning against real servers: a Kafka broker from the Maven jars and PostgreSQL from the machine."""

from __future__ import annotations

import asyncio
import os
import pwd
import stat
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import asyncpg
import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from werkkloket_deploy.bus.acls import ADMIN
from werkkloket_deploy.provision import (
    PostgresServer,
    pid_alive,
    postgres_home,
    remove_postgres,
    start_kafka,
    start_postgres,
)

pytestmark = pytest.mark.integration


@pytest.fixture
def base_dir(tmp_path: Path) -> Iterator[Path]:
    try:
        yield tmp_path
    finally:
        remove_postgres(tmp_path / "postgres")  # PostgreSQL's home lies outside the base


async def test_kafka_produce_and_consume(base_dir: Path) -> None:
    t0 = time.monotonic()
    kafka = start_kafka(base_dir / "kafka")
    print(f"\nkafka ready in {time.monotonic() - t0:.1f}s at {kafka.bootstrap_servers} (pid {kafka.pid})")
    try:
        # The secrets are only the owner's; the CA certificate is public.
        for secret in (
            kafka.secrets.principals_file,
            kafka.secrets.broker_pem,
            base_dir / "kafka" / "server.properties",
        ):
            assert stat.S_IMODE(secret.stat().st_mode) == 0o600, secret
        assert stat.S_IMODE(kafka.secrets.directory.stat().st_mode) == 0o700
        client = kafka.bus.connection(ADMIN).client()
        topic = "provision-check"
        admin = AIOKafkaAdminClient(**client)
        await admin.start()
        try:
            await admin.create_topics([NewTopic(topic, num_partitions=1, replication_factor=1)])
        finally:
            await admin.close()

        producer = AIOKafkaProducer(**client, acks="all", enable_idempotence=True)
        await producer.start()
        try:
            sent = await producer.send_and_wait(topic, b"hallo werkkloket", key=b"k1")
        finally:
            await producer.stop()
        assert sent.offset == 0

        consumer = AIOKafkaConsumer(
            topic,
            **client,
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
    print(f"\npostgres initdb+start+roles in {time.monotonic() - t0:.2f}s on port {pg.port} (pid {pg.pid})")
    secrets = pg.secrets()
    assert pg.admin_url == f"postgresql+asyncpg://postgres:{secrets['postgres']}@127.0.0.1:{pg.port}/werkkloket"
    assert pg.url_for("intake") == f"postgresql+asyncpg://intake:{secrets['intake']}@127.0.0.1:{pg.port}/werkkloket"
    try:
        await query(pg)
    finally:
        pg.stop()
    assert not pid_alive(pg.pid)

    # The same data dir again (on a new port): no initdb; roles, passwords and database are still there.
    t0 = time.monotonic()
    again = start_postgres(base_dir / "postgres")
    print(f"postgres restart in {time.monotonic() - t0:.2f}s on port {again.port} (pid {again.pid})")
    try:
        assert again.data_dir == pg.data_dir and again.secrets() == secrets
        await query(again)
        # Starting it while it runs re-uses the running server.
        same = start_postgres(base_dir / "postgres")
        assert (same.pid, same.port) == (again.pid, again.port)
    finally:
        again.stop()
    assert not pid_alive(again.pid)


async def query(pg: PostgresServer) -> None:
    """The superuser and each service's role get in with their passwords."""
    conn = await asyncpg.connect(pg.admin_dsn)
    try:
        assert await conn.fetchval("select current_user") == "postgres"
    finally:
        await conn.close()
    for service, url in pg.service_urls().items():
        conn = await asyncpg.connect(url.replace("postgresql+asyncpg://", "postgresql://"))
        try:
            assert await conn.fetchval("select current_user") == service
        finally:
            await conn.close()


async def test_postgres_of_a_clone_its_account_cannot_enter(tmp_path: Path) -> None:
    """A clone under a mode-700 directory (e.g. root's home): data, socket and log live in a home of their own."""
    private = tmp_path / "root-home"
    private.mkdir()
    private.chmod(0o700)
    base = private / "clone" / ".run" / "postgres"
    if os.geteuid() == 0:  # PostgreSQL then runs as another account, which cannot enter the clone
        account = "postgres" if _has_account("postgres") else "nobody"
        entered = subprocess.run(["runuser", "-u", account, "--", "test", "-x", str(private)], check=False)
        assert entered.returncode != 0, f"{account} can enter {private}; the test proves nothing"
    home = postgres_home(base)
    try:
        pg = start_postgres(base)
        try:
            assert pg.home == home and not home.is_relative_to(private)
            assert stat.S_IMODE(home.stat().st_mode) == 0o700
            assert home.stat().st_uid == pg.data_dir.stat().st_uid  # owned by the account that runs the server
            assert (home / "sock" / f".s.PGSQL.{pg.port}").exists() and pg.log_file.exists()
            await query(pg)
        finally:
            pg.stop()
        assert not pid_alive(pg.pid)
        assert home.exists()  # stopped, not deleted: the same base finds its data again
        again = start_postgres(base)
        try:
            assert again.data_dir == pg.data_dir
            await query(again)
        finally:
            again.remove()
        assert not pid_alive(again.pid) and not home.exists()
    finally:
        remove_postgres(base)


def _has_account(name: str) -> bool:
    try:
        pwd.getpwnam(name)
    except KeyError:
        return False
    return True
