"""plaatsing: erasure receipts

`verwijderingen` keeps, per erasure, what plaatsing removed and what it kept anonymised (see
`werkkloket_runtime.verwijdering`); a person in it is erased.

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql as pg

revision = "0003"
down_revision = "0002"


def upgrade() -> None:
    op.create_table(
        "verwijderingen",
        sa.Column("verzoek_id", pg.UUID(as_uuid=True), primary_key=True),
        sa.Column("kandidaat_id", pg.UUID(as_uuid=True), nullable=False, index=True),
        sa.Column("gemeente", sa.String(6), nullable=False),
        sa.Column("aanleiding", sa.String(20), nullable=False),
        sa.Column("verwijderd_op", sa.DateTime(timezone=True), nullable=False),
        sa.Column("verwijderd", pg.JSONB, nullable=False),
        sa.Column("geanonimiseerd", pg.JSONB, nullable=False),
        schema="plaatsing",
    )


def downgrade() -> None:
    op.drop_table("verwijderingen", schema="plaatsing")
