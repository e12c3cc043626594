"""Consent per purpose, with its history: given or withdrawn, by whom, when, with which text shown. No I/O."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from werkkloket_contracts import Toestemmingsdoel
from werkkloket_runtime.errors import Conflict

# The version of the consent text a gemeente shows when none is named (see docs/privacy.md).
TEKSTVERSIE = "2026.1"
OVERDRACHT = Toestemmingsdoel.OVERDRACHT_UITZENDBUREAU


@dataclass(frozen=True)
class Toestemmingsregel:
    """One entry of the history: consent for `doel` given (or withdrawn) as recorded by `vastgelegd_door`."""

    doel: Toestemmingsdoel
    gegeven: bool
    tekstversie: str
    vastgelegd_door: str  # the person (token subject) who recorded it
    organisatie: str
    op: datetime


@dataclass(frozen=True)
class Toestemmingen:
    """A person's consent history, oldest first; the newest entry per purpose is what holds."""

    regels: tuple[Toestemmingsregel, ...] = ()

    def geldt(self, doel: Toestemmingsdoel) -> bool:
        laatste = next((r for r in reversed(self.regels) if r.doel is doel), None)
        return laatste is not None and laatste.gegeven

    def huidig(self) -> dict[Toestemmingsdoel, bool]:
        return {doel: self.geldt(doel) for doel in Toestemmingsdoel}

    def ooit_ingetrokken(self, doel: Toestemmingsdoel) -> bool:
        return any(r.doel is doel and not r.gegeven for r in self.regels)

    def wijziging(self, nieuw: Toestemmingsregel) -> Toestemmingsregel:
        """A change: withdraw consent that holds, or give it for a purpose. Withdrawing what does not hold is a
        conflict (nothing to stop); a hand-off once withdrawn needs a new registration."""
        if not nieuw.gegeven and not self.geldt(nieuw.doel):
            raise Conflict(f"er is geen geldende toestemming voor {nieuw.doel.value}")
        if nieuw.gegeven and self.geldt(nieuw.doel):
            raise Conflict(f"de toestemming voor {nieuw.doel.value} geldt al")
        if nieuw.gegeven and nieuw.doel is OVERDRACHT and self.ooit_ingetrokken(OVERDRACHT):
            raise Conflict("na het intrekken van de toestemming voor overdracht is een nieuwe aanmelding nodig")
        return nieuw


def gegeven(
    doelen: Iterable[Toestemmingsdoel], tekstversie: str, door: str, organisatie: str, op: datetime
) -> list[Toestemmingsregel]:
    return [Toestemmingsregel(d, True, tekstversie, door, organisatie, op) for d in dict.fromkeys(doelen)]
