"""matching: vacancies and proposed matches

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

SCHEMA = "matching"


def upgrade() -> None:
    op.create_table(
        "vacatures",
        sa.Column("vacature_id", pg.UUID(as_uuid=True), primary_key=True),
        sa.Column("door", sa.String(60), nullable=False),
        sa.Column("titel", sa.String(200), nullable=False),
        sa.Column("beroep", sa.String(4), nullable=False),
        sa.Column("sector", sa.String(40)),
        sa.Column("sbi", sa.String(1), nullable=False),
        sa.Column("arbeidsmarktregio", sa.String(40), nullable=False),
        sa.Column("postcodegebied", sa.String(4), nullable=False),
        sa.Column("uren_per_week", sa.Integer, nullable=False),
        sa.Column("skills", pg.ARRAY(sa.String), nullable=False),
        sa.Column("opleidingsniveau", sa.String(10)),
        sa.Column("open_tot", sa.Date, nullable=False),
        sa.Column("geopend_op", sa.DateTime(timezone=True), nullable=False),
        sa.Column("gesloten_op", sa.DateTime(timezone=True)),
        schema=SCHEMA,
    )
    op.create_index(
        "vacatures_open",
        "vacatures",
        ["arbeidsmarktregio", "beroep"],
        schema=SCHEMA,
        postgresql_where=sa.text("gesloten_op IS NULL"),
    )
    op.create_table(
        "matches",
        sa.Column("kandidaat_id", pg.UUID(as_uuid=True), primary_key=True),
        sa.Column("vacature_id", pg.UUID(as_uuid=True), primary_key=True),
        sa.Column("score", sa.Float, nullable=False),
        sa.Column("factoren", pg.JSONB, nullable=False),
        sa.Column("sectoroverstap", sa.Boolean, nullable=False),
        sa.Column("regelversie", sa.String(40), nullable=False),
        sa.Column("voorgesteld_op", sa.DateTime(timezone=True), nullable=False),
        schema=SCHEMA,
    )
    op.create_index("matches_vacature", "matches", ["vacature_id"], schema=SCHEMA)


def downgrade() -> None:
    op.drop_table("matches", schema=SCHEMA)
    op.drop_table("vacatures", schema=SCHEMA)
