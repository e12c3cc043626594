"""Consent per purpose and the end of a mediation: each stops what flowed for it, and the agency holding the
candidate loses access to the contact data at once (intake decides that; matching frees the agency's place)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncConnection
from werkkloket_contracts import (
    BemiddelingBeeindigd,
    Bemiddelingseinde,
    ToestemmingIngetrokken,
    Toestemmingsdoel,
)
from werkkloket_runtime.errors import Invalid
from werkkloket_runtime.unit_of_work import UnitOfWork

from ..adapters import aanmeldingen, toestemmingen
from ..domain.aanmelding import Aanmelding
from ..domain.gemeenten import Namens
from ..domain.toestemming import Toestemmingen, Toestemmingsregel
from .vragen import eigen_aanmelding


@dataclass(frozen=True)
class Toestemmingswijziging:
    aanmelding_id: UUID
    namens: Namens
    doel: Toestemmingsdoel
    gegeven: bool
    tekstversie: str


@dataclass(frozen=True)
class Beeindiging:
    aanmelding_id: UUID
    namens: Namens
    reden: Bemiddelingseinde
    datum: date | None  # today when not given


@dataclass(frozen=True)
class Stand:
    aanmelding: Aanmelding
    toestemmingen: Toestemmingen


async def toestemmingen_van(conn: AsyncConnection, aanmelding_id: UUID, namens: Namens) -> Stand:
    a = await eigen_aanmelding(conn, aanmelding_id, namens)
    return Stand(a, await toestemmingen.van(conn, a.kandidaat_id))


async def wijzig_toestemming(uow: UnitOfWork, cmd: Toestemmingswijziging) -> Stand:
    """Give consent for a purpose, or withdraw it (ToestemmingIngetrokken). Withdrawing the hand-off ends the
    holding agency's access here and now; matching then ends its assignment."""
    a = await eigen_aanmelding(uow.conn, cmd.aanmelding_id, cmd.namens, vergrendel=True)
    huidig = await toestemmingen.van(uow.conn, a.kandidaat_id)
    nu = uow.now()
    regel = huidig.wijziging(
        Toestemmingsregel(cmd.doel, cmd.gegeven, cmd.tekstversie, cmd.namens.persoon, cmd.namens.code, nu)
    )
    await toestemmingen.leg_vast(uow.conn, a.kandidaat_id, [regel])
    if not regel.gegeven:
        if regel.doel is Toestemmingsdoel.OVERDRACHT_UITZENDBUREAU:
            a = a.zonder_overdracht(nu)
            await aanmeldingen.bewaar(uow.conn, a, zonder_houder=True)
        await uow.publish(
            ToestemmingIngetrokken(
                **a.plaats(),
                doel=regel.doel,
                datum=nu.date(),
            )
        )
    return Stand(a, Toestemmingen((*huidig.regels, regel)))


async def beeindig(uow: UnitOfWork, cmd: Beeindiging) -> Aanmelding:
    """The gemeente ends the mediation (BemiddelingBeeindigd): no agency holds the candidate any more."""
    if cmd.datum is not None and cmd.datum > uow.today():
        raise Invalid("datum", "ligt in de toekomst")
    a = await eigen_aanmelding(uow.conn, cmd.aanmelding_id, cmd.namens, vergrendel=True)
    a = a.beeindigd(uow.now())
    await aanmeldingen.bewaar(uow.conn, a, zonder_houder=True)
    await uow.publish(
        BemiddelingBeeindigd(
            **a.plaats(),
            reden=cmd.reden,
            datum=cmd.datum or uow.today(),
        )
    )
    return a
