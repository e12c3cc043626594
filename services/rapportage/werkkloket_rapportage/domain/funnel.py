"""The funnel stages, their conversions, and the rules behind the figures."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

from werkkloket_contracts import AanmeldingOntvangen

TIJDZONE = ZoneInfo("Europe/Amsterdam")
STAPPEN = ("aangemeld", "volledig", "toegewezen", "eerste_contact", "gesprek", "geplaatst", "duurzaam")
DUURZAAM_MAANDEN = (1, 3, 6, 12)


@dataclass
class Funnel:
    aangemeld: int = 0
    volledig: int = 0
    toegewezen: int = 0
    eerste_contact: int = 0
    gesprek: int = 0
    geplaatst: int = 0
    duurzaam: int = 0
    # Placements an agency recorded that the gemeente or the candidate has not confirmed (yet).
    geclaimd: int = 0
    conversie: dict[str, float | None] = field(default_factory=dict)

    def met_conversie(self) -> Funnel:
        """Conversion of each stage from the one before it."""
        waarden = [getattr(self, s) for s in STAPPEN]
        self.conversie = {
            f"{STAPPEN[i - 1]}->{STAPPEN[i]}": (round(waarden[i] / waarden[i - 1], 4) if waarden[i - 1] else None)
            for i in range(1, len(STAPPEN))
        }
        self.conversie["aangemeld->geplaatst"] = round(self.geplaatst / self.aangemeld, 4) if self.aangemeld else None
        return self


def dag(moment: datetime) -> date:
    """The Dutch day of a moment."""
    return moment.astimezone(TIJDZONE).date()


def aanmelddag(aanmelddatum: date | None, ce_time: datetime) -> date:
    """The day a candidate counts as registered: the gemeente's own date, else the day the event was recorded."""
    return aanmelddatum if aanmelddatum is not None else dag(ce_time)


def profiel_volledig(event: AanmeldingOntvangen) -> bool:
    """Complete enough to mediate: work history, wishes and since when unemployed are known."""
    return bool(event.werkervaring) and bool(event.wensberoepen) and event.werkloos_sinds is not None


def percentage(deel: int, geheel: int) -> float | None:
    return round(100 * deel / geheel, 1) if geheel else None
