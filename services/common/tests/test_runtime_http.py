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


def test_a_nul_character_in_a_json_body_is_a_422_naming_the_field() -> None:
    from fastapi import FastAPI
    from fastapi.testclient import TestClient
    from pydantic import BaseModel
    from werkkloket_runtime.http import install_problem_handlers

    class In(BaseModel):
        naam: str
        skills: list[str]

    app = FastAPI()
    install_problem_handlers(app)
    seen: list[In] = []

    @app.post("/x")
    def x(body: In) -> dict[str, str]:
        seen.append(body)
        return {"ok": "ja"}

    client = TestClient(app)
    r = client.post("/x", content=b'{"naam": "a\\u0000b", "skills": ["ok", "x\\u0000"]}',
                    headers={"content-type": "application/json"})  # fmt: skip
    assert r.status_code == 422 and r.headers["content-type"] == "application/problem+json"
    assert [p["name"] for p in r.json()["invalid_params"]] == ["naam", "skills.1"]
    assert seen == []
    r = client.post("/x", json={"naam": "Ab", "skills": ["ok"]})
    assert r.status_code == 200 and seen == [In(naam="Ab", skills=["ok"])]  # the body still reaches the route
