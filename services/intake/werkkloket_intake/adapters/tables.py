"""Intake's tables (schema `intake`). Personal data live here and nowhere else."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    func,
    true,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, UUID
from werkkloket_runtime.outbox import inbox_table, outbox_table
from werkkloket_runtime.verwijdering import verwijderingen_table

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
    Column("telefoon", String(20), nullable=True),
    Column("email", String(254), nullable=True),
    Column("postcode", String(7), nullable=True),
    Column("profiel", JSONB, nullable=False),
    Column("toestemming", JSONB, nullable=False),
    Column("status", String(20), nullable=False),
    Column("uitzendbureau", String(60), nullable=True),
    Column("ontvangen_op", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("status_gewijzigd_op", DateTime(timezone=True), nullable=True),
    # Since 0002: completeness, duplicates (since 0005 each as {"id", "gemeente"}), screening.
    Column("geboortedatum", Date, nullable=True),
    Column("woonplaats", String(100), nullable=True),
    Column("mogelijke_dubbelingen", JSONB, nullable=False, server_default="[]"),
    Column("ontbrekend", JSONB, nullable=False, server_default="[]"),
    Column("categorie", Integer, nullable=True),
    Column("screening", JSONB, nullable=True),
    Column("overgedragen_op", DateTime(timezone=True), nullable=True),
    # Since 0003: the date of the registration at the gemeente, when recorded afterwards (was in `profiel`).
    Column("aanmelddatum", Date, nullable=True),
    # Since 0004: the newest assignment event applied (its toewijzingsversie), and whether the candidate may be
    # handed to an agency (not after consent for it was withdrawn, or the mediation ended).
    Column("toewijzingsversie", Integer, nullable=False, server_default="0"),
    Column("overdracht_toegestaan", Boolean, nullable=False, server_default=true()),
    # Since 0005 (replacing the plain `bsn` and `dubbel_sleutel`): the BSN (this gemeente's dossier only) encrypted
    # under the person's data key, and keyed hashes (HMAC-SHA256) of the BSN and of the duplicate key to search by.
    Column("bsn_versleuteld", LargeBinary, nullable=True),
    Column("bsn_hmac", LargeBinary, nullable=True),
    Column("dubbel_sleutel_hmac", LargeBinary, nullable=True),
)

# Since 0005: each person's data key, wrapped under intake's key-encryption key. Deleting a row makes that person's
# encrypted fields unreadable.
persoonssleutels = Table(
    "persoonssleutels",
    metadata,
    Column("kandidaat_id", UUID(as_uuid=True), primary_key=True),
    Column("sleutel_versleuteld", LargeBinary, nullable=False),
    Column("aangemaakt_op", DateTime(timezone=True), nullable=False, server_default=func.now()),
)

# Consent per purpose: every giving and withdrawing, by whom, when, with which version of the text shown.
toestemmingen = Table(
    "toestemmingen",
    metadata,
    Column("id", BigInteger, primary_key=True, autoincrement=True),
    Column("kandidaat_id", UUID(as_uuid=True), nullable=False, index=True),
    Column("doel", String(40), nullable=False),
    Column("gegeven", Boolean, nullable=False),
    Column("tekstversie", String(40), nullable=False),
    Column("vastgelegd_door", String(200), nullable=False),
    Column("organisatie", String(60), nullable=False),
    Column("op", DateTime(timezone=True), nullable=False),
)

# Which screening categories a gemeente hands to agencies (no row: the default, 1 and 2).
doorverwijzing = Table(
    "doorverwijzing",
    metadata,
    Column("gemeente", String(6), primary_key=True),
    Column("categorieen", ARRAY(Integer), nullable=False),
    Column("gewijzigd_door", String(60), nullable=False),
    Column("gewijzigd_op", DateTime(timezone=True), nullable=False, server_default=func.now()),
)

# Since 0006: what intake removed per erasure (its receipt), and that the person is erased.
verwijderingen = verwijderingen_table(metadata)

outbox = outbox_table(metadata)
inbox = inbox_table(metadata)
