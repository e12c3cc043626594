"""A real PostgreSQL for the runtime's tests: DATABASE_URL when set, else the project's own provisioning.

With provisioning the tests run as a service-like role `proef` (set up by the same code as the services' roles:
no CREATE on the database, owner of the schemas it is given), and the superuser only makes and drops the
schemas. Every test gets a schema of its own (dropped afterwards, with its `_next` and `_vorige` companions), so
tests never see each other's rows and may run against a shared server. With DATABASE_URL both are that URL.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from uuid import uuid4

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine
from werkkloket_deploy.provision import RUN_DIR, new_password, role_url, setup_roles_sync, start_postgres

ROLE = "proef"


@dataclass
class Database:
    admin_url: str  # makes and drops the tests' schemas
    url: str  # what the runtime connects with
    role: str | None  # who owns the tests' schemas (None: whoever `url` is)


@pytest.fixture(scope="session")
def database() -> Iterator[Database]:
    from_env = os.environ.get("DATABASE_URL")
    if from_env:
        yield Database(from_env, from_env, None)
        return
    # The server's data, socket and log live in a home of their own outside `base` (provision.postgres_home).
    base = RUN_DIR / f"pg-{os.getpid()}"
    server = start_postgres(base)
    try:
        password = new_password()
        setup_roles_sync(server.admin_url, {ROLE: password}, {ROLE: ROLE})
        yield Database(server.admin_url, role_url(server.admin_url, ROLE, password), ROLE)
    finally:
        server.remove()  # its home lies outside the clone, not under `base`
        shutil.rmtree(base, ignore_errors=True)


@pytest.fixture(scope="session")
def database_url(database: Database) -> str:
    return database.url


@pytest.fixture
async def engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    engine = create_async_engine(database_url, pool_size=5, max_overflow=5)
    try:
        yield engine
    finally:
        await engine.dispose()


@pytest.fixture
async def schema(database: Database) -> AsyncIterator[str]:
    """The name of a fresh, empty schema, owned by the tests' role."""
    name = f"rt_{uuid4().hex[:12]}"
    admin = create_async_engine(database.admin_url, pool_size=1)
    owner = f" AUTHORIZATION {database.role}" if database.role else ""
    try:
        async with admin.begin() as conn:
            await conn.execute(text(f'CREATE SCHEMA "{name}"{owner}'))
        yield name
        async with admin.begin() as conn:
            for each in (name, f"{name}_next", f"{name}_vorige"):
                await conn.execute(text(f'DROP SCHEMA IF EXISTS "{each}" CASCADE'))
    finally:
        await admin.dispose()
