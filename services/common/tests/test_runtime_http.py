import re
from collections.abc import Iterator, MutableMapping
from pathlib import Path
from typing import Any

from proef import proef_runtime, proef_settings
from werkkloket_runtime.consumer import is_transient


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


def _guarded_app(max_body_bytes: int) -> tuple[Any, list[bytes]]:
    from fastapi import FastAPI, Request
    from werkkloket_runtime.http import install_problem_handlers

    app = FastAPI()
    install_problem_handlers(app, max_body_bytes)
    reached: list[bytes] = []

    @app.post("/api/v1/x")
    async def x(request: Request) -> dict[str, int]:
        reached.append(await request.body())
        return {"n": len(reached[-1])}

    return app, reached


def test_an_oversized_body_is_a_413_before_it_reaches_a_route() -> None:
    from fastapi.testclient import TestClient

    app, reached = _guarded_app(1000)
    client = TestClient(app)
    r = client.post("/api/v1/x", content=b"a" * 1001, headers={"content-type": "application/json"})
    assert r.status_code == 413 and r.headers["content-type"] == "application/problem+json"
    assert r.json()["status"] == 413 and "1000" in r.json()["detail"]

    # Streamed in chunks without a Content-Length: counted as it arrives.
    def chunks() -> Iterator[bytes]:
        for _ in range(20):
            yield b"b" * 100

    r = client.post("/api/v1/x", content=chunks(), headers={"content-type": "application/json"})
    assert r.status_code == 413
    assert reached == []

    r = client.post("/api/v1/x", content=b"c" * 1000, headers={"content-type": "application/json"})
    assert r.status_code == 200 and reached == [b"c" * 1000]  # at the limit it still reaches the route


async def test_a_chunked_body_past_the_limit_is_refused_without_reading_the_rest() -> None:
    from werkkloket_runtime.middleware import BodyGuard

    calls: list[str] = []

    async def app(scope: Any, receive: Any, send: Any) -> None:
        calls.append("app")

    sent: list[MutableMapping[str, Any]] = []
    chunks = [{"type": "http.request", "body": b"x" * 600, "more_body": True} for _ in range(100)]
    received = 0

    async def receive() -> dict[str, Any]:
        nonlocal received
        received += 1
        return chunks[received - 1]

    async def send(message: MutableMapping[str, Any]) -> None:
        sent.append(message)

    scope = {"type": "http", "method": "POST", "path": "/api/v1/x", "headers": [(b"transfer-encoding", b"chunked")]}
    await BodyGuard(app, max_bytes=1000)(scope, receive, send)
    assert calls == []
    assert sent[0]["status"] == 413
    assert received == 2  # stopped at the first chunk past the limit


def test_every_response_carries_the_security_headers() -> None:
    from fastapi.testclient import TestClient

    app, _ = _guarded_app(1000)
    client = TestClient(app)
    for r in (client.post("/api/v1/x", json={}), client.get("/nergens")):
        assert r.headers["x-content-type-options"] == "nosniff"
        assert r.headers["referrer-policy"] == "no-referrer"
        assert r.headers["x-frame-options"] == "DENY"
        assert "frame-ancestors 'none'" in r.headers["content-security-policy"]
    assert client.post("/api/v1/x", json={}).headers["cache-control"] == "no-store"


def _app(docs: bool, tmp_path: Path) -> Any:
    rt = proef_runtime(proef_settings(tmp_path, WERKKLOKET_DOCS=docs))
    return rt.http_app(title="Proef", description="proef")


def test_the_openapi_page_is_there_only_when_configured_and_loads_nothing_from_elsewhere(tmp_path: Path) -> None:
    from fastapi.testclient import TestClient

    off = TestClient(_app(docs=False, tmp_path=tmp_path))
    assert off.get("/docs").status_code == 404
    assert off.get("/openapi.json").status_code == 200

    on = TestClient(_app(docs=True, tmp_path=tmp_path))
    page = on.get("/docs")
    assert page.status_code == 200
    sources = re.findall(r'(?:src|href)="([^"]+)"', page.text)
    assert sources and all(s.startswith("/docs-assets/") for s in sources), sources
    for source in sources:
        asset = on.get(source)
        assert asset.status_code == 200 and len(asset.content) > 500, source
