"""Envelope encryption and keyed hashes of personal data (werkkloket_runtime.versleuteling)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from werkkloket_runtime.versleuteling import (
    SLEUTEL_BYTES,
    OngeldigeSleutels,
    Ontsleutelfout,
    Sleutels,
    aad,
    lees_sleutels,
    nieuwe_sleutel,
    ontsleutel,
    pak_uit,
    sleutel_hash,
    verpak,
    versleutel,
)

AAD = aad("intake.aanmeldingen.bsn", "3f2c7a52-0000-4000-8000-000000000001")


def test_round_trip() -> None:
    sleutel = nieuwe_sleutel()
    assert len(sleutel) == SLEUTEL_BYTES
    blob = versleutel(sleutel, b"123456782", AAD)
    assert b"123456782" not in blob
    assert ontsleutel(sleutel, blob, AAD) == b"123456782"
    # a new nonce each time: the same value never gives the same ciphertext
    assert versleutel(sleutel, b"123456782", AAD) != blob


def test_other_associated_data_fails() -> None:
    sleutel = nieuwe_sleutel()
    blob = versleutel(sleutel, b"123456782", AAD)
    for other in (aad("intake.aanmeldingen.bsn", "another-person"), aad("intake.aanmeldingen.naam", "x"), b""):
        with pytest.raises(Ontsleutelfout):
            ontsleutel(sleutel, blob, other)


def test_aad_parts_are_unambiguous() -> None:
    assert aad("ab", "c") != aad("a", "bc")
    assert aad("a", "") != aad("a")


def test_other_key_fails() -> None:
    blob = versleutel(nieuwe_sleutel(), b"123456782", AAD)
    with pytest.raises(Ontsleutelfout):
        ontsleutel(nieuwe_sleutel(), blob, AAD)


@pytest.mark.parametrize("positie", [0, 1, 13, -1])
def test_tampering_fails(positie: int) -> None:
    sleutel = nieuwe_sleutel()
    blob = bytearray(versleutel(sleutel, b"123456782", AAD))
    blob[positie] ^= 0x01
    with pytest.raises(Ontsleutelfout):
        ontsleutel(sleutel, bytes(blob), AAD)


def test_truncated_ciphertext_fails() -> None:
    sleutel = nieuwe_sleutel()
    blob = versleutel(sleutel, b"123456782", AAD)
    for kort in (b"", blob[:5], blob[:-1]):
        with pytest.raises(Ontsleutelfout):
            ontsleutel(sleutel, kort, AAD)


def test_wrapped_data_key_opens_with_its_kek_and_person_only() -> None:
    kek, data = nieuwe_sleutel(), nieuwe_sleutel()
    bij = aad("persoonssleutel", "person-1")
    verpakt = verpak(kek, data, bij)
    assert data not in verpakt
    assert pak_uit(kek, verpakt, bij) == data
    with pytest.raises(Ontsleutelfout):
        pak_uit(nieuwe_sleutel(), verpakt, bij)
    with pytest.raises(Ontsleutelfout):
        pak_uit(kek, verpakt, aad("persoonssleutel", "person-2"))
    with pytest.raises(ValueError):
        verpak(kek, b"short", bij)
    # a ciphertext of something else under the kek is no data key
    with pytest.raises(Ontsleutelfout):
        pak_uit(kek, versleutel(kek, b"not a key", bij), bij)


def test_hmac_is_stable_and_depends_on_key_and_purpose() -> None:
    k1, k2 = nieuwe_sleutel(), nieuwe_sleutel()
    h = sleutel_hash(k1, "bsn", "123456782")
    assert len(h) == 32
    assert sleutel_hash(k1, "bsn", "123456782") == h
    assert sleutel_hash(k2, "bsn", "123456782") != h
    assert sleutel_hash(k1, "bsn", "111222333") != h
    assert sleutel_hash(k1, "dubbel_sleutel", "123456782") != h


def test_keys_file_round_trip_and_mode(tmp_path: Path) -> None:
    sleutels = Sleutels.nieuw()
    path = tmp_path / "sleutels.json"
    path.write_text(sleutels.json())
    path.chmod(0o600)
    assert lees_sleutels(path) == sleutels
    assert repr(sleutels) == "Sleutels()"  # never the keys themselves
    path.chmod(0o640)
    with pytest.raises(OngeldigeSleutels, match="chmod 600"):
        lees_sleutels(path)


def test_keys_file_refused_when_missing_or_malformed(tmp_path: Path) -> None:
    with pytest.raises(OngeldigeSleutels, match="cannot be read"):
        lees_sleutels(tmp_path / "absent.json")
    path = tmp_path / "sleutels.json"
    for inhoud in ("not json", json.dumps({"kek": "AAAA"}), json.dumps({"kek": "!!", "hmac": "!!"})):
        path.write_text(inhoud)
        path.chmod(0o600)
        with pytest.raises(OngeldigeSleutels):
            lees_sleutels(path)
    kort = {"kek": "AAAA", "hmac": "AAAA"}
    path.write_text(json.dumps(kort))
    with pytest.raises(OngeldigeSleutels, match="32-byte"):
        lees_sleutels(path)
    data = json.loads(Sleutels.nieuw().json())
    path.write_text(json.dumps({"kek": data["kek"], "hmac": data["kek"]}))
    with pytest.raises(OngeldigeSleutels, match="different"):
        lees_sleutels(path)
