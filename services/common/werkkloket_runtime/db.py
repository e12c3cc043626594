"""Database engine and Alembic migrations, one schema per service."""

from __future__ import annotations

import asyncio
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine


def make_engine(database_url: str, pool_size: int = 10) -> AsyncEngine:
    return create_async_engine(
        database_url, pool_size=pool_size, max_overflow=10, pool_pre_ping=True, pool_recycle=1800
    )


def alembic_config(
    database_url: str, migrations_dir: Path, schema: str, schema_translate_map: dict[str, str] | None = None
) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(migrations_dir))
    cfg.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    cfg.attributes["schema"] = schema
    cfg.attributes["schema_translate_map"] = schema_translate_map
    return cfg


def migrate(
    database_url: str, migrations_dir: Path, schema: str, schema_translate_map: dict[str, str] | None = None
) -> None:
    """Upgrade a schema to the newest revision (synchronous; runs its own event loop).

    With `schema_translate_map` the service's revisions, written for its own schema, create their objects in
    another one (a replay's fresh schema); `schema` is then where the version table goes.
    """
    command.upgrade(alembic_config(database_url, migrations_dir, schema, schema_translate_map), "head")


async def migrate_async(
    database_url: str, migrations_dir: Path, schema: str, schema_translate_map: dict[str, str] | None = None
) -> None:
    await asyncio.to_thread(migrate, database_url, migrations_dir, schema, schema_translate_map)
