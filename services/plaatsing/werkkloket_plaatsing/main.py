"""Composition root of the plaatsing service."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from werkkloket_contracts import PLAATSINGEN, TOEWIJZINGEN, KandidaatHertoegewezen, KandidaatToegewezen
from werkkloket_runtime.service import ServiceRuntime
from werkkloket_runtime.settings import ServiceSettings

from . import api, handlers, store

DESCRIPTION = (
    "Plaatsing: the agency records first contact, interviews and placements of the candidates it holds; "
    "publishes EersteContactGelegd, SollicitatiegesprekGehouden and PlaatsingGerealiseerd."
)


def build(settings: ServiceSettings | None = None) -> tuple[ServiceRuntime, FastAPI]:
    rt = ServiceRuntime(
        "plaatsing",
        settings or ServiceSettings(),
        migrations_dir=Path(__file__).parent / "migrations",
        schema=store.SCHEMA,
        inbox=store.inbox,
        outbox=store.outbox,
    )
    rt.publishes(PLAATSINGEN)
    rt.consume(
        [TOEWIJZINGEN],
        {
            KandidaatToegewezen: handlers.kandidaat_toegewezen,
            KandidaatHertoegewezen: handlers.kandidaat_hertoegewezen,
        },
    )
    return rt, rt.http_app(api.router(rt), title="Werkkloket plaatsing", description=DESCRIPTION)
