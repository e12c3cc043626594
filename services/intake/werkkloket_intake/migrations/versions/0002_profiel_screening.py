"""intake: full profile, BSN for the gemeente's own dossier, completeness, duplicates, screening

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

SCHEMA = "intake"


def upgrade() -> None:
    for column in ("telefoon", "email", "postcode"):
        op.alter_column("aanmeldingen", column, nullable=True, schema=SCHEMA)
    op.add_column("aanmeldingen", sa.Column("bsn", sa.String(9), nullable=True), schema=SCHEMA)
    op.add_column("aanmeldingen", sa.Column("geboortedatum", sa.Date, nullable=True), schema=SCHEMA)
    op.add_column("aanmeldingen", sa.Column("woonplaats", sa.String(100), nullable=True), schema=SCHEMA)
    op.add_column("aanmeldingen", sa.Column("dubbel_sleutel", sa.String(400), nullable=True), schema=SCHEMA)
    op.add_column(
        "aanmeldingen",
        sa.Column("mogelijke_dubbelingen", pg.JSONB, nullable=False, server_default="[]"),
        schema=SCHEMA,
    )
    op.add_column("aanmeldingen", sa.Column("ontbrekend", pg.JSONB, nullable=False, server_default="[]"), schema=SCHEMA)
    op.add_column("aanmeldingen", sa.Column("categorie", sa.Integer, nullable=True), schema=SCHEMA)
    op.add_column("aanmeldingen", sa.Column("screening", pg.JSONB, nullable=True), schema=SCHEMA)
    op.add_column(
        "aanmeldingen", sa.Column("overgedragen_op", sa.DateTime(timezone=True), nullable=True), schema=SCHEMA
    )
    op.create_index("aanmeldingen_bsn", "aanmeldingen", ["bsn"], schema=SCHEMA)
    op.create_index("aanmeldingen_dubbel_sleutel", "aanmeldingen", ["dubbel_sleutel"], schema=SCHEMA)
    op.create_table(
        "doorverwijzing",
        sa.Column("gemeente", sa.String(6), primary_key=True),
        sa.Column("categorieen", pg.ARRAY(sa.Integer), nullable=False),
        sa.Column("gewijzigd_door", sa.String(60), nullable=False),
        sa.Column("gewijzigd_op", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        schema=SCHEMA,
    )


def downgrade() -> None:
    op.drop_table("doorverwijzing", schema=SCHEMA)
    op.drop_index("aanmeldingen_dubbel_sleutel", "aanmeldingen", schema=SCHEMA)
    op.drop_index("aanmeldingen_bsn", "aanmeldingen", schema=SCHEMA)
    for column in (
        "overgedragen_op",
        "screening",
        "categorie",
        "ontbrekend",
        "mogelijke_dubbelingen",
        "dubbel_sleutel",
        "woonplaats",
        "geboortedatum",
        "bsn",
    ):
        op.drop_column("aanmeldingen", column, schema=SCHEMA)
