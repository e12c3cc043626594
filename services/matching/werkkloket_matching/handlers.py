"""Matching's subscribers and its assignment steps: every eligible candidate is held by exactly one agency.

The `toewijzingen` row (primary key kandidaat_id) is claimed with INSERT ... ON CONFLICT DO NOTHING, and every
later change locks it (FOR UPDATE) together with the region's agencies, so several instances in one consumer
group never give a candidate to two agencies or overfill one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from uuid import UUID, uuid4

from sqlalchemy import Row, delete, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine
from werkkloket_contracts import (
    AanmeldingOntvangen,
    EersteContactGelegd,
    Envelope,
    Hertoewijzingsaanleiding,
    KandidaatGescreend,
    KandidaatHertoegewezen,
    KandidaatToegewezen,
    ToewijzingMislukt,
    encode,
    source_of,
)
from werkkloket_runtime.outbox import enqueue

from . import domain, voorstellen
from .klok import Feestdagen
from .store import hertoewijzingen, kandidaten, matches, outbox, toewijzingen, uitzendbureaus

BRON = source_of("matching")


class Geweigerd(Exception):
    """A reassignment that is not allowed; `status` is the HTTP status it maps to."""

    def __init__(self, status: int, reden: str) -> None:
        super().__init__(reden)
        self.status = status
        self.reden = reden


def _kandidaat(regio: str, gemeente: str, profiel: dict[str, Any] | None) -> domain.Kandidaat:
    p = profiel or {}
    return domain.Kandidaat(
        arbeidsmarktregio=regio,
        gemeente=gemeente,
        wensberoepen=tuple(p.get("wensberoepen", ())),
        werkervaring=tuple(w["beroep"] for w in p.get("werkervaring", ())),
    )


async def _bureaus(conn: AsyncConnection, regio: str) -> list[domain.Uitzendbureau]:
    # Lock the region's agencies so concurrent instances never overfill one.
    rows = (
        await conn.execute(
            select(uitzendbureaus)
            .where(uitzendbureaus.c.regios.any(regio))
            .order_by(uitzendbureaus.c.code)
            .with_for_update()
        )
    ).all()
    return [bureau(r) for r in rows]


def bureau(r: Row[Any]) -> domain.Uitzendbureau:
    return domain.Uitzendbureau(
        code=r.code,
        naam=r.naam,
        sectoren=frozenset(r.sectoren),
        regios=frozenset(r.regios),
        capaciteit=r.capaciteit,
        actief=r.actief,
        gemeenten=frozenset(r.gemeenten),
        doel=domain.Doel(r.doel_plaatsingen, r.doel_periode) if r.doel_plaatsingen is not None else None,
    )


async def _telling(conn: AsyncConnection, bureau: str, delta: int) -> None:
    await conn.execute(
        update(uitzendbureaus).where(uitzendbureaus.c.code == bureau).values(actief=uitzendbureaus.c.actief + delta)
    )


@dataclass(frozen=True)
class Toewijzer:
    termijn_werkdagen: int = domain.TERMIJN_EERSTE_CONTACT

    def termijn(self, vanaf: datetime) -> date:
        return domain.werkdagen_na(vanaf.date(), self.termijn_werkdagen, Feestdagen())

    async def profiel_ontvangen(self, conn: AsyncConnection, env: Envelope[Any]) -> None:
        """AanmeldingOntvangen or ProfielAangevuld: keep the coded profile; assign when it may go to an agency."""
        event: AanmeldingOntvangen = env.data
        naar = event.naar_uitzendbureau is not False
        profiel = event.model_dump(mode="json", include={"wensberoepen", "werkervaring", "skills", "opleidingsniveau"})
        stmt = insert(kandidaten).values(
            kandidaat_id=event.kandidaat_id,
            arbeidsmarktregio=event.arbeidsmarktregio,
            gemeente=event.gemeente,
            profiel=event.model_dump(mode="json"),
            categorie=event.categorie,
            naar_uitzendbureau=naar,
            bijgewerkt_op=env.time,
        )
        await conn.execute(
            stmt.on_conflict_do_update(
                index_elements=[kandidaten.c.kandidaat_id],
                set_={
                    "profiel": stmt.excluded.profiel,
                    "categorie": stmt.excluded.categorie,
                    "naar_uitzendbureau": stmt.excluded.naar_uitzendbureau,
                    "bijgewerkt_op": stmt.excluded.bijgewerkt_op,
                },
            )
        )
        if naar:
            await self.wijs_toe(conn, event.kandidaat_id, event.arbeidsmarktregio, event.gemeente, profiel, env.time)

    async def gescreend(self, conn: AsyncConnection, env: Envelope[Any]) -> None:
        """A category change may hand a candidate to an agency that the gemeente kept until now."""
        event: KandidaatGescreend = env.data
        row = (
            await conn.execute(
                update(kandidaten)
                .where(kandidaten.c.kandidaat_id == event.kandidaat_id)
                .values(categorie=event.categorie, naar_uitzendbureau=event.naar_uitzendbureau)
                .returning(kandidaten.c.profiel)
            )
        ).first()
        if row is not None and event.naar_uitzendbureau:
            await self.wijs_toe(
                conn, event.kandidaat_id, event.arbeidsmarktregio, event.gemeente, row.profiel, env.time
            )

    async def eerste_contact(self, conn: AsyncConnection, env: Envelope[Any]) -> None:
        event: EersteContactGelegd = env.data
        await conn.execute(
            update(toewijzingen)
            .where(
                toewijzingen.c.kandidaat_id == event.kandidaat_id,
                toewijzingen.c.uitzendbureau == event.uitzendbureau,
                toewijzingen.c.eerste_contact_op.is_(None),
            )
            .values(eerste_contact_op=event.datum)
        )

    async def wijs_toe(
        self,
        conn: AsyncConnection,
        kandidaat_id: UUID,
        regio: str,
        gemeente: str,
        profiel: dict[str, Any] | None,
        nu: datetime,
    ) -> None:
        claimed = await conn.execute(
            insert(toewijzingen)
            .values(
                kandidaat_id=kandidaat_id,
                arbeidsmarktregio=regio,
                gemeente=gemeente,
                status="in_behandeling",
                besloten_op=nu,
            )
            .on_conflict_do_nothing()
            .returning(toewijzingen.c.kandidaat_id)
        )
        if claimed.first() is None:
            return  # this candidate was decided on before (same person, other event id)
        keuze = domain.kies_uitzendbureau(_kandidaat(regio, gemeente, profiel), await _bureaus(conn, regio))
        gevolg: KandidaatToegewezen | ToewijzingMislukt
        if isinstance(keuze, domain.Keuze):
            toewijzing_id = uuid4()
            await _telling(conn, keuze.uitzendbureau, +1)
            await conn.execute(
                update(toewijzingen)
                .where(toewijzingen.c.kandidaat_id == kandidaat_id)
                .values(
                    toewijzing_id=toewijzing_id,
                    uitzendbureau=keuze.uitzendbureau,
                    status="toegewezen",
                    toegewezen_op=nu,
                    termijn_tot=self.termijn(nu),
                    regelversie=domain.REGELVERSIE,
                    redenen=[r.model_dump() for r in keuze.redenen],
                )
            )
            await voorstellen.voor_kandidaat(conn, kandidaat_id, keuze.uitzendbureau, nu)
            gevolg = KandidaatToegewezen(
                kandidaat_id=kandidaat_id,
                arbeidsmarktregio=regio,
                gemeente=gemeente,
                toewijzing_id=toewijzing_id,
                uitzendbureau=keuze.uitzendbureau,
                regelversie=domain.REGELVERSIE,
                redenen=list(keuze.redenen),
            )
        else:
            await conn.execute(
                update(toewijzingen).where(toewijzingen.c.kandidaat_id == kandidaat_id).values(status="niet_toegewezen")
            )
            gevolg = ToewijzingMislukt(
                kandidaat_id=kandidaat_id,
                arbeidsmarktregio=regio,
                gemeente=gemeente,
                regelversie=domain.REGELVERSIE,
                reden=keuze.reden,
            )
        await enqueue(conn, outbox, encode(gevolg, source=BRON, time=nu))

    async def hertoewijs(
        self,
        conn: AsyncConnection,
        kandidaat_id: UUID,
        aanleiding: Hertoewijzingsaanleiding,
        reden: str,
        nu: datetime,
        *,
        naar: str | None = None,
        door: str | None = None,
        verlopen_op: date | None = None,
    ) -> Row[Any]:
        """Move an assigned candidate to another agency (never one that had it before), or back to the gemeente."""
        huidig = (
            await conn.execute(
                select(toewijzingen).where(toewijzingen.c.kandidaat_id == kandidaat_id).with_for_update()
            )
        ).first()
        if huidig is None or huidig.status != "toegewezen" or huidig.uitzendbureau is None:
            raise Geweigerd(409, "deze kandidaat is niet aan een uitzendbureau toegewezen")
        if verlopen_op is not None and not (
            huidig.termijn_tot is not None
            and domain.termijn_verlopen(huidig.termijn_tot, huidig.eerste_contact_op, verlopen_op)
        ):
            raise Geweigerd(409, "de termijn voor het eerste contact is niet (meer) verlopen")
        profiel = await conn.scalar(select(kandidaten.c.profiel).where(kandidaten.c.kandidaat_id == kandidaat_id))
        eerder = {*huidig.eerdere_uitzendbureaus, huidig.uitzendbureau}
        bureaus = await _bureaus(conn, huidig.arbeidsmarktregio)
        if naar is not None:
            if naar == huidig.uitzendbureau:
                raise Geweigerd(409, f"{naar} heeft deze kandidaat al")
            kandidaten_bureaus = [b for b in bureaus if b.code == naar]
            if not kandidaten_bureaus:
                raise Geweigerd(422, f"{naar} bedient regio {huidig.arbeidsmarktregio} niet")
            if not kandidaten_bureaus[0].bedient(huidig.gemeente):
                raise Geweigerd(422, f"{naar} bedient gemeente {huidig.gemeente} niet")
        else:
            kandidaten_bureaus = [b for b in bureaus if b.code not in eerder]
        keuze = domain.kies_uitzendbureau(
            _kandidaat(huidig.arbeidsmarktregio, huidig.gemeente, profiel), kandidaten_bureaus
        )
        if naar is not None and not isinstance(keuze, domain.Keuze):
            raise Geweigerd(409, keuze.reden)
        await _telling(conn, huidig.uitzendbureau, -1)
        toewijzing_id = uuid4()
        nieuw = keuze.uitzendbureau if isinstance(keuze, domain.Keuze) else None
        waarom = (
            reden if nieuw is not None else f"{reden}; {keuze.reden}" if isinstance(keuze, domain.GeenKeuze) else reden
        )
        if nieuw is not None:
            await _telling(conn, nieuw, +1)
        await conn.execute(
            update(toewijzingen)
            .where(toewijzingen.c.kandidaat_id == kandidaat_id)
            .values(
                toewijzing_id=toewijzing_id,
                uitzendbureau=nieuw,
                status="toegewezen" if nieuw else "niet_toegewezen",
                besloten_op=nu,
                toegewezen_op=nu if nieuw else None,
                termijn_tot=self.termijn(nu) if nieuw else None,
                eerste_contact_op=None,
                eerdere_uitzendbureaus=sorted(eerder),
                regelversie=domain.REGELVERSIE,
                redenen=[r.model_dump() for r in keuze.redenen] if isinstance(keuze, domain.Keuze) else [],
            )
        )
        if nieuw is not None:
            await voorstellen.voor_kandidaat(conn, kandidaat_id, nieuw, nu)
        else:
            await conn.execute(delete(matches).where(matches.c.kandidaat_id == kandidaat_id))
        await conn.execute(
            hertoewijzingen.insert().values(
                kandidaat_id=kandidaat_id,
                toewijzing_id=toewijzing_id,
                gemeente=huidig.gemeente,
                van_uitzendbureau=huidig.uitzendbureau,
                naar_uitzendbureau=nieuw,
                aanleiding=aanleiding.value,
                reden=waarom[:1000],
                op=nu,
            )
        )
        event = KandidaatHertoegewezen(
            kandidaat_id=kandidaat_id,
            arbeidsmarktregio=huidig.arbeidsmarktregio,
            gemeente=huidig.gemeente,
            toewijzing_id=toewijzing_id,
            vorig_uitzendbureau=huidig.uitzendbureau,
            uitzendbureau=nieuw,
            aanleiding=aanleiding,
            reden=waarom[:1000],
            regelversie=domain.REGELVERSIE,
            redenen=list(keuze.redenen) if isinstance(keuze, domain.Keuze) else [],
        )
        await enqueue(conn, outbox, encode(event, source=source_of("matching", door), time=nu))
        return (await conn.execute(select(toewijzingen).where(toewijzingen.c.kandidaat_id == kandidaat_id))).one()

    async def verlopen(self, conn: AsyncConnection, peildatum: date, gemeente: str | None = None) -> list[UUID]:
        """Candidates whose agency made no first contact within the term, as of peildatum."""
        query = select(toewijzingen.c.kandidaat_id).where(
            toewijzingen.c.status == "toegewezen",
            toewijzingen.c.eerste_contact_op.is_(None),
            toewijzingen.c.termijn_tot < peildatum,
        )
        if gemeente is not None:
            query = query.where(toewijzingen.c.gemeente == gemeente)
        return [r.kandidaat_id for r in await conn.execute(query.order_by(toewijzingen.c.termijn_tot))]


async def controleer_termijnen(
    engine: AsyncEngine, toewijzer: Toewijzer, peildatum: date, nu: datetime, gemeente: str | None = None
) -> list[UUID]:
    """Reassign every candidate without first contact within the term; one transaction per candidate."""
    async with engine.connect() as conn:
        verlopen = await toewijzer.verlopen(conn, peildatum, gemeente)
    gedaan: list[UUID] = []
    reden = f"geen eerste contact binnen {toewijzer.termijn_werkdagen} werkdagen"
    for kandidaat_id in verlopen:
        try:
            async with engine.begin() as conn:
                await toewijzer.hertoewijs(
                    conn, kandidaat_id, Hertoewijzingsaanleiding.GEEN_EERSTE_CONTACT, reden, nu, verlopen_op=peildatum
                )
        except Geweigerd:
            continue  # first contact came in, or it moved, meanwhile
        gedaan.append(kandidaat_id)
    return gedaan
