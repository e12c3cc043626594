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


class Gebeurtenis(BaseModel):
    """Base of every event: strict for producers (unknown fields rejected), frozen.

    Consumers decode with `extra="ignore"` (see `envelope.decode`), so new optional fields never break them.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    event_name: ClassVar[str]
    version: ClassVar[int] = 1

    kandidaat_id: UUID = Field(description="Pseudonymous candidate id; also the Kafka key and ce_subject")
    arbeidsmarktregio: REGIO_CODE
    gemeente: GEMEENTE_CODE

    @classmethod
    def ce_type(cls) -> str:
        return f"nl.werkkloket.{cls.event_name}.v{cls.version}"


class Werkervaring(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    beroep: ISCO_CODE
    van: date
    tot: date | None = Field(default=None, description="Open when the job is still ongoing")


class Reden(BaseModel):
    """One factor of an assignment decision, so the choice can be explained."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    factor: str = Field(description="e.g. 'sector', 'regio', 'belasting'")
    waarde: str = Field(description="What was compared, in words")
    score: float


class AanmeldingOntvangen(Gebeurtenis):
    """The gemeente registered a jobseeker (published by intake)."""

    event_name: ClassVar[str] = "AanmeldingOntvangen"

    aanmelding_id: UUID
    postcodegebied: str = Field(pattern=r"^\d{4}$", description="PC4 area only, never the full address")
    opleidingsniveau: Opleidingsniveau
    werkervaring: list[Werkervaring] = Field(default_factory=list)
    wensberoepen: list[ISCO_CODE] = Field(min_length=1, max_length=3)
    werkloos_sinds: date | None = None
    uitkering: Uitkering


class KandidaatToegewezen(Gebeurtenis):
    """The candidate is assigned to exactly one uitzendbureau (published by matching)."""

    event_name: ClassVar[str] = "KandidaatToegewezen"

    toewijzing_id: UUID
    uitzendbureau: ORGANISATIE_CODE
    regelversie: str = Field(description="Version of the assignment rule that chose")
    redenen: list[Reden]


class ToewijzingMislukt(Gebeurtenis):
    """No participating uitzendbureau could take the candidate; it stays with the gemeente."""

    event_name: ClassVar[str] = "ToewijzingMislukt"

    regelversie: str
    reden: str


class EersteContactGelegd(Gebeurtenis):
    """The agency that holds the candidate made first contact (published by plaatsing)."""

    event_name: ClassVar[str] = "EersteContactGelegd"

    uitzendbureau: ORGANISATIE_CODE
    datum: date


class SollicitatiegesprekGehouden(Gebeurtenis):
    """A job interview took place (published by plaatsing)."""

    event_name: ClassVar[str] = "SollicitatiegesprekGehouden"

    gesprek_id: UUID
    uitzendbureau: ORGANISATIE_CODE
    werkgever: str = Field(min_length=1, max_length=200, description="Employer (an organisation)")
    datum: date


class PlaatsingGerealiseerd(Gebeurtenis):
    """The candidate started work (published by plaatsing)."""

    event_name: ClassVar[str] = "PlaatsingGerealiseerd"

    plaatsing_id: UUID
    uitzendbureau: ORGANISATIE_CODE
    werkgever: str = Field(min_length=1, max_length=200)
    startdatum: date
    uren_per_week: int = Field(ge=1, le=60)


EVENT_TYPES: tuple[type[Gebeurtenis], ...] = (
    AanmeldingOntvangen,
    KandidaatToegewezen,
    ToewijzingMislukt,
    EersteContactGelegd,
    SollicitatiegesprekGehouden,
    PlaatsingGerealiseerd,
)

BY_CE_TYPE: dict[str, type[Gebeurtenis]] = {cls.ce_type(): cls for cls in EVENT_TYPES}
