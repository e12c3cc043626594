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

from .errors import DomainError
from .middleware import DEFAULT_MAX_BODY_BYTES, BodyGuard, SecurityHeaders

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


def install_problem_handlers(app: FastAPI, max_body_bytes: int = DEFAULT_MAX_BODY_BYTES) -> None:
    """Problem details for every error, and the request guards: the body is capped and checked before anything
    else reads it (outermost), and every response carries the security headers."""
    app.add_middleware(SecurityHeaders)
    app.add_middleware(BodyGuard, max_bytes=max_body_bytes)

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
