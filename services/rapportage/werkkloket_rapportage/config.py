"""The programme's settings for the reports: targets, durability period, contact deadline, norm amount.

Read from `data/programma.json`, or from the file named by WERKKLOKET_RAPPORTAGE_CONFIG.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

DEFAULT = Path(__file__).parent / "data" / "programma.json"


@dataclass(frozen=True)
class Programma:
    code: str
    naam: str
    gemeenten: tuple[str, ...]
    doel: int
    van: date


@dataclass(frozen=True)
class Instellingen:
    duurzaam_maanden: int
    contacttermijn_dagen: int
    normbedrag: Decimal
    programmas: tuple[Programma, ...]
    uitzendbureaus: dict[str, int]


def laad(path: Path | None = None) -> Instellingen:
    path = path or Path(os.environ.get("WERKKLOKET_RAPPORTAGE_CONFIG") or DEFAULT)
    data = json.loads(path.read_text())
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
