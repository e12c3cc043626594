"""Rapportage's read model (schema `rapportage`): one row per candidate with a date per funnel stage, and one
row per placement. Filled only from events, so it can be rebuilt from the log."""

from __future__ import annotations

from sqlalchemy import Boolean, Column, Computed, Date, DateTime, Integer, MetaData, String, Table
from sqlalchemy.dialects.postgresql import UUID
from werkkloket_runtime.outbox import inbox_table
from werkkloket_runtime.verwijdering import verwijderingen_table

SCHEMA = "rapportage"
metadata = MetaData(schema=SCHEMA)

# The day of assignment (Dutch days); with an earlier aanmelddatum it shifts back by as many days.
TOEGEWEZEN_DAG_SQL = (
    "CASE WHEN aangemeld_op IS NOT NULL AND aangemeld_dag IS NOT NULL "
    "THEN aangemeld_dag + (CAST(timezone('Europe/Amsterdam', toegewezen_op) AS date) "
    "- CAST(timezone('Europe/Amsterdam', aangemeld_op) AS date)) "
    "ELSE CAST(timezone('Europe/Amsterdam', toegewezen_op) AS date) END"
)

funnel_kandidaten = Table(
    "funnel_kandidaten",
    metadata,
    Column("kandidaat_id", UUID(as_uuid=True), primary_key=True),
    Column("arbeidsmarktregio", String(40), nullable=False),
    Column("gemeente", String(6), nullable=False),
    Column("uitzendbureau", String(60), nullable=True),
    Column("aangemeld_op", DateTime(timezone=True), nullable=True),
    Column("toegewezen_op", DateTime(timezone=True), nullable=True),
    Column("eerste_contact_op", Date, nullable=True),
    Column("gesprek_op", Date, nullable=True),
    Column("aantal_gesprekken", Integer, nullable=False, default=0),
    Column("geplaatst_op", Date, nullable=True),
    # Added for the lifecycle and durability reports (revision 0002).
    Column("aangemeld_dag", Date, nullable=True),
    Column("volledig", Boolean, nullable=True),
    Column("doelgroep", String(20), nullable=True),
    Column("categorie", Integer, nullable=True),
    Column("gesprek_gepland_op", Date, nullable=True),
    Column("aanbod_op", Date, nullable=True),
    Column("afgewezen_op", Date, nullable=True),
    Column("bevestigd_op", Date, nullable=True),
    Column("herinstroom_op", Date, nullable=True),
    # Revision 0004: computed by PostgreSQL from the columns above (see that migration).
    Column("toegewezen_dag", Date, Computed(TOEGEWEZEN_DAG_SQL, persisted=True)),
)

plaatsingen = Table(
    "plaatsingen",
    metadata,
    Column("plaatsing_id", UUID(as_uuid=True), primary_key=True),
    Column("kandidaat_id", UUID(as_uuid=True), nullable=False),
    Column("uitzendbureau", String(60), nullable=False),
    Column("werkgever", String(200), nullable=True),
    Column("startdatum", Date, nullable=True),
    Column("uren_per_week", Integer, nullable=True),
    Column("contractvorm", String(30), nullable=True),
    Column("sbi", String(5), nullable=True),
    Column("beroep", String(4), nullable=True),
    Column("einddatum", Date, nullable=True),
    Column("einde_reden", String(40), nullable=True),
)

# Werk naar werk (revision 0003): the employers' reports, and every move with its dates.
werk_naar_werk_meldingen = Table(
    "werk_naar_werk_meldingen",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("soort", String(10), nullable=False),  # overschot | tekort
    Column("arbeidsmarktregio", String(40), nullable=False),
    Column("gemeente", String(6), nullable=False),
    Column("werkgever", String(60), nullable=False),
    Column("aantal", Integer, nullable=False),
    Column("vanaf", Date, nullable=False),
    Column("voorstellen", Integer, nullable=False, default=0),
)

mobiliteiten = Table(
    "mobiliteiten",
    metadata,
    Column("mobiliteit_id", UUID(as_uuid=True), primary_key=True),
    Column("overschot_id", UUID(as_uuid=True), nullable=False),
    Column("werknemer_id", UUID(as_uuid=True), nullable=False),
    Column("arbeidsmarktregio", String(40), nullable=False),
    Column("gemeente", String(6), nullable=False),
    Column("naar_regio", String(40), nullable=False),
    Column("van_sector", String(40), nullable=False),
    Column("naar_sector", String(40), nullable=False),
    Column("vorm", String(20), nullable=False),
    Column("startdatum", Date, nullable=False),
    Column("terugkeerdatum", Date, nullable=True),
    Column("teruggekeerd_op", Date, nullable=True),
    Column("beeindigd_op", Date, nullable=True),
)

# The erasure receipts (see werkkloket_runtime.verwijdering).
verwijderingen = verwijderingen_table(metadata)

inbox = inbox_table(metadata)
