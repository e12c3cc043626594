"""HTTP conventions shared by the services: RFC 9457 problem details, and organisation API keys."""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .errors import DomainError

PROBLEM_JSON = "application/problem+json"
Rol = Literal["gemeente", "uitzendbureau", "werkgever", "rapportage", "beheer"]


class Problem(Exception):
    """An error answered as application/problem+json."""

    def __init__(self, status: int, title: str, detail: str = "", **extra: Any) -> None:
        super().__init__(detail or title)
        self.status = status
        self.title = title
        self.detail = detail
        self.extra = extra


def problem_response(status: int, title: str, detail: str = "", **extra: Any) -> JSONResponse:
    body: dict[str, Any] = {"type": "about:blank", "title": title, "status": status}
    if detail:
        body["detail"] = detail
    body.update(extra)
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON, headers=headers)


def _field_name(loc: tuple[Any, ...] | list[Any]) -> str:
    parts = [str(p) for p in loc]
    if parts and parts[0] in {"body", "query", "path", "header"}:
        parts = parts[1:] if parts[0] == "body" else parts
    return ".".join(parts) or "body"


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


class RejectNul:
    """ASGI middleware: a JSON body with a NUL character (which PostgreSQL text cannot hold) gets a 422 naming
    the field, instead of failing in the database."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in ("POST", "PUT", "PATCH"):
            await self.app(scope, receive, send)
            return
        messages: list[Message] = []
        body = b""
        while True:
            message = await receive()
            messages.append(message)
            if message["type"] != "http.request":
                break
            body += message.get("body", b"")
            if not message.get("more_body", False):
                break
        if b"\\u0000" in body:
            try:
                paths = _nul_paths(json.loads(body))
            except ValueError:
                paths = []  # not JSON: the route's own validation answers
            if paths:
                response = problem_response(
                    422,
                    "Ongeldige invoer",
                    f"Ongeldige of ontbrekende velden: {', '.join(paths)}",
                    invalid_params=[{"name": p, "reason": "bevat een NUL-teken"} for p in paths],
                )
                await response(scope, receive, send)
                return
        pending = iter(messages)

        async def replay() -> Message:
            return next(pending, None) or await receive()

        await self.app(scope, replay, send)


def install_problem_handlers(app: FastAPI) -> None:
    app.add_middleware(RejectNul)

    @app.exception_handler(RequestValidationError)
    async def invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        params = [{"name": _field_name(e["loc"]), "reason": e["msg"]} for e in exc.errors()]
        names = sorted({p["name"] for p in params})
        return problem_response(
            422,
            "Ongeldige invoer",
            f"Ongeldige of ontbrekende velden: {', '.join(names)}",
            invalid_params=params,
        )

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        return problem_response(exc.status_code, str(exc.detail), "")

    @app.exception_handler(Problem)
    async def problem(_: Request, exc: Problem) -> JSONResponse:
        return problem_response(exc.status, exc.title, exc.detail, **exc.extra)

    @app.exception_handler(DomainError)
    async def refused(_: Request, exc: DomainError) -> JSONResponse:
        return problem_response(exc.status, exc.title, exc.reden, **exc.extra)


@dataclass(frozen=True)
class Organisatie:
    """Who is calling: one organisation per API key."""

    code: str
    rol: Rol
    naam: str = ""
    gemeente: str | None = None  # CBS code, for a gemeente's key


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


class ApiKeys:
    """API keys from configuration, kept as SHA-256 hashes: {"keys": [{"sha256", "organisatie", "rol", ...}]}."""

    def __init__(self, entries: dict[str, Organisatie]) -> None:
        self._by_hash = entries

    @classmethod
    def load(cls, path: Path | None) -> ApiKeys:
        if path is None:
            return cls({})
        data = json.loads(path.read_text())
        return cls(
            {
                e["sha256"]: Organisatie(
                    code=e["organisatie"], rol=e["rol"], naam=e.get("naam", ""), gemeente=e.get("gemeente")
                )
                for e in data["keys"]
            }
        )

    def lookup(self, key: str) -> Organisatie | None:
        digest = hash_key(key)
        for known, org in self._by_hash.items():
            if hmac.compare_digest(known, digest):
                return org
        return None


_bearer = HTTPBearer(auto_error=False)


def require(
    *roles: Rol,
) -> Callable[[Request, HTTPAuthorizationCredentials | None], Coroutine[Any, Any, Organisatie]]:
    """A FastAPI dependency: the calling organisation, 401 without a valid key, 403 for another role.

    The keys are the app's (`app.state.keys`, set by the composition root), so routers can live at module level.
    """

    async def dependency(
        request: Request,
        credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
    ) -> Organisatie:
        if credentials is None or credentials.scheme.lower() != "bearer":
            raise Problem(401, "Niet geauthenticeerd", "Een API-sleutel is nodig: Authorization: Bearer <sleutel>")
        keys: ApiKeys = request.app.state.keys
        org = keys.lookup(credentials.credentials)
        if org is None:
            raise Problem(401, "Niet geauthenticeerd", "Onbekende API-sleutel")
        if roles and org.rol not in roles:
            raise Problem(403, "Geen toegang", f"Rol {org.rol!r} mag dit niet")
        return org

    return dependency
