"""Earlier versions of event types, still read from the topics (which keep every event), never published again.

Each earlier version is its event type with the fields it had then; `nieuw()` upcasts it to the current version,
which is what a consumer's handler gets (`envelope.decode` upcasts). A field that the current version no longer
carries (free text) is dropped; a sentence that became a code is mapped to its code.
"""

from __future__ import annotations

from typing import ClassVar

from pydantic import Field

from .basis import Gebeurtenis
from .kandidaat import (
    Gemistreden,
    KandidaatGescreend,
    KandidaatHertoegewezen,
    Mislukkingsreden,
    OpvolgingGemist,
    ToewijzingMislukt,
)


class Eerdere(Gebeurtenis):
    """An earlier version of an event type: `nieuw()` gives the current one."""

    huidig: ClassVar[type[Gebeurtenis]]

    def nieuw(self) -> Gebeurtenis:
        return self.huidig.model_validate(self.model_dump(exclude=set(self.weg())))

    @classmethod
    def weg(cls) -> tuple[str, ...]:
        """The fields the current version no longer has."""
        return tuple(f for f in cls.model_fields if f not in cls.huidig.model_fields)


class KandidaatHertoegewezenV1(Eerdere, KandidaatHertoegewezen):
    """The candidate moved from one agency to another, or back to the gemeente (published by matching)."""

    version: ClassVar[int] = 1
    huidig: ClassVar[type[Gebeurtenis]] = KandidaatHertoegewezen

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


EERDERE: tuple[type[Eerdere], ...] = (
    KandidaatHertoegewezenV1,
    KandidaatGescreendV1,
    ToewijzingMisluktV1,
    OpvolgingGemistV1,
)
