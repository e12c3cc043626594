"""matching: the gemeente of a vacancy; the gemeenten an agency serves and its agreed target

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql as pg

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

SCHEMA = "matching"


def upgrade() -> None:
    op.add_column("vacatures", sa.Column("gemeente", sa.String(6)), schema=SCHEMA)
    op.add_column("vacatures", sa.Column("sluitreden", sa.String(20)), schema=SCHEMA)
    # Empty: the agency serves every gemeente of its regions.
    op.add_column(
        "uitzendbureaus",
        sa.Column("gemeenten", pg.ARRAY(sa.String), nullable=False, server_default="{}"),
        schema=SCHEMA,
    )
    op.add_column("uitzendbureaus", sa.Column("doel_plaatsingen", sa.Integer), schema=SCHEMA)
    op.add_column("uitzendbureaus", sa.Column("doel_periode", sa.String(20)), schema=SCHEMA)


def downgrade() -> None:
    op.drop_column("uitzendbureaus", "doel_periode", schema=SCHEMA)
    op.drop_column("uitzendbureaus", "doel_plaatsingen", schema=SCHEMA)
    op.drop_column("uitzendbureaus", "gemeenten", schema=SCHEMA)
    op.drop_column("vacatures", "sluitreden", schema=SCHEMA)
    op.drop_column("vacatures", "gemeente", schema=SCHEMA)
