"""The programme's settings, read from `data/programma.json` or from the file the settings name
(WERKKLOKET_RAPPORTAGE_CONFIG)."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path

from ..domain.instellingen import Instellingen, Programma

DEFAULT = Path(__file__).parents[1] / "data" / "programma.json"


def laad(path: Path | None = None) -> Instellingen:
    data = json.loads((path or DEFAULT).read_text())
    return Instellingen(
        duurzaam_maanden=int(data["duurzaam_maanden"]),
        contacttermijn_dagen=int(data["contacttermijn_dagen"]),
        normbedrag=Decimal(data["normbedrag"]),
        programmas=tuple(
            Programma(p["code"], p["naam"], tuple(p["gemeenten"]), int(p["doel"]), date.fromisoformat(p["van"]))
            for p in data["programmas"]
        ),
        uitzendbureaus={k: int(v) for k, v in data["uitzendbureaus"].items()},
    )
