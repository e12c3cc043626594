"""plaatsing: kandidaten, gesprekken, plaatsingen, outbox, inbox

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

SCHEMA = "plaatsing"


def upgrade() -> None:
    op.create_table(
        "kandidaten",
        sa.Column("kandidaat_id", pg.UUID(as_uuid=True), primary_key=True),
        sa.Column("uitzendbureau", sa.String(60), nullable=False),
        sa.Column("arbeidsmarktregio", sa.String(40), nullable=False),
        sa.Column("gemeente", sa.String(6), nullable=False),
        sa.Column("toegewezen_op", sa.DateTime(timezone=True), nullable=False),
        sa.Column("eerste_contact_op", sa.Date, nullable=True),
        schema=SCHEMA,
    )
    op.create_index("kandidaten_uitzendbureau", "kandidaten", ["uitzendbureau"], schema=SCHEMA)
    for table, extra in (
        ("gesprekken", [sa.Column("datum", sa.Date, nullable=False)]),
        (
            "plaatsingen",
            [
                sa.Column("startdatum", sa.Date, nullable=False),
                sa.Column("uren_per_week", sa.Integer, nullable=False),
            ],
        ),
    ):
        key = "gesprek_id" if table == "gesprekken" else "plaatsing_id"
        op.create_table(
            table,
            sa.Column(key, pg.UUID(as_uuid=True), primary_key=True),
            sa.Column(
                "kandidaat_id",
                pg.UUID(as_uuid=True),
                sa.ForeignKey(f"{SCHEMA}.kandidaten.kandidaat_id"),
                nullable=False,
            ),
            sa.Column("uitzendbureau", sa.String(60), nullable=False),
            sa.Column("werkgever", sa.String(200), nullable=False),
            *extra,
            sa.Column("vastgelegd_op", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
            schema=SCHEMA,
        )
    create_outbox_v1(SCHEMA)
    create_inbox_v1(SCHEMA)


def downgrade() -> None:
    for table in ("verwerkte_events", "outbox", "plaatsingen", "gesprekken", "kandidaten"):
        op.drop_table(table, schema=SCHEMA)
