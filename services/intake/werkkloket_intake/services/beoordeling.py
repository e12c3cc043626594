"""A consultant's decisions: on a possible duplicate, on the screening category, and which categories the
gemeente hands to agencies."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from uuid import UUID

from werkkloket_runtime.unit_of_work import UnitOfWork

from ..adapters import aanmeldingen, doorverwijzing
from ..domain.aanmelding import Aanmelding
from ..domain.gemeenten import Namens
from .overdracht import draag_over
from .vragen import eigen_aanmelding


@dataclass(frozen=True)
class Dubbelbesluit:
    aanmelding_id: UUID
    namens: Namens
    dubbel: bool


@dataclass(frozen=True)
class Categoriebesluit:
    aanmelding_id: UUID
    namens: Namens
    categorie: int
    reden: str


@dataclass(frozen=True)
class Doorverwijzing:
    gemeente: str
    namens: Namens
    categorieen: Sequence[int]


async def dubbelcontrole(uow: UnitOfWork, cmd: Dubbelbesluit) -> Aanmelding:
    """A duplicate lapses; a registration that is not one is handed over."""
    a = (await eigen_aanmelding(uow.conn, cmd.aanmelding_id, cmd.namens, vergrendel=True)).mogelijk_dubbel()
    a = a.vervallen(uow.now()) if cmd.dubbel else await draag_over(uow, a)
    await aanmeldingen.bewaar(uow.conn, a)
    return a


async def overschrijf_categorie(uow: UnitOfWork, cmd: Categoriebesluit) -> Aanmelding:
    """The consultant's category replaces the rule's (KandidaatGescreend)."""
    a = await eigen_aanmelding(uow.conn, cmd.aanmelding_id, cmd.namens, vergrendel=True)
    doorverwezen = a.doorverwezen(await doorverwijzing.categorieen(uow.conn, a.gemeente))
    nieuw = a.met_categorie(cmd.categorie, cmd.reden, cmd.namens.code, doorverwezen, uow.now())
    await aanmeldingen.bewaar(uow.conn, nieuw)
    await uow.publish(nieuw.gescreend(a.categorie))
    return nieuw


async def zet_doorverwijzing(uow: UnitOfWork, cmd: Doorverwijzing) -> list[int]:
    """Which categories this gemeente hands to agencies from now on (earlier screenings stay as they are)."""
    categorieen = sorted(set(cmd.categorieen))
    await doorverwijzing.zet(uow.conn, cmd.namens.eigen_gemeente(cmd.gemeente), categorieen, cmd.namens.code)
    return categorieen
