"""matching: uitzendbureaus, toewijzingen, outbox, inbox

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql as pg
from werkkloket_runtime.migrations import create_inbox_v1, create_outbox_v1

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

SCHEMA = "matching"


def upgrade() -> None:
    op.create_table(
        "uitzendbureaus",
        sa.Column("code", sa.String(60), primary_key=True),
        sa.Column("naam", sa.String(200), nullable=False),
        sa.Column("sectoren", pg.ARRAY(sa.String), nullable=False),
        sa.Column("regios", pg.ARRAY(sa.String), nullable=False),
        sa.Column("capaciteit", sa.Integer, nullable=False),
        sa.Column("actief", sa.Integer, nullable=False, server_default="0"),
        schema=SCHEMA,
    )
    op.create_table(
        "toewijzingen",
        sa.Column("kandidaat_id", pg.UUID(as_uuid=True), primary_key=True),
        sa.Column("toewijzing_id", pg.UUID(as_uuid=True), nullable=True),
        sa.Column("uitzendbureau", sa.String(60), nullable=True),
        sa.Column("arbeidsmarktregio", sa.String(40), nullable=False),
        sa.Column("gemeente", sa.String(6), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("besloten_op", sa.DateTime(timezone=True), nullable=False),
        schema=SCHEMA,
    )
    create_outbox_v1(SCHEMA)
    create_inbox_v1(SCHEMA)


def downgrade() -> None:
    op.drop_table("verwerkte_events", schema=SCHEMA)
    op.drop_table("outbox", schema=SCHEMA)
    op.drop_table("toewijzingen", schema=SCHEMA)
    op.drop_table("uitzendbureaus", schema=SCHEMA)
