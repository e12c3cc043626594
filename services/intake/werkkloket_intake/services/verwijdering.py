"""Erasure of everything intake holds about a person (AVG art. 17), on the gemeente's request or when the
retention term passes: the person's data key is destroyed (and tombstoned on werkkloket.sleutels), every row about
them deleted, a receipt kept, and PersoonsgegevensVerwijderd tells every other service to do the same."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from uuid import UUID, uuid4

from werkkloket_contracts import PersoonsgegevensVerwijderd, Verwijderingsaanleiding
from werkkloket_runtime.logboek import Betrokkene
from werkkloket_runtime.unit_of_work import UnitOfWork
from werkkloket_runtime.verwijdering import VERWIJDEREN, bewaar_bewijs, verwijder

from ..adapters import persoonssleutels, tables
from ..domain.aanmelding import Aanmelding
from ..domain.gemeenten import Namens
from .vragen import eigen_aanmelding


@dataclass(frozen=True)
class Verwijdering:
    aanmelding_id: UUID
    namens: Namens


@dataclass(frozen=True)
class Verwijderd:
    verzoek_id: UUID
    kandidaat_id: UUID
    gemeente: str
    datum: date
    verwijderd: dict[str, int]


async def verwijder_op_verzoek(uow: UnitOfWork, cmd: Verwijdering) -> Verwijderd:
    """The gemeente erases one of its registrations (AVG art. 17)."""
    a = await eigen_aanmelding(uow.conn, cmd.aanmelding_id, cmd.namens, vergrendel=True)
    return await wis(uow, a, Verwijderingsaanleiding.VERZOEK)


async def wis(uow: UnitOfWork, a: Aanmelding, aanleiding: Verwijderingsaanleiding) -> Verwijderd:
    """Erase the person: key first (nothing of theirs on the bus opens after this), then every row, in the
    transaction that queues the tombstone and the event."""
    verwijderd = {"persoonssleutels": await persoonssleutels.vernietig(uow, a.kandidaat_id)}
    verwijderd |= await verwijder(uow.conn, tables.SCHEMA, a.kandidaat_id, behalve={"persoonssleutels"})
    verzoek_id, nu = uuid4(), uow.now()
    await bewaar_bewijs(
        uow.conn,
        tables.verwijderingen,
        verzoek_id=verzoek_id,
        kandidaat_id=a.kandidaat_id,
        gemeente=a.gemeente,
        aanleiding=aanleiding.value,
        op=nu,
        verwijderd=verwijderd,
    )
    await uow.publish(
        PersoonsgegevensVerwijderd(**a.plaats(), verzoek_id=verzoek_id, aanleiding=aanleiding, datum=nu.date())
    )
    naam = (
        "persoonsgegevens verwijderd" if aanleiding is Verwijderingsaanleiding.VERZOEK else "bewaartermijn verstreken"
    )
    await uow.vastleggen(VERWIJDEREN, naam, [Betrokkene(a.kandidaat_id, a.gemeente)])
    return Verwijderd(verzoek_id, a.kandidaat_id, a.gemeente, nu.date(), verwijderd)
