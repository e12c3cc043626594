"""intake: aanmeldingen, outbox, inbox

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

SCHEMA = "intake"


def upgrade() -> None:
    op.create_table(
        "aanmeldingen",
        sa.Column("id", pg.UUID(as_uuid=True), primary_key=True),
        sa.Column("kandidaat_id", pg.UUID(as_uuid=True), nullable=False, unique=True),
        sa.Column("gemeente", sa.String(6), nullable=False),
        sa.Column("arbeidsmarktregio", sa.String(40), nullable=False),
        sa.Column("geregistreerd_door", sa.String(60), nullable=False),
        sa.Column("naam", sa.String(200), nullable=False),
        sa.Column("telefoon", sa.String(20), nullable=False),
        sa.Column("email", sa.String(254), nullable=False),
        sa.Column("postcode", sa.String(7), nullable=False),
        sa.Column("profiel", pg.JSONB, nullable=False),
        sa.Column("toestemming", pg.JSONB, nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("uitzendbureau", sa.String(60), nullable=True),
        sa.Column("ontvangen_op", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        sa.Column("status_gewijzigd_op", sa.DateTime(timezone=True), nullable=True),
        schema=SCHEMA,
    )
    op.create_index("aanmeldingen_gemeente", "aanmeldingen", ["gemeente"], schema=SCHEMA)
    create_outbox_v1(SCHEMA)
    create_inbox_v1(SCHEMA)


def downgrade() -> None:
    op.drop_table("verwerkte_events", schema=SCHEMA)
    op.drop_table("outbox", schema=SCHEMA)
    op.drop_table("aanmeldingen", schema=SCHEMA)
