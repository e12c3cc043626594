"""Composition root of the matching service: toewijzing, vacatures and werk naar werk in one process, one schema
and one consumer group."""

from __future__ import annotations

from functools import partial
from pathlib import Path

from fastapi import FastAPI
from pydantic import Field
from werkkloket_contracts import MATCHES, TOEWIJZINGEN, VACATURES, WERK_NAAR_WERK
from werkkloket_runtime.service import ServiceRuntime
from werkkloket_runtime.settings import ServiceSettings

from .adapters import tables
from .toewijzing import domain as toewijzing_domain
from .toewijzing import service as toewijzing
from .toewijzing.adapters.registry import DEFAULT_REGISTRY, load_registry, sync_registry
from .toewijzing.entrypoints import events as toewijzing_events
from .toewijzing.entrypoints import http as toewijzing_http
from .vacatures import service as vacatures
from .vacatures.entrypoints import http as vacatures_http
from .werknaarwerk.entrypoints import http as werknaarwerk_http
from .werknaarwerk.entrypoints import paspoorten as paspoorten_http
from .werknaarwerk.services import mobiliteit

DESCRIPTION = (
    "Matching: assigns each candidate to exactly one uitzendbureau and reassigns on decline or when first contact "
    "is late; publishes KandidaatToegewezen, KandidaatHertoegewezen and ToewijzingMislukt, proposed matches "
    "(MatchVoorgesteld) and the vacancies it holds (VacatureGeopend, VacatureGesloten). Werk naar werk: "
    "employers' surpluses and shortages, proposed moves across sectors, transfers and lendings, skills paspoorten."
)


class MatchingSettings(ServiceSettings):
    registry_file: Path = Field(default=DEFAULT_REGISTRY, alias="WERKKLOKET_UITZENDBUREAUS_FILE")
    termijn_werkdagen: int = Field(
        default=toewijzing_domain.TERMIJN_EERSTE_CONTACT, ge=1, alias="WERKKLOKET_TERMIJN_WERKDAGEN"
    )
    termijn_interval_seconden: float = Field(default=60.0, gt=0, alias="WERKKLOKET_TERMIJN_INTERVAL_SECONDEN")
    # Lets beheer run the periodic checks as of another date (tests, rehearsals); off in production.
    klok_instelbaar: bool = Field(default=False, alias="WERKKLOKET_KLOK_INSTELBAAR")


def build(settings: MatchingSettings | None = None) -> tuple[ServiceRuntime, FastAPI]:
    settings = settings or MatchingSettings()
    rt = ServiceRuntime(
        "matching",
        settings,
        migrations_dir=Path(__file__).parent / "migrations",
        schema=tables.SCHEMA,
        inbox=tables.inbox,
        bewijzen=tables.verwijderingen,
        outbox=tables.outbox,
    )
    toewijzer = toewijzing_domain.Toewijzer(termijn_werkdagen=settings.termijn_werkdagen)
    rt.publishes(TOEWIJZINGEN, MATCHES, VACATURES, WERK_NAAR_WERK)
    toewijzing_events.instellingen.toewijzer = toewijzer
    rt.consume(toewijzing_events.events)

    registry = load_registry(settings.registry_file)

    async def registreer() -> None:
        # The registry must be in its table before the first aanmelding is handled.
        async with rt.units() as uow:
            await sync_registry(uow.conn, registry)

    rt.before_consuming.append(registreer)

    # Every interval, on one instance: reassign candidates whose agency made no first contact within the term,
    # close the vacancies past their open_tot, and let lent workers return when their date has come.
    interval = settings.termijn_interval_seconden
    rt.scheduler.every(interval, partial(toewijzing.termijnbewaking, rt.units, toewijzer), name="termijnbewaking")
    rt.scheduler.every(interval, partial(vacatures.vacaturebewaking, rt.units), name="vacaturebewaking")
    rt.scheduler.every(interval, partial(mobiliteit.terugkeerbewaking, rt.units), name="terugkeerbewaking")

    app = rt.http_app(
        toewijzing_http.router,
        vacatures_http.router,
        werknaarwerk_http.router,
        paspoorten_http.router,
        title="Werkkloket matching",
        description=DESCRIPTION,
    )
    app.state.toewijzer = toewijzer
    app.state.klok_instelbaar = settings.klok_instelbaar
    return rt, app
