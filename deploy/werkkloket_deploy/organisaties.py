"""The organisations of a local stack: each gets a person and a machine client in Keycloak (`identities`)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

REGISTRY = Path(__file__).resolve().parents[2] / "services" / "matching" / "werkkloket_matching" / "data"


@dataclass(frozen=True)
class Org:
    code: str
    rol: str
    naam: str
    gemeente: str | None = None


GEMEENTEN = (
    Org("gemeente-den-haag", "gemeente", "Gemeente Den Haag (Werkkloket)", "GM0518"),
    Org("gemeente-delft", "gemeente", "Gemeente Delft", "GM0503"),
    Org("gemeente-zoetermeer", "gemeente", "Gemeente Zoetermeer", "GM0637"),
    Org("wil-lekstroom", "gemeente", "WIL Lekstroom (Nieuwegein)", "GM0356"),
    Org("gemeente-rotterdam", "gemeente", "Gemeente Rotterdam", "GM0599"),
    Org("gemeente-rijswijk", "gemeente", "Gemeente Rijswijk", "GM0603"),
    Org("gemeente-westland", "gemeente", "Gemeente Westland", "GM1783"),
    Org("gemeente-groningen", "gemeente", "Gemeente Groningen", "GM0014"),
    Org("gemeente-pijnacker-nootdorp", "gemeente", "Gemeente Pijnacker-Nootdorp", "GM1926"),
    Org("gemeente-houten", "gemeente", "Gemeente Houten", "GM0321"),
    Org("gemeente-dordrecht", "gemeente", "Gemeente Dordrecht", "GM0505"),
)
# Employers in werk naar werk (surplus and shortage), fictional, in the Rijnmond port area.
WERKGEVERS = (
    Org("havenbedrijf-maasvlakte", "werkgever", "Containerterminal Maasvlakte B.V."),
    Org("overslag-europoort", "werkgever", "Overslagbedrijf Europoort B.V."),
    Org("rijnmond-ict", "werkgever", "Rijnmond ICT Diensten B.V."),
    Org("logistiek-waalhaven", "werkgever", "Distributiecentrum Waalhaven B.V."),
    Org("havenzorg-schiedam", "werkgever", "Zorggroep Schiedam-Vlaardingen"),
)
# National: no gemeente of its own, so its identity carries no gemeenten claim.
LANDELIJK = (Org("uwv", "uwv", "UWV"),)
OVERIG = (
    Org("programmamanager", "rapportage", "Programmamanager Werkkloket"),
    Org("beheer", "beheer", "Functioneel beheer"),
)


def uitzendbureaus(registry_file: Path = REGISTRY / "uitzendbureaus.json") -> tuple[Org, ...]:
    data = json.loads(registry_file.read_text())
    return tuple(Org(b["code"], "uitzendbureau", b["naam"]) for b in data["uitzendbureaus"])


def organisaties() -> tuple[Org, ...]:
    return GEMEENTEN + uitzendbureaus() + WERKGEVERS + LANDELIJK + OVERIG
