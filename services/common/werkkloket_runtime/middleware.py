"""ASGI middleware every service runs: a capped, checked request body, and security headers on every response."""

from __future__ import annotations

import json
from typing import Any

from starlette.datastructures import Headers, MutableHeaders
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

DEFAULT_MAX_BODY_BYTES = 1024 * 1024
PROBLEM_JSON = "application/problem+json"


def _problem(status: int, title: str, detail: str, **extra: Any) -> JSONResponse:
    body = {"type": "about:blank", "title": title, "status": status, "detail": detail, **extra}
    return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON)


def _nul_paths(node: Any, path: str = "") -> list[str]:
    """The JSON paths of the strings (or keys) that contain a NUL character."""
    if isinstance(node, str):
        return [path or "body"] if "\x00" in node else []
    if isinstance(node, dict):
        found = [f"{path}.{k}".lstrip(".") for k in node if "\x00" in str(k)]
        return found + [p for k, v in node.items() for p in _nul_paths(v, f"{path}.{k}".lstrip("."))]
    if isinstance(node, list):
        return [p for i, v in enumerate(node) for p in _nul_paths(v, f"{path}.{i}".lstrip("."))]
    return []


def _nul_problem(body: bytes) -> JSONResponse | None:
    """A JSON body with a NUL character (which PostgreSQL text cannot hold): a 422 naming the fields."""
    if b"\\u0000" not in body:
        return None
    try:
        paths = _nul_paths(json.loads(body))
    except ValueError:
        return None  # not JSON: the route's own validation answers
    if not paths:
        return None
    return _problem(
        422,
        "Ongeldige invoer",
        f"Ongeldige of ontbrekende velden: {', '.join(paths)}",
        invalid_params=[{"name": p, "reason": "bevat een NUL-teken"} for p in paths],
    )


class BodyGuard:
    """Reads a request's body before anything else does (authentication and routes included), counting the bytes
    as they stream in: past `max_bytes` the answer is 413 at once, whether or not a Content-Length was sent."""

    def __init__(self, app: ASGIApp, max_bytes: int = DEFAULT_MAX_BODY_BYTES) -> None:
        self.app = app
        self.max_bytes = max_bytes

    def _too_large(self) -> JSONResponse:
        return _problem(413, "Verzoek te groot", f"De body is groter dan {self.max_bytes} bytes")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        length = headers.get("content-length")
        if length is None and "transfer-encoding" not in headers:
            await self.app(scope, receive, send)  # no body
            return
        if length is not None and length.isdigit() and int(length) > self.max_bytes:
            await self._too_large()(scope, receive, send)
            return
        messages: list[Message] = []
        body = bytearray()
        while True:
            message = await receive()
            messages.append(message)
            if message["type"] != "http.request":
                break
            body += message.get("body", b"")
            if len(body) > self.max_bytes:
                await self._too_large()(scope, receive, send)
                return
            if not message.get("more_body", False):
                break
        problem = _nul_problem(bytes(body))
        if problem is not None:
            await problem(scope, receive, send)
            return
        pending = iter(messages)

        async def replay() -> Message:
            return next(pending, None) or await receive()

        await self.app(scope, replay, send)


# Set on every response unless the route set its own (the dashboard sets a fuller CSP).
SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Content-Security-Policy": "frame-ancestors 'none'",
}


class SecurityHeaders:
    """nosniff, no referrer, no framing on every response; API responses are never stored by caches."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        api = scope["path"].startswith("/api/")

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in SECURITY_HEADERS.items():
                    if name not in headers:
                        headers[name] = value
                if api and "cache-control" not in headers:
                    headers["Cache-Control"] = "no-store"
            await send(message)

        await self.app(scope, receive, with_headers)
