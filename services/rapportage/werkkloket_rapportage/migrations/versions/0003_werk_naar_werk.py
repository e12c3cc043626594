"""rapportage: werk naar werk (surplus and shortage reports, moves)

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql as pg

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

SCHEMA = "rapportage"


def upgrade() -> None:
    op.create_table(
        "werk_naar_werk_meldingen",
        sa.Column("id", pg.UUID(as_uuid=True), primary_key=True),
        sa.Column("soort", sa.String(10), nullable=False),
        sa.Column("arbeidsmarktregio", sa.String(40), nullable=False),
        sa.Column("gemeente", sa.String(6), nullable=False),
        sa.Column("werkgever", sa.String(60), nullable=False),
        sa.Column("aantal", sa.Integer, nullable=False),
        sa.Column("vanaf", sa.Date, nullable=False),
        sa.Column("voorstellen", sa.Integer, nullable=False),
        schema=SCHEMA,
    )
    op.create_table(
        "mobiliteiten",
        sa.Column("mobiliteit_id", pg.UUID(as_uuid=True), primary_key=True),
        sa.Column("overschot_id", pg.UUID(as_uuid=True), nullable=False),
        sa.Column("werknemer_id", pg.UUID(as_uuid=True), nullable=False),
        sa.Column("arbeidsmarktregio", sa.String(40), nullable=False),
        sa.Column("gemeente", sa.String(6), nullable=False),
        sa.Column("naar_regio", sa.String(40), nullable=False),
        sa.Column("van_sector", sa.String(40), nullable=False),
        sa.Column("naar_sector", sa.String(40), nullable=False),
        sa.Column("vorm", sa.String(20), nullable=False),
        sa.Column("startdatum", sa.Date, nullable=False),
        sa.Column("terugkeerdatum", sa.Date),
        sa.Column("teruggekeerd_op", sa.Date),
        sa.Column("beeindigd_op", sa.Date),
        schema=SCHEMA,
    )


def downgrade() -> None:
    op.drop_table("mobiliteiten", schema=SCHEMA)
    op.drop_table("werk_naar_werk_meldingen", schema=SCHEMA)
