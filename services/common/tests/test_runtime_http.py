import json
from pathlib import Path

from werkkloket_runtime.consumer import is_transient
from werkkloket_runtime.http import ApiKeys, hash_key


def test_api_keys_are_matched_by_hash(tmp_path: Path) -> None:
    f = tmp_path / "keys.json"
    f.write_text(
        json.dumps(
            {
                "keys": [
                    {
                        "sha256": hash_key("geheim"),
                        "organisatie": "gemeente-den-haag",
                        "rol": "gemeente",
                        "gemeente": "GM0518",
                    }
                ]
            }
        )
    )
    keys = ApiKeys.load(f)
    org = keys.lookup("geheim")
    assert org is not None and org.code == "gemeente-den-haag" and org.gemeente == "GM0518"
    assert keys.lookup("geheim ") is None
    assert keys.lookup("") is None
    assert "geheim" not in f.read_text()


def test_transient_failures_are_told_apart_from_bugs() -> None:
    assert is_transient(ConnectionRefusedError())
    assert is_transient(TimeoutError())
    assert not is_transient(ValueError("bad data"))
    assert not is_transient(KeyError("x"))
