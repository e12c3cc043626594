"""Composition root of the matching service."""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime
from pathlib import Path

from fastapi import FastAPI
from pydantic import Field
from werkkloket_contracts import (
    AANMELDINGEN,
    MATCHES,
    PLAATSINGEN,
    TOEWIJZINGEN,
    VACATURES,
    WERK_NAAR_WERK,
    AanmeldingOntvangen,
    EersteContactGelegd,
    KandidaatGescreend,
    ProfielAangevuld,
)
from werkkloket_runtime.service import ServiceRuntime
from werkkloket_runtime.settings import ServiceSettings

from . import api, domain, store, vacaturebeheer, werknaarwerk_api
from .handlers import Toewijzer, controleer_termijnen
from .registry import DEFAULT_REGISTRY, load_registry, sync_registry

DESCRIPTION = (
    "Matching: assigns each candidate to exactly one uitzendbureau and reassigns on decline or when first contact "
    "is late; publishes KandidaatToegewezen, KandidaatHertoegewezen and ToewijzingMislukt, proposed matches "
    "(MatchVoorgesteld) and the vacancies it holds (VacatureGeopend, VacatureGesloten). Werk naar werk: "
    "employers' surpluses and shortages, proposed moves across sectors, transfers and lendings, skills paspoorten."
)
log = logging.getLogger(__name__)


class MatchingSettings(ServiceSettings):
    registry_file: Path = Field(default=DEFAULT_REGISTRY, alias="WERKKLOKET_UITZENDBUREAUS_FILE")
    termijn_werkdagen: int = Field(default=domain.TERMIJN_EERSTE_CONTACT, ge=1, alias="WERKKLOKET_TERMIJN_WERKDAGEN")
    termijn_interval_seconden: float = Field(default=60.0, gt=0, alias="WERKKLOKET_TERMIJN_INTERVAL_SECONDEN")
    # Lets beheer run the deadline check as of another date (tests, rehearsals); off in production.
    klok_instelbaar: bool = Field(default=False, alias="WERKKLOKET_KLOK_INSTELBAAR")


async def termijnbewaking(rt: ServiceRuntime, toewijzer: Toewijzer, interval: float) -> None:
    """Every interval: reassign candidates whose agency made no first contact within the term, close the
    vacancies past their open_tot, and let lent workers (werk naar werk) return when their date has come."""
    while True:
        await asyncio.sleep(interval)
        if not rt.ready:
            continue
        try:
            nu = datetime.now(UTC)
            hertoegewezen = await controleer_termijnen(rt.engine, toewijzer, nu.date(), nu)
            verlopen = await vacaturebeheer.sluit_verlopen(rt.engine, nu.date(), nu)
            if hertoegewezen or verlopen:
                rt.wake_relay()
            async with rt.engine.begin() as conn:
                teruggekeerd = await werknaarwerk_api.terugkeren(conn, nu.date(), nu)
            if teruggekeerd:
                rt.wake_relay()
        except Exception:
            log.exception("termijnbewaking failed; next round in %.0fs", interval)


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
    toewijzer = Toewijzer(termijn_werkdagen=settings.termijn_werkdagen)
    rt.publishes(TOEWIJZINGEN)
    rt.publishes(MATCHES)
    rt.publishes(VACATURES)
    rt.publishes(WERK_NAAR_WERK)
    rt.consume(
        [AANMELDINGEN, PLAATSINGEN],
        {
            AanmeldingOntvangen: toewijzer.profiel_ontvangen,
            ProfielAangevuld: toewijzer.profiel_ontvangen,
            KandidaatGescreend: toewijzer.gescreend,
            EersteContactGelegd: toewijzer.eerste_contact,
        },
    )
    registry = load_registry(settings.registry_file)
    # The registry must be in its table before the first aanmelding is handled.
    rt.before_consuming.append(lambda: sync_registry(rt.engine, registry))
    bewaking: list[asyncio.Task[None]] = []

    async def start_bewaking() -> None:
        bewaking.append(asyncio.create_task(termijnbewaking(rt, toewijzer, settings.termijn_interval_seconden)))

    rt.before_consuming.append(start_bewaking)
    app = rt.http_app(
        api.router(rt, toewijzer, settings.klok_instelbaar),
        werknaarwerk_api.router(rt, settings.klok_instelbaar),
        title="Werkkloket matching",
        description=DESCRIPTION,
    )
    return rt, app
