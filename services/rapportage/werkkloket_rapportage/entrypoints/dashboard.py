"""The programme manager's dashboard: one static page and its script; every figure on it comes from the
authenticated API."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import HTMLResponse, Response

STATIC = Path(__file__).parents[1] / "static"
HTML = (STATIC / "dashboard.html").read_text(encoding="utf-8")
SCRIPT = (STATIC / "dashboard.js").read_text(encoding="utf-8")
# Scripts only from this origin (no inline script); the page may not be framed.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
)
HEADERS = {"Cache-Control": "no-store", "Content-Security-Policy": CSP, "X-Frame-Options": "DENY"}

router = APIRouter(include_in_schema=False)


@router.get("/dashboard", response_class=HTMLResponse)
async def dashboard() -> HTMLResponse:
    # The page holds no data; it asks for an API key and sends it as a bearer token with every request.
    return HTMLResponse(HTML, headers=HEADERS)


@router.get("/dashboard.js")
async def dashboard_script() -> Response:
    return Response(SCRIPT, media_type="text/javascript", headers=HEADERS)
