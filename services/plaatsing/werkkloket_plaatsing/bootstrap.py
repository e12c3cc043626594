"""Composition root of the plaatsing service."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from werkkloket_contracts import PLAATSINGEN
from werkkloket_runtime.service import ServiceRuntime
from werkkloket_runtime.settings import ServiceSettings

from .adapters import tables
from .entrypoints.events import events
from .entrypoints.http import router

DESCRIPTION = (
    "Plaatsing: the agency records first contact, interviews, offers and placements of the candidates it holds, "
    "declines, ended placements and the durability follow-up at 1, 3, 6 and 12 months; publishes the lifecycle "
    "events on werkkloket.plaatsingen."
)


def build(settings: ServiceSettings | None = None) -> tuple[ServiceRuntime, FastAPI]:
    rt = ServiceRuntime(
        "plaatsing",
        settings or ServiceSettings(),
        migrations_dir=Path(__file__).parent / "migrations",
        schema=tables.SCHEMA,
        inbox=tables.inbox,
        bewijzen=tables.verwijderingen,
        outbox=tables.outbox,
    )
    rt.publishes(PLAATSINGEN)
    rt.consume(events)
    return rt, rt.http_app(router, title="Werkkloket plaatsing", description=DESCRIPTION)
