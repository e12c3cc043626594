"""Handing a complete profile over to matching: screening, the gemeente's choice of categories, and the events."""

from __future__ import annotations

from datetime import date

from werkkloket_contracts import AanmeldingOntvangen, ProfielAangevuld
from werkkloket_runtime.unit_of_work import UnitOfWork

from ..adapters import doorverwijzing, persoonssleutels
from ..domain import screening
from ..domain.aanmelding import Aanmelding, Beoordeling
from ..domain.profiel import gecodeerde_velden


async def beoordeel(uow: UnitOfWork, a: Aanmelding, vandaag: date) -> Beoordeling:
    """The rule's category as of `vandaag`, and whether this gemeente hands it to agencies."""
    s = screening.screen(a.profiel.screeningsinvoer(), vandaag)
    return Beoordeling.volgens_regel(s, a.doorverwezen(await doorverwijzing.categorieen(uow.conn, a.gemeente)))


async def draag_over(
    uow: UnitOfWork,
    a: Aanmelding,
    *,
    soort: type[AanmeldingOntvangen] = AanmeldingOntvangen,
    velden: tuple[str, ...] = (),
) -> Aanmelding:
    """Screen a complete profile and hand it over: AanmeldingOntvangen, or ProfielAangevuld after a change.
    The caller stores the result."""
    now = uow.now()
    # Screened as of the registration date (which may precede its recording).
    a = a.overgedragen_met(await beoordeel(uow, a, a.profiel.aanmelddatum or now.date()), now)
    persoonlijk = await persoonssleutels.versleutel_voor_bus(uow, a.kandidaat_id, a.kenmerken(now.date()))
    await uow.publish(
        a.ontvangen(now.date(), soort=soort, velden=velden, met_aanmelddatum=True, persoonlijk=persoonlijk)
    )
    await uow.publish(a.gescreend(None))
    return a


async def wijzig(uow: UnitOfWork, a: Aanmelding, velden: tuple[str, ...]) -> Aanmelding:
    """A handed-over profile changed: screen it again (unless a consultant set the category) and publish the
    coded profile again. The caller stores the result."""
    if not gecodeerde_velden(velden):
        return a  # only personal data changed: nothing for matching
    vandaag = uow.today()
    if a.beoordeling is None or not a.beoordeling.handmatig:
        vorige = a.categorie
        a = a.beoordeeld(await beoordeel(uow, a, vandaag))
        if a.categorie != vorige:
            await uow.publish(a.gescreend(vorige))
    persoonlijk = await persoonssleutels.versleutel_voor_bus(uow, a.kandidaat_id, a.kenmerken(vandaag))
    await uow.publish(a.ontvangen(vandaag, soort=ProfielAangevuld, velden=velden, persoonlijk=persoonlijk))
    return a
