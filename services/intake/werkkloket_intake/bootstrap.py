"""Composition root of the intake service."""

from __future__ import annotations

from functools import partial
from pathlib import Path

from fastapi import FastAPI
from werkkloket_contracts import AANMELDINGEN, SLEUTELS
from werkkloket_runtime.service import ServiceRuntime
from werkkloket_runtime.settings import ServiceSettings
from werkkloket_runtime.versleuteling import Sleutels

from .adapters import persoonssleutels, tables
from .entrypoints import inzage
from .entrypoints.events import events
from .entrypoints.http import router
from .services import bewaartermijn

BEWAARTERMIJN_INTERVAL = 3600.0

DESCRIPTION = (
    "Intake: the gemeente registers and screens jobseekers, confirms placements and records a return to a benefit; "
    "publishes AanmeldingOntvangen, ProfielAangevuld, KandidaatGescreend, PlaatsingBevestigd and HerinstroomGemeld."
)


def build(settings: ServiceSettings | None = None, sleutels: Sleutels | None = None) -> tuple[ServiceRuntime, FastAPI]:
    """The service; `sleutels` (from WERKKLOKET_SLEUTELS_FILE) encrypt the BSN and hash what duplicates are
    searched by. Only to describe the service (AsyncAPI) is it built without them."""
    persoonssleutels.stel_in(sleutels)
    rt = ServiceRuntime(
        "intake",
        settings or ServiceSettings(),
        migrations_dir=Path(__file__).parent / "migrations",
        schema=tables.SCHEMA,
        inbox=tables.inbox,
        outbox=tables.outbox,
        # Revision 0005 encrypts the BSNs and hashes the duplicate keys of the rows it finds with these.
        migration_attributes={"sleutels": sleutels},
        bewijzen=tables.verwijderingen,
    )

    async def sleutels_passen() -> None:
        # Before anything is read or written: these keys open the data keys already stored.
        async with rt.engine.connect() as conn:
            await persoonssleutels.controleer(conn)

    rt.before_consuming.append(sleutels_passen)
    rt.inzage_weergave = inzage.rij_voor
    rt.publishes(AANMELDINGEN, SLEUTELS)
    rt.consume(events)
    # Hourly, on one instance: erase the registrations past their retention term.
    rt.scheduler.every(BEWAARTERMIJN_INTERVAL, partial(bewaartermijn.bewaak, rt.units), name="bewaartermijnen")
    return rt, rt.http_app(router, title="Werkkloket intake", description=DESCRIPTION)
