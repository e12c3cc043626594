"""matching: the assignment version per candidate (one higher with every change of holder)

Revision ID: 0007
Revises: 0006
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

SCHEMA = "matching"


def upgrade() -> None:
    op.add_column("toewijzingen", sa.Column("versie", sa.Integer, nullable=False, server_default="0"), schema=SCHEMA)
    op.add_column("toewijzingen", sa.Column("beeindigd_op", sa.Date, nullable=True), schema=SCHEMA)


def downgrade() -> None:
    op.drop_column("toewijzingen", "beeindigd_op", schema=SCHEMA)
    op.drop_column("toewijzingen", "versie", schema=SCHEMA)
