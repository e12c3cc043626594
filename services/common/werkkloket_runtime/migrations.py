"""The Alembic environment every service's `migrations/env.py` delegates to."""

from __future__ import annotations

import asyncio

from alembic import context
from sqlalchemy import text
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import create_async_engine

from .db import ensure_schema


def _run(connection: Connection, schema: str, translate: dict[str, str] | None) -> None:
    ensure_schema(connection, schema)
    if translate:
        connection = connection.execution_options(schema_translate_map=translate)
    context.configure(
        connection=connection,
        version_table_schema=schema,
        include_schemas=False,
    )
    with context.begin_transaction():
        context.run_migrations()


async def _run_async(url: str, schema: str, translate: dict[str, str] | None) -> None:
    engine = create_async_engine(url)
    try:
        async with engine.begin() as conn:
            # Serialise concurrent starts of several instances of the same service.
            await conn.execute(text("SELECT pg_advisory_xact_lock(hashtext(:s))"), {"s": f"migrate:{schema}"})
            await conn.run_sync(_run, schema, translate)
    finally:
        await engine.dispose()


def run_env() -> None:
    config = context.config
    url = config.get_main_option("sqlalchemy.url")
    schema = config.attributes["schema"]
    if url is None:
        raise RuntimeError("sqlalchemy.url is not set")
    if context.is_offline_mode():
        raise RuntimeError("offline migrations are not supported")
    asyncio.run(_run_async(url, schema, config.attributes.get("schema_translate_map")))


# Frozen DDL used by the services' first revisions; never change these, add a new revision instead.


def create_outbox_v1(schema: str) -> None:
    import sqlalchemy as sa
    from alembic import op
    from sqlalchemy.dialects import postgresql as pg

    op.create_table(
        "outbox",
        sa.Column("id", sa.BigInteger, primary_key=True, autoincrement=True),
        sa.Column("event_id", pg.UUID(as_uuid=True), nullable=False, unique=True),
        sa.Column("topic", sa.String(200), nullable=False),
        sa.Column("key", sa.LargeBinary, nullable=False),
        sa.Column("value", sa.LargeBinary, nullable=False),
        sa.Column("headers", pg.JSONB, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        schema=schema,
    )
    op.create_index("outbox_pending", "outbox", ["id"], schema=schema, postgresql_where=sa.text("published_at IS NULL"))


def create_inbox_v1(schema: str) -> None:
    import sqlalchemy as sa
    from alembic import op
    from sqlalchemy.dialects import postgresql as pg

    op.create_table(
        "verwerkte_events",
        sa.Column("consumer", sa.String(100), primary_key=True),
        sa.Column("event_id", pg.UUID(as_uuid=True), primary_key=True),
        sa.Column("verwerkt_op", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        schema=schema,
    )


def effective_schema(schema: str) -> str:
    """The schema a migration really writes to: a replay builds `<schema>_next` through schema_translate_map,
    which ALTER TABLE statements (op.add_column, op.drop_column) don't pass through; they name it with this."""
    from alembic import op

    translate = op.get_bind().get_execution_options().get("schema_translate_map") or {}
    return str(translate.get(schema, schema))
