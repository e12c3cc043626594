"""intake: the aanmelddatum as a column of its own (it was a key of the JSONB profile)

The JSONB column `profiel` keeps the coded attributes; the date of the registration at the gemeente drives the
screening date and the hand-over, so it is a column, filled from the JSONB and taken out of it.

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op
from werkkloket_runtime.migrations import effective_schema

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

SCHEMA = "intake"


def upgrade() -> None:
    schema = effective_schema(SCHEMA)
    op.add_column("aanmeldingen", sa.Column("aanmelddatum", sa.Date, nullable=True), schema=schema)
    op.execute(
        f'UPDATE "{schema}".aanmeldingen '
        "SET aanmelddatum = CAST(profiel ->> 'aanmelddatum' AS date), profiel = profiel - 'aanmelddatum'"
    )


def downgrade() -> None:
    schema = effective_schema(SCHEMA)
    op.execute(
        f'UPDATE "{schema}".aanmeldingen '
        "SET profiel = profiel || jsonb_build_object('aanmelddatum', CAST(aanmelddatum AS text))"
    )
    op.drop_column("aanmeldingen", "aanmelddatum", schema=schema)
