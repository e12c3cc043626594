"""Composition root of the rapportage service."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from werkkloket_contracts import AANMELDINGEN, PLAATSINGEN, TOEWIJZINGEN, WERK_NAAR_WERK
from werkkloket_runtime.service import ServiceRuntime
from werkkloket_runtime.settings import ServiceSettings

from . import api, dashboard, handlers, store, werknaarwerk

DESCRIPTION = (
    "Rapportage: consumes every event into the funnel (aangemeld → duurzaam) as of any peildatum, with lead times, "
    "durability, targets and benefits saved, as JSON and CSV, and the dashboard at /dashboard."
)


def build(settings: ServiceSettings | None = None) -> tuple[ServiceRuntime, FastAPI]:
    rt = ServiceRuntime(
        "rapportage",
        settings or ServiceSettings(),
        migrations_dir=Path(__file__).parent / "migrations",
        schema=store.SCHEMA,
        inbox=store.inbox,
    )
    rt.consume(
        [AANMELDINGEN, TOEWIJZINGEN, PLAATSINGEN, WERK_NAAR_WERK], {**handlers.HANDLERS, **werknaarwerk.HANDLERS}
    )
    return rt, rt.http_app(api.router(rt), dashboard.router(), title="Werkkloket rapportage", description=DESCRIPTION)
