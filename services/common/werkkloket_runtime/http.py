"""HTTP conventions shared by the services: RFC 9457 problem details and the request guards."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from .errors import DomainError
from .metrics import Metrics, metrics
from .middleware import DEFAULT_MAX_BODY_BYTES, BodyGuard, SecurityHeaders
from .tracing import Tracing

PROBLEM_JSON = "application/problem+json"


class Problem(Exception):
    """An error answered as application/problem+json (with `headers`, e.g. Retry-After, on the response)."""

    def __init__(
        self, status: int, title: str, detail: str = "", *, headers: Mapping[str, str] | None = None, **extra: Any
    ) -> None:
        super().__init__(detail or title)
        self.status = status
        self.title = title
        self.detail = detail
        self.headers = dict(headers or {})
        self.extra = extra


def problem_response(
    status: int, title: str, detail: str = "", *, headers: Mapping[str, str] | None = None, **extra: Any
) -> JSONResponse:
    body: dict[str, Any] = {"type": "about:blank", "title": title, "status": status}
    if detail:
        body["detail"] = detail
    body.update(extra)
    all_headers = {"WWW-Authenticate": "Bearer"} if status == 401 else {}
    all_headers.update(headers or {})
    return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON, headers=all_headers or None)


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
    app.add_middleware(Tracing)  # every answer, refusals too, names its trace
    app.add_middleware(Metrics)  # outermost: every answer is counted
    app.add_route("/metrics", metrics, include_in_schema=False)

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
        return problem_response(exc.status, exc.title, exc.detail, headers=exc.headers, **exc.extra)

    @app.exception_handler(DomainError)
    async def refused(_: Request, exc: DomainError) -> JSONResponse:
        return problem_response(exc.status, exc.title, exc.reden, **exc.extra)
