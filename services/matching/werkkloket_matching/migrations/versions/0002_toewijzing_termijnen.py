"""matching: candidate profiles, first-contact terms, reassignments

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql as pg

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

SCHEMA = "matching"


def upgrade() -> None:
    op.add_column("toewijzingen", sa.Column("toegewezen_op", sa.DateTime(timezone=True)), schema=SCHEMA)
    op.add_column("toewijzingen", sa.Column("termijn_tot", sa.Date), schema=SCHEMA)
    op.add_column("toewijzingen", sa.Column("eerste_contact_op", sa.Date), schema=SCHEMA)
    op.add_column(
        "toewijzingen",
        sa.Column("eerdere_uitzendbureaus", pg.ARRAY(sa.String), nullable=False, server_default="{}"),
        schema=SCHEMA,
    )
    op.add_column("toewijzingen", sa.Column("regelversie", sa.String(40)), schema=SCHEMA)
    op.add_column("toewijzingen", sa.Column("redenen", pg.JSONB), schema=SCHEMA)
    op.create_index(
        "toewijzingen_open_termijn",
        "toewijzingen",
        ["termijn_tot"],
        schema=SCHEMA,
        postgresql_where=sa.text("status = 'toegewezen' AND eerste_contact_op IS NULL"),
    )
    op.create_table(
        "kandidaten",
        sa.Column("kandidaat_id", pg.UUID(as_uuid=True), primary_key=True),
        sa.Column("arbeidsmarktregio", sa.String(40), nullable=False),
        sa.Column("gemeente", sa.String(6), nullable=False),
        sa.Column("profiel", pg.JSONB, nullable=False),
        sa.Column("categorie", sa.Integer),
        sa.Column("naar_uitzendbureau", sa.Boolean, nullable=False),
        sa.Column("bijgewerkt_op", sa.DateTime(timezone=True), nullable=False),
        schema=SCHEMA,
    )
    op.create_table(
        "hertoewijzingen",
        sa.Column("id", sa.BigInteger, primary_key=True, autoincrement=True),
        sa.Column("kandidaat_id", pg.UUID(as_uuid=True), nullable=False),
        sa.Column("toewijzing_id", pg.UUID(as_uuid=True), nullable=False),
        sa.Column("gemeente", sa.String(6), nullable=False),
        sa.Column("van_uitzendbureau", sa.String(60), nullable=False),
        sa.Column("naar_uitzendbureau", sa.String(60)),
        sa.Column("aanleiding", sa.String(30), nullable=False),
        sa.Column("reden", sa.String(1000), nullable=False),
        sa.Column("op", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        schema=SCHEMA,
    )


def downgrade() -> None:
    op.drop_table("hertoewijzingen", schema=SCHEMA)
    op.drop_table("kandidaten", schema=SCHEMA)
    op.drop_index("toewijzingen_open_termijn", "toewijzingen", schema=SCHEMA)
    for column in (
        "redenen",
        "regelversie",
        "eerdere_uitzendbureaus",
        "eerste_contact_op",
        "termijn_tot",
        "toegewezen_op",
    ):
        op.drop_column("toewijzingen", column, schema=SCHEMA)
