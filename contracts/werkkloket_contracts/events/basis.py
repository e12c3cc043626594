"""Shared codes, enumerations and the base classes of every event."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Annotated, ClassVar
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr

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


class Werkervaringsperiode(BaseModel):
    """A job of the job history at month precision (the bus carries no exact job dates)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    beroep: ISCO_CODE
    van: str = Field(pattern=r"^\d{4}-(0[1-9]|1[0-2])$", description="First month (YYYY-MM)")
    tot: str | None = Field(
        default=None, pattern=r"^\d{4}-(0[1-9]|1[0-2])$", description="Last month (YYYY-MM); open when ongoing"
    )
    sector: str | None = Field(default=None, pattern=r"^[A-U]$", description="SBI 2008 section (letter), if known")

    @classmethod
    def van_data(cls, beroep: str, van: date, tot: date | None, sector: str | None = None) -> Werkervaringsperiode:
        return cls(beroep=beroep, van=f"{van:%Y-%m}", tot=f"{tot:%Y-%m}" if tot else None, sector=sector)


class Versleuteld(BaseModel):
    """Fields about one person, encrypted under that person's data key (AES-256-GCM): base64 of a format byte,
    the nonce, the ciphertext and the tag; the associated data binds it to the event field and the kandidaat_id.

    Only services that hold a copy of the person's key (published wrapped for each on werkkloket.sleutels) read
    it; once the person is erased no one does. An event upcast from a version that carried the fields in clear
    holds them in memory only (`onversleuteld`), never on the bus.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    data: str = Field(min_length=40, max_length=20000, pattern=r"^[A-Za-z0-9+/]+={0,2}$")

    _onversleuteld: dict[str, object] | None = PrivateAttr(default=None)

    @property
    def onversleuteld(self) -> dict[str, object] | None:
        """The clear fields of an upcast earlier version, else None."""
        return self._onversleuteld

    @classmethod
    def uit_eerdere(cls, velden: dict[str, object]) -> Versleuteld:
        """The fields an earlier version carried in clear (upcasting only)."""
        v = cls.model_construct(data="")
        v._onversleuteld = dict(velden)
        return v


class Persoonlijk(BaseModel):
    """Base of the encrypted part of an event: what could single a person out or reveal a special category."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    veld: ClassVar[str]


class Persoonssleutel(BaseModel):
    """The value of a werkkloket.sleutels record (key: the kandidaat_id): the person's data key, wrapped
    (AES-256-GCM key wrap, base64) for each service allowed to read the person's encrypted fields, under that
    service's own wrapping key. A record without a value (a tombstone) means: erased, delete your copy."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    kandidaat_id: UUID
    verpakt: dict[str, str] = Field(description="Per service: the wrapped data key")
