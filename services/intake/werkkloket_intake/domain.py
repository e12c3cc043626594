"""Intake domain: gemeenten and their arbeidsmarktregio, and turning a registration into an event. No I/O."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from uuid import UUID

from werkkloket_contracts import AanmeldingOntvangen, Opleidingsniveau, ProfielAangevuld, Uitkering, Werkervaring


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
    ONVOLLEDIG = "onvolledig"  # lacks what matching needs; not handed over
    MOGELIJK_DUBBEL = "mogelijk_dubbel"  # held until a consultant decides it is not a duplicate
    VERVALLEN = "vervallen"  # a consultant confirmed it is a duplicate
    BIJ_GEMEENTE = "bij_gemeente"  # its category stays with the gemeente
    ONTVANGEN = "ontvangen"  # handed over, waiting for matching
    TOEGEWEZEN = "toegewezen"
    NIET_TOEGEWEZEN = "niet_toegewezen"


DOELGROEPEN = ("recent-werkloos", "50-plus", "banenafspraak", "statushouder", "werk-naar-werk")
# What matching needs before a candidate may be handed to an agency.
NODIG_VOOR_MATCHING = ("telefoon_of_email", "postcode", "opleidingsniveau", "wensberoepen", "uitkering")


def ontbrekend(profiel: Mapping[str, object]) -> list[str]:
    """Exactly which fields a profile still lacks before it can be handed over."""
    missing: list[str] = []
    if not profiel.get("telefoon") and not profiel.get("email"):
        missing.append("telefoon_of_email")
    missing.extend(veld for veld in NODIG_VOOR_MATCHING[1:] if not profiel.get(veld))
    return missing


def bsn_geldig(bsn: str) -> bool:
    """The elfproef of a BSN: 9 digits, sum of digit*weight (9..2, -1) divisible by 11."""
    if len(bsn) != 9 or not bsn.isdigit() or bsn == "000000000":
        return False
    weights = (9, 8, 7, 6, 5, 4, 3, 2, -1)
    return sum(int(d) * w for d, w in zip(bsn, weights, strict=True)) % 11 == 0


def dubbel_sleutel(naam: str, geboortedatum: date | None, postcode: str | None) -> str | None:
    """Same name + date of birth + postcode means probably the same person; None when one is missing."""
    if geboortedatum is None or not postcode:
        return None
    return f"{' '.join(naam.lower().split())}|{geboortedatum.isoformat()}|{postcode.replace(' ', '').upper()}"


def doelgroepen(opgegeven: list[str], geboortedatum: date | None, vandaag: date) -> list[str]:
    """The given flags, plus 50-plus derived from the date of birth (the date itself never leaves intake)."""
    flags = set(opgegeven)
    if geboortedatum is not None:
        leeftijd = (
            vandaag.year
            - geboortedatum.year
            - ((vandaag.month, vandaag.day) < (geboortedatum.month, geboortedatum.day))
        )
        if leeftijd >= 50:
            flags.add("50-plus")
    return [d for d in DOELGROEPEN if d in flags]


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
    skills: tuple[str, ...] = ()
    rijbewijs: bool | None = None
    taalniveau: str | None = None
    uren_per_week: int | None = None
    beschikbaar_vanaf: date | None = None
    max_reisafstand_km: int | None = None
    doelgroepen: tuple[str, ...] = ()
    categorie: int | None = None
    naar_uitzendbureau: bool | None = None


def aanmelding_ontvangen(
    *,
    aanmelding_id: UUID,
    kandidaat_id: UUID,
    gemeente_code: str,
    profiel: Profiel,
    soort: type[AanmeldingOntvangen] = AanmeldingOntvangen,
    aangevuld: tuple[str, ...] = (),
) -> AanmeldingOntvangen:
    """The event for a new registration: the PC4 area only, never the full postcode or any contact data."""
    g = gemeente(gemeente_code)
    extra: dict[str, object] = {"aangevulde_velden": list(aangevuld)} if soort is ProfielAangevuld else {}
    return soort(
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
        skills=list(profiel.skills),
        rijbewijs=profiel.rijbewijs,
        taalniveau=profiel.taalniveau,
        uren_per_week=profiel.uren_per_week,
        beschikbaar_vanaf=profiel.beschikbaar_vanaf,
        max_reisafstand_km=profiel.max_reisafstand_km,
        doelgroepen=list(profiel.doelgroepen),
        categorie=profiel.categorie,
        naar_uitzendbureau=profiel.naar_uitzendbureau,
        **extra,
    )
