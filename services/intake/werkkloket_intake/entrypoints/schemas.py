"""Intake's HTTP request and response bodies, and how they map to the domain's types."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, field_validator
from werkkloket_contracts import Bemiddelingseinde, Bevestigingsbron, Opleidingsniveau, Toestemmingsdoel, Uitkering

from ..domain import profiel as dp
from ..domain.aanmelding import Aanmelding, Beoordeling, Contact, Status
from ..domain.gemeenten import Namens
from ..domain.toestemming import TEKSTVERSIE, Toestemmingen

TELEFOON = r"^(\+31|0031|0)[1-9][0-9]{8}$"
EMAIL = r"^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$"
Taalniveau = Literal["a0", "a1", "a2", "b1", "b2", "c1", "c2"]
Doelgroep = Literal["recent-werkloos", "50-plus", "banenafspraak", "statushouder", "werk-naar-werk"]
SBI_SECTIE = r"^[A-U]$"
TEKSTVERSIE_PATROON = r"^[0-9A-Za-z.\-]{1,40}$"


class Toestemming(BaseModel):
    model_config = ConfigDict(extra="forbid")

    gegeven_op: datetime
    door: str = Field(min_length=1, max_length=200, description="Who recorded the consent")
    doel: str = Field(min_length=1, max_length=500, description="For which purpose, in the words shown")
    doelen: list[Toestemmingsdoel] = Field(
        default_factory=lambda: [Toestemmingsdoel.OVERDRACHT_UITZENDBUREAU],
        min_length=1,
        description="The purposes consented to, each on its own; without overdracht_uitzendbureau no agency gets "
        "the candidate",
    )
    tekstversie: str = Field(default=TEKSTVERSIE, pattern=TEKSTVERSIE_PATROON, description="Version of the text shown")


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
        return dp.normaliseer_postcode(v) if v is not None else None

    @field_validator("bsn")
    @classmethod
    def _bsn(cls, v: str | None) -> str | None:
        if v is not None and not dp.bsn_geldig(dp.normaliseer_bsn(v)):
            raise ValueError("geen geldig BSN (elfproef)")
        return dp.normaliseer_bsn(v) if v is not None else None

    @field_validator("skills")
    @classmethod
    def _skills(cls, v: list[str]) -> list[str]:
        return list(dict.fromkeys(s.strip().lower() for s in v if s.strip()))

    def profielinvoer(self, *, alles: bool = False) -> dp.Profielinvoer:
        """The domain's profile input: the fields set in the request (a change), or `alles` (a registration)."""
        t = self.toestemming
        return dp.Profielinvoer(
            velden=dp.Profiel(
                postcode=self.postcode,
                opleidingsniveau=self.opleidingsniveau,
                werkloos_sinds=self.werkloos_sinds,
                uitkering=self.uitkering,
                skills=tuple(self.skills),
                rijbewijs=self.rijbewijs,
                taalniveau=self.taalniveau,
                uren_per_week=self.uren_per_week,
                beschikbaar_vanaf=self.beschikbaar_vanaf,
                max_reisafstand_km=self.max_reisafstand_km,
                doelgroepen=tuple(self.doelgroepen),
                diplomas=tuple(self.diplomas),
                uitkering_sinds=self.uitkering_sinds,
                aanmelddatum=self.aanmelddatum,
                naam=self.naam,
                telefoon=self.telefoon,
                email=self.email,
                woonplaats=self.woonplaats,
                geboortedatum=self.geboortedatum,
                bsn=self.bsn,
                toestemming=(
                    dp.Toestemming(t.gegeven_op, t.door, t.doel, tuple(t.doelen), t.tekstversie)
                    if t is not None
                    else None
                ),
            ),
            gegeven=frozenset(ProfielVelden.model_fields if alles else self.model_fields_set),
            wensberoepen=tuple(self.wensberoepen),
            werkervaring=tuple(dp.Ervaring(w.beroep, w.van, w.tot, w.sector) for w in self.werkervaring),
        )


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

    @classmethod
    def van(cls, c: dp.Beroepscodering) -> CoderingUit:
        return cls(
            veld=c.veld,
            invoer=c.invoer,
            code=c.gekozen.code,
            omschrijving=c.gekozen.omschrijving,
            score=c.gekozen.score,
            alternatieven=[
                Alternatief(code=a.code, omschrijving=a.omschrijving, score=a.score) for a in c.alternatieven
            ],
        )


class ScreeningUit(BaseModel):
    categorie: int
    regelversie: str
    punten: int | None
    factoren: list[dict[str, Any]]
    handmatig: bool
    reden: str | None = None
    door: str | None = None
    naar_uitzendbureau: bool

    @classmethod
    def van(cls, b: Beoordeling) -> ScreeningUit:
        return cls(
            categorie=b.categorie,
            regelversie=b.regelversie,
            punten=b.punten,
            factoren=[f.model_dump() for f in b.factoren],
            handmatig=b.handmatig,
            reden=b.reden,
            door=b.door,
            naar_uitzendbureau=b.naar_uitzendbureau,
        )


class AanmeldingStatus(BaseModel):
    id: UUID
    kandidaat_id: UUID
    gemeente: str
    arbeidsmarktregio: str
    status: Status
    uitzendbureau: str | None
    ontvangen_op: datetime
    ontbrekend: list[str] = Field(description="What matching still needs; empty when complete")
    mogelijke_dubbelingen: list[UUID] = Field(
        description="Earlier aanmeldingen that may be the same person, in gemeenten the caller acts for"
    )
    elders_aangemeld: bool = Field(
        default=False,
        description="The same person may be registered in a gemeente the caller does not act for; which one, and "
        "its record, stay with that gemeente",
    )
    categorie: int | None
    screening: ScreeningUit | None
    coderingen: list[CoderingUit] = Field(default_factory=list, description="How typed occupations were coded")
    bsn: str | None = Field(default=None, description="Only for the gemeente that recorded it")

    @classmethod
    def van(cls, a: Aanmelding, namens: Namens, coderingen: list[dp.Beroepscodering] | None = None) -> AanmeldingStatus:
        dubbelingen = a.dubbelingen_voor(namens)
        return cls(
            id=a.id,
            kandidaat_id=a.kandidaat_id,
            gemeente=a.gemeente,
            arbeidsmarktregio=a.arbeidsmarktregio,
            status=a.status,
            uitzendbureau=a.uitzendbureau,
            ontvangen_op=a.ontvangen_op,
            ontbrekend=a.profiel.ontbrekend(),
            mogelijke_dubbelingen=list(dubbelingen.zichtbaar),
            elders_aangemeld=dubbelingen.elders,
            categorie=a.categorie,
            screening=ScreeningUit.van(a.beoordeling) if a.beoordeling is not None else None,
            coderingen=[CoderingUit.van(c) for c in coderingen or []],
            bsn=a.bsn_voor(namens),
        )


class ContactGegevens(BaseModel):
    kandidaat_id: UUID
    naam: str
    telefoon: str | None
    email: str | None
    postcode: str | None

    @classmethod
    def van(cls, c: Contact) -> ContactGegevens:
        return cls(kandidaat_id=c.kandidaat_id, naam=c.naam, telefoon=c.telefoon, email=c.email, postcode=c.postcode)


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


class BevestigingInvoer(BaseModel):
    model_config = ConfigDict(extra="forbid")
    bron: Bevestigingsbron
    datum: date


class HerinstroomInvoer(BaseModel):
    model_config = ConfigDict(extra="forbid")
    uitkering: Uitkering
    datum: date


class Gemeld(BaseModel):
    kandidaat_id: UUID
    gebeurtenis: str


class ToestemmingWijziging(BaseModel):
    model_config = ConfigDict(extra="forbid")

    doel: Toestemmingsdoel
    gegeven: bool = Field(description="false: withdraw the consent for this purpose")
    tekstversie: str = Field(default=TEKSTVERSIE, pattern=TEKSTVERSIE_PATROON, description="Version of the text shown")


class ToestemmingRegel(BaseModel):
    doel: Toestemmingsdoel
    gegeven: bool
    tekstversie: str
    vastgelegd_door: str = Field(description="The person who recorded it (the token's subject)")
    organisatie: str
    op: datetime


class ToestemmingStand(BaseModel):
    kandidaat_id: UUID
    geldend: dict[Toestemmingsdoel, bool] = Field(description="Per purpose: whether consent holds now")
    geschiedenis: list[ToestemmingRegel] = Field(description="Every giving and withdrawing, oldest first")

    @classmethod
    def van(cls, kandidaat_id: UUID, t: Toestemmingen) -> ToestemmingStand:
        return cls(
            kandidaat_id=kandidaat_id,
            geldend=t.huidig(),
            geschiedenis=[ToestemmingRegel.model_validate(r, from_attributes=True) for r in t.regels],
        )


class BeeindigingInvoer(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reden: Bemiddelingseinde
    datum: date | None = Field(default=None, description="Default: today")


class VerwijderingGestart(BaseModel):
    """An erasure: intake's part is done; every other service does its part from the event and answers its receipt
    at `GET /api/v1/verwijderingen/{verzoek_id}` (`werkkloket verwijder` collects them)."""

    verzoek_id: UUID
    kandidaat_id: UUID
    gemeente: str
    datum: date
    intake: dict[str, int] = Field(description="Per table of intake: the rows about the person that were deleted")
    sleutel_vernietigd: bool = Field(description="The person's data key is destroyed, and tombstoned on the bus")
