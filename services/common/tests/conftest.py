"""A real PostgreSQL for the runtime's tests: DATABASE_URL when set, else the project's own provisioning.

Every test gets a schema of its own (dropped afterwards, with its `_next` and `_vorige` companions), so tests
never see each other's rows and may run against a shared server.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import AsyncIterator, Iterator
from uuid import uuid4

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine
from werkkloket_deploy.provision import RUN_DIR, start_postgres


@pytest.fixture(scope="session")
def database_url() -> Iterator[str]:
    from_env = os.environ.get("DATABASE_URL")
    if from_env:
        yield from_env
        return
    # The server's data, socket and log live in a home of their own outside `base` (provision.postgres_home).
    base = RUN_DIR / f"pg-{os.getpid()}"
    server = start_postgres(base)
    try:
        yield server.url
    finally:
        server.remove()  # its home lies outside the clone, not under `base`
        shutil.rmtree(base, ignore_errors=True)


@pytest.fixture
async def engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    engine = create_async_engine(database_url, pool_size=5, max_overflow=5)
    try:
        yield engine
    finally:
        await engine.dispose()


@pytest.fixture
async def schema(engine: AsyncEngine) -> AsyncIterator[str]:
    """The name of a fresh, empty schema."""
    name = f"rt_{uuid4().hex[:12]}"
    async with engine.begin() as conn:
        await conn.execute(text(f'CREATE SCHEMA "{name}"'))
    try:
        yield name
    finally:
        async with engine.begin() as conn:
            for each in (name, f"{name}_next", f"{name}_vorige"):
                await conn.execute(text(f'DROP SCHEMA IF EXISTS "{each}" CASCADE'))
