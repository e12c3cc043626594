"""matching: a paspoort linked to its worker's login (the token's subject)

Revision ID: 0006
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

SCHEMA = "matching"


def upgrade() -> None:
    op.add_column("paspoorten", sa.Column("werknemer", sa.String(200), nullable=True), schema=SCHEMA)


def downgrade() -> None:
    op.drop_column("paspoorten", "werknemer", schema=SCHEMA)
