"""Rapportage domain: the funnel stages and how a candidate's row reaches them. No I/O."""

from __future__ import annotations

from dataclasses import dataclass, field

STAPPEN = ("aangemeld", "toegewezen", "eerste_contact", "gesprek", "geplaatst")


@dataclass
class Funnel:
    aangemeld: int = 0
    toegewezen: int = 0
    eerste_contact: int = 0
    gesprek: int = 0
    geplaatst: int = 0
    conversie: dict[str, float | None] = field(default_factory=dict)

    def met_conversie(self) -> Funnel:
        """Conversion of each stage from the one before it."""
        waarden = [getattr(self, s) for s in STAPPEN]
        self.conversie = {
            f"{STAPPEN[i - 1]}->{STAPPEN[i]}": (round(waarden[i] / waarden[i - 1], 4) if waarden[i - 1] else None)
            for i in range(1, len(STAPPEN))
        }
        return self
