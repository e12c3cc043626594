"""intake: consent per purpose with its history, the assignment version, and whether a hand-off is allowed

Every registration so far was recorded with consent for the hand-off to an agency: its history starts with that.

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql as pg
from werkkloket_runtime.migrations import effective_schema

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

SCHEMA = "intake"


def upgrade() -> None:
    schema = effective_schema(SCHEMA)
    op.add_column(
        "aanmeldingen", sa.Column("toewijzingsversie", sa.Integer, nullable=False, server_default="0"), schema=schema
    )
    op.add_column(
        "aanmeldingen",
        sa.Column("overdracht_toegestaan", sa.Boolean, nullable=False, server_default=sa.true()),
        schema=schema,
    )
    op.create_table(
        "toestemmingen",
        sa.Column("id", sa.BigInteger, primary_key=True, autoincrement=True),
        sa.Column("kandidaat_id", pg.UUID(as_uuid=True), nullable=False, index=True),
        sa.Column("doel", sa.String(40), nullable=False),
        sa.Column("gegeven", sa.Boolean, nullable=False),
        sa.Column("tekstversie", sa.String(40), nullable=False),
        sa.Column("vastgelegd_door", sa.String(200), nullable=False),
        sa.Column("organisatie", sa.String(60), nullable=False),
        sa.Column("op", sa.DateTime(timezone=True), nullable=False),
        schema=schema,
    )
    op.execute(
        f'INSERT INTO "{schema}".toestemmingen (kandidaat_id, doel, gegeven, tekstversie, vastgelegd_door, '
        "organisatie, op) SELECT kandidaat_id, 'overdracht_uitzendbureau', true, '2026.1', "
        f'geregistreerd_door, geregistreerd_door, ontvangen_op FROM "{schema}".aanmeldingen'
    )


def downgrade() -> None:
    schema = effective_schema(SCHEMA)
    op.drop_table("toestemmingen", schema=schema)
    op.drop_column("aanmeldingen", "overdracht_toegestaan", schema=schema)
    op.drop_column("aanmeldingen", "toewijzingsversie", schema=schema)
