"""Matching's tables (schema `matching`): one schema for toewijzing, vacatures and werk naar werk."""

from __future__ import annotations

from typing import Any

from sqlalchemy import BigInteger, Boolean, Column, Date, DateTime, Float, Integer, MetaData, String, Table, func
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, UUID
from werkkloket_runtime.outbox import inbox_table, outbox_table
from werkkloket_runtime.verwijdering import verwijderingen_table

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
    # Since 0004: the gemeenten it serves (empty: all of its regions) and its agreed target.
    Column("gemeenten", ARRAY(String), nullable=False, server_default="{}"),
    Column("doel_plaatsingen", Integer, nullable=True),
    Column("doel_periode", String(20), nullable=True),
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
    # Since 0002: the term for first contact, and the agencies that had this candidate before.
    Column("toegewezen_op", DateTime(timezone=True), nullable=True),
    Column("termijn_tot", Date, nullable=True),
    Column("eerste_contact_op", Date, nullable=True),
    Column("eerdere_uitzendbureaus", ARRAY(String), nullable=False, server_default="{}"),
    Column("regelversie", String(40), nullable=True),
    Column("redenen", JSONB, nullable=True),
    # Since 0007: one higher with every change of holder (carried in the events), and when no agency holds the
    # candidate any more for good (status beeindigd).
    Column("versie", Integer, nullable=False, server_default="0"),
    Column("beeindigd_op", Date, nullable=True),
)

# The coded profile as intake handed it over (no direct identifiers), and whether it goes to an agency.
kandidaten = Table(
    "kandidaten",
    metadata,
    Column("kandidaat_id", UUID(as_uuid=True), primary_key=True),
    Column("arbeidsmarktregio", String(40), nullable=False),
    Column("gemeente", String(6), nullable=False),
    Column("profiel", JSONB, nullable=False),
    Column("categorie", Integer, nullable=True),
    Column("naar_uitzendbureau", Boolean, nullable=False),
    Column("bijgewerkt_op", DateTime(timezone=True), nullable=False),
)

hertoewijzingen = Table(
    "hertoewijzingen",
    metadata,
    Column("id", BigInteger, primary_key=True, autoincrement=True),
    Column("kandidaat_id", UUID(as_uuid=True), nullable=False),
    Column("toewijzing_id", UUID(as_uuid=True), nullable=False),
    Column("gemeente", String(6), nullable=False),
    Column("van_uitzendbureau", String(60), nullable=False),
    Column("naar_uitzendbureau", String(60), nullable=True),
    Column("aanleiding", String(30), nullable=False),
    Column("reden", String(1000), nullable=False),
    Column("op", DateTime(timezone=True), nullable=False, server_default=func.now()),
)

# Open and closed vacancies registered by agencies and gemeenten (werkgeversservicepunt).
vacatures = Table(
    "vacatures",
    metadata,
    Column("vacature_id", UUID(as_uuid=True), primary_key=True),
    Column("door", String(60), nullable=False),
    Column("titel", String(200), nullable=False),
    Column("beroep", String(4), nullable=False),
    Column("sector", String(40), nullable=True),  # the agencies' sector of the occupation
    Column("sbi", String(1), nullable=False),
    Column("arbeidsmarktregio", String(40), nullable=False),
    Column("postcodegebied", String(4), nullable=False),
    Column("uren_per_week", Integer, nullable=False),
    Column("skills", ARRAY(String), nullable=False),
    Column("opleidingsniveau", String(10), nullable=True),
    Column("open_tot", Date, nullable=False),
    Column("geopend_op", DateTime(timezone=True), nullable=False),
    Column("gesloten_op", DateTime(timezone=True), nullable=True),
    # Since 0004.
    Column("gemeente", String(6), nullable=True),
    Column("sluitreden", String(20), nullable=True),
)

# The proposed matches of each assigned candidate (at most TOP_N), as published in MatchVoorgesteld.
matches = Table(
    "matches",
    metadata,
    Column("kandidaat_id", UUID(as_uuid=True), primary_key=True),
    Column("vacature_id", UUID(as_uuid=True), primary_key=True),
    Column("score", Float, nullable=False),
    Column("factoren", JSONB, nullable=False),
    Column("sectoroverstap", Boolean, nullable=False),
    Column("regelversie", String(40), nullable=False),
    Column("voorgesteld_op", DateTime(timezone=True), nullable=False),
)

outbox = outbox_table(metadata)
# The erasure receipts (see werkkloket_runtime.verwijdering).
verwijderingen = verwijderingen_table(metadata)

inbox = inbox_table(metadata)

# --- werk naar werk (since 0005) ---


def _melding(naam: str, sleutel: str, *kolommen: Column[Any]) -> Table:
    """An employer's report (a surplus or a shortage): who reported it for whom, where, and how many people."""
    return Table(
        naam,
        metadata,
        Column(sleutel, UUID(as_uuid=True), primary_key=True),
        Column("werkgever", String(60), nullable=False),
        Column("gemeld_door", String(60), nullable=False),
        Column("sbi", String(5), nullable=False),
        Column("arbeidsmarktregio", String(40), nullable=False),
        Column("gemeente", String(6), nullable=False),
        Column("aantal", Integer, nullable=False),
        *kolommen,
    )


# An employer's surplus: `verplaatst` counts the people already moved.
overschotten = _melding(
    "overschotten",
    "overschot_id",
    Column("verplaatst", Integer, nullable=False, server_default="0"),
    Column("beroepen", ARRAY(String), nullable=False),
    Column("skills", ARRAY(String), nullable=False),
    Column("vanaf", Date, nullable=False),
    Column("aard", String(20), nullable=False),
    Column("uitlenen_toegestaan", Boolean, nullable=False),
    Column("uitlenen_tot", Date, nullable=True),
    Column("regios", ARRAY(String), nullable=False),
    Column("uitsluiting", JSONB, nullable=False),
    Column("gemeld_op", DateTime(timezone=True), nullable=False),
)

# An employer's shortage: `ingevuld` counts the places already filled by a move.
tekorten = _melding(
    "tekorten",
    "tekort_id",
    Column("ingevuld", Integer, nullable=False, server_default="0"),
    Column("beroep", String(4), nullable=False),
    Column("skills", ARRAY(String), nullable=False),
    Column("uren_per_week", Integer, nullable=False),
    Column("postcodegebied", String(4), nullable=False),
    Column("vanaf", Date, nullable=False),
    Column("gemeld_op", DateTime(timezone=True), nullable=False),
)

mobiliteitsvoorstellen = Table(
    "mobiliteitsvoorstellen",
    metadata,
    Column("voorstel_id", UUID(as_uuid=True), primary_key=True),
    Column("overschot_id", UUID(as_uuid=True), nullable=False),
    Column("tekort_id", UUID(as_uuid=True), nullable=False),
    Column("score", Float, nullable=False),
    Column("factoren", JSONB, nullable=False),
    Column("sectoroverstap", Boolean, nullable=False),
    Column("van_sector", String(40), nullable=False),
    Column("naar_sector", String(40), nullable=False),
    Column("vormen", ARRAY(String), nullable=False),
    Column("regelversie", String(40), nullable=False),
    Column("voorgesteld_op", DateTime(timezone=True), nullable=False),
)

mobiliteiten = Table(
    "mobiliteiten",
    metadata,
    Column("mobiliteit_id", UUID(as_uuid=True), primary_key=True),
    Column("voorstel_id", UUID(as_uuid=True), nullable=False),
    Column("overschot_id", UUID(as_uuid=True), nullable=False),
    Column("tekort_id", UUID(as_uuid=True), nullable=False),
    Column("werknemer_id", UUID(as_uuid=True), nullable=False),
    Column("vorm", String(20), nullable=False),
    Column("startdatum", Date, nullable=False),
    Column("terugkeerdatum", Date, nullable=True),
    Column("teruggekeerd_op", Date, nullable=True),
    Column("beeindigd_op", Date, nullable=True),
    Column("reden", String(200), nullable=True),
)

# A worker's own skills paspoort; readable by the worker (with its key) and by employers it consented to.
paspoorten = Table(
    "paspoorten",
    metadata,
    Column("paspoort_id", UUID(as_uuid=True), primary_key=True),
    Column("sleutel_sha256", String(64), nullable=False),
    Column("overschot_id", UUID(as_uuid=True), nullable=True),
    Column("skills", ARRAY(String), nullable=False),
    Column("diplomas", JSONB, nullable=False),
    Column("werkervaring", JSONB, nullable=False),
    Column("aangemaakt_door", String(60), nullable=False),
    Column("aangemaakt_op", DateTime(timezone=True), nullable=False),
    # Since 0006: the worker's login (the token's `sub`) once the worker linked it with its key.
    Column("werknemer", String(200), nullable=True),
)

# The worker's own consent for the skills paspoort (AVG art. 7): given when linking it, withdrawn; every change.
paspoortinstemmingen = Table(
    "paspoortinstemmingen",
    metadata,
    Column("id", BigInteger, primary_key=True, autoincrement=True),
    Column("paspoort_id", UUID(as_uuid=True), nullable=False, index=True),
    Column("gegeven", Boolean, nullable=False),
    Column("tekstversie", String(40), nullable=False),
    Column("werknemer", String(200), nullable=False),
    Column("op", DateTime(timezone=True), nullable=False),
)

paspoorttoestemmingen = Table(
    "paspoorttoestemmingen",
    metadata,
    Column("paspoort_id", UUID(as_uuid=True), primary_key=True),
    Column("werkgever", String(60), primary_key=True),
    Column("gegeven_op", DateTime(timezone=True), nullable=False),
)
