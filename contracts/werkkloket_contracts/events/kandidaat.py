"""Events of a candidate, keyed by the pseudonymous kandidaat_id: intake, toewijzing, matches, plaatsing."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import ClassVar
from uuid import UUID

from pydantic import Field

from .basis import (
    ISCO_CODE,
    ORGANISATIE_CODE,
    SBI_CODE,
    Afwijzingsreden,
    Beeindigingsreden,
    Bevestigingsbron,
    Contractvorm,
    Gespreksuitkomst,
    KandidaatGebeurtenis,
    Opleidingsniveau,
    Persoonlijk,
    Reden,
    Uitkering,
    Versleuteld,
    Werkervaringsperiode,
)


class Persoonskenmerken(Persoonlijk):
    """The encrypted part of a profile: where the person lives, who they are and what they can."""

    veld: ClassVar[str] = "AanmeldingOntvangen.persoonlijk"

    postcodegebied: str = Field(pattern=r"^\d{4}$", description="PC4 area only, never the full address")
    doelgroepen: list[str] = Field(
        default_factory=list,
        description="recent-werkloos, 50-plus, banenafspraak, statushouder, werk-naar-werk",
    )
    skills: list[str] = Field(default_factory=list, max_length=30, description="Skills, lower case")


class Aanmeldingsprofiel(KandidaatGebeurtenis):
    """What every version of a registration's profile event carries (the coded profile); not an event itself."""

    aanmelding_id: UUID
    opleidingsniveau: Opleidingsniveau
    wensberoepen: list[ISCO_CODE] = Field(min_length=1, max_length=3)
    werkloos_sinds: date | None = None
    uitkering: Uitkering
    rijbewijs: bool | None = Field(default=None, description="Holds a driving licence (B)")
    taalniveau: str | None = Field(default=None, pattern=r"^(a0|a1|a2|b1|b2|c1|c2)$", description="Dutch, CEFR")
    uren_per_week: int | None = Field(default=None, ge=1, le=60, description="Available hours per week")
    beschikbaar_vanaf: date | None = None
    max_reisafstand_km: int | None = Field(default=None, ge=0, le=300)
    categorie: int | None = Field(default=None, ge=1, le=4, description="Screening category, 1 easy ... 4 very hard")
    naar_uitzendbureau: bool | None = Field(
        default=None, description="False: the gemeente keeps this candidate (its category is not handed over)"
    )
    aanmelddatum: date | None = Field(
        default=None, description="Date of the registration at the gemeente when it precedes its recording"
    )


class Werkgevergegevens(Persoonlijk):
    """The employer of an interview, offer or placement: with a date and an agency it can single a person out."""

    veld: ClassVar[str] = "werkgever"

    werkgever: str = Field(min_length=1, max_length=200, description="Employer (an organisation)")


class Afwijzingsgegevens(Persoonlijk):
    """Why an agency gave a candidate back (a reason such as zorg_nodig reveals more than a process step)."""

    veld: ClassVar[str] = "afwijzing"

    reden: Afwijzingsreden


class Beeindigingsgegevens(Persoonlijk):
    """Why a placement ended (a reason such as ziekte is health data)."""

    veld: ClassVar[str] = "beeindiging"

    reden: Beeindigingsreden


class AanmeldingOntvangen(Aanmeldingsprofiel):
    """The gemeente registered a jobseeker (published by intake).

    v2: the PC4 area, the doelgroepen and the skills are encrypted for the person (`persoonlijk`, a
    Persoonskenmerken); the job history is at month precision."""

    event_name: ClassVar[str] = "AanmeldingOntvangen"
    version: ClassVar[int] = 2

    werkervaring: list[Werkervaringsperiode] = Field(default_factory=list)
    persoonlijk: Versleuteld | None = Field(
        default=None, description="Persoonskenmerken, encrypted for the person; unreadable once they are erased"
    )


class KandidaatToegewezen(KandidaatGebeurtenis):
    """The candidate is assigned to exactly one uitzendbureau (published by matching)."""

    event_name: ClassVar[str] = "KandidaatToegewezen"

    toewijzing_id: UUID
    uitzendbureau: ORGANISATIE_CODE
    regelversie: str = Field(description="Version of the assignment rule that chose")
    redenen: list[Reden]
    toewijzingsversie: int | None = Field(
        default=None, ge=1, description="Per candidate, one higher with every change of holder: ignore an older one"
    )


class Mislukkingsreden(StrEnum):
    """Why no agency could take a candidate."""

    GEEN_UITZENDBUREAU_IN_REGIO = "geen_uitzendbureau_in_regio"
    GEEN_UITZENDBUREAU_VOOR_GEMEENTE = "geen_uitzendbureau_voor_gemeente"
    CAPACITEIT_VOL = "capaciteit_vol"
    OVERIG = "overig"


class ToewijzingMislukt(KandidaatGebeurtenis):
    """No participating uitzendbureau could take the candidate; it stays with the gemeente.

    v2: the reason is a code (v1 carried a sentence)."""

    event_name: ClassVar[str] = "ToewijzingMislukt"
    version: ClassVar[int] = 2

    regelversie: str
    reden: Mislukkingsreden
    toewijzingsversie: int | None = Field(
        default=None, ge=1, description="Per candidate, one higher with every change of holder: ignore an older one"
    )


class EersteContactGelegd(KandidaatGebeurtenis):
    """The agency that holds the candidate made first contact (published by plaatsing)."""

    event_name: ClassVar[str] = "EersteContactGelegd"

    uitzendbureau: ORGANISATIE_CODE
    datum: date


class SollicitatiegesprekGehouden(KandidaatGebeurtenis):
    """A job interview took place (published by plaatsing).

    v2: the employer is encrypted for the person (`persoonlijk`, a Werkgevergegevens)."""

    event_name: ClassVar[str] = "SollicitatiegesprekGehouden"
    version: ClassVar[int] = 2

    gesprek_id: UUID
    uitzendbureau: ORGANISATIE_CODE
    datum: date
    uitkomst: Gespreksuitkomst | None = None
    persoonlijk: Versleuteld | None = Field(
        default=None, description="Werkgevergegevens, encrypted for the person; unreadable once they are erased"
    )


class PlaatsingGerealiseerd(KandidaatGebeurtenis):
    """The candidate started work (published by plaatsing).

    v2: the employer is encrypted for the person (`persoonlijk`, a Werkgevergegevens)."""

    event_name: ClassVar[str] = "PlaatsingGerealiseerd"
    version: ClassVar[int] = 2

    plaatsing_id: UUID
    uitzendbureau: ORGANISATIE_CODE
    startdatum: date
    uren_per_week: int = Field(ge=1, le=60)
    contractvorm: Contractvorm | None = None
    sbi: SBI_CODE | None = None
    beroep: ISCO_CODE | None = Field(default=None, description="Occupation of the job (ISCO-08 unit group)")
    persoonlijk: Versleuteld | None = Field(
        default=None, description="Werkgevergegevens, encrypted for the person; unreadable once they are erased"
    )


# --- plaatsing lifecycle, duurzaamheid (issue 4) ---


class GesprekGepland(KandidaatGebeurtenis):
    """The agency planned a job interview with an employer (published by plaatsing).

    v2: the employer is encrypted for the person (`persoonlijk`, a Werkgevergegevens)."""

    event_name: ClassVar[str] = "GesprekGepland"
    version: ClassVar[int] = 2

    gesprek_id: UUID
    uitzendbureau: ORGANISATIE_CODE
    datum: date = Field(description="Planned date of the interview")
    persoonlijk: Versleuteld | None = Field(
        default=None, description="Werkgevergegevens, encrypted for the person; unreadable once they are erased"
    )


class AanbodGedaan(KandidaatGebeurtenis):
    """An employer offered the candidate a job (published by plaatsing).

    v2: the employer is encrypted for the person (`persoonlijk`, a Werkgevergegevens)."""

    event_name: ClassVar[str] = "AanbodGedaan"
    version: ClassVar[int] = 2

    aanbod_id: UUID
    uitzendbureau: ORGANISATIE_CODE
    datum: date
    persoonlijk: Versleuteld | None = Field(
        default=None, description="Werkgevergegevens, encrypted for the person; unreadable once they are erased"
    )


class KandidaatAfgewezen(KandidaatGebeurtenis):
    """The agency holding the candidate gives it back to the gemeente (published by plaatsing).

    v2: the reason is encrypted for the person (`persoonlijk`, a Afwijzingsgegevens)."""

    event_name: ClassVar[str] = "KandidaatAfgewezen"
    version: ClassVar[int] = 2

    uitzendbureau: ORGANISATIE_CODE
    datum: date
    persoonlijk: Versleuteld | None = Field(
        default=None, description="Afwijzingsgegevens, encrypted for the person; unreadable once they are erased"
    )


class PlaatsingBeeindigd(KandidaatGebeurtenis):
    """A placement ended (published by plaatsing).

    v2: the reason is encrypted for the person (`persoonlijk`, a Beeindigingsgegevens)."""

    event_name: ClassVar[str] = "PlaatsingBeeindigd"
    version: ClassVar[int] = 2

    plaatsing_id: UUID
    uitzendbureau: ORGANISATIE_CODE
    einddatum: date = Field(description="Last working day")
    persoonlijk: Versleuteld | None = Field(
        default=None, description="Beeindigingsgegevens, encrypted for the person; unreadable once they are erased"
    )


class OpvolgingBevestigd(KandidaatGebeurtenis):
    """At a durability checkpoint (1, 3, 6 or 12 months after the start) the candidate still works there."""

    event_name: ClassVar[str] = "OpvolgingBevestigd"

    plaatsing_id: UUID
    uitzendbureau: ORGANISATIE_CODE
    maanden: int = Field(ge=1, le=12)
    mijlpaal: date = Field(description="Date of the checkpoint: the start date plus `maanden` months")
    datum: date = Field(description="Date of the follow-up contact")
    laatste: bool = Field(default=False, description="The last checkpoint: the follow-up is over")


class Gemistreden(StrEnum):
    BEEINDIGD = "beeindigd"
    HERINSTROOM = "herinstroom"


class OpvolgingGemist(KandidaatGebeurtenis):
    """A durability checkpoint is not reached: the placement ended or the candidate returned to a benefit.

    v2: the reason is a code (v1: a string)."""

    event_name: ClassVar[str] = "OpvolgingGemist"
    version: ClassVar[int] = 2

    plaatsing_id: UUID
    uitzendbureau: ORGANISATIE_CODE
    maanden: int = Field(ge=1, le=12)
    mijlpaal: date
    reden: Gemistreden


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


class Toestemmingsdoel(StrEnum):
    """What a jobseeker consents to, each on its own."""

    OVERDRACHT_UITZENDBUREAU = "overdracht_uitzendbureau"
    DELEN_MOBILITEITSTEAM = "delen_mobiliteitsteam"
    SKILLS_PASPOORT = "skills_paspoort"
    ONDERZOEK = "onderzoek"


class ToestemmingIngetrokken(KandidaatGebeurtenis):
    """The jobseeker withdrew consent for one purpose; what flowed for it stops (published by intake)."""

    event_name: ClassVar[str] = "ToestemmingIngetrokken"

    doel: Toestemmingsdoel
    datum: date


class Bemiddelingseinde(StrEnum):
    WERK_GEVONDEN = "werk_gevonden"
    UITKERING_BEEINDIGD = "uitkering_beeindigd"
    VERHUISD = "verhuisd"
    OP_VERZOEK = "op_verzoek"
    OVERIG = "overig"


class BemiddelingBeeindigd(KandidaatGebeurtenis):
    """The gemeente ended the mediation of the jobseeker; no agency holds them any more (published by intake)."""

    event_name: ClassVar[str] = "BemiddelingBeeindigd"

    reden: Bemiddelingseinde
    datum: date


class Verwijderingsaanleiding(StrEnum):
    VERZOEK = "verzoek"  # the person asked the gemeente (AVG art. 17)
    BEWAARTERMIJN = "bewaartermijn"  # the retention term passed


class PersoonsgegevensVerwijderd(KandidaatGebeurtenis):
    """Intake erased everything about the person and destroyed their key; every service deletes what it holds
    about them and keeps a receipt under `verzoek_id` (published by intake). Only anonymous counts remain."""

    event_name: ClassVar[str] = "PersoonsgegevensVerwijderd"

    verzoek_id: UUID = Field(description="The erasure; each service's receipt is found under it")
    aanleiding: Verwijderingsaanleiding
    datum: date


# --- intake, screening, toewijzing, vacatures (issue 3) ---


class ProfielAangevuld(AanmeldingOntvangen):
    """An incomplete or changed profile is now complete (intake); carries the whole coded profile again."""

    event_name: ClassVar[str] = "ProfielAangevuld"

    aangevulde_velden: list[str] = Field(default_factory=list, description="Profile fields supplied or changed")


class KandidaatGescreend(KandidaatGebeurtenis):
    """Screening category set by the rule, or overridden by a consultant (intake).

    v2: without the consultant's reason in words (it stays in intake)."""

    event_name: ClassVar[str] = "KandidaatGescreend"
    version: ClassVar[int] = 2

    aanmelding_id: UUID
    categorie: int = Field(ge=1, le=4, description="1 easy to place ... 4 very hard")
    vorige_categorie: int | None = Field(default=None, ge=1, le=4)
    regelversie: str = Field(description="Screening rule version, or 'handmatig' for an override")
    factoren: list[Reden] = Field(default_factory=list, description="The rule's inputs and points")
    handmatig: bool = False
    door: ORGANISATIE_CODE | None = None
    naar_uitzendbureau: bool = Field(description="Whether this gemeente hands this category to an agency")


class Hertoewijzingsaanleiding(StrEnum):
    AFGEWEZEN = "afgewezen"
    GEEN_EERSTE_CONTACT = "geen_eerste_contact"
    HANDMATIG = "handmatig"


class KandidaatHertoegewezen(KandidaatGebeurtenis):
    """The candidate moved from one agency to another, or back to the gemeente (published by matching).

    v2: without the reason in words (it stays in matching); the cause is `aanleiding`. v3: a give-back's reason
    is encrypted for the person (`persoonlijk`, an Afwijzingsgegevens)."""

    event_name: ClassVar[str] = "KandidaatHertoegewezen"
    version: ClassVar[int] = 3

    toewijzing_id: UUID
    vorig_uitzendbureau: ORGANISATIE_CODE
    uitzendbureau: ORGANISATIE_CODE | None = Field(description="None: no other agency could take the candidate")
    aanleiding: Hertoewijzingsaanleiding
    regelversie: str
    redenen: list[Reden] = Field(default_factory=list)
    toewijzingsversie: int | None = Field(
        default=None, ge=1, description="Per candidate, one higher with every change of holder: ignore an older one"
    )
    vorige_toewijzing_id: UUID | None = Field(default=None, description="The assignment that ended")
    persoonlijk: Versleuteld | None = Field(
        default=None,
        description="Afwijzingsgegevens (why the agency gave the candidate back), encrypted for the person",
    )


class Toewijzingseinde(StrEnum):
    """Why no agency holds a candidate any more, without a new one taking over."""

    PLAATSING_BEEINDIGD = "plaatsing_beeindigd"
    OPVOLGING_AFGEROND = "opvolging_afgerond"
    TOESTEMMING_INGETROKKEN = "toestemming_ingetrokken"
    BEMIDDELING_BEEINDIGD = "bemiddeling_beeindigd"
    VERWIJDERD = "verwijderd"


class ToewijzingBeeindigd(KandidaatGebeurtenis):
    """The agency holding the candidate holds it no more, and none takes over (published by matching)."""

    event_name: ClassVar[str] = "ToewijzingBeeindigd"

    toewijzing_id: UUID
    uitzendbureau: ORGANISATIE_CODE = Field(description="The agency that held the candidate until now")
    aanleiding: Toewijzingseinde
    datum: date
    toewijzingsversie: int = Field(ge=1, description="Per candidate, one higher with every change of holder")


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
