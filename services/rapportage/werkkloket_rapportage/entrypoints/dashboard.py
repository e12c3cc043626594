"""The programme manager's dashboard: one static page, its script and the vendored OpenID Connect client; every
figure on it comes from the authenticated API. The person logs in at the provider (authorization code with PKCE);
the page learns the provider's settings from /dashboard/config.json (no inline script)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response

STATIC = Path(__file__).parents[1] / "static"
VENDOR = STATIC / "vendor"
HTML = (STATIC / "dashboard.html").read_text(encoding="utf-8")
SCRIPT = (STATIC / "dashboard.js").read_text(encoding="utf-8")
OIDC_CLIENT = (VENDOR / "oidc-client-ts.min.js").read_bytes()
OIDC_CLIENT_PATH = "/dashboard/vendor/oidc-client-ts.min.js"
# What may stand in the CSP as the provider's origin: scheme, host (or [IPv6]) and port, nothing else.
_ORIGIN = re.compile(r"^https?://[A-Za-z0-9.:\[\]-]+$")


@dataclass(frozen=True)
class Provider:
    """The OpenID Connect provider the dashboard logs in at, and the dashboard's (public) client there."""

    issuer: str
    client_id: str

    def __post_init__(self) -> None:
        if not _ORIGIN.match(self.origin):
            raise ValueError(f"the issuer {self.issuer!r} has no plain http(s) origin")

    @property
    def origin(self) -> str:
        parts = urlsplit(self.issuer)
        return f"{parts.scheme}://{parts.netloc}"

    def csp(self) -> str:
        """Scripts only from this origin (no inline script); requests to this origin and the provider (discovery,
        token); the page may not be framed."""
        return (
            "default-src 'self'; script-src 'self'; "
            f"connect-src 'self' {self.origin}; "
            "style-src 'self' 'unsafe-inline'; object-src 'none'; "
            "frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
        )

    def headers(self) -> dict[str, str]:
        return {"Cache-Control": "no-store", "Content-Security-Policy": self.csp(), "X-Frame-Options": "DENY"}


router = APIRouter(include_in_schema=False)


def _provider(request: Request) -> Provider:
    provider: Provider | None = request.app.state.dashboard
    if provider is None:
        raise HTTPException(503, "no OpenID Connect provider configured (WERKKLOKET_OIDC_ISSUER)")
    return provider


@router.get("/dashboard", response_class=HTMLResponse)
async def dashboard(request: Request) -> HTMLResponse:
    # The page holds no data and no token; its script logs the person in and keeps the tokens in memory.
    return HTMLResponse(HTML, headers=_provider(request).headers())


@router.get("/dashboard.js")
async def dashboard_script(request: Request) -> Response:
    return Response(SCRIPT, media_type="text/javascript", headers=_provider(request).headers())


@router.get(OIDC_CLIENT_PATH)
async def oidc_client(request: Request) -> Response:
    return Response(OIDC_CLIENT, media_type="text/javascript", headers=_provider(request).headers())


@router.get("/dashboard/config.json")
async def config(request: Request) -> JSONResponse:
    provider = _provider(request)
    return JSONResponse({"issuer": provider.issuer, "client_id": provider.client_id}, headers=provider.headers())
