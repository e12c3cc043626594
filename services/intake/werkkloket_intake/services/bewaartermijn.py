"""The scheduled step of the retention schedule: every registration past its term (`domain.bewaartermijn`) is
erased everywhere, one person per transaction, as on the gemeente's request but with aanleiding `bewaartermijn`."""

from __future__ import annotations

from werkkloket_contracts import Verwijderingsaanleiding
from werkkloket_runtime.unit_of_work import UnitOfWorkFactory

from ..adapters import aanmeldingen
from ..domain import bewaartermijn
from .verwijdering import Verwijderd, wis

PER_RONDE = 500


async def bewaak(units: UnitOfWorkFactory, gemeenten: frozenset[str] | None = None) -> list[Verwijderd]:
    """Erase the registrations past their term as of the clock's now (of these gemeenten; None: all)."""
    nu = units.clock.now()
    grenzen = bewaartermijn.grenzen(nu)
    async with units.engine.connect() as conn:
        ids = await aanmeldingen.onveranderd_sinds(conn, grenzen, gemeenten, PER_RONDE)
    gewist: list[Verwijderd] = []
    for aanmelding_id in ids:
        async with units() as uow:
            a = await aanmeldingen.met_id(uow.conn, aanmelding_id, vergrendel=True)
            # Still past its term (nothing changed it since the query above)?
            if a is not None and bewaartermijn.verlopen(a.status, a.status_gewijzigd_op or a.ontvangen_op, nu):
                gewist.append(await wis(uow, a, Verwijderingsaanleiding.BEWAARTERMIJN))
    return gewist
