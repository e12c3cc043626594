"""Matching's tables (schema `matching`)."""

from __future__ import annotations

from sqlalchemy import Column, DateTime, Integer, MetaData, String, Table
from sqlalchemy.dialects.postgresql import ARRAY, UUID
from werkkloket_runtime.outbox import inbox_table, outbox_table

SCHEMA = "matching"
metadata = MetaData(schema=SCHEMA)

uitzendbureaus = Table(
    "uitzendbureaus",
    metadata,
    Column("code", String(60), primary_key=True),
    Column("naam", String(200), nullable=False),
    Column("sectoren", ARRAY(String), nullable=False),
    Column("regios", ARRAY(String), nullable=False),
    Column("capaciteit", Integer, nullable=False),
    Column("actief", Integer, nullable=False, default=0),
)

toewijzingen = Table(
    "toewijzingen",
    metadata,
    Column("kandidaat_id", UUID(as_uuid=True), primary_key=True),
    Column("toewijzing_id", UUID(as_uuid=True), nullable=True),
    Column("uitzendbureau", String(60), nullable=True),
    Column("arbeidsmarktregio", String(40), nullable=False),
    Column("gemeente", String(6), nullable=False),
    Column("status", String(20), nullable=False),  # toegewezen | niet_toegewezen
    Column("besloten_op", DateTime(timezone=True), nullable=False),
)

outbox = outbox_table(metadata)
inbox = inbox_table(metadata)
