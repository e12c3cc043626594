"""The team's overview: per ISO week, how many people in its region were registered, assigned and placed.

Pure: it only folds events; reading Kafka is in `__main__`.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from werkkloket_contracts import (
    AanmeldingOntvangen,
    Envelope,
    KandidaatToegewezen,
    PlaatsingGerealiseerd,
    ToewijzingMislukt,
)

TELLINGEN = ("aangemeld", "toegewezen", "niet_toegewezen", "geplaatst")


@dataclass
class Overzicht:
    regio: str
    gezien: set[UUID] = field(default_factory=set)  # event ids: delivery is at least once
    per_week: dict[str, dict[str, int]] = field(
        default_factory=lambda: defaultdict(lambda: dict.fromkeys(TELLINGEN, 0))
    )
    kandidaten: set[UUID] = field(default_factory=set)
    andere_regio: int = 0

    def verwerk(self, env: Envelope[Any]) -> bool:
        """Fold one event in; False when it is not for this region or was seen before."""
        if env.data.arbeidsmarktregio != self.regio:
            self.andere_regio += 1
            return False
        if env.id in self.gezien:
            return False
        self.gezien.add(env.id)
        year, week, _ = env.time.isocalendar()
        telling = self.per_week[f"{year}-W{week:02d}"]
        match env.data:
            case AanmeldingOntvangen():
                telling["aangemeld"] += 1
            case KandidaatToegewezen():
                telling["toegewezen"] += 1
            case ToewijzingMislukt():
                telling["niet_toegewezen"] += 1
            case PlaatsingGerealiseerd():
                telling["geplaatst"] += 1
            case _:
                pass  # other events of the region only mark the candidate as known
        self.kandidaten.add(env.data.kandidaat_id)
        return True

    def als_dict(self) -> dict[str, Any]:
        return {
            "regio": self.regio,
            "events": len(self.gezien),
            "event_ids": sorted(str(i) for i in self.gezien),
            "kandidaten": sorted(str(k) for k in self.kandidaten),
            "per_week": {week: dict(t) for week, t in sorted(self.per_week.items())},
            "totaal": {t: sum(w[t] for w in self.per_week.values()) for t in TELLINGEN},
        }


def van_dict(data: dict[str, Any]) -> Overzicht:
    """Restore an overview written by `als_dict`, so a restart goes on where the committed offsets are."""
    o = Overzicht(data["regio"])
    o.gezien = {UUID(i) for i in data["event_ids"]}
    o.kandidaten = {UUID(k) for k in data["kandidaten"]}
    for week, telling in data["per_week"].items():
        o.per_week[week].update(telling)
    return o
