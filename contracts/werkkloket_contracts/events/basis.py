"""Shared codes, enumerations and the base classes of every event."""

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
