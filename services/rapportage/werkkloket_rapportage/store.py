"""Rapportage's read model (schema `rapportage`): one row per candidate, a date per funnel stage."""

from __future__ import annotations

from sqlalchemy import Column, Date, DateTime, Integer, MetaData, String, Table
from sqlalchemy.dialects.postgresql import UUID
from werkkloket_runtime.outbox import inbox_table

SCHEMA = "rapportage"
metadata = MetaData(schema=SCHEMA)

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
)

inbox = inbox_table(metadata)
