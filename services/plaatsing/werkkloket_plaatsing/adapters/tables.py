"""Plaatsing's tables (schema `plaatsing`), its outbox and its inbox."""

from __future__ import annotations

from sqlalchemy import Boolean, Column, Date, DateTime, ForeignKey, Integer, MetaData, String, Table, func, text
from sqlalchemy.dialects.postgresql import UUID
from werkkloket_runtime.outbox import inbox_table, outbox_table
from werkkloket_runtime.verwijdering import verwijderingen_table

SCHEMA = "plaatsing"
metadata = MetaData(schema=SCHEMA)

kandidaten = Table(
    "kandidaten",
    metadata,
    Column("kandidaat_id", UUID(as_uuid=True), primary_key=True),
    Column("uitzendbureau", String(60), nullable=False),
    Column("arbeidsmarktregio", String(40), nullable=False),
    Column("gemeente", String(6), nullable=False),
    Column("toegewezen_op", DateTime(timezone=True), nullable=False),
    Column("eerste_contact_op", Date, nullable=True),
    Column("afgewezen_op", Date, nullable=True),
    Column("afwijzingsreden", String(40), nullable=True),
)

gesprekken = Table(
    "gesprekken",
    metadata,
    Column("gesprek_id", UUID(as_uuid=True), primary_key=True),
    Column("kandidaat_id", UUID(as_uuid=True), ForeignKey("kandidaten.kandidaat_id"), nullable=False),
    Column("uitzendbureau", String(60), nullable=False),
    Column("werkgever", String(200), nullable=False),
    Column("datum", Date, nullable=False),
    Column("vastgelegd_op", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("gehouden", Boolean, nullable=False, server_default=text("true")),
    Column("uitkomst", String(40), nullable=True),
)

plaatsingen = Table(
    "plaatsingen",
    metadata,
    Column("plaatsing_id", UUID(as_uuid=True), primary_key=True),
    Column("kandidaat_id", UUID(as_uuid=True), ForeignKey("kandidaten.kandidaat_id"), nullable=False),
    Column("uitzendbureau", String(60), nullable=False),
    Column("werkgever", String(200), nullable=False),
    Column("startdatum", Date, nullable=False),
    Column("uren_per_week", Integer, nullable=False),
    Column("vastgelegd_op", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("contractvorm", String(30), nullable=True),
    Column("sbi", String(5), nullable=True),
    Column("beroep", String(4), nullable=True),
    Column("einddatum", Date, nullable=True),
    Column("einde_reden", String(40), nullable=True),
)

aanbiedingen = Table(
    "aanbiedingen",
    metadata,
    Column("aanbod_id", UUID(as_uuid=True), primary_key=True),
    Column("kandidaat_id", UUID(as_uuid=True), ForeignKey("kandidaten.kandidaat_id"), nullable=False),
    Column("uitzendbureau", String(60), nullable=False),
    Column("werkgever", String(200), nullable=False),
    Column("datum", Date, nullable=False),
)

# Durability follow-up tasks: one per checkpoint (1, 3, 6, 12 months) of every placement.
opvolgingen = Table(
    "opvolgingen",
    metadata,
    Column("plaatsing_id", UUID(as_uuid=True), ForeignKey("plaatsingen.plaatsing_id"), primary_key=True),
    Column("maanden", Integer, primary_key=True),
    Column("kandidaat_id", UUID(as_uuid=True), nullable=False),
    Column("uitzendbureau", String(60), nullable=False),
    Column("mijlpaal", Date, nullable=False),
    Column("status", String(10), nullable=False),
    Column("afgehandeld", Date, nullable=True),
    Column("reden", String(60), nullable=True),
)

outbox = outbox_table(metadata)
# The erasure receipts (see werkkloket_runtime.verwijdering).
verwijderingen = verwijderingen_table(metadata)

inbox = inbox_table(metadata)
