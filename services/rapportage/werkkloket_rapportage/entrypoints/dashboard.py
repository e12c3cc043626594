"""The programme manager's dashboard: one static page; every figure on it comes from the authenticated API."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import HTMLResponse

PAGINA = Path(__file__).parents[1] / "static" / "dashboard.html"
HTML = PAGINA.read_text(encoding="utf-8")

router = APIRouter(include_in_schema=False)


@router.get("/dashboard", response_class=HTMLResponse)
async def dashboard() -> HTMLResponse:
    # The page holds no data; it asks for an API key and sends it as a bearer token with every request.
    return HTMLResponse(
        HTML,
        headers={
            "Cache-Control": "no-store",
            "Content-Security-Policy": "default-src 'self'; script-src 'unsafe-inline'; style-src 'unsafe-inline'",
            "X-Frame-Options": "DENY",
        },
    )
