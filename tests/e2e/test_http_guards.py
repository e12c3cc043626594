"""Request bodies are capped before anything reads them, authentication included; every answer carries the
security headers."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx

from ..conftest import Stack

MIB = 1024 * 1024


async def test_an_oversized_body_is_refused_with_413_before_authentication(stack: Stack) -> None:
    url = f"{stack.url('intake')}/api/v1/aanmeldingen"
    async with httpx.AsyncClient(timeout=30) as client:
        # Without a key a small body is a 401: the size is judged before who is asking.
        assert (await client.post(url, json={})).status_code == 401
        r = await client.post(url, content=b"{" + b" " * (2 * MIB) + b"}", headers={"content-type": "application/json"})
        assert r.status_code == 413, r.text
        assert r.headers["content-type"] == "application/problem+json"

        async def chunks() -> AsyncIterator[bytes]:
            for _ in range(40):
                yield b" " * (64 * 1024)

        r = await client.post(url, content=chunks(), headers={"content-type": "application/json"})
        assert "content-length" not in r.request.headers
        assert r.status_code == 413, r.text


async def test_api_answers_carry_the_security_headers(stack: Stack) -> None:
    async with httpx.AsyncClient(timeout=10) as client:
        r = await client.get(f"{stack.url('plaatsing')}/api/v1/kandidaten", headers=stack.auth("maasvlakte-personeel"))
        assert r.status_code == 200
        assert r.headers["x-content-type-options"] == "nosniff"
        assert r.headers["cache-control"] == "no-store"
        assert r.headers["x-frame-options"] == "DENY"
        page = await client.get(f"{stack.url('rapportage')}/dashboard")
        assert "script-src 'self'" in page.headers["content-security-policy"]
        assert "unsafe-inline" not in page.headers["content-security-policy"].split("script-src")[1].split(";")[0]
        assert "<script>" not in page.text and '<script src="/dashboard.js">' in page.text
        script = await client.get(f"{stack.url('rapportage')}/dashboard.js")
        assert script.status_code == 200 and script.headers["content-type"].startswith("text/javascript")
