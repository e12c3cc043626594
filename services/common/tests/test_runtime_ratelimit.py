"""Rate limits per identity on writes: an in-process app with the runtime's problem handlers and tokens of a
provider served in process. The limit against a real intake service is tested in tests/e2e/test_rate_limit.py."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import APIRouter, FastAPI, Request
from proef import proef_runtime, proef_settings
from pydantic import ValidationError
from test_runtime_identity import Provider, verifier
from werkkloket_runtime.http import install_problem_handlers
from werkkloket_runtime.identity import BearerCredentials, identify
from werkkloket_runtime.ratelimit import DEFAULT_WRITE_LIMIT, WriteLimit, parse_limits
from werkkloket_runtime.settings import ServiceSettings
from werkkloket_runtime.toegang import Aanroeper, BeveiligdeRoute, toegang


def limited_app(provider: Provider, spec: str) -> tuple[FastAPI, list[str]]:
    """Writes and reads of a gemeente, and a write that identifies the caller twice (counted once)."""
    app = FastAPI()
    install_problem_handlers(app)
    app.state.tokens = verifier(provider)
    app.state.write_limit = WriteLimit(spec)
    written: list[str] = []
    router = APIRouter(route_class=BeveiligdeRoute)

    @router.post("/aanmeldingen", status_code=201)
    @toegang("gemeente", scope="gemeente")
    async def registreer(org: Aanroeper) -> dict[str, str]:
        written.append(org.persoon)
        return {"door": org.persoon}

    @router.put("/aanmeldingen/x")
    @toegang("gemeente", scope="gemeente")
    async def vul_aan(org: Aanroeper) -> dict[str, str]:
        written.append(org.persoon)
        return {"door": org.persoon}

    @router.delete("/aanmeldingen/x")
    @toegang("gemeente", scope="gemeente")
    async def twee_keer(org: Aanroeper, request: Request, credentials: BearerCredentials) -> dict[str, str]:
        assert await identify(request, credentials) == org
        written.append(org.persoon)
        return {"door": org.persoon}

    @router.get("/aanmeldingen")
    @toegang("gemeente", scope="eigen")
    async def lijst(org: Aanroeper) -> dict[str, str]:
        return {"door": org.persoon}

    app.include_router(router)
    return app, written


def bearer(provider: Provider, **claims: Any) -> dict[str, str]:
    return {"Authorization": f"Bearer {provider.token(**claims)}"}


def client(app: FastAPI) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://intake.test")


async def test_the_write_over_the_limit_of_one_identity_is_a_429_with_retry_after_and_is_not_written() -> None:
    provider = Provider()
    app, written = limited_app(provider, "3/minute")
    jan = bearer(provider, sub="jan")
    async with client(app) as http:
        for method, path in (("POST", "/aanmeldingen"), ("PUT", "/aanmeldingen/x"), ("POST", "/aanmeldingen")):
            assert (await http.request(method, path, headers=jan)).status_code in (200, 201)
        over = await http.post("/aanmeldingen", headers=jan)
        assert over.status_code == 429 and over.headers["content-type"] == "application/problem+json"
        assert 1 <= int(over.headers["retry-after"]) <= 60
        problem = over.json()
        assert problem["status"] == 429 and problem["title"] == "Te veel verzoeken"
        assert problem["limiet"] == "3 per 1 minute" and "3 per 1 minute" in problem["detail"]
        assert (await http.delete("/aanmeldingen/x", headers=jan)).status_code == 429
        assert written == ["jan", "jan", "jan"]

        # Reads are not limited.
        for _ in range(10):
            assert (await http.get("/aanmeldingen", headers=jan)).status_code == 200

        # Another person of the same gemeente, and another gemeente's machine client, have limits of their own.
        piet = bearer(provider, sub="piet")
        rotterdam = bearer(provider, sub="jan", organisatie="gemeente-rotterdam", gemeenten=["GM0599"])
        assert (await http.post("/aanmeldingen", headers=piet)).status_code == 201
        assert (await http.post("/aanmeldingen", headers=rotterdam)).status_code == 201
        assert written == ["jan", "jan", "jan", "piet", "jan"]
        assert (await http.post("/aanmeldingen", headers=jan)).status_code == 429


async def test_a_write_is_counted_once_however_often_the_caller_is_identified() -> None:
    provider = Provider()
    app, written = limited_app(provider, "2/minute")
    jan = bearer(provider, sub="jan")
    async with client(app) as http:
        assert (await http.delete("/aanmeldingen/x", headers=jan)).status_code == 200
        assert (await http.delete("/aanmeldingen/x", headers=jan)).status_code == 200
        assert (await http.post("/aanmeldingen", headers=jan)).status_code == 429
    assert written == ["jan", "jan"]


async def test_every_limit_applies_the_one_reached_is_named_and_a_refused_write_counts_against_none() -> None:
    provider = Provider()
    app, written = limited_app(provider, "100/minute;2/second")
    jan = bearer(provider, sub="jan")
    async with client(app) as http:
        codes = [(await http.post("/aanmeldingen", headers=jan)).status_code for _ in range(4)]
        assert codes == [201, 201, 429, 429]
        over = await http.post("/aanmeldingen", headers=jan)
        assert over.json()["limiet"] == "2 per 1 second" and over.headers["retry-after"] == "1"
        limit: WriteLimit = app.state.write_limit
        per_minute = limit.items[0]
        stats = await limit.limiter.get_window_stats(per_minute, "schrijven", "gemeente-den-haag", "jan")
        assert stats.remaining == 98  # the two written, not the three refused
        await asyncio.sleep(int(over.headers["retry-after"]))
        assert (await http.post("/aanmeldingen", headers=jan)).status_code == 201
    assert written == ["jan"] * 3


async def test_without_a_token_a_write_is_401_not_counted() -> None:
    provider = Provider()
    app, written = limited_app(provider, "1/minute")
    async with client(app) as http:
        for _ in range(3):
            assert (await http.post("/aanmeldingen")).status_code == 401
        assert (await http.post("/aanmeldingen", headers=bearer(provider))).status_code == 201
    assert len(written) == 1


def settings(tmp_path: Path, rate_limit_writes: str) -> ServiceSettings:
    return proef_settings(tmp_path, WERKKLOKET_RATE_LIMIT_WRITES=rate_limit_writes)


def test_the_setting_takes_the_library_notation_and_the_runtime_limits_every_app_it_builds(tmp_path: Path) -> None:
    assert ServiceSettings.model_fields["rate_limit_writes"].default == DEFAULT_WRITE_LIMIT
    assert [str(i) for i in parse_limits(DEFAULT_WRITE_LIMIT)] == ["5000 per 1 minute", "30000 per 1 hour"]
    for wrong in ("", "veel", "10/fortnight"):
        with pytest.raises(ValidationError):
            settings(tmp_path, wrong)
    low = settings(tmp_path, "600/minute;50/second")
    rt = proef_runtime(low)
    app = rt.http_app(title="Proef", description="proef")
    assert [str(i) for i in app.state.write_limit.items] == ["600 per 1 minute", "50 per 1 second"]
