"""Database engine and Alembic migrations, one schema per service.

A service's database role owns its schema and the replay's `<schema>_next` and `<schema>_vorige`, but may not
create or rename schemas (no CREATE on the database). Those two steps go through SECURITY DEFINER functions that
provisioning installs in `ADMIN_SCHEMA`; a role that may create schemas itself (a superuser, a database owner)
runs the plain statements instead.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import text
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine
from sqlalchemy.sql.elements import TextClause

# Where provisioning keeps `create_schema(name)` and `swap_schemas(live)` (see werkkloket_deploy.provision.roles).
ADMIN_SCHEMA = "werkkloket_beheer"
_MAY_CREATE = text("SELECT has_database_privilege(current_database(), 'CREATE')")
_EXISTS = text("SELECT EXISTS (SELECT FROM pg_namespace WHERE nspname = :n)")


def make_engine(database_url: str, pool_size: int = 10) -> AsyncEngine:
    return create_async_engine(
        database_url, pool_size=pool_size, max_overflow=10, pool_pre_ping=True, pool_recycle=1800
    )


def alembic_config(
    database_url: str,
    migrations_dir: Path,
    schema: str,
    schema_translate_map: dict[str, str] | None = None,
    attributes: Mapping[str, object] | None = None,
) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(migrations_dir))
    cfg.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    cfg.attributes.update(attributes or {})
    cfg.attributes["schema"] = schema
    cfg.attributes["schema_translate_map"] = schema_translate_map
    return cfg


def migrate(
    database_url: str,
    migrations_dir: Path,
    schema: str,
    schema_translate_map: dict[str, str] | None = None,
    attributes: Mapping[str, object] | None = None,
    revision: str = "head",
) -> None:
    """Upgrade a schema to the newest revision (synchronous; runs its own event loop).

    With `schema_translate_map` the service's revisions, written for its own schema, create their objects in
    another one (a replay's fresh schema); `schema` is then where the version table goes. `attributes` reach the
    revisions as `context.config.attributes` (e.g. the keys a revision encrypts existing rows with).
    """
    cfg = alembic_config(database_url, migrations_dir, schema, schema_translate_map, attributes)
    command.upgrade(cfg, revision)


async def migrate_async(
    database_url: str,
    migrations_dir: Path,
    schema: str,
    schema_translate_map: dict[str, str] | None = None,
    attributes: Mapping[str, object] | None = None,
) -> None:
    await asyncio.to_thread(migrate, database_url, migrations_dir, schema, schema_translate_map, attributes)


def _may_create_schemas(conn: Connection) -> bool:
    return bool(conn.scalar(_MAY_CREATE))


def schema_exists(conn: Connection, name: str) -> bool:
    return bool(conn.scalar(_EXISTS, {"n": name}))


def create_schema(conn: Connection, name: str) -> None:
    """Create `name`, owned by the connected role: itself when it may, else through the admin's function
    (which allows only `<schema>_next` / `<schema>_vorige` of a schema the role owns)."""
    statement: TextClause = (
        text(f'CREATE SCHEMA "{name}"')
        if _may_create_schemas(conn)
        else text(f"SELECT {ADMIN_SCHEMA}.create_schema(:n)").bindparams(n=name)
    )
    conn.execute(statement)


def ensure_schema(conn: Connection, name: str) -> None:
    """Create `name` unless it exists. (`CREATE SCHEMA IF NOT EXISTS` needs CREATE on the database even when the
    schema exists, which a service role lacks.)"""
    if not schema_exists(conn, name):
        create_schema(conn, name)


def swap_schema_names(conn: Connection, live: str) -> None:
    """`<live>` → `<live>_vorige` and `<live>_next` → `<live>`, in the caller's transaction; `<live>_vorige` must
    not exist. Plain statements when the role may, else the admin's function (checks the role owns all three)."""
    if _may_create_schemas(conn):
        conn.execute(text(f'ALTER SCHEMA "{live}" RENAME TO "{live}_vorige"'))
        conn.execute(text(f'ALTER SCHEMA "{live}_next" RENAME TO "{live}"'))
    else:
        conn.execute(text(f"SELECT {ADMIN_SCHEMA}.swap_schemas(:s)").bindparams(s=live))
