"""The question a report answers: the peildatum and the filters."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal, get_args

from werkkloket_runtime.errors import Invalid

from .funnel import DUURZAAM_MAANDEN

Groepering = Literal["uitzendbureau", "gemeente", "regio", "categorie", "doelgroep", "maand", "kwartaal", "jaar"]
GROEPERINGEN: tuple[str, ...] = get_args(Groepering)


class OngeldigePeriode(Invalid):
    """`tot` lies before `van`: the answer names both."""

    def __init__(self) -> None:
        super().__init__("tot", "tot ligt voor van")
        self.reden = "Ongeldige of ontbrekende velden: van, tot"


@dataclass(frozen=True)
class Vraag:
    """What to report on: the peildatum and the filters. `gemeenten` and `regios` restrict the question to the
    reader's own scope (set by the reader's rights, not by a filter); None: no restriction."""

    peildatum: date
    regio: str | None = None
    gemeente: str | None = None
    gemeenten: frozenset[str] | None = None
    regios: frozenset[str] | None = None
    uitzendbureau: str | None = None
    categorie: int | None = None
    doelgroep: str | None = None
    van: date | None = None  # registered on or after
    tot: date | None = None  # registered on or before
    duurzaam_maanden: int = 3

    def __post_init__(self) -> None:
        if self.duurzaam_maanden not in DUURZAAM_MAANDEN:
            raise Invalid("duurzaam_maanden", "kies 1, 3, 6 of 12")
        if self.van and self.tot and self.van > self.tot:
            raise OngeldigePeriode()

    def filters(self) -> dict[str, str]:
        names = ("regio", "gemeente", "uitzendbureau", "categorie", "doelgroep", "van", "tot")
        uit = {n: str(getattr(self, n)) for n in names if getattr(self, n) is not None}
        for n in ("gemeenten", "regios"):
            codes: frozenset[str] | None = getattr(self, n)
            if codes is not None:
                uit[n] = ",".join(sorted(codes))
        return uit

    def in_regios(self) -> frozenset[str] | None:
        """The regions asked for: the `regio` filter, else the restriction; None: all."""
        return frozenset({self.regio}) if self.regio else self.regios
