"""What werk naar werk use cases are asked to do, with the input models they take."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Annotated
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field
from werkkloket_contracts import Mobiliteitsvorm, Opleidingsniveau, Overschotaard, Uitsluiting

from .domain import Melder

ISCO = Annotated[str, Field(pattern=r"^\d{4}$")]
SKILL = Annotated[str, Field(min_length=1, max_length=80, pattern=r"\S")]
REGIO = Annotated[str, Field(pattern=r"^[a-z0-9-]{2,40}$")]
ORG = Annotated[str, Field(pattern=r"^[a-z0-9-]{2,60}$")]
# The worker's own key to its skills paspoort.
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


class Start(BaseModel):
    model_config = ConfigDict(extra="forbid")

    vorm: Mobiliteitsvorm
    startdatum: date
    terugkeerdatum: date | None = None
    paspoort_id: UUID | None = Field(default=None, description="The worker's skills paspoort, if any")


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


@dataclass(frozen=True)
class OverschotMelden:
    """Report a surplus; the open shortages it may go to get proposed moves."""

    melder: Melder
    invoer: OverschotInvoer


@dataclass(frozen=True)
class TekortMelden:
    """Report a shortage; the open surpluses that may come to it get proposed moves."""

    melder: Melder
    invoer: TekortInvoer


@dataclass(frozen=True)
class Starten:
    voorstel_id: UUID
    melder: Melder
    invoer: Start


@dataclass(frozen=True)
class Afronden:
    """A lending returns (reden None), or a move ends before its time, on `datum`."""

    mobiliteit_id: UUID
    melder: Melder
    datum: date
    reden: str | None = None


@dataclass(frozen=True)
class TerugkeerControleren:
    """Let the lendings return whose date has come: as of today, or of another peildatum with a settable clock."""

    peildatum: date | None
    klok_instelbaar: bool


@dataclass(frozen=True)
class PaspoortMaken:
    melder: Melder
    invoer: PaspoortInvoer


# The version of the consent text a worker is shown for the skills paspoort when none is named.
PASPOORT_TEKSTVERSIE = "2026.1"


@dataclass(frozen=True)
class Koppelen:
    """The logged-in worker links its paspoort (with its key) and consents to it (`instemming`)."""

    paspoort_id: UUID
    sleutel: str | None
    persoon: str
    instemming: bool
    tekstversie: str = PASPOORT_TEKSTVERSIE


@dataclass(frozen=True)
class Toestemming:
    """The worker (with its key) gives or withdraws consent to share its paspoort with an employer."""

    paspoort_id: UUID
    werkgever: str
    sleutel: str | None
    geven: bool
    persoon: str | None = None  # the worker's login, when it linked the paspoort
