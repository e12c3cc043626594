"""Werk naar werk HTTP API: surpluses and shortages, proposed moves, moves, and the worker's skills paspoort."""

import hmac
import secrets
from datetime import UTC, date, datetime
from typing import Annotated, Any
from uuid import UUID, uuid4

from fastapi import APIRouter, Depends, Header, Path, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import Row, and_, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection
from werkkloket_contracts import (
    Gebeurtenis,
    MobiliteitBeeindigd,
    MobiliteitGestart,
    Mobiliteitsvorm,
    MobiliteitTeruggekeerd,
    MobiliteitVoorgesteld,
    Opleidingsniveau,
    Overschotaard,
    OverschotGemeld,
    Reden,
    TekortGemeld,
    Uitsluiting,
    encode,
    source_of,
)
from werkkloket_runtime.http import Organisatie, Problem, hash_key, ongeldig, require
from werkkloket_runtime.outbox import enqueue
from werkkloket_runtime.service import ServiceRuntime

from . import werknaarwerk as wnw
from .store import (
    mobiliteiten,
    mobiliteitsvoorstellen,
    outbox,
    overschotten,
    paspoorten,
    paspoorttoestemmingen,
    tekorten,
)

ISCO = Annotated[str, Field(pattern=r"^\d{4}$")]
SKILL = Annotated[str, Field(min_length=1, max_length=80, pattern=r"\S")]
REGIO = Annotated[str, Field(pattern=r"^[a-z0-9-]{2,40}$")]
ORG = Annotated[str, Field(pattern=r"^[a-z0-9-]{2,60}$")]
WERKNEMER_HEADER = "X-Werknemer-Sleutel"


class Melding(BaseModel):
    model_config = ConfigDict(extra="forbid")

    werkgever: ORG | None = Field(default=None, description="Required when the WSP (gemeente) reports for it")
    sbi: str = Field(pattern=r"^\d{2,5}$", description="SBI 2008 code of the employer")
    arbeidsmarktregio: REGIO
    gemeente: str = Field(pattern=r"^GM\d{4}$")
    aantal: int = Field(ge=1, le=10_000)
    skills: list[SKILL] = Field(default_factory=list, max_length=30)
    vanaf: date


class OverschotInvoer(Melding):
    beroepen: list[ISCO] = Field(min_length=1, max_length=10)
    aard: Overschotaard
    uitlenen_toegestaan: bool = False
    uitlenen_tot: date | None = None
    regios: list[REGIO] = Field(default_factory=list, description="Default: only its own arbeidsmarktregio")
    uitsluiting: Uitsluiting = Field(default_factory=Uitsluiting)


class TekortInvoer(Melding):
    beroep: ISCO
    uren_per_week: int = Field(ge=1, le=60)
    postcode: str = Field(pattern=r"^[1-9]\d{3} ?[A-Za-z]{2}$|^[1-9]\d{3}$")


class VoorstelUit(BaseModel):
    voorstel_id: UUID
    overschot_id: UUID
    tekort_id: UUID
    van_werkgever: str
    naar_werkgever: str
    beroep: str
    van_sector: str
    naar_sector: str
    score: float
    factoren: list[Reden]
    sectoroverstap: bool
    vormen: list[Mobiliteitsvorm]
    regelversie: str


class MeldingUit(BaseModel):
    id: UUID
    werkgever: str
    voorstellen: list[VoorstelUit]


class Start(BaseModel):
    model_config = ConfigDict(extra="forbid")

    vorm: Mobiliteitsvorm
    startdatum: date
    terugkeerdatum: date | None = None
    paspoort_id: UUID | None = Field(default=None, description="The worker's skills paspoort, if any")


class MobiliteitUit(BaseModel):
    mobiliteit_id: UUID
    voorstel_id: UUID
    overschot_id: UUID
    tekort_id: UUID
    werknemer_id: UUID
    vorm: Mobiliteitsvorm
    startdatum: date
    terugkeerdatum: date | None
    teruggekeerd_op: date | None
    beeindigd_op: date | None
    status: str = Field(description="lopend, teruggekeerd or beeindigd")


class Terugkeer(BaseModel):
    model_config = ConfigDict(extra="forbid")

    datum: date


class Beeindiging(BaseModel):
    model_config = ConfigDict(extra="forbid")

    datum: date
    reden: str = Field(min_length=3, max_length=200)


class Terugkeercontrole(BaseModel):
    model_config = ConfigDict(extra="forbid")

    peildatum: date | None = Field(default=None, description="Check as of this date (only with a settable clock)")


class Diploma(BaseModel):
    model_config = ConfigDict(extra="forbid")

    naam: str = Field(min_length=2, max_length=120)
    niveau: Opleidingsniveau


class Ervaring(BaseModel):
    model_config = ConfigDict(extra="forbid")

    beroep: ISCO
    jaren: int = Field(ge=0, le=60)


class PaspoortInvoer(BaseModel):
    model_config = ConfigDict(extra="forbid")

    overschot_id: UUID | None = None
    skills: list[SKILL] = Field(min_length=1, max_length=30)
    diplomas: list[Diploma] = Field(default_factory=list, max_length=20)
    werkervaring: list[Ervaring] = Field(default_factory=list, max_length=20)


class PaspoortAangemaakt(BaseModel):
    paspoort_id: UUID
    werknemer_sleutel: str = Field(description="The worker's own key; shown once, give it to the worker")


class Paspoort(BaseModel):
    paspoort_id: UUID
    skills: list[str]
    diplomas: list[Diploma]
    werkervaring: list[Ervaring]
    gedeeld_met: list[str] | None = Field(default=None, description="Only shown to the worker")


def _skills(items: list[str]) -> list[str]:
    return sorted({s.strip().lower() for s in items if s.strip()})


def _overschot(r: Row[Any]) -> wnw.Overschot:
    u = r.uitsluiting or {}
    return wnw.Overschot(
        overschot_id=str(r.overschot_id),
        werkgever=r.werkgever,
        sbi=r.sbi,
        arbeidsmarktregio=r.arbeidsmarktregio,
        beschikbaar=r.aantal - r.verplaatst,
        beroepen=tuple(r.beroepen),
        skills=frozenset(r.skills),
        vanaf=r.vanaf,
        uitlenen_toegestaan=r.uitlenen_toegestaan,
        uitlenen_tot=r.uitlenen_tot,
        regios=frozenset(r.regios),
        zelfde_branche=bool(u.get("zelfde_branche")),
        branches=tuple(u.get("branches", ())),
        uitgesloten_werkgevers=frozenset(u.get("werkgevers", ())),
    )


def _tekort(r: Row[Any]) -> wnw.Tekort:
    return wnw.Tekort(
        tekort_id=str(r.tekort_id),
        werkgever=r.werkgever,
        sbi=r.sbi,
        arbeidsmarktregio=r.arbeidsmarktregio,
        open=r.aantal - r.ingevuld,
        beroep=r.beroep,
        skills=frozenset(r.skills),
        vanaf=r.vanaf,
    )


def _voorstel_uit(r: Row[Any], van: str, naar: str, beroep: str) -> VoorstelUit:
    """A stored proposal (a row of mobiliteitsvoorstellen) with its employers and the shortage's occupation."""
    return VoorstelUit(
        voorstel_id=r.voorstel_id,
        overschot_id=r.overschot_id,
        tekort_id=r.tekort_id,
        van_werkgever=van,
        naar_werkgever=naar,
        beroep=beroep,
        van_sector=r.van_sector,
        naar_sector=r.naar_sector,
        score=r.score,
        factoren=[Reden(**f) for f in r.factoren],
        sectoroverstap=r.sectoroverstap,
        vormen=[Mobiliteitsvorm(v) for v in r.vormen],
        regelversie=r.regelversie,
    )


def _mobiliteit(r: Row[Any]) -> MobiliteitUit:
    status = "beeindigd" if r.beeindigd_op else "teruggekeerd" if r.teruggekeerd_op else "lopend"
    return MobiliteitUit(
        mobiliteit_id=r.mobiliteit_id,
        voorstel_id=r.voorstel_id,
        overschot_id=r.overschot_id,
        tekort_id=r.tekort_id,
        werknemer_id=r.werknemer_id,
        vorm=Mobiliteitsvorm(r.vorm),
        startdatum=r.startdatum,
        terugkeerdatum=r.terugkeerdatum,
        teruggekeerd_op=r.teruggekeerd_op,
        beeindigd_op=r.beeindigd_op,
        status=status,
    )


def _namens(org: Organisatie, werkgever: str | None) -> str:
    """The employer a report is for: the caller itself, or the one a WSP (gemeente) names."""
    if org.rol == "werkgever":
        if werkgever not in (None, org.code):
            raise Problem(
                403, "Geen toegang", "een werkgever meldt alleen voor zichzelf", invalid_params=[{"name": "werkgever"}]
            )
        return org.code
    if werkgever is None:
        raise ongeldig("werkgever", "het WSP meldt namens een werkgever: noem die")
    return werkgever


async def _publiceer(conn: AsyncConnection, event: Gebeurtenis, org: Organisatie, nu: datetime) -> None:
    await enqueue(conn, outbox, encode(event, source=source_of("matching", org.code), time=nu))


async def _stel_voor(
    conn: AsyncConnection, o: Row[Any], t: Row[Any], v: wnw.Voorstel, org: Organisatie, nu: datetime
) -> VoorstelUit | None:
    """Store and publish one proposal; None when this pair was proposed before."""
    voorstel_id = uuid4()
    inserted = (
        await conn.execute(
            insert(mobiliteitsvoorstellen)
            .values(
                voorstel_id=voorstel_id,
                overschot_id=o.overschot_id,
                tekort_id=t.tekort_id,
                score=v.score,
                factoren=[f.model_dump() for f in v.factoren],
                sectoroverstap=v.sectoroverstap,
                van_sector=v.van_sector,
                naar_sector=v.naar_sector,
                vormen=[f.value for f in v.vormen],
                regelversie=wnw.REGELVERSIE,
                voorgesteld_op=nu,
            )
            .on_conflict_do_nothing(index_elements=["overschot_id", "tekort_id"])
            .returning(mobiliteitsvoorstellen)
        )
    ).first()
    if inserted is None:
        return None
    event = MobiliteitVoorgesteld(
        arbeidsmarktregio=o.arbeidsmarktregio,
        gemeente=o.gemeente,
        overschot_id=o.overschot_id,
        voorstel_id=voorstel_id,
        tekort_id=t.tekort_id,
        van_werkgever=o.werkgever,
        naar_werkgever=t.werkgever,
        naar_regio=t.arbeidsmarktregio,
        beroep=t.beroep,
        van_sector=v.van_sector,
        naar_sector=v.naar_sector,
        score=min(1.0, v.score),
        factoren=list(v.factoren),
        sectoroverstap=v.sectoroverstap,
        vormen=list(v.vormen),
        regelversie=wnw.REGELVERSIE,
    )
    await _publiceer(conn, event, org, nu)
    return _voorstel_uit(inserted, o.werkgever, t.werkgever, t.beroep)


async def _rond_af(
    conn: AsyncConnection, o: Row[Any], mobiliteit_id: UUID, datum: date, reden: str | None, bron: str, nu: datetime
) -> Row[Any]:
    """A lending returns (reden None) or a move ends on `datum`: store it and publish the event."""
    waarden = {"teruggekeerd_op": datum} if reden is None else {"beeindigd_op": datum, "reden": reden}
    row: Row[Any] = (
        await conn.execute(
            update(mobiliteiten)
            .where(mobiliteiten.c.mobiliteit_id == mobiliteit_id)
            .values(**waarden)
            .returning(mobiliteiten)
        )
    ).one()
    sleutel = {
        "arbeidsmarktregio": o.arbeidsmarktregio,
        "gemeente": o.gemeente,
        "overschot_id": o.overschot_id,
        "mobiliteit_id": mobiliteit_id,
        "datum": datum,
    }
    event: Gebeurtenis = (
        MobiliteitTeruggekeerd(**sleutel) if reden is None else MobiliteitBeeindigd(**sleutel, reden=reden)
    )
    await enqueue(conn, outbox, encode(event, source=bron, time=nu))
    return row


async def terugkeren(conn: AsyncConnection, peildatum: date, nu: datetime) -> list[UUID]:
    """Lendings whose return date has come as of peildatum return, dated on their return date (not today)."""
    rows = (
        await conn.execute(
            select(mobiliteiten, overschotten.c.arbeidsmarktregio, overschotten.c.gemeente)
            .join(overschotten, overschotten.c.overschot_id == mobiliteiten.c.overschot_id)
            .where(
                mobiliteiten.c.vorm == Mobiliteitsvorm.DETACHERING.value,
                mobiliteiten.c.teruggekeerd_op.is_(None),
                mobiliteiten.c.beeindigd_op.is_(None),
                mobiliteiten.c.terugkeerdatum <= peildatum,
            )
            .with_for_update(of=mobiliteiten, skip_locked=True)
        )
    ).all()
    per_id = {str(r.mobiliteit_id): r for r in rows}
    gedaan: list[UUID] = []
    for mid, datum in wnw.terug_te_keren(((k, r.terugkeerdatum) for k, r in per_id.items()), peildatum):
        r = per_id[mid]
        await _rond_af(conn, r, r.mobiliteit_id, datum, None, source_of("matching"), nu)
        gedaan.append(r.mobiliteit_id)
    return gedaan


def router(rt: ServiceRuntime, klok_instelbaar: bool = False) -> APIRouter:
    api = APIRouter(prefix="/api/v1/werk-naar-werk", tags=["werk naar werk"])
    Melder = Annotated[Organisatie, Depends(require(rt.keys, "werkgever", "gemeente"))]
    Beheer = Annotated[Organisatie, Depends(require(rt.keys, "beheer"))]

    @api.post("/overschotten", status_code=201, response_model=MeldingUit)
    async def overschot_melden(invoer: OverschotInvoer, org: Melder) -> MeldingUit:
        """An employer (or the WSP for it) reports a surplus; open shortages get proposed moves."""
        werkgever = _namens(org, invoer.werkgever)
        if invoer.uitlenen_tot is not None and not invoer.uitlenen_toegestaan:
            raise ongeldig("uitlenen_tot", "alleen als uitlenen is toegestaan")
        nu = datetime.now(UTC)
        regios = sorted(set(invoer.regios) | {invoer.arbeidsmarktregio})
        async with rt.engine.begin() as conn:
            o = (
                await conn.execute(
                    overschotten.insert()
                    .values(
                        overschot_id=uuid4(),
                        werkgever=werkgever,
                        gemeld_door=org.code,
                        sbi=invoer.sbi,
                        arbeidsmarktregio=invoer.arbeidsmarktregio,
                        gemeente=invoer.gemeente,
                        aantal=invoer.aantal,
                        beroepen=list(dict.fromkeys(invoer.beroepen)),
                        skills=_skills(invoer.skills),
                        vanaf=invoer.vanaf,
                        aard=invoer.aard.value,
                        uitlenen_toegestaan=invoer.uitlenen_toegestaan,
                        uitlenen_tot=invoer.uitlenen_tot,
                        regios=regios,
                        uitsluiting=invoer.uitsluiting.model_dump(),
                        gemeld_op=nu,
                    )
                    .returning(overschotten)
                )
            ).one()
            event = OverschotGemeld(
                arbeidsmarktregio=o.arbeidsmarktregio,
                gemeente=o.gemeente,
                overschot_id=o.overschot_id,
                werkgever=o.werkgever,
                sbi=o.sbi,
                aantal=o.aantal,
                beroepen=list(o.beroepen),
                skills=list(o.skills),
                vanaf=o.vanaf,
                aard=invoer.aard,
                uitlenen_toegestaan=o.uitlenen_toegestaan,
                uitlenen_tot=o.uitlenen_tot,
                regios=list(o.regios),
                uitsluiting=invoer.uitsluiting,
                gemeld_door=org.code,
            )
            await _publiceer(conn, event, org, nu)
            open_ = (
                await conn.execute(
                    select(tekorten).where(
                        tekorten.c.arbeidsmarktregio.in_(regios), tekorten.c.ingevuld < tekorten.c.aantal
                    )
                )
            ).all()
            per_id = {str(t.tekort_id): t for t in open_}
            voorstellen = [
                await _stel_voor(conn, o, per_id[v.tekort_id], v, org, nu)
                for v in wnw.beste_tekorten(_overschot(o), (_tekort(t) for t in open_))
            ]
        rt.wake_relay()
        return MeldingUit(id=o.overschot_id, werkgever=werkgever, voorstellen=[v for v in voorstellen if v])

    @api.post("/tekorten", status_code=201, response_model=MeldingUit)
    async def tekort_melden(invoer: TekortInvoer, org: Melder) -> MeldingUit:
        """An employer (or the WSP for it) reports a shortage; open surpluses get proposed moves to it."""
        werkgever = _namens(org, invoer.werkgever)
        nu = datetime.now(UTC)
        async with rt.engine.begin() as conn:
            t = (
                await conn.execute(
                    tekorten.insert()
                    .values(
                        tekort_id=uuid4(),
                        werkgever=werkgever,
                        gemeld_door=org.code,
                        sbi=invoer.sbi,
                        arbeidsmarktregio=invoer.arbeidsmarktregio,
                        gemeente=invoer.gemeente,
                        aantal=invoer.aantal,
                        beroep=invoer.beroep,
                        skills=_skills(invoer.skills),
                        uren_per_week=invoer.uren_per_week,
                        postcodegebied=invoer.postcode[:4],
                        vanaf=invoer.vanaf,
                        gemeld_op=nu,
                    )
                    .returning(tekorten)
                )
            ).one()
            event = TekortGemeld(
                arbeidsmarktregio=t.arbeidsmarktregio,
                gemeente=t.gemeente,
                tekort_id=t.tekort_id,
                werkgever=t.werkgever,
                sbi=t.sbi,
                aantal=t.aantal,
                beroep=t.beroep,
                skills=list(t.skills),
                uren_per_week=t.uren_per_week,
                postcodegebied=t.postcodegebied,
                vanaf=t.vanaf,
                gemeld_door=org.code,
            )
            await _publiceer(conn, event, org, nu)
            open_ = (
                await conn.execute(
                    select(overschotten).where(
                        overschotten.c.regios.any(t.arbeidsmarktregio),
                        overschotten.c.verplaatst < overschotten.c.aantal,
                    )
                )
            ).all()
            per_id = {str(o.overschot_id): o for o in open_}
            voorstellen = [
                await _stel_voor(conn, per_id[v.overschot_id], t, v, org, nu)
                for v in wnw.beste_overschotten(_tekort(t), (_overschot(o) for o in open_))
            ]
        rt.wake_relay()
        return MeldingUit(id=t.tekort_id, werkgever=werkgever, voorstellen=[v for v in voorstellen if v])

    async def _voorstel(conn: AsyncConnection, voorstel_id: UUID, org: Organisatie) -> tuple[Row[Any], ...]:
        row = (
            await conn.execute(
                select(mobiliteitsvoorstellen).where(mobiliteitsvoorstellen.c.voorstel_id == voorstel_id)
            )
        ).first()
        if row is None:
            raise Problem(404, "Niet gevonden", f"voorstel {voorstel_id} bestaat niet")
        o = (
            await conn.execute(
                select(overschotten).where(overschotten.c.overschot_id == row.overschot_id).with_for_update()
            )
        ).one()
        t = (await conn.execute(select(tekorten).where(tekorten.c.tekort_id == row.tekort_id).with_for_update())).one()
        if org.rol == "werkgever" and org.code not in (o.werkgever, t.werkgever):
            raise Problem(404, "Niet gevonden", f"voorstel {voorstel_id} bestaat niet")
        return row, o, t

    @api.get("/voorstellen", response_model=list[VoorstelUit])
    async def voorstellen_lijst(
        org: Melder, overschot_id: UUID | None = None, tekort_id: UUID | None = None
    ) -> list[VoorstelUit]:
        """Proposed moves, best first; an employer sees only those it is part of."""
        m, o, t = mobiliteitsvoorstellen, overschotten, tekorten
        query = (
            select(m, o.c.werkgever.label("van"), t.c.werkgever.label("naar"), t.c.beroep)
            .join(o, o.c.overschot_id == m.c.overschot_id)
            .join(t, t.c.tekort_id == m.c.tekort_id)
            .order_by(m.c.score.desc(), m.c.voorstel_id)
        )
        if overschot_id:
            query = query.where(m.c.overschot_id == overschot_id)
        if tekort_id:
            query = query.where(m.c.tekort_id == tekort_id)
        if org.rol == "werkgever":
            query = query.where((o.c.werkgever == org.code) | (t.c.werkgever == org.code))
        async with rt.engine.connect() as conn:
            rows = (await conn.execute(query)).all()
        return [_voorstel_uit(r, r.van, r.naar, r.beroep) for r in rows]

    @api.post("/voorstellen/{voorstel_id}/start", status_code=201, response_model=MobiliteitUit)
    async def start(voorstel_id: UUID, invoer: Start, org: Melder) -> MobiliteitUit:
        """A worker of the surplus starts at the shortage employer: a transfer, or a lending with a return date."""
        nu = datetime.now(UTC)
        async with rt.engine.begin() as conn:
            v, o, t = await _voorstel(conn, voorstel_id, org)
            if invoer.vorm.value not in v.vormen:
                raise ongeldig("vorm", f"mogelijk: {', '.join(v.vormen)}")
            fout = wnw.startfout(_overschot(o), invoer.vorm, invoer.startdatum, invoer.terugkeerdatum)
            if fout:
                raise ongeldig(fout[0], fout[1])
            if o.verplaatst >= o.aantal or t.ingevuld >= t.aantal:
                raise Problem(409, "Conflict", "het overschot is op, of het tekort is al ingevuld")
            werknemer_id = uuid4()
            if invoer.paspoort_id is not None:
                p = (
                    await conn.execute(select(paspoorten).where(paspoorten.c.paspoort_id == invoer.paspoort_id))
                ).first()
                if p is None:
                    raise ongeldig("paspoort_id", "onbekend paspoort")
                werknemer_id = p.paspoort_id
            await conn.execute(
                update(overschotten)
                .where(overschotten.c.overschot_id == o.overschot_id)
                .values(verplaatst=overschotten.c.verplaatst + 1)
            )
            await conn.execute(
                update(tekorten).where(tekorten.c.tekort_id == t.tekort_id).values(ingevuld=tekorten.c.ingevuld + 1)
            )
            row = (
                await conn.execute(
                    mobiliteiten.insert()
                    .values(
                        mobiliteit_id=uuid4(),
                        voorstel_id=v.voorstel_id,
                        overschot_id=o.overschot_id,
                        tekort_id=t.tekort_id,
                        werknemer_id=werknemer_id,
                        vorm=invoer.vorm.value,
                        startdatum=invoer.startdatum,
                        terugkeerdatum=invoer.terugkeerdatum,
                    )
                    .returning(mobiliteiten)
                )
            ).one()
            event = MobiliteitGestart(
                arbeidsmarktregio=o.arbeidsmarktregio,
                gemeente=o.gemeente,
                overschot_id=o.overschot_id,
                mobiliteit_id=row.mobiliteit_id,
                voorstel_id=v.voorstel_id,
                tekort_id=t.tekort_id,
                werknemer_id=werknemer_id,
                vorm=invoer.vorm,
                startdatum=invoer.startdatum,
                terugkeerdatum=invoer.terugkeerdatum,
                van_werkgever=o.werkgever,
                naar_werkgever=t.werkgever,
                naar_regio=t.arbeidsmarktregio,
                van_sector=v.van_sector,
                naar_sector=v.naar_sector,
            )
            await _publiceer(conn, event, org, nu)
        rt.wake_relay()
        return _mobiliteit(row)

    async def _lopend(conn: AsyncConnection, mobiliteit_id: UUID, org: Organisatie) -> tuple[Row[Any], Row[Any]]:
        m = (
            await conn.execute(
                select(mobiliteiten).where(mobiliteiten.c.mobiliteit_id == mobiliteit_id).with_for_update()
            )
        ).first()
        if m is None:
            raise Problem(404, "Niet gevonden", f"mobiliteit {mobiliteit_id} bestaat niet")
        o = (await conn.execute(select(overschotten).where(overschotten.c.overschot_id == m.overschot_id))).one()
        t = (await conn.execute(select(tekorten).where(tekorten.c.tekort_id == m.tekort_id))).one()
        if org.rol == "werkgever" and org.code not in (o.werkgever, t.werkgever):
            raise Problem(404, "Niet gevonden", f"mobiliteit {mobiliteit_id} bestaat niet")
        if m.teruggekeerd_op or m.beeindigd_op:
            raise Problem(409, "Conflict", "deze mobiliteit is al afgerond")
        return m, o

    @api.get("/mobiliteiten/{mobiliteit_id}", response_model=MobiliteitUit)
    async def mobiliteit(mobiliteit_id: UUID, org: Melder) -> MobiliteitUit:
        async with rt.engine.connect() as conn:
            m = (
                await conn.execute(
                    select(mobiliteiten, overschotten.c.werkgever.label("van"), tekorten.c.werkgever.label("naar"))
                    .join(overschotten, overschotten.c.overschot_id == mobiliteiten.c.overschot_id)
                    .join(tekorten, tekorten.c.tekort_id == mobiliteiten.c.tekort_id)
                    .where(mobiliteiten.c.mobiliteit_id == mobiliteit_id)
                )
            ).first()
        if m is None or (org.rol == "werkgever" and org.code not in (m.van, m.naar)):
            raise Problem(404, "Niet gevonden", f"mobiliteit {mobiliteit_id} bestaat niet")
        return _mobiliteit(m)

    async def _afronden(mobiliteit_id: UUID, org: Organisatie, datum: date, reden: str | None) -> MobiliteitUit:
        """A lending returns (reden None) or a move ends: store the date and publish the event."""
        nu = datetime.now(UTC)
        async with rt.engine.begin() as conn:
            m, o = await _lopend(conn, mobiliteit_id, org)
            if reden is None and m.vorm != Mobiliteitsvorm.DETACHERING.value:
                raise Problem(409, "Conflict", "alleen een detachering keert terug")
            if datum < m.startdatum:
                raise ongeldig("datum", "ligt voor de startdatum")
            row = await _rond_af(conn, o, mobiliteit_id, datum, reden, source_of("matching", org.code), nu)
        rt.wake_relay()
        return _mobiliteit(row)

    @api.post("/mobiliteiten/{mobiliteit_id}/terugkeer", response_model=MobiliteitUit)
    async def terugkeer(mobiliteit_id: UUID, invoer: Terugkeer, org: Melder) -> MobiliteitUit:
        """A lent worker returns to the original employer (earlier than planned, or on the date)."""
        return await _afronden(mobiliteit_id, org, invoer.datum, None)

    @api.post("/mobiliteiten/{mobiliteit_id}/beeindiging", response_model=MobiliteitUit)
    async def beeindiging(mobiliteit_id: UUID, invoer: Beeindiging, org: Melder) -> MobiliteitUit:
        """A move ends before its time."""
        return await _afronden(mobiliteit_id, org, invoer.datum, invoer.reden)

    @api.post("/beheer/terugkeercontrole", response_model=list[UUID])
    async def terugkeercontrole(invoer: Terugkeercontrole, _: Beheer) -> list[UUID]:
        """Return the lendings whose date has come (also done periodically); a peildatum only with a settable clock."""
        nu = datetime.now(UTC)
        if invoer.peildatum is not None and not klok_instelbaar:
            raise ongeldig("peildatum", "de klok is niet instelbaar")
        async with rt.engine.begin() as conn:
            gedaan = await terugkeren(conn, invoer.peildatum or nu.date(), nu)
        rt.wake_relay()
        return gedaan

    # --- skills paspoort: owned by the worker, shared only with the employers it consents to ---

    @api.post("/paspoorten", status_code=201, response_model=PaspoortAangemaakt)
    async def paspoort_maken(invoer: PaspoortInvoer, org: Melder) -> PaspoortAangemaakt:
        """The employer or the WSP draws up a worker's paspoort with the worker; the worker gets the key."""
        sleutel = f"wn_{secrets.token_urlsafe(24)}"
        async with rt.engine.begin() as conn:
            row = (
                await conn.execute(
                    paspoorten.insert()
                    .values(
                        paspoort_id=uuid4(),
                        sleutel_sha256=hash_key(sleutel),
                        overschot_id=invoer.overschot_id,
                        skills=_skills(invoer.skills),
                        diplomas=[d.model_dump(mode="json") for d in invoer.diplomas],
                        werkervaring=[e.model_dump(mode="json") for e in invoer.werkervaring],
                        aangemaakt_door=org.code,
                        aangemaakt_op=datetime.now(UTC),
                    )
                    .returning(paspoorten.c.paspoort_id)
                )
            ).one()
        return PaspoortAangemaakt(paspoort_id=row.paspoort_id, werknemer_sleutel=sleutel)

    async def _paspoort(conn: AsyncConnection, paspoort_id: UUID) -> Row[Any]:
        p = (await conn.execute(select(paspoorten).where(paspoorten.c.paspoort_id == paspoort_id))).first()
        if p is None:
            raise Problem(404, "Niet gevonden", f"paspoort {paspoort_id} bestaat niet")
        return p

    def _is_werknemer(p: Row[Any], sleutel: str | None) -> bool:
        return sleutel is not None and hmac.compare_digest(p.sleutel_sha256, hash_key(sleutel))

    bearer = HTTPBearer(auto_error=False)

    @api.get("/paspoorten/{paspoort_id}", response_model=Paspoort, response_model_exclude_none=True)
    async def paspoort_lezen(
        paspoort_id: UUID,
        credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
        werknemer_sleutel: Annotated[str | None, Header(alias=WERKNEMER_HEADER)] = None,
    ) -> Paspoort:
        """The worker reads its own paspoort; an employer only after the worker consented to share it."""
        async with rt.engine.connect() as conn:
            p = await _paspoort(conn, paspoort_id)
            gedeeld = (
                await conn.execute(
                    select(paspoorttoestemmingen.c.werkgever)
                    .where(paspoorttoestemmingen.c.paspoort_id == paspoort_id)
                    .order_by(paspoorttoestemmingen.c.werkgever)
                )
            ).scalars()
            gedeeld_met = list(gedeeld)
        inhoud = Paspoort(
            paspoort_id=p.paspoort_id,
            skills=list(p.skills),
            diplomas=[Diploma(**d) for d in p.diplomas],
            werkervaring=[Ervaring(**e) for e in p.werkervaring],
        )
        if _is_werknemer(p, werknemer_sleutel):
            return inhoud.model_copy(update={"gedeeld_met": gedeeld_met})
        if werknemer_sleutel is not None:
            raise Problem(403, "Geen toegang", f"onjuiste {WERKNEMER_HEADER}")
        if credentials is None:
            raise Problem(401, "Niet geauthenticeerd", f"een API-sleutel of de {WERKNEMER_HEADER} is nodig")
        org = rt.keys.lookup(credentials.credentials)
        if org is None:
            raise Problem(401, "Niet geauthenticeerd", "Onbekende API-sleutel")
        if org.code not in gedeeld_met:
            raise Problem(403, "Geen toestemming", "de werknemer heeft dit paspoort niet met u gedeeld")
        return inhoud

    async def _toestemming(paspoort_id: UUID, werkgever: str, sleutel: str | None, geven: bool) -> Response:
        async with rt.engine.begin() as conn:
            p = await _paspoort(conn, paspoort_id)
            if not _is_werknemer(p, sleutel):
                raise Problem(403, "Geen toegang", f"alleen de werknemer (met {WERKNEMER_HEADER}) beslist over delen")
            if geven:
                await conn.execute(
                    insert(paspoorttoestemmingen)
                    .values(paspoort_id=paspoort_id, werkgever=werkgever, gegeven_op=datetime.now(UTC))
                    .on_conflict_do_nothing()
                )
            else:
                await conn.execute(
                    paspoorttoestemmingen.delete().where(
                        and_(
                            paspoorttoestemmingen.c.paspoort_id == paspoort_id,
                            paspoorttoestemmingen.c.werkgever == werkgever,
                        )
                    )
                )
        return Response(status_code=204)

    WerkgeverPad = Annotated[str, Path(pattern=r"^[a-z0-9-]{2,60}$")]

    @api.put("/paspoorten/{paspoort_id}/toestemmingen/{werkgever}", status_code=204, response_class=Response)
    async def toestemming_geven(
        paspoort_id: UUID,
        werkgever: WerkgeverPad,
        werknemer_sleutel: Annotated[str | None, Header(alias=WERKNEMER_HEADER)] = None,
    ) -> Response:
        """The worker agrees to share the paspoort with this employer."""
        return await _toestemming(paspoort_id, werkgever, werknemer_sleutel, True)

    @api.delete("/paspoorten/{paspoort_id}/toestemmingen/{werkgever}", status_code=204, response_class=Response)
    async def toestemming_intrekken(
        paspoort_id: UUID,
        werkgever: WerkgeverPad,
        werknemer_sleutel: Annotated[str | None, Header(alias=WERKNEMER_HEADER)] = None,
    ) -> Response:
        """The worker withdraws consent."""
        return await _toestemming(paspoort_id, werkgever, werknemer_sleutel, False)

    return api
