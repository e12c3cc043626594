"""The demo scenarios' HTTP client: each call to a public API with an access token of the organisation."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

import httpx

# An organisation's current access token (`Identities.token`: fetched from the provider, cached until it expires).
Tokens = Callable[[str], str]


async def gather_limited(n: int, coros: list[Awaitable[Any]]) -> list[Any]:
    """Await the coroutines with at most `n` at a time; their results in order."""
    sem = asyncio.Semaphore(n)

    async def one(c: Awaitable[Any]) -> Any:
        async with sem:
            return await c

    return list(await asyncio.gather(*(one(c) for c in coros)))


class Client:
    """The scenario's calls, each to a public HTTP API with a token of the organisation."""

    def __init__(self, http: httpx.AsyncClient, urls: dict[str, str], tokens: Tokens) -> None:
        self.http = http
        self.urls = urls
        self.tokens = tokens

    def auth(self, org: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens(org)}"}

    async def call(self, method: str, service: str, path: str, org: str, **kw: Any) -> Any:
        r = await self.http.request(method, f"{self.urls[service]}{path}", headers=self.auth(org), **kw)
        if r.status_code >= 400:
            raise RuntimeError(f"{method} {service}{path}: {r.status_code} {r.text}")
        return r.json()

    async def rapport(self, pad: str, als: str, **params: Any) -> dict[str, Any]:
        """A report read as the organisation `als`: a gemeente reads its own figures exactly (anyone else's come
        with small cells suppressed), so the scenario reads as the gemeente whose seed figures it compares."""
        result: dict[str, Any] = await self.call("GET", "rapportage", f"/api/v1/rapportage/{pad}", als, params=params)
        return result
