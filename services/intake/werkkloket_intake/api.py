"""Intake HTTP API, for the gemeente (registrations, screening) and for the assigned agency (contact data)."""

from datetime import UTC, date, datetime
from typing import Annotated, Any, Literal
from uuid import UUID, uuid4

from fastapi import APIRouter, Depends, Query, Response
from pydantic import BaseModel, ConfigDict, Field, field_validator
from sqlalchemy import Row, or_, select, update
from sqlalchemy.ext.asyncio import AsyncConnection
from werkkloket_contracts import Opleidingsniveau, Uitkering
from werkkloket_runtime.http import Organisatie, Problem, require
from werkkloket_runtime.service import ServiceRuntime

from . import domain, overdracht
from .classificaties import laad
from .screening import STANDAARD_DOORVERWIJZING
from .store import aanmeldingen, doorverwijzing

TELEFOON = r"^(\+31|0031|0)[1-9][0-9]{8}$"
EMAIL = r"^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$"
Taalniveau = Literal["a0", "a1", "a2", "b1", "b2", "c1", "c2"]
Doelgroep = Literal["recent-werkloos", "50-plus", "banenafspraak", "statushouder", "werk-naar-werk"]
SBI_SECTIE = r"^[A-U]$"
# Fields kept in columns rather than in the coded profile (personal data, never on the bus).
PERSOONSVELDEN = ("naam", "telefoon", "email", "postcode", "woonplaats", "geboortedatum", "bsn", "toestemming")


class Toestemming(BaseModel):
    model_config = ConfigDict(extra="forbid")

    gegeven_op: datetime
    door: str = Field(min_length=1, max_length=200, description="Who recorded the consent")
    doel: str = Field(min_length=1, max_length=500, description="For which purpose")


class WerkervaringInvoer(BaseModel):
    model_config = ConfigDict(extra="forbid")

    beroep: str = Field(min_length=2, max_length=200, description="ISCO-08 code, or the occupation as typed")
    sector: str | None = Field(default=None, pattern=SBI_SECTIE, description="SBI section; default: the occupation's")
    van: date
    tot: date | None = None


class ProfielVelden(BaseModel):
    """Every profile field; all optional, so an incomplete profile can be stored and completed later."""

    model_config = ConfigDict(extra="forbid")

    naam: str | None = Field(default=None, min_length=1, max_length=200)
    telefoon: str | None = Field(default=None, pattern=TELEFOON, description="Dutch phone number, e.g. 0612345678")
    email: str | None = Field(default=None, pattern=EMAIL, max_length=254)
    postcode: str | None = Field(default=None, description="Dutch postcode, e.g. 2511 AB")
    woonplaats: str | None = Field(default=None, min_length=1, max_length=100)
    geboortedatum: date | None = None
    bsn: str | None = Field(default=None, description="For the gemeente's own dossier; never leaves intake")
    opleidingsniveau: Opleidingsniveau | None = None
    diplomas: list[Annotated[str, Field(min_length=1, max_length=200)]] = Field(default_factory=list, max_length=20)
    werkervaring: list[WerkervaringInvoer] = Field(default_factory=list, max_length=30)
    wensberoepen: list[Annotated[str, Field(min_length=2, max_length=200)]] = Field(default_factory=list, max_length=3)
    skills: list[Annotated[str, Field(min_length=1, max_length=80)]] = Field(default_factory=list, max_length=30)
    rijbewijs: bool | None = None
    taalniveau: Taalniveau | None = Field(default=None, description="Dutch language level (CEFR)")
    uren_per_week: int | None = Field(default=None, ge=1, le=60)
    beschikbaar_vanaf: date | None = None
    max_reisafstand_km: int | None = Field(default=None, ge=0, le=300)
    uitkering: Uitkering | None = None
    uitkering_sinds: date | None = None
    werkloos_sinds: date | None = None
    doelgroepen: list[Doelgroep] = Field(default_factory=list)
    toestemming: Toestemming | None = None
    aanmelddatum: date | None = Field(
        default=None, description="Date of the registration at the gemeente, when entered afterwards"
    )

    @field_validator("telefoon")
    @classmethod
    def _telefoon(cls, v: str | None) -> str | None:
        return v.replace(" ", "") if v is not None else None

    @field_validator("postcode")
    @classmethod
    def _postcode(cls, v: str | None) -> str | None:
        return domain.normaliseer_postcode(v) if v is not None else None

    @field_validator("bsn")
    @classmethod
    def _bsn(cls, v: str | None) -> str | None:
        if v is not None and not domain.bsn_geldig(v.replace(" ", "").replace(".", "")):
            raise ValueError("geen geldig BSN (elfproef)")
        return v.replace(" ", "").replace(".", "") if v is not None else None

    @field_validator("skills")
    @classmethod
    def _skills(cls, v: list[str]) -> list[str]:
        return list(dict.fromkeys(s.strip().lower() for s in v if s.strip()))


class AanmeldingInvoer(ProfielVelden):
    naam: str = Field(min_length=1, max_length=200)
    toestemming: Toestemming
    gemeente: str | None = Field(default=None, description="CBS code; defaults to the caller's gemeente")


class Alternatief(BaseModel):
    code: str
    omschrijving: str
    score: float


class CoderingUit(BaseModel):
    veld: str
    invoer: str
    code: str
    omschrijving: str
    score: float
    alternatieven: list[Alternatief]


class ScreeningUit(BaseModel):
    categorie: int
    regelversie: str
    punten: int | None
    factoren: list[dict[str, Any]]
    handmatig: bool
    reden: str | None = None
    door: str | None = None
    naar_uitzendbureau: bool


class AanmeldingStatus(BaseModel):
    id: UUID
    kandidaat_id: UUID
    gemeente: str
    arbeidsmarktregio: str
    status: domain.Status
    uitzendbureau: str | None
    ontvangen_op: datetime
    ontbrekend: list[str] = Field(description="What matching still needs; empty when complete")
    mogelijke_dubbelingen: list[UUID] = Field(description="Earlier aanmeldingen that may be the same person")
    categorie: int | None
    screening: ScreeningUit | None
    coderingen: list[CoderingUit] = Field(default_factory=list, description="How typed occupations were coded")
    bsn: str | None = Field(default=None, description="Only for the gemeente that recorded it")


class ContactGegevens(BaseModel):
    kandidaat_id: UUID
    naam: str
    telefoon: str | None
    email: str | None
    postcode: str | None


class CategorieInvoer(BaseModel):
    model_config = ConfigDict(extra="forbid")

    categorie: int = Field(ge=1, le=4)
    reden: str = Field(min_length=3, max_length=1000)


class DubbelBesluit(BaseModel):
    model_config = ConfigDict(extra="forbid")

    besluit: Literal["geen_dubbel", "dubbel"]
    toelichting: str = Field(min_length=3, max_length=1000)


class Doorverwijzing(BaseModel):
    model_config = ConfigDict(extra="forbid")

    categorieen: list[Annotated[int, Field(ge=1, le=4)]] = Field(max_length=4)


def codeer(invoer: ProfielVelden) -> tuple[dict[str, Any], list[CoderingUit]]:
    """The coded profile (no personal data) and how each typed occupation was coded; 422 for uncodable text."""
    c = laad()
    coderingen: list[CoderingUit] = []
    fouten: list[dict[str, Any]] = []

    def een(veld: str, tekst: str) -> str | None:
        r = c.codeer(tekst)
        alternatieven = [Alternatief(code=a.code, omschrijving=a.omschrijving, score=a.score) for a in r.alternatieven]
        if r.gekozen is None:
            opties = ", ".join(f"{a.code} {a.omschrijving}" for a in alternatieven) or "geen"
            fouten.append({"name": veld, "reason": f"beroep {tekst!r} niet herkend; bedoelt u: {opties}"})
            return None
        if r.gekozen.code != tekst.strip():
            coderingen.append(
                CoderingUit(
                    veld=veld,
                    invoer=tekst,
                    code=r.gekozen.code,
                    omschrijving=r.gekozen.omschrijving,
                    score=r.gekozen.score,
                    alternatieven=alternatieven,
                )
            )
        return r.gekozen.code

    wensen = [een(f"wensberoepen.{i}", w) for i, w in enumerate(invoer.wensberoepen)]
    ervaring = []
    for i, w in enumerate(invoer.werkervaring):
        code = een(f"werkervaring.{i}.beroep", w.beroep)
        if code is not None:
            sector = w.sector or c.sector(code)
            ervaring.append({"beroep": code, "sector": sector, "van": w.van.isoformat(), "tot": _iso(w.tot)})
    if fouten:
        names = ", ".join(f["name"] for f in fouten)
        raise Problem(422, "Ongeldige invoer", f"Ongeldige of ontbrekende velden: {names}", invalid_params=fouten)
    profiel = invoer.model_dump(mode="json", exclude={*PERSOONSVELDEN, "gemeente", "werkervaring", "wensberoepen"})
    profiel["wensberoepen"] = list(dict.fromkeys(w for w in wensen if w is not None))
    profiel["werkervaring"] = ervaring
    return profiel, coderingen


def _iso(d: date | None) -> str | None:
    return d.isoformat() if d is not None else None


def status_van(row: Row[Any], org: Organisatie, coderingen: list[CoderingUit] | None = None) -> AanmeldingStatus:
    screening = ScreeningUit(**row.screening) if row.screening else None
    return AanmeldingStatus(
        id=row.id,
        kandidaat_id=row.kandidaat_id,
        gemeente=row.gemeente,
        arbeidsmarktregio=row.arbeidsmarktregio,
        status=domain.Status(row.status),
        uitzendbureau=row.uitzendbureau,
        ontvangen_op=row.ontvangen_op,
        ontbrekend=list(row.ontbrekend),
        mogelijke_dubbelingen=[UUID(i) for i in row.mogelijke_dubbelingen],
        categorie=row.categorie,
        screening=screening,
        coderingen=coderingen or [],
        bsn=row.bsn if org.code == row.geregistreerd_door else None,
    )


async def _dubbelingen(conn: AsyncConnection, eigen: UUID, bsn: str | None, sleutel: str | None) -> list[str]:
    criteria = []
    if bsn:
        criteria.append(aanmeldingen.c.bsn == bsn)
    if sleutel:
        criteria.append(aanmeldingen.c.dubbel_sleutel == sleutel)
    if not criteria:
        return []
    rows = await conn.execute(
        select(aanmeldingen.c.id)
        .where(or_(*criteria), aanmeldingen.c.id != eigen, aanmeldingen.c.status != domain.Status.VERVALLEN)
        .order_by(aanmeldingen.c.ontvangen_op)
    )
    return [str(r.id) for r in rows]


def router(rt: ServiceRuntime) -> APIRouter:
    api = APIRouter(prefix="/api/v1", tags=["intake"])
    gemeente_only = require(rt.keys, "gemeente")
    bureau_only = require(rt.keys, "uitzendbureau")
    Gemeente = Annotated[Organisatie, Depends(gemeente_only)]

    async def eigen_aanmelding(conn: AsyncConnection, aanmelding_id: UUID, org: Organisatie) -> Row[Any]:
        row = (
            await conn.execute(select(aanmeldingen).where(aanmeldingen.c.id == aanmelding_id).with_for_update())
        ).first()
        if row is None or (org.gemeente is not None and row.gemeente != org.gemeente):
            raise Problem(404, "Niet gevonden", f"aanmelding {aanmelding_id} bestaat niet")
        return row

    async def reload(conn: AsyncConnection, aanmelding_id: UUID) -> Row[Any]:
        return (await conn.execute(select(aanmeldingen).where(aanmeldingen.c.id == aanmelding_id))).one()

    @api.post("/aanmeldingen", status_code=201, response_model=AanmeldingStatus)
    async def registreer(invoer: AanmeldingInvoer, response: Response, org: Gemeente) -> AanmeldingStatus:
        code = invoer.gemeente or org.gemeente
        if code is None:
            raise Problem(422, "Ongeldige invoer", "gemeente ontbreekt", invalid_params=[{"name": "gemeente"}])
        if org.gemeente is not None and code != org.gemeente:
            raise Problem(403, "Geen toegang", f"{org.code} registreert niet voor gemeente {code}")
        try:
            g = domain.gemeente(code)
        except domain.OnbekendeGemeente:
            raise Problem(
                422,
                "Ongeldige invoer",
                f"onbekende gemeente {code!r}",
                invalid_params=[{"name": "gemeente", "reason": "onbekende CBS-gemeentecode"}],
            ) from None
        profiel, coderingen = codeer(invoer)
        aanmelding_id, kandidaat_id = uuid4(), uuid4()
        now = datetime.now(UTC)
        if invoer.aanmelddatum is not None:
            if invoer.aanmelddatum > now.date():
                raise Problem(
                    422,
                    "Ongeldige invoer",
                    "Ongeldige of ontbrekende velden: aanmelddatum",
                    invalid_params=[{"name": "aanmelddatum", "reason": "ligt in de toekomst"}],
                )
            # Kept with the profile; the hand-over puts it on AanmeldingOntvangen.
            profiel["aanmelddatum"] = invoer.aanmelddatum.isoformat()
        sleutel = domain.dubbel_sleutel(invoer.naam, invoer.geboortedatum, invoer.postcode)
        ontbrekend = domain.ontbrekend(
            {**profiel, "telefoon": invoer.telefoon, "email": invoer.email, "postcode": invoer.postcode}
        )
        async with rt.engine.begin() as conn:
            dubbel = await _dubbelingen(conn, aanmelding_id, invoer.bsn, sleutel)
            status = (
                domain.Status.ONVOLLEDIG
                if ontbrekend
                else domain.Status.MOGELIJK_DUBBEL
                if dubbel
                else domain.Status.ONTVANGEN
            )
            await conn.execute(
                aanmeldingen.insert().values(
                    id=aanmelding_id,
                    kandidaat_id=kandidaat_id,
                    gemeente=g.code,
                    arbeidsmarktregio=g.arbeidsmarktregio,
                    geregistreerd_door=org.code,
                    naam=invoer.naam,
                    telefoon=invoer.telefoon,
                    email=invoer.email,
                    postcode=invoer.postcode,
                    woonplaats=invoer.woonplaats,
                    geboortedatum=invoer.geboortedatum,
                    bsn=invoer.bsn,
                    dubbel_sleutel=sleutel,
                    mogelijke_dubbelingen=dubbel,
                    ontbrekend=ontbrekend,
                    profiel=profiel,
                    toestemming=invoer.toestemming.model_dump(mode="json"),
                    status=status,
                    ontvangen_op=now,
                )
            )
            if status is domain.Status.ONTVANGEN:
                await overdracht.draag_over(conn, await reload(conn, aanmelding_id), org.code, now)
            row = await reload(conn, aanmelding_id)
        rt.wake_relay()
        response.headers["Location"] = f"/api/v1/aanmeldingen/{aanmelding_id}"
        return status_van(row, org, coderingen)

    @api.patch("/aanmeldingen/{aanmelding_id}", response_model=AanmeldingStatus)
    async def vul_aan(aanmelding_id: UUID, invoer: ProfielVelden, org: Gemeente) -> AanmeldingStatus:
        """Complete or correct a profile; a complete profile is handed over (ProfielAangevuld)."""
        gegeven = invoer.model_dump(exclude_unset=True)
        if not gegeven:
            raise Problem(422, "Ongeldige invoer", "geen velden om aan te vullen", invalid_params=[{"name": "body"}])
        now = datetime.now(UTC)
        async with rt.engine.begin() as conn:
            row = await eigen_aanmelding(conn, aanmelding_id, org)
            if row.status == domain.Status.VERVALLEN:
                raise Problem(409, "Conflict", "deze aanmelding is als dubbel vervallen")
            huidig = {**row.profiel, **{v: getattr(row, v) for v in PERSOONSVELDEN}}
            huidig.update(gegeven)
            samen = AanmeldingInvoer.model_validate(huidig)
            profiel, coderingen = codeer(samen)
            contact = {"telefoon": samen.telefoon, "email": samen.email, "postcode": samen.postcode}
            ontbrekend = domain.ontbrekend({**profiel, **contact})
            if ontbrekend and row.overgedragen_op is not None:
                raise Problem(
                    422,
                    "Ongeldige invoer",
                    f"een overgedragen profiel moet volledig blijven: {', '.join(ontbrekend)}",
                    invalid_params=[{"name": v, "reason": "verplicht na overdracht"} for v in ontbrekend],
                )
            sleutel = domain.dubbel_sleutel(samen.naam, samen.geboortedatum, samen.postcode)
            await conn.execute(
                update(aanmeldingen)
                .where(aanmeldingen.c.id == aanmelding_id)
                .values(
                    naam=samen.naam,
                    woonplaats=samen.woonplaats,
                    geboortedatum=samen.geboortedatum,
                    bsn=samen.bsn,
                    dubbel_sleutel=sleutel,
                    profiel=profiel,
                    ontbrekend=ontbrekend,
                    toestemming=samen.toestemming.model_dump(mode="json"),
                    **contact,
                )
            )
            if row.overgedragen_op is not None:
                await overdracht.wijzig(conn, await reload(conn, aanmelding_id), sorted(gegeven), org.code, now)
            elif not ontbrekend:
                dubbel = await _dubbelingen(conn, aanmelding_id, samen.bsn, sleutel)
                if dubbel:
                    await conn.execute(
                        update(aanmeldingen)
                        .where(aanmeldingen.c.id == aanmelding_id)
                        .values(status=domain.Status.MOGELIJK_DUBBEL, mogelijke_dubbelingen=dubbel)
                    )
                else:
                    await overdracht.draag_over(
                        conn, await reload(conn, aanmelding_id), org.code, now, aangevuld=tuple(sorted(gegeven))
                    )
            else:
                await conn.execute(
                    update(aanmeldingen)
                    .where(aanmeldingen.c.id == aanmelding_id)
                    .values(status=domain.Status.ONVOLLEDIG)
                )
            row = await reload(conn, aanmelding_id)
        rt.wake_relay()
        return status_van(row, org, coderingen)

    @api.post("/aanmeldingen/{aanmelding_id}/dubbelcontrole", response_model=AanmeldingStatus)
    async def dubbelcontrole(aanmelding_id: UUID, besluit: DubbelBesluit, org: Gemeente) -> AanmeldingStatus:
        """A consultant decides on a possible duplicate; nothing is ever merged automatically."""
        now = datetime.now(UTC)
        async with rt.engine.begin() as conn:
            row = await eigen_aanmelding(conn, aanmelding_id, org)
            if row.status != domain.Status.MOGELIJK_DUBBEL:
                raise Problem(409, "Conflict", f"aanmelding heeft status {row.status}, niet mogelijk_dubbel")
            if besluit.besluit == "dubbel":
                await conn.execute(
                    update(aanmeldingen)
                    .where(aanmeldingen.c.id == aanmelding_id)
                    .values(status=domain.Status.VERVALLEN, status_gewijzigd_op=now)
                )
            else:
                await overdracht.draag_over(conn, row, org.code, now)
            row = await reload(conn, aanmelding_id)
        rt.wake_relay()
        return status_van(row, org)

    @api.post("/aanmeldingen/{aanmelding_id}/categorie", response_model=AanmeldingStatus)
    async def categorie(aanmelding_id: UUID, invoer: CategorieInvoer, org: Gemeente) -> AanmeldingStatus:
        """A consultant overrides the screening category, with a reason (KandidaatGescreend)."""
        now = datetime.now(UTC)
        async with rt.engine.begin() as conn:
            row = await eigen_aanmelding(conn, aanmelding_id, org)
            if row.overgedragen_op is None:
                raise Problem(409, "Conflict", f"aanmelding met status {row.status} is nog niet gescreend")
            await overdracht.overschrijf_categorie(conn, row, invoer.categorie, invoer.reden, org.code, now)
            row = await reload(conn, aanmelding_id)
        rt.wake_relay()
        return status_van(row, org)

    @api.get("/aanmeldingen/{aanmelding_id}", response_model=AanmeldingStatus)
    async def status(aanmelding_id: UUID, org: Gemeente) -> AanmeldingStatus:
        async with rt.engine.connect() as conn:
            row = (await conn.execute(select(aanmeldingen).where(aanmeldingen.c.id == aanmelding_id))).first()
        if row is None or (org.gemeente is not None and row.gemeente != org.gemeente):
            raise Problem(404, "Niet gevonden", f"aanmelding {aanmelding_id} bestaat niet")
        return status_van(row, org)

    @api.get("/aanmeldingen", response_model=list[AanmeldingStatus])
    async def lijst(
        org: Gemeente,
        status: Annotated[domain.Status | None, Query(description="e.g. onvolledig, mogelijk_dubbel")] = None,
        limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    ) -> list[AanmeldingStatus]:
        """The gemeente's own aanmeldingen, newest first."""
        query = select(aanmeldingen).order_by(aanmeldingen.c.ontvangen_op.desc()).limit(limit)
        if org.gemeente is not None:
            query = query.where(aanmeldingen.c.gemeente == org.gemeente)
        if status is not None:
            query = query.where(aanmeldingen.c.status == status)
        async with rt.engine.connect() as conn:
            rows = (await conn.execute(query)).all()
        return [status_van(r, org) for r in rows]

    @api.get("/gemeenten/{code}/doorverwijzing", response_model=Doorverwijzing)
    async def lees_doorverwijzing(code: str, org: Gemeente) -> Doorverwijzing:
        if org.gemeente != code:
            raise Problem(403, "Geen toegang", f"{org.code} beheert gemeente {code} niet")
        async with rt.engine.connect() as conn:
            gezet = await conn.scalar(select(doorverwijzing.c.categorieen).where(doorverwijzing.c.gemeente == code))
        return Doorverwijzing(categorieen=sorted(gezet if gezet is not None else STANDAARD_DOORVERWIJZING))

    @api.put("/gemeenten/{code}/doorverwijzing", response_model=Doorverwijzing)
    async def zet_doorverwijzing(code: str, invoer: Doorverwijzing, org: Gemeente) -> Doorverwijzing:
        """Which screening categories this gemeente hands to agencies (default 1 and 2); applies to new screenings."""
        if org.gemeente != code:
            raise Problem(403, "Geen toegang", f"{org.code} beheert gemeente {code} niet")
        categorieen = sorted(set(invoer.categorieen))
        async with rt.engine.begin() as conn:
            await overdracht.zet_doorverwijzing(conn, code, categorieen, org.code)
        return Doorverwijzing(categorieen=categorieen)

    @api.get("/kandidaten/{kandidaat_id}/contact", response_model=ContactGegevens)
    async def contact(kandidaat_id: UUID, org: Annotated[Organisatie, Depends(bureau_only)]) -> ContactGegevens:
        async with rt.engine.connect() as conn:
            row = (await conn.execute(select(aanmeldingen).where(aanmeldingen.c.kandidaat_id == kandidaat_id))).first()
        if row is None:
            raise Problem(404, "Niet gevonden", f"kandidaat {kandidaat_id} bestaat niet")
        if row.uitzendbureau != org.code:
            raise Problem(403, "Geen toegang", "deze kandidaat is niet aan uw organisatie toegewezen")
        return ContactGegevens(
            kandidaat_id=row.kandidaat_id,
            naam=row.naam,
            telefoon=row.telefoon,
            email=row.email,
            postcode=row.postcode,
        )

    return api
