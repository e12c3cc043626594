"""matching: werk naar werk (surpluses, shortages, proposals, moves) and skills paspoorten

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql as pg

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

SCHEMA = "matching"


def upgrade() -> None:
    op.create_table(
        "overschotten",
        sa.Column("overschot_id", pg.UUID(as_uuid=True), primary_key=True),
        sa.Column("werkgever", sa.String(60), nullable=False),
        sa.Column("gemeld_door", sa.String(60), nullable=False),
        sa.Column("sbi", sa.String(5), nullable=False),
        sa.Column("arbeidsmarktregio", sa.String(40), nullable=False),
        sa.Column("gemeente", sa.String(6), nullable=False),
        sa.Column("aantal", sa.Integer, nullable=False),
        sa.Column("verplaatst", sa.Integer, nullable=False, server_default="0"),
        sa.Column("beroepen", pg.ARRAY(sa.String), nullable=False),
        sa.Column("skills", pg.ARRAY(sa.String), nullable=False),
        sa.Column("vanaf", sa.Date, nullable=False),
        sa.Column("aard", sa.String(20), nullable=False),
        sa.Column("uitlenen_toegestaan", sa.Boolean, nullable=False),
        sa.Column("uitlenen_tot", sa.Date, nullable=True),
        sa.Column("regios", pg.ARRAY(sa.String), nullable=False),
        sa.Column("uitsluiting", pg.JSONB, nullable=False),
        sa.Column("gemeld_op", sa.DateTime(timezone=True), nullable=False),
        schema=SCHEMA,
    )
    op.create_table(
        "tekorten",
        sa.Column("tekort_id", pg.UUID(as_uuid=True), primary_key=True),
        sa.Column("werkgever", sa.String(60), nullable=False),
        sa.Column("gemeld_door", sa.String(60), nullable=False),
        sa.Column("sbi", sa.String(5), nullable=False),
        sa.Column("arbeidsmarktregio", sa.String(40), nullable=False),
        sa.Column("gemeente", sa.String(6), nullable=False),
        sa.Column("aantal", sa.Integer, nullable=False),
        sa.Column("ingevuld", sa.Integer, nullable=False, server_default="0"),
        sa.Column("beroep", sa.String(4), nullable=False),
        sa.Column("skills", pg.ARRAY(sa.String), nullable=False),
        sa.Column("uren_per_week", sa.Integer, nullable=False),
        sa.Column("postcodegebied", sa.String(4), nullable=False),
        sa.Column("vanaf", sa.Date, nullable=False),
        sa.Column("gemeld_op", sa.DateTime(timezone=True), nullable=False),
        schema=SCHEMA,
    )
    op.create_table(
        "mobiliteitsvoorstellen",
        sa.Column("voorstel_id", pg.UUID(as_uuid=True), primary_key=True),
        sa.Column("overschot_id", pg.UUID(as_uuid=True), nullable=False),
        sa.Column("tekort_id", pg.UUID(as_uuid=True), nullable=False),
        sa.Column("score", sa.Float, nullable=False),
        sa.Column("factoren", pg.JSONB, nullable=False),
        sa.Column("sectoroverstap", sa.Boolean, nullable=False),
        sa.Column("van_sector", sa.String(40), nullable=False),
        sa.Column("naar_sector", sa.String(40), nullable=False),
        sa.Column("vormen", pg.ARRAY(sa.String), nullable=False),
        sa.Column("regelversie", sa.String(40), nullable=False),
        sa.Column("voorgesteld_op", sa.DateTime(timezone=True), nullable=False),
        schema=SCHEMA,
    )
    op.create_table(
        "mobiliteiten",
        sa.Column("mobiliteit_id", pg.UUID(as_uuid=True), primary_key=True),
        sa.Column("voorstel_id", pg.UUID(as_uuid=True), nullable=False),
        sa.Column("overschot_id", pg.UUID(as_uuid=True), nullable=False),
        sa.Column("tekort_id", pg.UUID(as_uuid=True), nullable=False),
        sa.Column("werknemer_id", pg.UUID(as_uuid=True), nullable=False),
        sa.Column("vorm", sa.String(20), nullable=False),
        sa.Column("startdatum", sa.Date, nullable=False),
        sa.Column("terugkeerdatum", sa.Date, nullable=True),
        sa.Column("teruggekeerd_op", sa.Date, nullable=True),
        sa.Column("beeindigd_op", sa.Date, nullable=True),
        sa.Column("reden", sa.String(200), nullable=True),
        schema=SCHEMA,
    )
    op.create_table(
        "paspoorten",
        sa.Column("paspoort_id", pg.UUID(as_uuid=True), primary_key=True),
        sa.Column("sleutel_sha256", sa.String(64), nullable=False),
        sa.Column("overschot_id", pg.UUID(as_uuid=True), nullable=True),
        sa.Column("skills", pg.ARRAY(sa.String), nullable=False),
        sa.Column("diplomas", pg.JSONB, nullable=False),
        sa.Column("werkervaring", pg.JSONB, nullable=False),
        sa.Column("aangemaakt_door", sa.String(60), nullable=False),
        sa.Column("aangemaakt_op", sa.DateTime(timezone=True), nullable=False),
        schema=SCHEMA,
    )
    op.create_table(
        "paspoorttoestemmingen",
        sa.Column("paspoort_id", pg.UUID(as_uuid=True), primary_key=True),
        sa.Column("werkgever", sa.String(60), primary_key=True),
        sa.Column("gegeven_op", sa.DateTime(timezone=True), nullable=False),
        schema=SCHEMA,
    )
    op.create_index(
        "mobiliteitsvoorstellen_paar",
        "mobiliteitsvoorstellen",
        ["overschot_id", "tekort_id"],
        unique=True,
        schema=SCHEMA,
    )
    op.create_index(
        "mobiliteiten_lopend",
        "mobiliteiten",
        ["terugkeerdatum"],
        schema=SCHEMA,
        postgresql_where=sa.text("teruggekeerd_op IS NULL AND beeindigd_op IS NULL"),
    )


def downgrade() -> None:
    op.drop_table("paspoorttoestemmingen", schema=SCHEMA)
    op.drop_table("paspoorten", schema=SCHEMA)
    op.drop_table("mobiliteiten", schema=SCHEMA)
    op.drop_table("mobiliteitsvoorstellen", schema=SCHEMA)
    op.drop_table("tekorten", schema=SCHEMA)
    op.drop_table("overschotten", schema=SCHEMA)
