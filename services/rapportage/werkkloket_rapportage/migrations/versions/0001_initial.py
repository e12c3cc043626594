"""rapportage: funnel_kandidaten, inbox

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql as pg
from werkkloket_runtime.migrations import create_inbox_v1

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

SCHEMA = "rapportage"


def upgrade() -> None:
    op.create_table(
        "funnel_kandidaten",
        sa.Column("kandidaat_id", pg.UUID(as_uuid=True), primary_key=True),
        sa.Column("arbeidsmarktregio", sa.String(40), nullable=False),
        sa.Column("gemeente", sa.String(6), nullable=False),
        sa.Column("uitzendbureau", sa.String(60), nullable=True),
        sa.Column("aangemeld_op", sa.DateTime(timezone=True), nullable=True),
        sa.Column("toegewezen_op", sa.DateTime(timezone=True), nullable=True),
        sa.Column("eerste_contact_op", sa.Date, nullable=True),
        sa.Column("gesprek_op", sa.Date, nullable=True),
        sa.Column("aantal_gesprekken", sa.Integer, nullable=False, server_default="0"),
        sa.Column("geplaatst_op", sa.Date, nullable=True),
        schema=SCHEMA,
    )
    op.create_index("funnel_regio", "funnel_kandidaten", ["arbeidsmarktregio"], schema=SCHEMA)
    create_inbox_v1(SCHEMA)


def downgrade() -> None:
    op.drop_table("verwerkte_events", schema=SCHEMA)
    op.drop_table("funnel_kandidaten", schema=SCHEMA)
