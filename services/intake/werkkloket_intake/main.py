"""Composition root of the intake service."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from werkkloket_contracts import (
    AANMELDINGEN,
    TOEWIJZINGEN,
    KandidaatHertoegewezen,
    KandidaatToegewezen,
    ToewijzingMislukt,
)
from werkkloket_runtime.service import ServiceRuntime
from werkkloket_runtime.settings import ServiceSettings

from . import api, handlers, store, uitkering

DESCRIPTION = (
    "Intake: the gemeente registers and screens jobseekers, confirms placements and records a return to a benefit; "
    "publishes AanmeldingOntvangen, ProfielAangevuld, KandidaatGescreend, PlaatsingBevestigd and HerinstroomGemeld."
)


def build(settings: ServiceSettings | None = None) -> tuple[ServiceRuntime, FastAPI]:
    rt = ServiceRuntime(
        "intake",
        settings or ServiceSettings(),
        migrations_dir=Path(__file__).parent / "migrations",
        schema=store.SCHEMA,
        inbox=store.inbox,
        outbox=store.outbox,
    )
    rt.publishes(AANMELDINGEN)
    rt.consume(
        [TOEWIJZINGEN],
        {
            KandidaatToegewezen: handlers.kandidaat_toegewezen,
            ToewijzingMislukt: handlers.toewijzing_mislukt,
            KandidaatHertoegewezen: handlers.kandidaat_hertoegewezen,
        },
    )
    return rt, rt.http_app(api.router(rt), uitkering.router(rt), title="Werkkloket intake", description=DESCRIPTION)
