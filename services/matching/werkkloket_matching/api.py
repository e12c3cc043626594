"""Matching HTTP API: the agency registry with its load, assignments, declines and reassignments."""

from datetime import UTC, date, datetime, timedelta
from typing import Annotated, Literal
from uuid import UUID, uuid4

from fastapi import APIRouter, Body, Depends, Query
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import Row, select
from werkkloket_contracts import Hertoewijzingsaanleiding, Opleidingsniveau, Reden, Vacaturesluiting
from werkkloket_runtime.http import Organisatie, Problem, require
from werkkloket_runtime.service import ServiceRuntime

from . import vacaturebeheer, voorstellen
from . import vacatures as vac
from .handlers import Geweigerd, Toewijzer, controleer_termijnen
from .store import hertoewijzingen, matches, toewijzingen, uitzendbureaus, vacatures


class DoelUit(BaseModel):
    plaatsingen: int
    periode: str


class UitzendbureauStand(BaseModel):
    code: str
    naam: str
    sectoren: list[str]
    regios: list[str]
    gemeenten: list[str] = Field(description="CBS codes of the gemeenten it serves; empty: all of its regions")
    capaciteit: int
    actief: int
    doel: DoelUit | None = Field(description="The placements it agreed to, and the period")


class ToewijzingStand(BaseModel):
    kandidaat_id: UUID
    toewijzing_id: UUID | None
    gemeente: str
    status: str
    uitzendbureau: str | None
    toegewezen_op: datetime | None
    termijn_eerste_contact: date | None = Field(description="Last working day for first contact")
    eerste_contact_op: date | None
    eerdere_uitzendbureaus: list[str]
    regelversie: str | None
    redenen: list[Reden] = Field(description="Why this agency: the factors of the choice")


class Afwijzing(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reden: str = Field(min_length=3, max_length=1000)


class Hertoewijzing(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reden: str = Field(min_length=3, max_length=1000)
    uitzendbureau: str | None = Field(default=None, description="A chosen agency; default: the best other one")


class HertoewijzingRegel(BaseModel):
    kandidaat_id: UUID
    gemeente: str
    van_uitzendbureau: str
    naar_uitzendbureau: str | None
    aanleiding: Hertoewijzingsaanleiding
    reden: str
    op: datetime


class Termijncontrole(BaseModel):
    model_config = ConfigDict(extra="forbid")

    peildatum: date | None = Field(default=None, description="Check as of this date (only with a settable clock)")
    gemeente: str | None = Field(default=None, pattern=r"^GM\d{4}$")


class TermijncontroleUitkomst(BaseModel):
    peildatum: date
    hertoegewezen: list[UUID]
    vacatures_verlopen: list[UUID] = Field(description="Vacancies closed because their open_tot passed")


class VacatureInvoer(BaseModel):
    model_config = ConfigDict(extra="forbid")

    titel: str = Field(min_length=2, max_length=200)
    beroep: str = Field(pattern=r"^\d{4}$", description="ISCO-08 unit group")
    sector: str = Field(pattern=r"^[A-U]$", description="SBI 2008 section of the employer")
    arbeidsmarktregio: str = Field(pattern=r"^[a-z0-9-]{2,40}$")
    gemeente: str = Field(pattern=r"^GM\d{4}$", description="CBS code of the workplace's gemeente")
    postcode: str = Field(pattern=r"^[1-9]\d{3} ?[A-Za-z]{2}$|^[1-9]\d{3}$", description="Of the workplace")
    uren_per_week: int = Field(ge=1, le=60)
    skills: list[Annotated[str, Field(min_length=1, max_length=80)]] = Field(default_factory=list, max_length=20)
    opleidingsniveau: Opleidingsniveau | None = None
    open_tot: date


class Sluiting(BaseModel):
    model_config = ConfigDict(extra="forbid")

    # verlopen is set by the service itself, when open_tot has passed.
    reden: Literal["vervuld", "ingetrokken"] = "ingetrokken"


class VacatureStand(BaseModel):
    vacature_id: UUID
    titel: str
    beroep: str
    arbeidsmarktregio: str
    gemeente: str | None
    open_tot: date
    gesloten_op: datetime | None
    sluitreden: Vacaturesluiting | None
    voorgesteld_aan: int = Field(description="Waiting candidates it was proposed to now")


def vacature_stand(r: Row[object], voorgesteld_aan: int = 0) -> VacatureStand:
    return VacatureStand(
        vacature_id=r.vacature_id,
        titel=r.titel,
        beroep=r.beroep,
        arbeidsmarktregio=r.arbeidsmarktregio,
        gemeente=r.gemeente,
        open_tot=r.open_tot,
        gesloten_op=r.gesloten_op,
        sluitreden=Vacaturesluiting(r.sluitreden) if r.sluitreden else None,
        voorgesteld_aan=voorgesteld_aan,
    )


class MatchUit(BaseModel):
    vacature_id: UUID
    titel: str
    beroep: str
    score: float
    factoren: list[Reden]
    sectoroverstap: bool
    regelversie: str


class MijnKandidaat(BaseModel):
    kandidaat_id: UUID
    gemeente: str
    toegewezen_op: datetime | None
    termijn_eerste_contact: date | None
    matches: list[MatchUit]


def stand(r: Row[object]) -> ToewijzingStand:
    return ToewijzingStand(
        kandidaat_id=r.kandidaat_id,
        toewijzing_id=r.toewijzing_id,
        gemeente=r.gemeente,
        status=r.status,
        uitzendbureau=r.uitzendbureau,
        toegewezen_op=r.toegewezen_op,
        termijn_eerste_contact=r.termijn_tot,
        eerste_contact_op=r.eerste_contact_op,
        eerdere_uitzendbureaus=list(r.eerdere_uitzendbureaus),
        regelversie=r.regelversie,
        redenen=[Reden(**x) for x in r.redenen or []],
    )


def router(rt: ServiceRuntime, toewijzer: Toewijzer, klok_instelbaar: bool = False) -> APIRouter:
    api = APIRouter(prefix="/api/v1", tags=["matching"])
    lezer = require(rt.keys, "gemeente", "rapportage", "beheer")
    bureau_only = require(rt.keys, "uitzendbureau")
    gemeente_of_beheer = require(rt.keys, "gemeente", "beheer")
    beheer_only = require(rt.keys, "beheer")

    @api.get("/uitzendbureaus", response_model=list[UitzendbureauStand])
    async def lijst(_: Annotated[Organisatie, Depends(lezer)]) -> list[UitzendbureauStand]:
        async with rt.engine.connect() as conn:
            rows = (await conn.execute(select(uitzendbureaus).order_by(uitzendbureaus.c.code))).all()
        return [
            UitzendbureauStand(
                code=r.code,
                naam=r.naam,
                sectoren=list(r.sectoren),
                regios=list(r.regios),
                gemeenten=list(r.gemeenten),
                capaciteit=r.capaciteit,
                actief=r.actief,
                doel=DoelUit(plaatsingen=r.doel_plaatsingen, periode=r.doel_periode)
                if r.doel_plaatsingen is not None
                else None,
            )
            for r in rows
        ]

    def mag_zien(org: Organisatie, gemeente: str) -> bool:
        return org.rol != "gemeente" or org.gemeente in (None, gemeente)

    @api.get("/toewijzingen/{kandidaat_id}", response_model=ToewijzingStand)
    async def toewijzing(kandidaat_id: UUID, org: Annotated[Organisatie, Depends(lezer)]) -> ToewijzingStand:
        async with rt.engine.connect() as conn:
            row = (await conn.execute(select(toewijzingen).where(toewijzingen.c.kandidaat_id == kandidaat_id))).first()
        if row is None or not mag_zien(org, row.gemeente):
            raise Problem(404, "Niet gevonden", f"geen toewijzing voor kandidaat {kandidaat_id}")
        return stand(row)

    @api.post("/toewijzingen/{kandidaat_id}/afwijzing", response_model=ToewijzingStand)
    async def afwijzing(
        kandidaat_id: UUID, invoer: Afwijzing, org: Annotated[Organisatie, Depends(bureau_only)]
    ) -> ToewijzingStand:
        """The agency holding the candidate declines; the candidate goes to the best other agency."""
        async with rt.engine.begin() as conn:
            houder = await conn.scalar(
                select(toewijzingen.c.uitzendbureau).where(toewijzingen.c.kandidaat_id == kandidaat_id)
            )
            if houder != org.code:
                raise Problem(403, "Geen toegang", "deze kandidaat is niet aan uw organisatie toegewezen")
            try:
                row = await toewijzer.hertoewijs(
                    conn,
                    kandidaat_id,
                    Hertoewijzingsaanleiding.AFGEWEZEN,
                    f"afgewezen door {org.code}: {invoer.reden}",
                    datetime.now(UTC),
                    door=org.code,
                )
            except Geweigerd as exc:
                raise Problem(exc.status, "Niet mogelijk", exc.reden) from None
        rt.wake_relay()
        return stand(row)

    @api.post("/toewijzingen/{kandidaat_id}/hertoewijzing", response_model=ToewijzingStand)
    async def hertoewijzing(
        kandidaat_id: UUID, invoer: Hertoewijzing, org: Annotated[Organisatie, Depends(gemeente_of_beheer)]
    ) -> ToewijzingStand:
        """A consultant moves the candidate by hand, with a reason."""
        async with rt.engine.begin() as conn:
            gemeente = await conn.scalar(
                select(toewijzingen.c.gemeente).where(toewijzingen.c.kandidaat_id == kandidaat_id)
            )
            if gemeente is None or not mag_zien(org, gemeente):
                raise Problem(404, "Niet gevonden", f"geen toewijzing voor kandidaat {kandidaat_id}")
            try:
                row = await toewijzer.hertoewijs(
                    conn,
                    kandidaat_id,
                    Hertoewijzingsaanleiding.HANDMATIG,
                    invoer.reden,
                    datetime.now(UTC),
                    naar=invoer.uitzendbureau,
                    door=org.code,
                )
            except Geweigerd as exc:
                raise Problem(
                    exc.status,
                    "Niet mogelijk",
                    exc.reden,
                    invalid_params=[{"name": "uitzendbureau", "reason": exc.reden}],
                ) from None
        rt.wake_relay()
        return stand(row)

    @api.get("/hertoewijzingen", response_model=list[HertoewijzingRegel])
    async def hertoewijzingen_lijst(
        org: Annotated[Organisatie, Depends(lezer)],
        gemeente: Annotated[str | None, Query(pattern=r"^GM\d{4}$")] = None,
        limit: Annotated[int, Query(ge=1, le=5000)] = 500,
    ) -> list[HertoewijzingRegel]:
        """Every reassignment with its cause and reason (a gemeente sees its own)."""
        h = hertoewijzingen
        query = select(h).order_by(h.c.op.desc()).limit(limit)
        if org.rol == "gemeente" and org.gemeente is not None:
            query = query.where(h.c.gemeente == org.gemeente)
        if gemeente is not None:
            query = query.where(h.c.gemeente == gemeente)
        async with rt.engine.connect() as conn:
            rows = (await conn.execute(query)).all()
        return [
            HertoewijzingRegel(
                kandidaat_id=r.kandidaat_id,
                gemeente=r.gemeente,
                van_uitzendbureau=r.van_uitzendbureau,
                naar_uitzendbureau=r.naar_uitzendbureau,
                aanleiding=Hertoewijzingsaanleiding(r.aanleiding),
                reden=r.reden,
                op=r.op,
            )
            for r in rows
        ]

    vacature_schrijver = require(rt.keys, "uitzendbureau", "gemeente")

    @api.post("/vacatures", status_code=201, response_model=VacatureStand)
    async def vacature_openen(
        invoer: VacatureInvoer, org: Annotated[Organisatie, Depends(vacature_schrijver)]
    ) -> VacatureStand:
        """An agency or a gemeente (werkgeversservicepunt) registers a vacancy; waiting candidates get it proposed.

        VacatureGeopend is published in the same transaction.
        """
        if invoer.open_tot < datetime.now(UTC).date():
            raise Problem(
                422, "Ongeldige invoer", "open_tot ligt in het verleden", invalid_params=[{"name": "open_tot"}]
            )
        now = datetime.now(UTC)
        async with rt.engine.begin() as conn:
            row = (
                await conn.execute(
                    vacatures.insert()
                    .values(
                        vacature_id=uuid4(),
                        door=org.code,
                        titel=invoer.titel,
                        beroep=invoer.beroep,
                        sector=vac.sector(invoer.beroep),
                        sbi=invoer.sector,
                        arbeidsmarktregio=invoer.arbeidsmarktregio,
                        gemeente=invoer.gemeente,
                        postcodegebied=invoer.postcode[:4],
                        uren_per_week=invoer.uren_per_week,
                        skills=sorted({s.strip().lower() for s in invoer.skills}),
                        opleidingsniveau=invoer.opleidingsniveau.value if invoer.opleidingsniveau else None,
                        open_tot=invoer.open_tot,
                        geopend_op=now,
                    )
                    .returning(vacatures)
                )
            ).one()
            await vacaturebeheer.publiceer_geopend(conn, row, now)
            n = await voorstellen.voor_vacature(conn, row, now)
        rt.wake_relay()
        return vacature_stand(row, n)

    @api.post("/vacatures/{vacature_id}/sluiting", response_model=VacatureStand)
    async def vacature_sluiten(
        vacature_id: UUID,
        org: Annotated[Organisatie, Depends(vacature_schrijver)],
        invoer: Annotated[Sluiting | None, Body()] = None,
    ) -> VacatureStand:
        """Close a vacancy (filled or withdrawn, default withdrawn); it is no longer proposed, its proposals are
        withdrawn, and VacatureGesloten is published."""
        reden = (invoer or Sluiting()).reden
        now = datetime.now(UTC)
        async with rt.engine.begin() as conn:
            row = (
                await conn.execute(select(vacatures).where(vacatures.c.vacature_id == vacature_id).with_for_update())
            ).first()
            if row is None or row.door != org.code:
                raise Problem(404, "Niet gevonden", f"vacature {vacature_id} van {org.code} bestaat niet")
            if row.gesloten_op is not None:
                raise Problem(409, "Conflict", "deze vacature is al gesloten")
            await vacaturebeheer.sluit(conn, row, Vacaturesluiting(reden), now.date(), now, door=org.code)
            row = (await conn.execute(select(vacatures).where(vacatures.c.vacature_id == vacature_id))).one()
        rt.wake_relay()
        return vacature_stand(row)

    @api.get("/mijn-kandidaten", response_model=list[MijnKandidaat])
    async def mijn_kandidaten(org: Annotated[Organisatie, Depends(bureau_only)]) -> list[MijnKandidaat]:
        """The agency's own candidates and their proposed matches, best first; never another agency's."""
        async with rt.engine.connect() as conn:
            eigen = (
                await conn.execute(
                    select(toewijzingen)
                    .where(toewijzingen.c.uitzendbureau == org.code, toewijzingen.c.status == "toegewezen")
                    .order_by(toewijzingen.c.toegewezen_op, toewijzingen.c.kandidaat_id)
                )
            ).all()
            voorstel = (
                await conn.execute(
                    select(matches, vacatures.c.titel, vacatures.c.beroep)
                    .join(vacatures, vacatures.c.vacature_id == matches.c.vacature_id)
                    .join(toewijzingen, toewijzingen.c.kandidaat_id == matches.c.kandidaat_id)
                    .where(toewijzingen.c.uitzendbureau == org.code, toewijzingen.c.status == "toegewezen")
                    .order_by(matches.c.score.desc(), matches.c.vacature_id)
                )
            ).all()
        per_kandidaat: dict[UUID, list[MatchUit]] = {}
        for m in voorstel:
            per_kandidaat.setdefault(m.kandidaat_id, []).append(
                MatchUit(
                    vacature_id=m.vacature_id,
                    titel=m.titel,
                    beroep=m.beroep,
                    score=m.score,
                    factoren=[Reden(**f) for f in m.factoren],
                    sectoroverstap=m.sectoroverstap,
                    regelversie=m.regelversie,
                )
            )
        return [
            MijnKandidaat(
                kandidaat_id=t.kandidaat_id,
                gemeente=t.gemeente,
                toegewezen_op=t.toegewezen_op,
                termijn_eerste_contact=t.termijn_tot,
                matches=per_kandidaat.get(t.kandidaat_id, []),
            )
            for t in eigen
        ]

    @api.post("/beheer/termijncontrole", response_model=TermijncontroleUitkomst)
    async def termijncontrole(
        invoer: Termijncontrole, _: Annotated[Organisatie, Depends(beheer_only)]
    ) -> TermijncontroleUitkomst:
        """Reassign now every candidate without first contact in time, and close the vacancies past their open_tot
        (the service also does this every minute)."""
        vandaag = datetime.now(UTC).date()
        if invoer.peildatum is not None and invoer.peildatum != vandaag and not klok_instelbaar:
            raise Problem(
                403,
                "Geen toegang",
                "een andere peildatum kan alleen met een instelbare klok (WERKKLOKET_KLOK_INSTELBAAR)",
                invalid_params=[{"name": "peildatum", "reason": "klok niet instelbaar"}],
            )
        peildatum = invoer.peildatum or vandaag
        nu = datetime.now(UTC) + timedelta(days=(peildatum - vandaag).days)
        gedaan = await controleer_termijnen(rt.engine, toewijzer, peildatum, nu, invoer.gemeente)
        verlopen = await vacaturebeheer.sluit_verlopen(rt.engine, peildatum, nu, invoer.gemeente)
        rt.wake_relay()
        return TermijncontroleUitkomst(peildatum=peildatum, hertoegewezen=gedaan, vacatures_verlopen=verlopen)

    return api
