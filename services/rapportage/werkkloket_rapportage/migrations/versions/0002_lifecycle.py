"""rapportage: stage dates of the lifecycle, dimensions (doelgroep, categorie), placements

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql as pg
from werkkloket_runtime.migrations import effective_schema

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

SCHEMA = "rapportage"
COLUMNS = (
    ("aangemeld_dag", sa.Date),
    ("volledig", sa.Boolean),
    ("doelgroep", sa.String(20)),
    ("categorie", sa.Integer),
    ("gesprek_gepland_op", sa.Date),
    ("aanbod_op", sa.Date),
    ("afgewezen_op", sa.Date),
    ("bevestigd_op", sa.Date),
    ("herinstroom_op", sa.Date),
)


def upgrade() -> None:
    for name, kind in COLUMNS:
        op.add_column("funnel_kandidaten", sa.Column(name, kind, nullable=True), schema=effective_schema(SCHEMA))
    op.create_index("funnel_gemeente", "funnel_kandidaten", ["gemeente"], schema=SCHEMA)
    op.create_index("funnel_aangemeld_dag", "funnel_kandidaten", ["aangemeld_dag"], schema=SCHEMA)
    op.create_table(
        "plaatsingen",
        sa.Column("plaatsing_id", pg.UUID(as_uuid=True), primary_key=True),
        sa.Column("kandidaat_id", pg.UUID(as_uuid=True), nullable=False),
        sa.Column("uitzendbureau", sa.String(60), nullable=False),
        sa.Column("werkgever", sa.String(200), nullable=True),
        sa.Column("startdatum", sa.Date, nullable=True),
        sa.Column("uren_per_week", sa.Integer, nullable=True),
        sa.Column("contractvorm", sa.String(30), nullable=True),
        sa.Column("sbi", sa.String(5), nullable=True),
        sa.Column("beroep", sa.String(4), nullable=True),
        sa.Column("einddatum", sa.Date, nullable=True),
        sa.Column("einde_reden", sa.String(40), nullable=True),
        schema=SCHEMA,
    )
    op.create_index("plaatsingen_kandidaat", "plaatsingen", ["kandidaat_id"], schema=SCHEMA)


def downgrade() -> None:
    op.drop_table("plaatsingen", schema=SCHEMA)
    op.drop_index("funnel_aangemeld_dag", "funnel_kandidaten", schema=SCHEMA)
    op.drop_index("funnel_gemeente", "funnel_kandidaten", schema=SCHEMA)
    for name, _ in reversed(COLUMNS):
        op.drop_column("funnel_kandidaten", name, schema=effective_schema(SCHEMA))
