"""Event payloads (CloudEvents `data`) of Werkkloket, version 1.

No direct identifier ever appears here: no BSN, name, phone, e-mail or street address. A candidate is known on
the bus only by the pseudonymous `kandidaat_id`; contact data stay in the intake service.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Annotated, ClassVar
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

ISCO_CODE = Annotated[str, Field(pattern=r"^\d{4}$", description="ISCO-08 unit group (4 digits)")]
GEMEENTE_CODE = Annotated[str, Field(pattern=r"^GM\d{4}$", description="CBS gemeentecode, e.g. GM0518")]
REGIO_CODE = Annotated[
    str, Field(pattern=r"^[a-z0-9-]{2,40}$", description="Arbeidsmarktregio code, e.g. 'haaglanden'")
]
SBI_CODE = Annotated[str, Field(pattern=r"^\d{2,5}$", description="SBI 2008 sector code of the employer, e.g. 8610")]
ORGANISATIE_CODE = Annotated[str, Field(pattern=r"^[a-z0-9-]{2,60}$", description="Organisation code")]


class Opleidingsniveau(StrEnum):
    GEEN = "geen"
    VO = "vo"
    MBO1 = "mbo1"
    MBO2 = "mbo2"
    MBO3 = "mbo3"
    MBO4 = "mbo4"
    HBO = "hbo"
    WO = "wo"


class Uitkering(StrEnum):
    WW = "ww"
    BIJSTAND = "bijstand"
    GEEN = "geen"


class Gespreksuitkomst(StrEnum):
    """How a job interview ended."""

    AANBOD = "aanbod"
    VERVOLGGESPREK = "vervolggesprek"
    AFGEWEZEN_DOOR_WERKGEVER = "afgewezen_door_werkgever"
    AFGEZEGD_DOOR_KANDIDAAT = "afgezegd_door_kandidaat"
    IN_BERAAD = "in_beraad"


class Contractvorm(StrEnum):
    """Kind of employment contract (ABU/NBBU phases for temporary agency work)."""

    UITZEND_FASE_A = "uitzend_fase_a"
    UITZEND_FASE_B = "uitzend_fase_b"
    UITZEND_FASE_C = "uitzend_fase_c"
    DETACHERING = "detachering"
    TIJDELIJK = "tijdelijk"
    VAST = "vast"


class Afwijzingsreden(StrEnum):
    """Why an agency gives a candidate back."""

    NIET_BEREIKBAAR = "niet_bereikbaar"
    NIET_BESCHIKBAAR = "niet_beschikbaar"
    GEEN_PASSEND_WERK = "geen_passend_werk"
    ZORG_NODIG = "zorg_nodig"
    ELDERS_AAN_HET_WERK = "elders_aan_het_werk"
    OVERIG = "overig"


class Beeindigingsreden(StrEnum):
    EINDE_CONTRACT = "einde_contract"
    ONTSLAG_DOOR_WERKGEVER = "ontslag_door_werkgever"
    ONTSLAG_DOOR_KANDIDAAT = "ontslag_door_kandidaat"
    PROEFTIJD = "proeftijd"
    ZIEKTE = "ziekte"
    ANDERE_BAAN = "andere_baan"
    OVERIG = "overig"


class Bevestigingsbron(StrEnum):
    """Who confirmed that a placement is real: the gemeente (benefit ended or reduced) or the candidate."""

    UITKERING_BEEINDIGD = "uitkering_beeindigd"
    UITKERING_VERLAAGD = "uitkering_verlaagd"
    KANDIDAAT = "kandidaat"


class Gebeurtenis(BaseModel):
    """Base of every event: strict for producers (unknown fields rejected), frozen.

    Consumers decode with `extra="ignore"` (see `envelope.decode`), so new optional fields never break them.
    `sleutel` names the field that is the Kafka key and ce_subject: the candidate for candidate events, the
    vacancy or the employer's report for the others, so the events of one subject keep their order.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    event_name: ClassVar[str]
    version: ClassVar[int] = 1
    sleutel: ClassVar[str]

    arbeidsmarktregio: REGIO_CODE
    gemeente: GEMEENTE_CODE

    @classmethod
    def ce_type(cls) -> str:
        return f"nl.werkkloket.{cls.event_name}.v{cls.version}"

    def onderwerp(self) -> str:
        """ce_subject and Kafka key: the value of the `sleutel` field."""
        return str(getattr(self, self.sleutel))


class KandidaatGebeurtenis(Gebeurtenis):
    """An event about one candidate, known on the bus only by its pseudonymous id."""

    sleutel: ClassVar[str] = "kandidaat_id"

    kandidaat_id: UUID = Field(description="Pseudonymous candidate id; also the Kafka key and ce_subject")


class Werkervaring(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    beroep: ISCO_CODE
    van: date
    tot: date | None = Field(default=None, description="Open when the job is still ongoing")
    sector: str | None = Field(default=None, pattern=r"^[A-U]$", description="SBI 2008 section (letter), if known")


class Reden(BaseModel):
    """One factor of an assignment decision, so the choice can be explained."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    factor: str = Field(description="e.g. 'sector', 'regio', 'belasting'")
    waarde: str = Field(description="What was compared, in words")
    score: float


class AanmeldingOntvangen(KandidaatGebeurtenis):
    """The gemeente registered a jobseeker (published by intake)."""

    event_name: ClassVar[str] = "AanmeldingOntvangen"

    aanmelding_id: UUID
    postcodegebied: str = Field(pattern=r"^\d{4}$", description="PC4 area only, never the full address")
    opleidingsniveau: Opleidingsniveau
    werkervaring: list[Werkervaring] = Field(default_factory=list)
    wensberoepen: list[ISCO_CODE] = Field(min_length=1, max_length=3)
    werkloos_sinds: date | None = None
    uitkering: Uitkering
    skills: list[str] = Field(default_factory=list, max_length=30, description="Skills, lower case")
    rijbewijs: bool | None = Field(default=None, description="Holds a driving licence (B)")
    taalniveau: str | None = Field(default=None, pattern=r"^(a0|a1|a2|b1|b2|c1|c2)$", description="Dutch, CEFR")
    uren_per_week: int | None = Field(default=None, ge=1, le=60, description="Available hours per week")
    beschikbaar_vanaf: date | None = None
    max_reisafstand_km: int | None = Field(default=None, ge=0, le=300)
    doelgroepen: list[str] = Field(
        default_factory=list,
        description="recent-werkloos, 50-plus, banenafspraak, statushouder, werk-naar-werk",
    )
    categorie: int | None = Field(default=None, ge=1, le=4, description="Screening category, 1 easy ... 4 very hard")
    naar_uitzendbureau: bool | None = Field(
        default=None, description="False: the gemeente keeps this candidate (its category is not handed over)"
    )
    aanmelddatum: date | None = Field(
        default=None, description="Date of the registration at the gemeente when it precedes its recording"
    )


class KandidaatToegewezen(KandidaatGebeurtenis):
    """The candidate is assigned to exactly one uitzendbureau (published by matching)."""

    event_name: ClassVar[str] = "KandidaatToegewezen"

    toewijzing_id: UUID
    uitzendbureau: ORGANISATIE_CODE
    regelversie: str = Field(description="Version of the assignment rule that chose")
    redenen: list[Reden]


class ToewijzingMislukt(KandidaatGebeurtenis):
    """No participating uitzendbureau could take the candidate; it stays with the gemeente."""

    event_name: ClassVar[str] = "ToewijzingMislukt"

    regelversie: str
    reden: str


class EersteContactGelegd(KandidaatGebeurtenis):
    """The agency that holds the candidate made first contact (published by plaatsing)."""

    event_name: ClassVar[str] = "EersteContactGelegd"

    uitzendbureau: ORGANISATIE_CODE
    datum: date


class SollicitatiegesprekGehouden(KandidaatGebeurtenis):
    """A job interview took place (published by plaatsing)."""

    event_name: ClassVar[str] = "SollicitatiegesprekGehouden"

    gesprek_id: UUID
    uitzendbureau: ORGANISATIE_CODE
    werkgever: str = Field(min_length=1, max_length=200, description="Employer (an organisation)")
    datum: date
    uitkomst: Gespreksuitkomst | None = None


class PlaatsingGerealiseerd(KandidaatGebeurtenis):
    """The candidate started work (published by plaatsing)."""

    event_name: ClassVar[str] = "PlaatsingGerealiseerd"

    plaatsing_id: UUID
    uitzendbureau: ORGANISATIE_CODE
    werkgever: str = Field(min_length=1, max_length=200)
    startdatum: date
    uren_per_week: int = Field(ge=1, le=60)
    contractvorm: Contractvorm | None = None
    sbi: SBI_CODE | None = None
    beroep: ISCO_CODE | None = Field(default=None, description="Occupation of the job (ISCO-08 unit group)")


# --- plaatsing lifecycle, duurzaamheid (issue 4) ---


class GesprekGepland(KandidaatGebeurtenis):
    """The agency planned a job interview with an employer (published by plaatsing)."""

    event_name: ClassVar[str] = "GesprekGepland"

    gesprek_id: UUID
    uitzendbureau: ORGANISATIE_CODE
    werkgever: str = Field(min_length=1, max_length=200)
    datum: date = Field(description="Planned date of the interview")


class AanbodGedaan(KandidaatGebeurtenis):
    """An employer offered the candidate a job (published by plaatsing)."""

    event_name: ClassVar[str] = "AanbodGedaan"

    aanbod_id: UUID
    uitzendbureau: ORGANISATIE_CODE
    werkgever: str = Field(min_length=1, max_length=200)
    datum: date


class KandidaatAfgewezen(KandidaatGebeurtenis):
    """The agency holding the candidate gives it back to the gemeente (published by plaatsing)."""

    event_name: ClassVar[str] = "KandidaatAfgewezen"

    uitzendbureau: ORGANISATIE_CODE
    datum: date
    reden: Afwijzingsreden


class PlaatsingBeeindigd(KandidaatGebeurtenis):
    """A placement ended (published by plaatsing)."""

    event_name: ClassVar[str] = "PlaatsingBeeindigd"

    plaatsing_id: UUID
    uitzendbureau: ORGANISATIE_CODE
    einddatum: date = Field(description="Last working day")
    reden: Beeindigingsreden


class OpvolgingBevestigd(KandidaatGebeurtenis):
    """At a durability checkpoint (1, 3, 6 or 12 months after the start) the candidate still works there."""

    event_name: ClassVar[str] = "OpvolgingBevestigd"

    plaatsing_id: UUID
    uitzendbureau: ORGANISATIE_CODE
    maanden: int = Field(ge=1, le=12)
    mijlpaal: date = Field(description="Date of the checkpoint: the start date plus `maanden` months")
    datum: date = Field(description="Date of the follow-up contact")


class OpvolgingGemist(KandidaatGebeurtenis):
    """A durability checkpoint is not reached: the placement ended or the candidate returned to a benefit."""

    event_name: ClassVar[str] = "OpvolgingGemist"

    plaatsing_id: UUID
    uitzendbureau: ORGANISATIE_CODE
    maanden: int = Field(ge=1, le=12)
    mijlpaal: date
    reden: str = Field(max_length=60, description="'beeindigd' or 'herinstroom'")


class PlaatsingBevestigd(KandidaatGebeurtenis):
    """The gemeente records that the candidate's work is confirmed (published by intake).

    Until this event a placement is a claim of the agency.
    """

    event_name: ClassVar[str] = "PlaatsingBevestigd"

    bron: Bevestigingsbron
    datum: date


class HerinstroomGemeld(KandidaatGebeurtenis):
    """The candidate returned to a benefit after having started work (published by intake)."""

    event_name: ClassVar[str] = "HerinstroomGemeld"

    uitkering: Uitkering
    datum: date


# --- intake, screening, toewijzing, vacatures (issue 3) ---


class ProfielAangevuld(AanmeldingOntvangen):
    """An incomplete or changed profile is now complete (intake); carries the whole coded profile again."""

    event_name: ClassVar[str] = "ProfielAangevuld"

    aangevulde_velden: list[str] = Field(default_factory=list, description="Profile fields supplied or changed")


class KandidaatGescreend(KandidaatGebeurtenis):
    """Screening category set by the rule, or overridden by a consultant with a reason (intake)."""

    event_name: ClassVar[str] = "KandidaatGescreend"

    aanmelding_id: UUID
    categorie: int = Field(ge=1, le=4, description="1 easy to place ... 4 very hard")
    vorige_categorie: int | None = Field(default=None, ge=1, le=4)
    regelversie: str = Field(description="Screening rule version, or 'handmatig' for an override")
    factoren: list[Reden] = Field(default_factory=list, description="The rule's inputs and points")
    handmatig: bool = False
    reden: str | None = Field(default=None, max_length=1000, description="Why a consultant overrode the rule")
    door: ORGANISATIE_CODE | None = None
    naar_uitzendbureau: bool = Field(description="Whether this gemeente hands this category to an agency")


class Hertoewijzingsaanleiding(StrEnum):
    AFGEWEZEN = "afgewezen"
    GEEN_EERSTE_CONTACT = "geen_eerste_contact"
    HANDMATIG = "handmatig"


class KandidaatHertoegewezen(KandidaatGebeurtenis):
    """The candidate moved from one agency to another, or back to the gemeente (published by matching)."""

    event_name: ClassVar[str] = "KandidaatHertoegewezen"

    toewijzing_id: UUID
    vorig_uitzendbureau: ORGANISATIE_CODE
    uitzendbureau: ORGANISATIE_CODE | None = Field(description="None: no other agency could take the candidate")
    aanleiding: Hertoewijzingsaanleiding
    reden: str = Field(max_length=1000)
    regelversie: str
    redenen: list[Reden] = Field(default_factory=list)


class MatchVoorgesteld(KandidaatGebeurtenis):
    """An open vacancy proposed for an assigned candidate, with the score per factor (published by matching)."""

    event_name: ClassVar[str] = "MatchVoorgesteld"

    vacature_id: UUID
    uitzendbureau: ORGANISATIE_CODE = Field(description="The agency holding the candidate")
    beroep: ISCO_CODE = Field(description="The vacancy's occupation")
    score: float = Field(ge=0, le=1)
    factoren: list[Reden] = Field(description="wens_ervaring, skills, opleiding, reisafstand, uren")
    sectoroverstap: bool = Field(description="Outside the wishes: a move to another sector that the skills support")
    regelversie: str


# --- vacatures (issue 3): keyed by the vacancy ---


class VacatureGebeurtenis(Gebeurtenis):
    """An event about one vacancy; the region and gemeente are those of the workplace."""

    sleutel: ClassVar[str] = "vacature_id"

    vacature_id: UUID = Field(description="Also the Kafka key and ce_subject")


class Vacaturesluiting(StrEnum):
    VERVULD = "vervuld"
    INGETROKKEN = "ingetrokken"
    VERLOPEN = "verlopen"


class VacatureGeopend(VacatureGebeurtenis):
    """An agency or a gemeente (werkgeversservicepunt) registered an open vacancy (published by matching)."""

    event_name: ClassVar[str] = "VacatureGeopend"

    door: ORGANISATIE_CODE = Field(description="The organisation that registered it")
    titel: str = Field(min_length=2, max_length=200)
    beroep: ISCO_CODE
    sector: str = Field(pattern=r"^[A-U]$", description="SBI 2008 section of the employer")
    postcodegebied: str = Field(pattern=r"^\d{4}$")
    uren_per_week: int = Field(ge=1, le=60)
    skills: list[str] = Field(default_factory=list, max_length=20)
    opleidingsniveau: Opleidingsniveau | None = None
    open_tot: date


class VacatureGesloten(VacatureGebeurtenis):
    """A vacancy is closed: filled, withdrawn or past its date; it is no longer proposed (published by matching)."""

    event_name: ClassVar[str] = "VacatureGesloten"

    door: ORGANISATIE_CODE
    datum: date
    reden: Vacaturesluiting


# --- werk naar werk (issue 6): employers with surplus staff and employers with shortages ---


class Overschotaard(StrEnum):
    TIJDELIJK = "tijdelijk"
    STRUCTUREEL = "structureel"


class Mobiliteitsvorm(StrEnum):
    """A transfer to the new employer, or a lending (detachering) after which the worker returns."""

    OVERGANG = "overgang"
    DETACHERING = "detachering"


class Uitsluiting(BaseModel):
    """Where an employer does not want its people to go: competitors by SBI branch, or named companies."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    zelfde_branche: bool = Field(default=False, description="Exclude employers of the same SBI division (2 digits)")
    branches: list[SBI_CODE] = Field(default_factory=list, description="Exclude employers whose SBI code starts so")
    werkgevers: list[ORGANISATIE_CODE] = Field(default_factory=list, description="Exclude these employers")


class OverschotGebeurtenis(Gebeurtenis):
    """An event about one employer's surplus; every proposal and move from it keeps its order under this key."""

    sleutel: ClassVar[str] = "overschot_id"

    overschot_id: UUID = Field(description="Also the Kafka key and ce_subject")


class OverschotGemeld(OverschotGebeurtenis):
    """An employer, or the WSP on its behalf, reports more people than work (published by matching)."""

    event_name: ClassVar[str] = "OverschotGemeld"

    werkgever: ORGANISATIE_CODE
    sbi: SBI_CODE
    aantal: int = Field(ge=1, le=10_000, description="How many people")
    beroepen: list[ISCO_CODE] = Field(min_length=1, max_length=10)
    skills: list[str] = Field(default_factory=list, max_length=30)
    vanaf: date
    aard: Overschotaard
    uitlenen_toegestaan: bool = Field(description="May the people be lent out (detachering)")
    uitlenen_tot: date | None = Field(default=None, description="Lending allowed until this date")
    regios: list[REGIO_CODE] = Field(description="Arbeidsmarktregio's the people may move to")
    uitsluiting: Uitsluiting = Field(default_factory=Uitsluiting)
    gemeld_door: ORGANISATIE_CODE = Field(description="The employer itself, or the WSP (gemeente) on its behalf")


class TekortGemeld(Gebeurtenis):
    """An employer, or the WSP on its behalf, reports a shortage: vacancies to fill (published by matching)."""

    event_name: ClassVar[str] = "TekortGemeld"
    sleutel: ClassVar[str] = "tekort_id"

    tekort_id: UUID = Field(description="Also the Kafka key and ce_subject")
    werkgever: ORGANISATIE_CODE
    sbi: SBI_CODE
    aantal: int = Field(ge=1, le=10_000)
    beroep: ISCO_CODE
    skills: list[str] = Field(default_factory=list, max_length=30)
    uren_per_week: int = Field(ge=1, le=60)
    postcodegebied: str = Field(pattern=r"^\d{4}$")
    vanaf: date
    gemeld_door: ORGANISATIE_CODE


class MobiliteitVoorgesteld(OverschotGebeurtenis):
    """A proposed move from a surplus to a shortage, explained per factor (published by matching)."""

    event_name: ClassVar[str] = "MobiliteitVoorgesteld"

    voorstel_id: UUID
    tekort_id: UUID
    van_werkgever: ORGANISATIE_CODE
    naar_werkgever: ORGANISATIE_CODE
    naar_regio: REGIO_CODE
    beroep: ISCO_CODE = Field(description="The shortage's occupation")
    van_sector: str = Field(description="Sector of the surplus occupation, e.g. 'horeca'")
    naar_sector: str = Field(description="Sector of the shortage occupation, e.g. 'beveiliging'")
    score: float = Field(ge=0, le=1)
    factoren: list[Reden] = Field(description="beroep, skills, regio, beschikbaarheid, omvang")
    sectoroverstap: bool
    vormen: list[Mobiliteitsvorm] = Field(description="The forms the surplus allows")
    regelversie: str


class MobiliteitGestart(OverschotGebeurtenis):
    """A worker of the surplus started at the shortage employer (published by matching)."""

    event_name: ClassVar[str] = "MobiliteitGestart"

    mobiliteit_id: UUID
    voorstel_id: UUID
    tekort_id: UUID
    werknemer_id: UUID = Field(description="Pseudonymous worker id (the skills paspoort's id when there is one)")
    vorm: Mobiliteitsvorm
    startdatum: date
    terugkeerdatum: date | None = Field(default=None, description="Detachering: the date the worker returns")
    van_werkgever: ORGANISATIE_CODE
    naar_werkgever: ORGANISATIE_CODE
    naar_regio: REGIO_CODE
    van_sector: str
    naar_sector: str


class MobiliteitTeruggekeerd(OverschotGebeurtenis):
    """A lent worker returned to the original employer, on `datum` (published by matching)."""

    event_name: ClassVar[str] = "MobiliteitTeruggekeerd"

    mobiliteit_id: UUID
    datum: date


class MobiliteitBeeindigd(OverschotGebeurtenis):
    """A move ended before its time (published by matching)."""

    event_name: ClassVar[str] = "MobiliteitBeeindigd"

    mobiliteit_id: UUID
    datum: date
    reden: str = Field(min_length=3, max_length=200)


EVENT_TYPES: tuple[type[Gebeurtenis], ...] = (
    AanmeldingOntvangen,
    KandidaatToegewezen,
    ToewijzingMislukt,
    EersteContactGelegd,
    SollicitatiegesprekGehouden,
    PlaatsingGerealiseerd,
    ProfielAangevuld,
    KandidaatGescreend,
    KandidaatHertoegewezen,
    MatchVoorgesteld,
    GesprekGepland,
    AanbodGedaan,
    KandidaatAfgewezen,
    PlaatsingBeeindigd,
    OpvolgingBevestigd,
    OpvolgingGemist,
    PlaatsingBevestigd,
    HerinstroomGemeld,
    VacatureGeopend,
    VacatureGesloten,
    OverschotGemeld,
    TekortGemeld,
    MobiliteitVoorgesteld,
    MobiliteitGestart,
    MobiliteitTeruggekeerd,
    MobiliteitBeeindigd,
)

BY_CE_TYPE: dict[str, type[Gebeurtenis]] = {cls.ce_type(): cls for cls in EVENT_TYPES}
