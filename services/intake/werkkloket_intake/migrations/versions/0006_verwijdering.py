"""intake: erasure receipts, and tombstones in the outbox

`verwijderingen` keeps, per erasure, what intake removed (see `werkkloket_runtime.verwijdering`); the outbox's
`value` may be empty: a tombstone on werkkloket.sleutels destroys a person's key on the bus.

Revision ID: 0006
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql as pg
from werkkloket_runtime.migrations import effective_schema

revision = "0006"
down_revision = "0005"


def upgrade() -> None:
    schema = effective_schema("intake")
    op.alter_column("outbox", "value", nullable=True, schema=schema)
    op.create_table(
        "verwijderingen",
        sa.Column("verzoek_id", pg.UUID(as_uuid=True), primary_key=True),
        sa.Column("kandidaat_id", pg.UUID(as_uuid=True), nullable=False, index=True),
        sa.Column("gemeente", sa.String(6), nullable=False),
        sa.Column("aanleiding", sa.String(20), nullable=False),
        sa.Column("verwijderd_op", sa.DateTime(timezone=True), nullable=False),
        sa.Column("verwijderd", pg.JSONB, nullable=False),
        sa.Column("geanonimiseerd", pg.JSONB, nullable=False),
        schema=schema,
    )


def downgrade() -> None:
    schema = effective_schema("intake")
    op.drop_table("verwijderingen", schema=schema)
    op.alter_column("outbox", "value", nullable=False, schema=schema)
