"""Intake's tables (schema `intake`). Personal data live here and nowhere else."""

from __future__ import annotations

from sqlalchemy import Column, DateTime, MetaData, String, Table, func
from sqlalchemy.dialects.postgresql import JSONB, UUID
from werkkloket_runtime.outbox import inbox_table, outbox_table

SCHEMA = "intake"
metadata = MetaData(schema=SCHEMA)

aanmeldingen = Table(
    "aanmeldingen",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("kandidaat_id", UUID(as_uuid=True), nullable=False, unique=True),
    Column("gemeente", String(6), nullable=False),
    Column("arbeidsmarktregio", String(40), nullable=False),
    Column("geregistreerd_door", String(60), nullable=False),
    Column("naam", String(200), nullable=False),
    Column("telefoon", String(20), nullable=False),
    Column("email", String(254), nullable=False),
    Column("postcode", String(7), nullable=False),
    Column("profiel", JSONB, nullable=False),
    Column("toestemming", JSONB, nullable=False),
    Column("status", String(20), nullable=False),
    Column("uitzendbureau", String(60), nullable=True),
    Column("ontvangen_op", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("status_gewijzigd_op", DateTime(timezone=True), nullable=True),
)

outbox = outbox_table(metadata)
inbox = inbox_table(metadata)
