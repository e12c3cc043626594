"""Intake domain: gemeenten and their arbeidsmarktregio, and turning a registration into an event. No I/O."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from uuid import UUID

from werkkloket_contracts import AanmeldingOntvangen, Opleidingsniveau, Uitkering, Werkervaring


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
        Gemeente("GM0363", "Amsterdam", "groot-amsterdam"),
        Gemeente("GM0014", "Groningen", "groningen"),
    )
}

POSTCODE = re.compile(r"^[1-9][0-9]{3} ?[A-Z]{2}$")


class Status(StrEnum):
    ONTVANGEN = "ontvangen"
    TOEGEWEZEN = "toegewezen"
    NIET_TOEGEWEZEN = "niet_toegewezen"


class OnbekendeGemeente(ValueError):
    pass


def normaliseer_postcode(postcode: str) -> str:
    """'2511ab' -> '2511 AB'; raises ValueError for anything that is not a Dutch postcode."""
    compact = postcode.replace(" ", "").upper()
    if not POSTCODE.match(compact):
        raise ValueError("geen geldige Nederlandse postcode (1234 AB)")
    return f"{compact[:4]} {compact[4:]}"


def gemeente(code: str) -> Gemeente:
    try:
        return GEMEENTEN[code]
    except KeyError:
        raise OnbekendeGemeente(code) from None


@dataclass(frozen=True)
class Profiel:
    """What matching may know of a candidate: coded attributes, no direct identifiers."""

    postcode: str
    opleidingsniveau: Opleidingsniveau
    werkervaring: tuple[Werkervaring, ...]
    wensberoepen: tuple[str, ...]
    werkloos_sinds: date | None
    uitkering: Uitkering


def aanmelding_ontvangen(
    *, aanmelding_id: UUID, kandidaat_id: UUID, gemeente_code: str, profiel: Profiel
) -> AanmeldingOntvangen:
    """The event for a new registration: the PC4 area only, never the full postcode or any contact data."""
    g = gemeente(gemeente_code)
    return AanmeldingOntvangen(
        kandidaat_id=kandidaat_id,
        arbeidsmarktregio=g.arbeidsmarktregio,
        gemeente=g.code,
        aanmelding_id=aanmelding_id,
        postcodegebied=normaliseer_postcode(profiel.postcode)[:4],
        opleidingsniveau=profiel.opleidingsniveau,
        werkervaring=list(profiel.werkervaring),
        wensberoepen=list(profiel.wensberoepen),
        werkloos_sinds=profiel.werkloos_sinds,
        uitkering=profiel.uitkering,
    )
