"""The personal data the tests send (names, BSNs), and how to find any of it, or a phone number or e-mail
address, in a log: after the end-to-end tests no service's log may hold a test person's data."""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from werkkloket_deploy.demo import ACHTERNAMEN, VOORNAMEN

# Filled as the tests make people up (helpers.profiel, nieuw_bsn).
GEBRUIKT: set[str] = set()

TELEFOON = re.compile(r"(?<!\d)(?:\+31|0031|0)6\d{8}(?!\d)")
EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[A-Za-z]{2,}")


def gebruikt(*waarden: str) -> None:
    GEBRUIKT.update(w for w in waarden if w)


def in_logs(bestanden: Iterable[Path]) -> list[str]:
    """`file: what` for each test person's datum (or any phone number or e-mail address) found in the files."""
    namen = {f"{v} {a}" for v in VOORNAMEN for a in ACHTERNAMEN}
    gevonden: list[str] = []
    for bestand in bestanden:
        tekst = bestand.read_text(errors="replace")
        for soort, patroon in (("telefoon", TELEFOON), ("e-mail", EMAIL)):
            gevonden += [f"{bestand.name}: {soort} {m}" for m in sorted(set(patroon.findall(tekst)))]
        gevonden += [f"{bestand.name}: {w}" for w in sorted(GEBRUIKT | namen) if w in tekst]
    return gevonden
