"""Composition root of the matching service."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from pydantic import Field
from werkkloket_contracts import AANMELDINGEN, TOEWIJZINGEN, AanmeldingOntvangen
from werkkloket_runtime.service import ServiceRuntime
from werkkloket_runtime.settings import ServiceSettings

from . import api, handlers, store
from .registry import DEFAULT_REGISTRY, load_registry, sync_registry

DESCRIPTION = "Matching: assigns each candidate to exactly one uitzendbureau; publishes KandidaatToegewezen."


class MatchingSettings(ServiceSettings):
    registry_file: Path = Field(default=DEFAULT_REGISTRY, alias="WERKKLOKET_UITZENDBUREAUS_FILE")


def build(settings: MatchingSettings | None = None) -> tuple[ServiceRuntime, FastAPI]:
    settings = settings or MatchingSettings()
    rt = ServiceRuntime(
        "matching",
        settings,
        migrations_dir=Path(__file__).parent / "migrations",
        schema=store.SCHEMA,
        inbox=store.inbox,
        outbox=store.outbox,
    )
    rt.publishes(TOEWIJZINGEN)
    rt.consume([AANMELDINGEN], {AanmeldingOntvangen: handlers.aanmelding_ontvangen})
    registry = load_registry(settings.registry_file)
    # The registry must be in its table before the first aanmelding is handled.
    rt.before_consuming.append(lambda: sync_registry(rt.engine, registry))
    return rt, rt.http_app(api.router(rt), title="Werkkloket matching", description=DESCRIPTION)
