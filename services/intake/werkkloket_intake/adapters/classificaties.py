"""The classifications intake codes occupations with: a curated extract of ISCO-08 and SBI 2008, in data/."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from ..domain.classificaties import Beroep, Classificaties

DATA = Path(__file__).parent.parent / "data" / "classificaties.json"


@cache
def laad(path: Path = DATA) -> Classificaties:
    data = json.loads(path.read_text(encoding="utf-8"))
    isco, sbi = data["isco08"], data["sbi2008"]
    return Classificaties(
        beroepen={
            b["code"]: Beroep(b["code"], b["omschrijving"], tuple(b["synoniemen"]), b["sbi"]) for b in isco["beroepen"]
        },
        sbi={s["code"]: s["omschrijving"] for s in sbi["secties"]},
        bron=f"{isco['bron']}; {sbi['bron']}",
        licentie=f"{isco['licentie']}; {sbi['licentie']}",
    )
