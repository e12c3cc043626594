"""Plaatsing's tables (schema `plaatsing`)."""

from __future__ import annotations

from sqlalchemy import Column, Date, DateTime, ForeignKey, Integer, MetaData, String, Table, func
from sqlalchemy.dialects.postgresql import UUID
from werkkloket_runtime.outbox import inbox_table, outbox_table

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
)

outbox = outbox_table(metadata)
inbox = inbox_table(metadata)
