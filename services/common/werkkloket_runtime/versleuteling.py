"""Encryption of personal data at rest, with `cryptography`'s AES-GCM and HMAC-SHA256 (nothing of our own).

Envelope encryption: each person gets a data key of their own (`nieuwe_sleutel`), stored only wrapped under the
service's key-encryption key (`verpak`/`pak_uit`); a field is encrypted under the person's data key with
associated data that binds it to the person and the field (`versleutel`/`ontsleutel`, `aad`). Destroying a
person's wrapped data key makes their encrypted fields unreadable. Exact-match search goes through a keyed hash
(`sleutel_hash`), never through the plain value.

A service's keys (`Sleutels`: the key-encryption key and the HMAC key; for intake also each receiving service's
wrapping key, `ontvangers`) come from a JSON file with base64 values, readable by its owner only
(`lees_sleutels`), named by WERKKLOKET_SLEUTELS_FILE. A receiving service's key-encryption key is its wrapping key:
it unwraps the person keys intake publishes for it (see `sleutelring`).
"""

from __future__ import annotations

import base64
import binascii
import json
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives import hmac as crypto_hmac
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

SLEUTEL_BYTES = 32  # AES-256, and the HMAC key
NONCE_BYTES = 12
# The first byte of every ciphertext: its format (AES-256-GCM, 96-bit random nonce, 128-bit tag).
FORMAAT_AES_GCM = b"\x01"
_TAG_BYTES = 16


class Ontsleutelfout(ValueError):
    """A ciphertext that does not open: another key, other associated data, or changed bytes."""


class OngeldigeSleutels(ValueError):
    """A keys file that is missing, readable by others, or not what `lees_sleutels` expects."""


def nieuwe_sleutel() -> bytes:
    """A random 256-bit AES-GCM key (a person's data key, a key-encryption key or a hash key)."""
    return AESGCM.generate_key(bit_length=256)


def aad(*delen: str) -> bytes:
    """Associated data from its parts (e.g. the field and the person's id), unambiguous: each part is
    length-prefixed."""
    return b"".join(len(d.encode()).to_bytes(4, "big") + d.encode() for d in delen)


def versleutel(sleutel: bytes, data: bytes, associated: bytes) -> bytes:
    """AES-GCM under `sleutel`: format byte, random nonce, ciphertext and tag."""
    nonce = os.urandom(NONCE_BYTES)
    return FORMAAT_AES_GCM + nonce + AESGCM(sleutel).encrypt(nonce, data, associated)


def ontsleutel(sleutel: bytes, blob: bytes, associated: bytes) -> bytes:
    """The plain bytes of `versleutel`'s output; Ontsleutelfout unless key, associated data and bytes all match."""
    if len(blob) < 1 + NONCE_BYTES + _TAG_BYTES or blob[:1] != FORMAAT_AES_GCM:
        raise Ontsleutelfout("unknown ciphertext format")
    nonce, rest = blob[1 : 1 + NONCE_BYTES], blob[1 + NONCE_BYTES :]
    try:
        return AESGCM(sleutel).decrypt(nonce, rest, associated)
    except InvalidTag:
        raise Ontsleutelfout("ciphertext does not open with this key and associated data") from None


def verpak(kek: bytes, data_sleutel: bytes, associated: bytes) -> bytes:
    """Wrap a data key under the key-encryption key (AES-GCM, bound to `associated`, e.g. the person's id)."""
    if len(data_sleutel) != SLEUTEL_BYTES:
        raise ValueError("a data key has 32 bytes")
    return versleutel(kek, data_sleutel, associated)


def pak_uit(kek: bytes, verpakt: bytes, associated: bytes) -> bytes:
    """The data key `verpak` wrapped."""
    sleutel = ontsleutel(kek, verpakt, associated)
    if len(sleutel) != SLEUTEL_BYTES:
        raise Ontsleutelfout("a wrapped data key has 32 bytes")
    return sleutel


def sleutel_hash(hmac_sleutel: bytes, doel: str, waarde: str) -> bytes:
    """HMAC-SHA256 of a (normalised) value for exact-match search; `doel` separates the uses of one key (the
    same value hashes differently as a BSN and as a duplicate key)."""
    h = crypto_hmac.HMAC(hmac_sleutel, hashes.SHA256())
    h.update(aad(doel, waarde))
    return h.finalize()


@dataclass(frozen=True)
class Sleutels:
    """A service's key-encryption key and HMAC key (never in a repr or a log)."""

    kek: bytes = field(repr=False)
    hmac: bytes = field(repr=False)
    # Intake only: per receiving service, the key that wraps a person's data key for it.
    ontvangers: dict[str, bytes] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        if len(self.kek) != SLEUTEL_BYTES or len(self.hmac) != SLEUTEL_BYTES:
            raise OngeldigeSleutels("kek and hmac are 32-byte keys")
        if any(len(k) != SLEUTEL_BYTES for k in self.ontvangers.values()):
            raise OngeldigeSleutels("every receiving service's key has 32 bytes")
        if self.kek == self.hmac:
            raise OngeldigeSleutels("kek and hmac must be different keys")

    @classmethod
    def nieuw(cls) -> Sleutels:
        return cls(kek=nieuwe_sleutel(), hmac=nieuwe_sleutel())

    def json(self) -> str:
        """The keys file's content (write it readable by its owner only)."""
        velden: dict[str, object] = {
            k: base64.b64encode(v).decode() for k, v in (("kek", self.kek), ("hmac", self.hmac))
        }
        if self.ontvangers:
            velden["ontvangers"] = {k: _b64(v) for k, v in sorted(self.ontvangers.items())}
        return json.dumps(velden, indent=2) + "\n"


def _b64(b: bytes) -> str:
    return base64.b64encode(b).decode()


def lees_sleutels(path: Path) -> Sleutels:
    """The keys in `path`: JSON {"kek": base64, "hmac": base64}, 32 bytes each, readable by its owner only."""
    try:
        mode = path.stat().st_mode
    except OSError as exc:
        raise OngeldigeSleutels(f"keys file {path} cannot be read: {exc.strerror}") from None
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise OngeldigeSleutels(f"keys file {path} is open to others (mode {stat.S_IMODE(mode):o}); chmod 600 it")
    try:
        data = json.loads(path.read_text())
        kek, hmac_sleutel = (base64.b64decode(data[k], validate=True) for k in ("kek", "hmac"))
        ontvangers = {str(k): base64.b64decode(v, validate=True) for k, v in data.get("ontvangers", {}).items()}
    except (OSError, ValueError, KeyError, TypeError, AttributeError, binascii.Error):
        raise OngeldigeSleutels(f"keys file {path} is not JSON with base64 keys 'kek' and 'hmac'") from None
    try:
        return Sleutels(kek=kek, hmac=hmac_sleutel, ontvangers=ontvangers)
    except OngeldigeSleutels as exc:
        raise OngeldigeSleutels(f"keys file {path}: {exc}") from None
