"""Composition root of the intake service."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from werkkloket_contracts import AANMELDINGEN
from werkkloket_runtime.service import ServiceRuntime
from werkkloket_runtime.settings import ServiceSettings

from .adapters import tables
from .entrypoints.events import events
from .entrypoints.http import router

DESCRIPTION = (
    "Intake: the gemeente registers and screens jobseekers, confirms placements and records a return to a benefit; "
    "publishes AanmeldingOntvangen, ProfielAangevuld, KandidaatGescreend, PlaatsingBevestigd and HerinstroomGemeld."
)


def build(settings: ServiceSettings | None = None) -> tuple[ServiceRuntime, FastAPI]:
    rt = ServiceRuntime(
        "intake",
        settings or ServiceSettings(),
        migrations_dir=Path(__file__).parent / "migrations",
        schema=tables.SCHEMA,
        inbox=tables.inbox,
        outbox=tables.outbox,
    )
    rt.publishes(AANMELDINGEN)
    rt.consume(events)
    return rt, rt.http_app(router, title="Werkkloket intake", description=DESCRIPTION)
