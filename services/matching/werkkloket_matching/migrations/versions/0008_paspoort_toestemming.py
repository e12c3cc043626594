"""matching: the worker's consent for the skills paspoort, with its history (given when linking, withdrawn)

Revision ID: 0008
Revises: 0007
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql as pg

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

SCHEMA = "matching"


def upgrade() -> None:
    op.create_table(
        "paspoortinstemmingen",
        sa.Column("id", sa.BigInteger, primary_key=True, autoincrement=True),
        sa.Column("paspoort_id", pg.UUID(as_uuid=True), nullable=False, index=True),
        sa.Column("gegeven", sa.Boolean, nullable=False),
        sa.Column("tekstversie", sa.String(40), nullable=False),
        sa.Column("werknemer", sa.String(200), nullable=False),
        sa.Column("op", sa.DateTime(timezone=True), nullable=False),
        schema=SCHEMA,
    )


def downgrade() -> None:
    op.drop_table("paspoortinstemmingen", schema=SCHEMA)
