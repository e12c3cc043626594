"""The worker's skills paspoort: owned by the worker, shared only with the employers it consents to."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any
from uuid import UUID, uuid4

from sqlalchemy import Row
from sqlalchemy.ext.asyncio import AsyncConnection
from werkkloket_runtime.errors import Conflict, Forbidden, Invalid, NotFound
from werkkloket_runtime.logboek import Betrokkene
from werkkloket_runtime.unit_of_work import UnitOfWork

from .. import domain
from ..adapters import meldingen, paspoorten
from ..commands import WERKNEMER_HEADER, Koppelen, PaspoortMaken, Toestemming

# Every change of whom a worker shares its paspoort with is in the processing log.
DELEN = "paspoort-delen"


async def maken(uow: UnitOfWork, cmd: PaspoortMaken) -> tuple[UUID, str]:
    """The employer or the WSP draws up a worker's paspoort with the worker; the worker gets the key (returned
    once, with the paspoort's id)."""
    sleutel = f"wn_{secrets.token_urlsafe(24)}"
    invoer = cmd.invoer
    if invoer.overschot_id is not None:
        await _overschot(uow.conn, invoer.overschot_id, cmd.melder)
    paspoort_id = await paspoorten.nieuw(
        uow.conn,
        sleutel,
        paspoort_id=uuid4(),
        overschot_id=invoer.overschot_id,
        skills=domain.skills(invoer.skills),
        diplomas=[d.model_dump(mode="json") for d in invoer.diplomas],
        werkervaring=[e.model_dump(mode="json") for e in invoer.werkervaring],
        aangemaakt_door=cmd.melder.code,
        aangemaakt_op=uow.now(),
    )
    return paspoort_id, sleutel


async def _overschot(conn: AsyncConnection, overschot_id: UUID, melder: domain.Melder) -> None:
    """The surplus a paspoort is drawn up for: one the melder sees (its own, or one in a WSP's regions); another
    is as unknown as one that does not exist."""
    o = await meldingen.lees_overschot(conn, overschot_id)
    if o is None or not melder.ziet((o.werkgever,), (o.arbeidsmarktregio,)):
        raise Invalid("overschot_id", "onbekend overschot")


async def _paspoort(conn: AsyncConnection, paspoort_id: UUID) -> Row[Any]:
    p = await paspoorten.lees(conn, paspoort_id)
    if p is None:
        raise NotFound(f"paspoort {paspoort_id} bestaat niet")
    return p


@dataclass(frozen=True)
class Inzage:
    paspoort: Row[Any]
    gedeeld_met: list[str]
    door_werknemer: bool  # read with the worker's own key

    def voor(self, melder: domain.Melder) -> None:
        """An employer (or a WSP) reads it only after the worker consented to share it with it; a WSP only when
        its surplus (if any) is in its regions."""
        regio = self.paspoort.arbeidsmarktregio
        gedeeld = melder.code in self.gedeeld_met
        if not gedeeld or (regio is not None and not melder.mag_in(regio)):  # existence does not leak
            raise NotFound(f"paspoort {self.paspoort.paspoort_id} bestaat niet")


async def inzien(conn: AsyncConnection, paspoort_id: UUID, sleutel: str | None, persoon: str | None = None) -> Inzage:
    """The paspoort, and whether its worker reads it (with its key, or logged in after linking it); a wrong
    worker's key is refused."""
    p = await _paspoort(conn, paspoort_id)
    gedeeld_met = await paspoorten.gedeeld_met(conn, paspoort_id)
    werknemer = paspoorten.van_werknemer(p, sleutel, persoon)
    if not werknemer and sleutel is not None:
        raise Forbidden(f"onjuiste {WERKNEMER_HEADER}")
    return Inzage(p, gedeeld_met, werknemer)


async def koppelen(uow: UnitOfWork, cmd: Koppelen) -> None:
    """The logged-in worker links its paspoort to its login, proving it is its own with the key and consenting
    to the paspoort (the text's version is kept); from then on it reads and shares it without the key. One login
    per paspoort."""
    if not cmd.instemming:
        raise Invalid("toestemming.gegeven", "zonder toestemming van de werknemer wordt het paspoort niet gekoppeld")
    p = await _paspoort(uow.conn, cmd.paspoort_id)
    if not paspoorten.van_werknemer(p, cmd.sleutel):
        raise Forbidden(f"de {WERKNEMER_HEADER} van dit paspoort is nodig om het te koppelen")
    if p.werknemer == cmd.persoon:
        return  # linked already, with the consent on record
    if not await paspoorten.koppel(uow.conn, cmd.paspoort_id, cmd.persoon):
        raise Conflict("dit paspoort is al aan een andere login gekoppeld")
    await paspoorten.leg_instemming_vast(
        uow.conn, cmd.paspoort_id, gegeven=True, tekstversie=cmd.tekstversie, werknemer=cmd.persoon, op=uow.now()
    )
    await uow.vastleggen(DELEN, "toestemming werknemer gegeven", [Betrokkene(cmd.paspoort_id, None, "paspoort_id")])


async def ontkoppelen(uow: UnitOfWork, paspoort_id: UUID, persoon: str, tekstversie: str) -> list[str]:
    """The worker withdraws its consent: no employer reads the paspoort any more and the login is unlinked; the
    employers it was shared with. Another login's paspoort is as unknown as one that is not there."""
    p = await _paspoort(uow.conn, paspoort_id)
    if p.werknemer != persoon:
        raise NotFound(f"paspoort {paspoort_id} bestaat niet")
    werkgevers = await paspoorten.trek_alles_in(uow.conn, paspoort_id)
    await paspoorten.ontkoppel(uow.conn, paspoort_id, persoon)
    await paspoorten.leg_instemming_vast(
        uow.conn, paspoort_id, gegeven=False, tekstversie=tekstversie, werknemer=persoon, op=uow.now()
    )
    await uow.vastleggen(DELEN, "toestemming werknemer ingetrokken", [Betrokkene(paspoort_id, None, "paspoort_id")])
    return werkgevers


async def toestemming(uow: UnitOfWork, cmd: Toestemming) -> None:
    """Only the worker (with its key, or logged in after linking it) decides with whom the paspoort is shared."""
    p = await _paspoort(uow.conn, cmd.paspoort_id)
    if not paspoorten.van_werknemer(p, cmd.sleutel, cmd.persoon):
        raise Forbidden(f"alleen de werknemer (met {WERKNEMER_HEADER} of ingelogd) beslist over delen")
    if cmd.geven:
        await paspoorten.geef_toestemming(uow.conn, cmd.paspoort_id, cmd.werkgever, uow.now())
    else:
        await paspoorten.trek_toestemming_in(uow.conn, cmd.paspoort_id, cmd.werkgever)
    naam = f"gedeeld met {cmd.werkgever}" if cmd.geven else f"delen met {cmd.werkgever} ingetrokken"
    await uow.vastleggen(DELEN, naam, [Betrokkene(cmd.paspoort_id, None, "paspoort_id")])
