"""Registering a jobseeker, and completing or correcting the profile afterwards."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID, uuid4

from werkkloket_contracts import ProfielAangevuld
from werkkloket_runtime.unit_of_work import UnitOfWork

from ..adapters import aanmeldingen, classificaties, toestemmingen
from ..domain.aanmelding import Aanmelding, Status
from ..domain.fouten import OngeldigeVelden
from ..domain.gemeenten import Namens, registratiegemeente
from ..domain.profiel import Beroepscodering, Profiel, Profielinvoer, Toestemming, bouw
from ..domain.toestemming import Toestemmingen, gegeven
from .overdracht import draag_over, wijzig
from .vragen import eigen_aanmelding


@dataclass(frozen=True)
class Registratie:
    namens: Namens
    gemeente: str | None  # CBS code; the caller's own gemeente when not given
    invoer: Profielinvoer


@dataclass(frozen=True)
class Aanvulling:
    aanmelding_id: UUID
    namens: Namens
    invoer: Profielinvoer


@dataclass(frozen=True)
class Uitkomst:
    aanmelding: Aanmelding
    coderingen: list[Beroepscodering]  # how typed occupations were coded
    categorie_voor: int | None = None  # the screening category before this change


async def registreer(uow: UnitOfWork, cmd: Registratie) -> Uitkomst:
    """A new registration; a complete one without possible duplicates is handed over at once."""
    g = registratiegemeente(cmd.namens, cmd.gemeente)
    profiel, coderingen = bouw(Profiel(), cmd.invoer, classificaties.laad())
    aanmelding_id = uuid4()
    a = Aanmelding.nieuw(
        id=aanmelding_id,
        kandidaat_id=uuid4(),
        gemeente=g,
        door=cmd.namens.code,
        profiel=profiel,
        dubbelingen=await aanmeldingen.dubbelingen(uow.conn, aanmelding_id, profiel),
        ontvangen_op=uow.now(),
    )
    if a.status is Status.ONTVANGEN:
        a = await draag_over(uow, a)
    await aanmeldingen.voeg_toe(uow.conn, a)
    await _toestemming_vastleggen(uow, a, cmd.namens, profiel.toestemming, Toestemmingen())
    return Uitkomst(a, coderingen)


async def _toestemming_vastleggen(
    uow: UnitOfWork, a: Aanmelding, namens: Namens, t: Toestemming | None, huidig: Toestemmingen | None = None
) -> None:
    """The purposes a registration (or a change of its consent) gives consent for, that did not hold yet. Only
    the consent endpoint withdraws."""
    if t is None:
        return
    if huidig is None:
        huidig = await toestemmingen.van(uow.conn, a.kandidaat_id)
    regels = [
        r for r in gegeven(t.doelen, t.tekstversie, namens.persoon, namens.code, uow.now()) if not huidig.geldt(r.doel)
    ]
    await toestemmingen.leg_vast(uow.conn, a.kandidaat_id, [huidig.wijziging(r) for r in regels])


async def vul_aan(uow: UnitOfWork, cmd: Aanvulling) -> Uitkomst:
    """Complete or correct a profile; a complete profile is handed over (ProfielAangevuld), a handed-over one
    published again."""
    if not cmd.invoer.gegeven:
        raise OngeldigeVelden("geen velden om aan te vullen", [{"name": "body"}])
    a = (await eigen_aanmelding(uow.conn, cmd.aanmelding_id, cmd.namens, vergrendel=True)).wijzigbaar()
    categorie_voor = a.categorie
    profiel, coderingen = bouw(a.profiel, cmd.invoer, classificaties.laad())
    a = a.met_profiel(profiel)
    velden = tuple(sorted(cmd.invoer.gegeven))
    if a.overgedragen:
        a = await wijzig(uow, a, velden)
    else:
        dubbel = () if profiel.ontbrekend() else await aanmeldingen.dubbelingen(uow.conn, a.id, profiel)
        if profiel.ontbrekend() or dubbel:
            a = a.aangevuld(dubbel)
        else:
            a = await draag_over(uow, a, soort=ProfielAangevuld, velden=velden)
    await aanmeldingen.bewaar(uow.conn, a, bsn="bsn" in cmd.invoer.gegeven)
    if "toestemming" in cmd.invoer.gegeven:
        await _toestemming_vastleggen(uow, a, cmd.namens, profiel.toestemming)
    return Uitkomst(a, coderingen, categorie_voor)
