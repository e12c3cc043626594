"""Composition root of the rapportage service."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import FastAPI
from pydantic import Field, field_validator
from werkkloket_runtime.service import ServiceRuntime
from werkkloket_runtime.settings import ServiceSettings

from .adapters import programma, tables
from .entrypoints import dashboard, http
from .entrypoints import events as event_handlers
from .entrypoints.events import events

DESCRIPTION = (
    "Rapportage: consumes every event into the funnel (aangemeld → duurzaam) as of any peildatum, with lead times, "
    "durability, targets and benefits saved, as JSON and CSV, and the dashboard at /dashboard."
)


class RapportageSettings(ServiceSettings):
    # The programme's targets and settings; default: data/programma.json in this package.
    programma_file: Path | None = Field(default=None, alias="WERKKLOKET_RAPPORTAGE_CONFIG")
    # The dashboard's public client at the OpenID Connect provider (WERKKLOKET_OIDC_ISSUER).
    dashboard_client_id: str = Field(default="werkkloket-dashboard", alias="WERKKLOKET_DASHBOARD_CLIENT_ID")

    @field_validator("programma_file", mode="before")
    @classmethod
    def _leeg_is_default(cls, value: Any) -> Any:
        return value or None


def build(settings: RapportageSettings | None = None) -> tuple[ServiceRuntime, FastAPI]:
    settings = settings or RapportageSettings()
    rt = ServiceRuntime(
        "rapportage",
        settings,
        migrations_dir=Path(__file__).parent / "migrations",
        schema=tables.SCHEMA,
        inbox=tables.inbox,
        bewijzen=tables.verwijderingen,
        gewisten_overslaan=False,  # its anonymous counts stay, as a replay rebuilds them
    )
    rt.consume(events)
    event_handlers.sleutels.ring = rt.sleutelring
    app = rt.http_app(http.router, dashboard.router, title="Werkkloket rapportage", description=DESCRIPTION)
    app.state.instellingen = programma.laad(settings.programma_file)
    # Without an issuer the service does not serve (documents are still built from the app).
    issuer = settings.oidc_issuer
    app.state.dashboard = dashboard.Provider(issuer.rstrip("/"), settings.dashboard_client_id) if issuer else None
    return rt, app
