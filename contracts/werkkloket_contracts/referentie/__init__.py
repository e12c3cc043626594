"""Reference data every service shares: the gemeenten and their arbeidsmarktregio, and the register of processing
activities."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Gemeente:
    code: str
    naam: str
    arbeidsmarktregio: str


# CBS gemeentecodes and their arbeidsmarktregio (extract; source: CBS, Gemeentelijke indeling 2025,
# and the arbeidsmarktregio indeling of the Ministerie van SZW).
GEMEENTEN: dict[str, Gemeente] = {
    g.code: g
    for g in (
        Gemeente("GM0518", "'s-Gravenhage", "haaglanden"),
        Gemeente("GM0503", "Delft", "haaglanden"),
        Gemeente("GM0637", "Zoetermeer", "haaglanden"),
        Gemeente("GM0603", "Rijswijk", "haaglanden"),
        Gemeente("GM1916", "Leidschendam-Voorburg", "haaglanden"),
        Gemeente("GM1783", "Westland", "haaglanden"),
        Gemeente("GM1926", "Pijnacker-Nootdorp", "haaglanden"),
        Gemeente("GM1842", "Midden-Delfland", "haaglanden"),
        Gemeente("GM0629", "Wassenaar", "haaglanden"),
        Gemeente("GM0356", "Nieuwegein", "midden-utrecht"),
        Gemeente("GM0353", "IJsselstein", "midden-utrecht"),
        Gemeente("GM0321", "Houten", "midden-utrecht"),
        Gemeente("GM0331", "Lopik", "midden-utrecht"),
        Gemeente("GM1961", "Vijfheerenlanden", "midden-utrecht"),
        Gemeente("GM0344", "Utrecht", "midden-utrecht"),
        Gemeente("GM0599", "Rotterdam", "rijnmond"),
        Gemeente("GM0606", "Schiedam", "rijnmond"),
        Gemeente("GM0622", "Vlaardingen", "rijnmond"),
        Gemeente("GM0505", "Dordrecht", "drechtsteden"),
        Gemeente("GM0363", "Amsterdam", "groot-amsterdam"),
        Gemeente("GM0014", "Groningen", "groningen"),
    )
}


def regio_van(code: str) -> str | None:
    """The arbeidsmarktregio of a gemeente; None for a code not in the table."""
    g = GEMEENTEN.get(code)
    return g.arbeidsmarktregio if g is not None else None


def regios_van(codes: frozenset[str]) -> frozenset[str]:
    """The arbeidsmarktregio's of these gemeenten (codes not in the table left out)."""
    return frozenset(r for r in map(regio_van, codes) if r is not None)


# --- The register of processing activities (AVG art. 30), versioned in `verwerkingsregister.json` ---

REGISTER_FILE = Path(__file__).with_name("verwerkingsregister.json")


@dataclass(frozen=True)
class Verwerkingsactiviteit:
    id: str
    versie: int
    naam: str
    doel: str
    grondslag: str

    @property
    def uri(self) -> str:
        """What a processing log record names (`dpl.core.processing_activity_id`)."""
        return f"urn:werkkloket:verwerking:{self.id}:{self.versie}"


def _register() -> dict[str, Verwerkingsactiviteit]:
    data = json.loads(REGISTER_FILE.read_text(encoding="utf-8"))
    newest: dict[str, Verwerkingsactiviteit] = {}
    for a in data["activiteiten"]:
        activiteit = Verwerkingsactiviteit(a["id"], a["versie"], a["naam"], a["doel"], a["grondslag"])
        if activiteit.id not in newest or newest[activiteit.id].versie < activiteit.versie:
            newest[activiteit.id] = activiteit
    return newest


# The current version of each activity, by id.
VERWERKINGEN: dict[str, Verwerkingsactiviteit] = _register()


def verwerking(activiteit_id: str) -> Verwerkingsactiviteit:
    """The current version of a registered activity; a KeyError names an id that is not in the register."""
    try:
        return VERWERKINGEN[activiteit_id]
    except KeyError:
        raise KeyError(f"{activiteit_id!r} is not in the register of processing activities") from None
