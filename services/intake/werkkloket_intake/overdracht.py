"""Handing a complete profile over: screening, the gemeente's choice of categories, and the events (outbox)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import Row, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection
from werkkloket_contracts import (
    AanmeldingOntvangen,
    KandidaatGescreend,
    Opleidingsniveau,
    ProfielAangevuld,
    Reden,
    Uitkering,
    Werkervaring,
    encode,
    source_of,
)
from werkkloket_runtime.outbox import enqueue

from . import domain, screening
from .store import aanmeldingen, doorverwijzing, outbox

PERSOONSVELDEN = frozenset(
    {"naam", "telefoon", "email", "postcode", "woonplaats", "geboortedatum", "bsn", "toestemming"}
)


async def categorieen_voor(conn: AsyncConnection, gemeente: str) -> frozenset[int]:
    gezet = await conn.scalar(select(doorverwijzing.c.categorieen).where(doorverwijzing.c.gemeente == gemeente))
    return frozenset(gezet) if gezet is not None else screening.STANDAARD_DOORVERWIJZING


async def zet_doorverwijzing(conn: AsyncConnection, gemeente: str, categorieen: Sequence[int], door: str) -> None:
    stmt = insert(doorverwijzing).values(gemeente=gemeente, categorieen=list(categorieen), gewijzigd_door=door)
    await conn.execute(
        stmt.on_conflict_do_update(
            index_elements=[doorverwijzing.c.gemeente],
            set_={
                "categorieen": stmt.excluded.categorieen,
                "gewijzigd_door": door,
                "gewijzigd_op": stmt.excluded.gewijzigd_op,
            },
        )
    )


def _werkervaring(profiel: dict[str, Any]) -> tuple[Werkervaring, ...]:
    return tuple(
        Werkervaring(
            beroep=w["beroep"],
            sector=w.get("sector"),
            van=date.fromisoformat(w["van"]),
            tot=date.fromisoformat(w["tot"]) if w.get("tot") else None,
        )
        for w in profiel.get("werkervaring", [])
    )


def _datum(waarde: Any) -> date | None:
    return date.fromisoformat(waarde) if waarde else None


def screen(row: Row[Any], vandaag: date) -> screening.Screening:
    p = row.profiel
    return screening.screen(
        screening.Invoer(
            werkervaring=_werkervaring(p),
            werkloos_sinds=_datum(p.get("werkloos_sinds")),
            opleidingsniveau=Opleidingsniveau(p["opleidingsniveau"]),
            taalniveau=p.get("taalniveau"),
            uren_per_week=p.get("uren_per_week"),
        ),
        vandaag,
    )


def profiel_van(row: Row[Any], categorie: int, naar: bool, vandaag: date) -> domain.Profiel:
    p = row.profiel
    return domain.Profiel(
        postcode=row.postcode,
        opleidingsniveau=Opleidingsniveau(p["opleidingsniveau"]),
        werkervaring=_werkervaring(p),
        wensberoepen=tuple(p["wensberoepen"]),
        werkloos_sinds=_datum(p.get("werkloos_sinds")),
        uitkering=Uitkering(p["uitkering"]),
        skills=tuple(p.get("skills", [])),
        rijbewijs=p.get("rijbewijs"),
        taalniveau=p.get("taalniveau"),
        uren_per_week=p.get("uren_per_week"),
        beschikbaar_vanaf=_datum(p.get("beschikbaar_vanaf")),
        max_reisafstand_km=p.get("max_reisafstand_km"),
        doelgroepen=tuple(domain.doelgroepen(p.get("doelgroepen", []), row.geboortedatum, vandaag)),
        categorie=categorie,
        naar_uitzendbureau=naar,
    )


def _gescreend(
    row: Row[Any],
    categorie: int,
    vorige: int | None,
    regel: str,
    factoren: Sequence[Reden],
    naar: bool,
    *,
    handmatig: bool = False,
    reden: str | None = None,
    door: str | None = None,
) -> KandidaatGescreend:
    return KandidaatGescreend(
        kandidaat_id=row.kandidaat_id,
        arbeidsmarktregio=row.arbeidsmarktregio,
        gemeente=row.gemeente,
        aanmelding_id=row.id,
        categorie=categorie,
        vorige_categorie=vorige,
        regelversie=regel,
        factoren=list(factoren),
        handmatig=handmatig,
        reden=reden,
        door=door,
        naar_uitzendbureau=naar,
    )


def _screening_json(s: screening.Screening, naar: bool) -> dict[str, Any]:
    return {
        "categorie": s.categorie,
        "regelversie": s.regelversie,
        "punten": s.punten,
        "factoren": [f.model_dump() for f in s.factoren],
        "handmatig": False,
        "naar_uitzendbureau": naar,
    }


def _nieuwe_status(huidig: str, naar: bool) -> str:
    """Only a candidate not yet decided on moves between the gemeente and matching."""
    if huidig in (domain.Status.ONTVANGEN, domain.Status.BIJ_GEMEENTE):
        return domain.Status.ONTVANGEN if naar else domain.Status.BIJ_GEMEENTE
    return huidig


async def draag_over(
    conn: AsyncConnection, row: Row[Any], door: str, now: datetime, aangevuld: tuple[str, ...] = ()
) -> None:
    """Screen a complete profile and hand it over: AanmeldingOntvangen, or ProfielAangevuld after a PATCH."""
    # Screened as of the registration date (which may precede its recording).
    aanmelddatum = row.profiel.get("aanmelddatum")
    s = screen(row, date.fromisoformat(aanmelddatum) if aanmelddatum else now.date())
    naar = s.categorie in await categorieen_voor(conn, row.gemeente)
    await conn.execute(
        update(aanmeldingen)
        .where(aanmeldingen.c.id == row.id)
        .values(
            categorie=s.categorie,
            screening=_screening_json(s, naar),
            status=domain.Status.ONTVANGEN if naar else domain.Status.BIJ_GEMEENTE,
            overgedragen_op=now,
            status_gewijzigd_op=now,
            mogelijke_dubbelingen=row.mogelijke_dubbelingen,
        )
    )
    soort: type[AanmeldingOntvangen] = ProfielAangevuld if aangevuld else AanmeldingOntvangen
    event = domain.aanmelding_ontvangen(
        aanmelding_id=row.id,
        kandidaat_id=row.kandidaat_id,
        gemeente_code=row.gemeente,
        profiel=profiel_van(row, s.categorie, naar, now.date()),
        soort=soort,
        aangevuld=tuple(v for v in aangevuld if v not in PERSOONSVELDEN),
    )
    if aanmelddatum:
        event = event.model_copy(update={"aanmelddatum": date.fromisoformat(aanmelddatum)})
    bron = source_of("intake", door)
    await enqueue(conn, outbox, encode(event, source=bron, time=now))
    await enqueue(
        conn, outbox, encode(_gescreend(row, s.categorie, None, s.regelversie, s.factoren, naar), source=bron, time=now)
    )


async def wijzig(conn: AsyncConnection, row: Row[Any], velden: Sequence[str], door: str, now: datetime) -> None:
    """A handed-over profile changed: re-screen (unless overridden by hand) and publish the coded profile again."""
    gecodeerd = tuple(v for v in velden if v not in PERSOONSVELDEN)
    if not gecodeerd:
        return  # only personal data changed: nothing for matching
    bron = source_of("intake", door)
    vorige = row.screening or {}
    categorie, naar = row.categorie, bool(vorige.get("naar_uitzendbureau"))
    if not vorige.get("handmatig"):
        s = screen(row, now.date())
        naar = s.categorie in await categorieen_voor(conn, row.gemeente)
        if s.categorie != row.categorie:
            await enqueue(
                conn,
                outbox,
                encode(
                    _gescreend(row, s.categorie, row.categorie, s.regelversie, s.factoren, naar), source=bron, time=now
                ),
            )
        categorie = s.categorie
        await conn.execute(
            update(aanmeldingen)
            .where(aanmeldingen.c.id == row.id)
            .values(categorie=s.categorie, screening=_screening_json(s, naar), status=_nieuwe_status(row.status, naar))
        )
    event = domain.aanmelding_ontvangen(
        aanmelding_id=row.id,
        kandidaat_id=row.kandidaat_id,
        gemeente_code=row.gemeente,
        profiel=profiel_van(row, categorie, naar, now.date()),
        soort=ProfielAangevuld,
        aangevuld=gecodeerd,
    )
    await enqueue(conn, outbox, encode(event, source=bron, time=now))


async def overschrijf_categorie(
    conn: AsyncConnection, row: Row[Any], categorie: int, reden: str, door: str, now: datetime
) -> None:
    naar = categorie in await categorieen_voor(conn, row.gemeente)
    vorige = row.screening or {}
    factoren = [Reden(**f) for f in vorige.get("factoren", [])]
    await conn.execute(
        update(aanmeldingen)
        .where(aanmeldingen.c.id == row.id)
        .values(
            categorie=categorie,
            screening={
                "categorie": categorie,
                "regelversie": screening.HANDMATIG,
                "punten": vorige.get("punten"),
                "factoren": [f.model_dump() for f in factoren],
                "handmatig": True,
                "reden": reden,
                "door": door,
                "naar_uitzendbureau": naar,
            },
            status=_nieuwe_status(row.status, naar),
            status_gewijzigd_op=now,
        )
    )
    event = _gescreend(
        row, categorie, row.categorie, screening.HANDMATIG, factoren, naar, handmatig=True, reden=reden, door=door
    )
    await enqueue(conn, outbox, encode(event, source=source_of("intake", door), time=now))
