"""Earlier versions of event types, still read from the topics (which keep every event), never published again.

Each earlier version is its event type with the fields it had then; `nieuw()` upcasts it to the current version,
which is what a consumer's handler gets (`envelope.decode` upcasts). A field that the current version no longer
carries (free text) is dropped; a sentence that became a code is mapped to its code.
"""

from __future__ import annotations

from typing import Any, ClassVar

from pydantic import Field
from pydantic.json_schema import SkipJsonSchema

from .basis import (
    Afwijzingsreden,
    Beeindigingsreden,
    Gebeurtenis,
    Versleuteld,
    Werkervaring,
    Werkervaringsperiode,
)
from .kandidaat import (
    AanbodGedaan,
    AanmeldingOntvangen,
    Aanmeldingsprofiel,
    Gemistreden,
    GesprekGepland,
    KandidaatAfgewezen,
    KandidaatGescreend,
    KandidaatHertoegewezen,
    Mislukkingsreden,
    OpvolgingGemist,
    PlaatsingBeeindigd,
    PlaatsingGerealiseerd,
    ProfielAangevuld,
    SollicitatiegesprekGehouden,
    ToewijzingMislukt,
)


class Eerdere(Gebeurtenis):
    """An earlier version of an event type: `nieuw()` gives the current one."""

    huidig: ClassVar[type[Gebeurtenis]]
    # Fields this version carried in clear that the current one encrypts for the person (`persoonlijk`): upcast,
    # they are held in memory only (`Versleuteld.uit_eerdere`).
    versleutelt: ClassVar[tuple[str, ...]] = ()

    def nieuw(self) -> Gebeurtenis:
        return self.huidig.model_validate(self.versleuteld(self.model_dump(exclude=set(self.weg()))))

    def versleuteld(self, velden: dict[str, Any]) -> dict[str, Any]:
        """`velden` with the fields the current version encrypts moved into `persoonlijk`."""
        if not self.versleutelt:
            return velden
        klaar = {f: velden.pop(f) for f in self.versleutelt if f in velden}
        klaar = {f: v for f, v in klaar.items() if v is not None}
        velden["persoonlijk"] = Versleuteld.uit_eerdere(klaar) if klaar else None
        return velden

    @classmethod
    def weg(cls) -> tuple[str, ...]:
        """The fields the current version no longer has (nor carries encrypted)."""
        return tuple(f for f in cls.model_fields if f not in cls.huidig.model_fields and f not in cls.versleutelt)


# An earlier version had no encrypted part: the current one's is left out of its schema and its dump.
GEEN_PERSOONLIJK = Field(default=None, exclude=True)


class KandidaatHertoegewezenV2(Eerdere, KandidaatHertoegewezen):
    """The candidate moved from one agency to another, or back to the gemeente (published by matching).

    v2: without the reason in words (it stays in matching); the cause is `aanleiding`, a give-back's reason
    `afwijzingsreden`."""

    version: ClassVar[int] = 2
    huidig: ClassVar[type[Gebeurtenis]] = KandidaatHertoegewezen
    versleutelt: ClassVar[tuple[str, ...]] = ("afwijzingsreden",)

    persoonlijk: SkipJsonSchema[None] = GEEN_PERSOONLIJK
    afwijzingsreden: Afwijzingsreden | None = Field(default=None, description="Why the agency gave the candidate back")


class KandidaatHertoegewezenV1(KandidaatHertoegewezenV2):
    """The candidate moved from one agency to another, or back to the gemeente (published by matching)."""

    version: ClassVar[int] = 1

    reden: str = Field(max_length=1000)


class KandidaatGescreendV1(Eerdere, KandidaatGescreend):
    """Screening category set by the rule, or overridden by a consultant with a reason (intake)."""

    version: ClassVar[int] = 1
    huidig: ClassVar[type[Gebeurtenis]] = KandidaatGescreend

    reden: str | None = Field(default=None, max_length=1000, description="Why a consultant overrode the rule")


def mislukkingsreden(zin: str) -> Mislukkingsreden:
    """The code of a v1 sentence (as toewijzing-v1/v2 wrote them)."""
    if "capaciteit" in zin:
        return Mislukkingsreden.CAPACITEIT_VOL
    if "bedient gemeente" in zin:
        return Mislukkingsreden.GEEN_UITZENDBUREAU_VOOR_GEMEENTE
    if zin.startswith("geen deelnemend uitzendbureau in regio"):
        return Mislukkingsreden.GEEN_UITZENDBUREAU_IN_REGIO
    return Mislukkingsreden.OVERIG


class ToewijzingMisluktV1(Eerdere, ToewijzingMislukt):
    """No participating uitzendbureau could take the candidate; it stays with the gemeente."""

    version: ClassVar[int] = 1
    huidig: ClassVar[type[Gebeurtenis]] = ToewijzingMislukt

    reden: str  # type: ignore[assignment]

    def nieuw(self) -> Gebeurtenis:
        return ToewijzingMislukt.model_validate({**self.model_dump(), "reden": mislukkingsreden(self.reden)})


class OpvolgingGemistV1(Eerdere, OpvolgingGemist):
    """A durability checkpoint is not reached: the placement ended or the candidate returned to a benefit."""

    version: ClassVar[int] = 1
    huidig: ClassVar[type[Gebeurtenis]] = OpvolgingGemist

    reden: str = Field(max_length=60, description="'beeindigd' or 'herinstroom'")  # type: ignore[assignment]

    def nieuw(self) -> Gebeurtenis:
        reden = Gemistreden.HERINSTROOM if self.reden == "herinstroom" else Gemistreden.BEEINDIGD
        return OpvolgingGemist.model_validate({**self.model_dump(), "reden": reden})


class AanmeldingOntvangenV1(Eerdere, Aanmeldingsprofiel):
    """The gemeente registered a jobseeker (published by intake)."""

    event_name: ClassVar[str] = "AanmeldingOntvangen"
    version: ClassVar[int] = 1
    huidig: ClassVar[type[Gebeurtenis]] = AanmeldingOntvangen

    postcodegebied: str = Field(pattern=r"^\d{4}$", description="PC4 area only, never the full address")
    werkervaring: list[Werkervaring] = Field(default_factory=list)
    skills: list[str] = Field(default_factory=list, max_length=30, description="Skills, lower case")
    doelgroepen: list[str] = Field(
        default_factory=list,
        description="recent-werkloos, 50-plus, banenafspraak, statushouder, werk-naar-werk",
    )

    def nieuw(self) -> Gebeurtenis:
        return _profiel_v2(self, AanmeldingOntvangen)


class ProfielAangevuldV1(AanmeldingOntvangenV1):
    """An incomplete or changed profile is now complete (intake); carries the whole coded profile again."""

    event_name: ClassVar[str] = "ProfielAangevuld"
    huidig: ClassVar[type[Gebeurtenis]] = ProfielAangevuld

    aangevulde_velden: list[str] = Field(default_factory=list, description="Profile fields supplied or changed")

    def nieuw(self) -> Gebeurtenis:
        return _profiel_v2(self, ProfielAangevuld)


def _profiel_v2(v1: AanmeldingOntvangenV1, huidig: type[Gebeurtenis]) -> Gebeurtenis:
    """v1 → v2: PC4, doelgroepen and skills in `persoonlijk` (in memory only), job dates to months."""
    velden = v1.model_dump(exclude={"postcodegebied", "doelgroepen", "skills", "werkervaring"})
    velden["werkervaring"] = [Werkervaringsperiode.van_data(w.beroep, w.van, w.tot, w.sector) for w in v1.werkervaring]
    # An instance is taken as it is (not revalidated): its clear fields stay in memory.
    velden["persoonlijk"] = Versleuteld.uit_eerdere(
        {"postcodegebied": v1.postcodegebied, "doelgroepen": v1.doelgroepen, "skills": v1.skills}
    )
    return huidig.model_validate(velden)


class SollicitatiegesprekGehoudenV1(Eerdere, SollicitatiegesprekGehouden):
    """A job interview took place (published by plaatsing)."""

    version: ClassVar[int] = 1
    huidig: ClassVar[type[Gebeurtenis]] = SollicitatiegesprekGehouden
    versleutelt: ClassVar[tuple[str, ...]] = ("werkgever",)

    persoonlijk: SkipJsonSchema[None] = GEEN_PERSOONLIJK
    werkgever: str = Field(min_length=1, max_length=200, description="Employer (an organisation)")


class PlaatsingGerealiseerdV1(Eerdere, PlaatsingGerealiseerd):
    """The candidate started work (published by plaatsing)."""

    version: ClassVar[int] = 1
    huidig: ClassVar[type[Gebeurtenis]] = PlaatsingGerealiseerd
    versleutelt: ClassVar[tuple[str, ...]] = ("werkgever",)

    persoonlijk: SkipJsonSchema[None] = GEEN_PERSOONLIJK
    werkgever: str = Field(min_length=1, max_length=200)


class GesprekGeplandV1(Eerdere, GesprekGepland):
    """The agency planned a job interview with an employer (published by plaatsing)."""

    version: ClassVar[int] = 1
    huidig: ClassVar[type[Gebeurtenis]] = GesprekGepland
    versleutelt: ClassVar[tuple[str, ...]] = ("werkgever",)

    persoonlijk: SkipJsonSchema[None] = GEEN_PERSOONLIJK
    werkgever: str = Field(min_length=1, max_length=200)


class AanbodGedaanV1(Eerdere, AanbodGedaan):
    """An employer offered the candidate a job (published by plaatsing)."""

    version: ClassVar[int] = 1
    huidig: ClassVar[type[Gebeurtenis]] = AanbodGedaan
    versleutelt: ClassVar[tuple[str, ...]] = ("werkgever",)

    persoonlijk: SkipJsonSchema[None] = GEEN_PERSOONLIJK
    werkgever: str = Field(min_length=1, max_length=200)


class KandidaatAfgewezenV1(Eerdere, KandidaatAfgewezen):
    """The agency holding the candidate gives it back to the gemeente (published by plaatsing)."""

    version: ClassVar[int] = 1
    huidig: ClassVar[type[Gebeurtenis]] = KandidaatAfgewezen
    versleutelt: ClassVar[tuple[str, ...]] = ("reden",)

    persoonlijk: SkipJsonSchema[None] = GEEN_PERSOONLIJK
    reden: Afwijzingsreden


class PlaatsingBeeindigdV1(Eerdere, PlaatsingBeeindigd):
    """A placement ended (published by plaatsing)."""

    version: ClassVar[int] = 1
    huidig: ClassVar[type[Gebeurtenis]] = PlaatsingBeeindigd
    versleutelt: ClassVar[tuple[str, ...]] = ("reden",)

    persoonlijk: SkipJsonSchema[None] = GEEN_PERSOONLIJK
    reden: Beeindigingsreden


EERDERE: tuple[type[Eerdere], ...] = (
    KandidaatHertoegewezenV1,
    KandidaatHertoegewezenV2,
    KandidaatGescreendV1,
    ToewijzingMisluktV1,
    OpvolgingGemistV1,
    AanmeldingOntvangenV1,
    ProfielAangevuldV1,
    SollicitatiegesprekGehoudenV1,
    PlaatsingGerealiseerdV1,
    GesprekGeplandV1,
    AanbodGedaanV1,
    KandidaatAfgewezenV1,
    PlaatsingBeeindigdV1,
)
