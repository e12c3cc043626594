"""plaatsing: planned interviews and outcome, offers, decline, contract details, end, durability follow-up

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

SCHEMA = "plaatsing"


def upgrade() -> None:
    op.add_column("kandidaten", sa.Column("afgewezen_op", sa.Date, nullable=True), schema=SCHEMA)
    op.add_column("kandidaten", sa.Column("afwijzingsreden", sa.String(40), nullable=True), schema=SCHEMA)
    op.add_column(
        "gesprekken", sa.Column("gehouden", sa.Boolean, nullable=False, server_default=sa.true()), schema=SCHEMA
    )
    op.add_column("gesprekken", sa.Column("uitkomst", sa.String(40), nullable=True), schema=SCHEMA)
    for name, kind in (
        ("contractvorm", sa.String(30)),
        ("sbi", sa.String(5)),
        ("beroep", sa.String(4)),
        ("einddatum", sa.Date),
        ("einde_reden", sa.String(40)),
    ):
        op.add_column("plaatsingen", sa.Column(name, kind, nullable=True), schema=SCHEMA)
    op.create_index("plaatsingen_kandidaat", "plaatsingen", ["kandidaat_id"], schema=SCHEMA)
    op.create_table(
        "aanbiedingen",
        sa.Column("aanbod_id", pg.UUID(as_uuid=True), primary_key=True),
        sa.Column(
            "kandidaat_id", pg.UUID(as_uuid=True), sa.ForeignKey(f"{SCHEMA}.kandidaten.kandidaat_id"), nullable=False
        ),
        sa.Column("uitzendbureau", sa.String(60), nullable=False),
        sa.Column("werkgever", sa.String(200), nullable=False),
        sa.Column("datum", sa.Date, nullable=False),
        schema=SCHEMA,
    )
    op.create_table(
        "opvolgingen",
        sa.Column(
            "plaatsing_id",
            pg.UUID(as_uuid=True),
            sa.ForeignKey(f"{SCHEMA}.plaatsingen.plaatsing_id"),
            primary_key=True,
        ),
        sa.Column("maanden", sa.Integer, primary_key=True),
        sa.Column("kandidaat_id", pg.UUID(as_uuid=True), nullable=False),
        sa.Column("uitzendbureau", sa.String(60), nullable=False),
        sa.Column("mijlpaal", sa.Date, nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("afgehandeld", sa.Date, nullable=True),
        sa.Column("reden", sa.String(60), nullable=True),
        schema=SCHEMA,
    )
    op.create_index("opvolgingen_bureau_open", "opvolgingen", ["uitzendbureau", "mijlpaal"], schema=SCHEMA)
    op.create_index("opvolgingen_kandidaat", "opvolgingen", ["kandidaat_id"], schema=SCHEMA)


def downgrade() -> None:
    op.drop_table("opvolgingen", schema=SCHEMA)
    op.drop_table("aanbiedingen", schema=SCHEMA)
    op.drop_index("plaatsingen_kandidaat", "plaatsingen", schema=SCHEMA)
    for name in ("einde_reden", "einddatum", "beroep", "sbi", "contractvorm"):
        op.drop_column("plaatsingen", name, schema=SCHEMA)
    op.drop_column("gesprekken", "uitkomst", schema=SCHEMA)
    op.drop_column("gesprekken", "gehouden", schema=SCHEMA)
    op.drop_column("kandidaten", "afwijzingsreden", schema=SCHEMA)
    op.drop_column("kandidaten", "afgewezen_op", schema=SCHEMA)
