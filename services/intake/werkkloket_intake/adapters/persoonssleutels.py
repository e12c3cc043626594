"""Each person's data key in `intake.persoonssleutels` (wrapped under intake's key-encryption key), the BSN
encrypted under it, and intake's keyed hashes to search by. Deleting a person's key makes their BSN unreadable.

The keys come from WERKKLOKET_SLEUTELS_FILE; the composition root sets them once (`stel_in`)."""

from __future__ import annotations

from uuid import UUID

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection
from werkkloket_contracts import Persoonlijk, Versleuteld, sleutel_record
from werkkloket_runtime.sleutelring import sleutelrecord, versleutel_met
from werkkloket_runtime.unit_of_work import UnitOfWork
from werkkloket_runtime.versleuteling import (
    Ontsleutelfout,
    Sleutels,
    aad,
    nieuwe_sleutel,
    ontsleutel,
    pak_uit,
    sleutel_hash,
    verpak,
    versleutel,
)

from ..domain.profiel import normaliseer_bsn
from .tables import persoonssleutels

# The associated data's first part and the hashes' purposes. Migration 0005 writes with the same values: they
# never change (a new format gets new names).
SLEUTEL = "intake.persoonssleutels"
BSN = "intake.aanmeldingen.bsn"
HASH_BSN = "bsn"
HASH_DUBBEL = "dubbel_sleutel"


class Kluis:
    """Intake's keys at work: wrap and unwrap a person's data key, encrypt and decrypt the BSN bound to the person,
    and hash what duplicates are searched by."""

    def __init__(self, sleutels: Sleutels) -> None:
        self._sleutels = sleutels

    def nieuwe_sleutel(self, kandidaat_id: UUID) -> tuple[bytes, bytes]:
        """A new data key for the person, and the same wrapped (to store)."""
        sleutel = nieuwe_sleutel()
        return sleutel, verpak(self._sleutels.kek, sleutel, aad(SLEUTEL, str(kandidaat_id)))

    def open_sleutel(self, kandidaat_id: UUID, verpakt: bytes) -> bytes:
        return pak_uit(self._sleutels.kek, verpakt, aad(SLEUTEL, str(kandidaat_id)))

    @staticmethod
    def versleutel_bsn(sleutel: bytes, kandidaat_id: UUID, bsn: str) -> bytes:
        return versleutel(sleutel, normaliseer_bsn(bsn).encode(), aad(BSN, str(kandidaat_id)))

    def bsn(self, kandidaat_id: UUID, verpakt: bytes, versleuteld: bytes) -> str:
        """The BSN, decrypted with the person's wrapped data key."""
        return ontsleutel(self.open_sleutel(kandidaat_id, verpakt), versleuteld, aad(BSN, str(kandidaat_id))).decode()

    def sleutelrecord(self, kandidaat_id: UUID, sleutel: bytes) -> bytes:
        """The person's werkkloket.sleutels record: their data key wrapped for every receiving service."""
        return sleutelrecord(kandidaat_id, sleutel, self._sleutels.ontvangers)

    def bsn_hash(self, bsn: str) -> bytes:
        return sleutel_hash(self._sleutels.hmac, HASH_BSN, normaliseer_bsn(bsn))

    def dubbel_hash(self, dubbel_sleutel: str) -> bytes:
        return sleutel_hash(self._sleutels.hmac, HASH_DUBBEL, dubbel_sleutel)


class _Instelling:
    kluis: Kluis | None = None


_instelling = _Instelling()


def stel_in(sleutels: Sleutels | None) -> None:
    """The keys this process works with (None: none, e.g. to write the AsyncAPI document)."""
    _instelling.kluis = Kluis(sleutels) if sleutels is not None else None


def kluis() -> Kluis:
    if _instelling.kluis is None:
        raise RuntimeError("intake has no keys (WERKKLOKET_SLEUTELS_FILE)")
    return _instelling.kluis


async def maak(conn: AsyncConnection, kandidaat_id: UUID) -> bytes:
    """A new data key for the person, stored wrapped; returns it (plain, for this transaction only)."""
    sleutel, verpakt = kluis().nieuwe_sleutel(kandidaat_id)
    await conn.execute(persoonssleutels.insert().values(kandidaat_id=kandidaat_id, sleutel_versleuteld=verpakt))
    return sleutel


async def van(conn: AsyncConnection, kandidaat_id: UUID) -> bytes:
    """The person's data key; a new one when the person has none yet."""
    p = persoonssleutels.c
    verpakt = await conn.scalar(select(p.sleutel_versleuteld).where(p.kandidaat_id == kandidaat_id))
    return kluis().open_sleutel(kandidaat_id, verpakt) if verpakt is not None else await maak(conn, kandidaat_id)


async def versleutel_voor_bus(uow: UnitOfWork, kandidaat_id: UUID, velden: Persoonlijk) -> Versleuteld:
    """Encrypt fields about the person for an event, and queue (before it) the person's key for the services that
    may read them: compaction keeps the latest, so publishing it again with every profile is harmless."""
    sleutel = await van(uow.conn, kandidaat_id)
    waarde = kluis().sleutelrecord(kandidaat_id, sleutel)
    await uow.publish_record(sleutel_record(kandidaat_id, waarde, source=uow.source))
    return versleutel_met(sleutel, kandidaat_id, velden)


async def vernietig(uow: UnitOfWork, kandidaat_id: UUID) -> int:
    """Destroy the person's data key and tombstone it on werkkloket.sleutels (every service deletes its copy)."""
    p = persoonssleutels.c
    result = await uow.conn.execute(persoonssleutels.delete().where(p.kandidaat_id == kandidaat_id))
    await uow.publish_record(sleutel_record(kandidaat_id, None, source=uow.source))
    return int(result.rowcount or 0)


async def controleer(conn: AsyncConnection) -> None:
    """Refuse keys that do not open the data keys already stored (another keys file than the database's): with
    them no stored BSN could be read, and new ones would be encrypted under keys that open no other."""
    p = persoonssleutels.c
    row = (await conn.execute(select(p.kandidaat_id, p.sleutel_versleuteld).limit(1))).first()
    if row is None:
        return
    try:
        kluis().open_sleutel(row.kandidaat_id, row.sleutel_versleuteld)
    except Ontsleutelfout:
        raise RuntimeError(
            "intake's keys (WERKKLOKET_SLEUTELS_FILE) do not open the data keys in the database: start it with the "
            "keys file the database was encrypted with"
        ) from None
