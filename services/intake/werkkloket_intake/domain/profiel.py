"""A jobseeker's profile: built once from what the gemeente entered, its occupations coded (ISCO-08). No I/O."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime

from werkkloket_contracts import Opleidingsniveau, Toestemmingsdoel, Uitkering, Werkervaring
from werkkloket_runtime.errors import Invalid

from . import screening
from .classificaties import Classificaties, Kandidaatcode
from .fouten import OngeldigeVelden

POSTCODE = re.compile(r"^[1-9][0-9]{3} ?[A-Z]{2}$")
DOELGROEPEN = ("recent-werkloos", "50-plus", "banenafspraak", "statushouder", "werk-naar-werk")
# What matching needs before a candidate may be handed to an agency.
NODIG_VOOR_MATCHING = ("telefoon_of_email", "postcode", "opleidingsniveau", "wensberoepen", "uitkering")
# Personal data: kept by intake for the gemeente (and the contact data for the assigned agency), never on the bus.
PERSOONSVELDEN = frozenset(
    {"naam", "telefoon", "email", "postcode", "woonplaats", "geboortedatum", "bsn", "toestemming"}
)


def ontbrekend(profiel: Mapping[str, object]) -> list[str]:
    """Exactly which fields a profile (its values by field name) still lacks before it can be handed over."""
    missing: list[str] = []
    if not profiel.get("telefoon") and not profiel.get("email"):
        missing.append("telefoon_of_email")
    missing.extend(veld for veld in NODIG_VOOR_MATCHING[1:] if not profiel.get(veld))
    return missing


def normaliseer_bsn(bsn: str) -> str:
    """'1234.56.782' or '123 456 782' -> '123456782' (what is stored, hashed and compared)."""
    return "".join(bsn.split()).replace(".", "")


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


def doelgroepen(opgegeven: Iterable[str], geboortedatum: date | None, vandaag: date | None) -> list[str]:
    """The given flags, plus 50-plus derived from the date of birth as of `vandaag` (the date itself never
    leaves intake)."""
    flags = set(opgegeven)
    if geboortedatum is not None and vandaag is not None:
        leeftijd = (
            vandaag.year
            - geboortedatum.year
            - ((vandaag.month, vandaag.day) < (geboortedatum.month, geboortedatum.day))
        )
        if leeftijd >= 50:
            flags.add("50-plus")
    return [d for d in DOELGROEPEN if d in flags]


def normaliseer_postcode(postcode: str) -> str:
    """'2511ab' -> '2511 AB'; raises ValueError for anything that is not a Dutch postcode."""
    compact = postcode.replace(" ", "").upper()
    if not POSTCODE.match(compact):
        raise ValueError("geen geldige Nederlandse postcode (1234 AB)")
    return f"{compact[:4]} {compact[4:]}"


@dataclass(frozen=True)
class Toestemming:
    """The jobseeker's consent, as recorded by the gemeente."""

    gegeven_op: datetime
    door: str
    doel: str  # the purpose as shown, in words
    doelen: tuple[Toestemmingsdoel, ...] = (Toestemmingsdoel.OVERDRACHT_UITZENDBUREAU,)
    tekstversie: str = "2026.1"


@dataclass(frozen=True)
class Profiel:
    """A jobseeker as the gemeente recorded them: the coded attributes matching may know (of the postcode only its
    PC4 area), and the personal data (`PERSOONSVELDEN`) that never leave intake. Incomplete until `ontbrekend()`
    is empty."""

    postcode: str | None = None
    opleidingsniveau: Opleidingsniveau | None = None
    werkervaring: tuple[Werkervaring, ...] = ()
    wensberoepen: tuple[str, ...] = ()  # ISCO-08 codes
    werkloos_sinds: date | None = None
    uitkering: Uitkering | None = None
    skills: tuple[str, ...] = ()
    rijbewijs: bool | None = None
    taalniveau: str | None = None
    uren_per_week: int | None = None
    beschikbaar_vanaf: date | None = None
    max_reisafstand_km: int | None = None
    doelgroepen: tuple[str, ...] = ()  # as given; 50-plus is derived when handed over
    diplomas: tuple[str, ...] = ()
    uitkering_sinds: date | None = None
    aanmelddatum: date | None = None  # the registration at the gemeente, when recorded afterwards
    naam: str | None = None
    telefoon: str | None = None
    email: str | None = None
    woonplaats: str | None = None
    geboortedatum: date | None = None
    bsn: str | None = None  # for the gemeente's own dossier
    toestemming: Toestemming | None = None

    def ontbrekend(self) -> list[str]:
        return ontbrekend(
            {
                "telefoon": self.telefoon,
                "email": self.email,
                "postcode": self.postcode,
                "opleidingsniveau": self.opleidingsniveau,
                "wensberoepen": self.wensberoepen,
                "uitkering": self.uitkering,
            }
        )

    def dubbel_sleutel(self) -> str | None:
        return dubbel_sleutel(self.naam or "", self.geboortedatum, self.postcode)

    def doelgroepen_op(self, vandaag: date | None) -> list[str]:
        return doelgroepen(self.doelgroepen, self.geboortedatum, vandaag)

    def screeningsinvoer(self) -> screening.Invoer:
        if self.opleidingsniveau is None:
            raise ValueError("an incomplete profile is not screened")
        return screening.Invoer(
            werkervaring=self.werkervaring,
            werkloos_sinds=self.werkloos_sinds,
            opleidingsniveau=self.opleidingsniveau,
            taalniveau=self.taalniveau,
            uren_per_week=self.uren_per_week,
        )


def gecodeerde_velden(velden: Iterable[str]) -> tuple[str, ...]:
    """The fields matching hears of (the others are personal data)."""
    return tuple(v for v in velden if v not in PERSOONSVELDEN)


@dataclass(frozen=True)
class Ervaring:
    """One job as entered: the occupation as an ISCO-08 code or as typed."""

    beroep: str
    van: date
    tot: date | None = None
    sector: str | None = None


@dataclass(frozen=True)
class Profielinvoer:
    """What the gemeente entered: the given fields (named in `gegeven`) typed as in the profile, and the
    occupations still as typed (ISCO-08 code or free text)."""

    velden: Profiel
    gegeven: frozenset[str]
    wensberoepen: tuple[str, ...] = ()
    werkervaring: tuple[Ervaring, ...] = ()


@dataclass(frozen=True)
class Beroepscodering:
    """How one typed occupation was coded (kept only where the code is not what was typed)."""

    veld: str
    invoer: str
    gekozen: Kandidaatcode
    alternatieven: tuple[Kandidaatcode, ...]


def codeer_beroepen(
    c: Classificaties, wensberoepen: Sequence[str], werkervaring: Sequence[Ervaring]
) -> tuple[tuple[str, ...], tuple[Werkervaring, ...], list[Beroepscodering]]:
    """The occupations coded, and how typed text was coded; every text that cannot be coded is refused at once,
    with the alternatives."""
    coderingen: list[Beroepscodering] = []
    fouten: list[dict[str, str]] = []

    def een(veld: str, tekst: str) -> str | None:
        r = c.codeer(tekst)
        if r.gekozen is None:
            opties = ", ".join(f"{a.code} {a.omschrijving}" for a in r.alternatieven) or "geen"
            fouten.append({"name": veld, "reason": f"beroep {tekst!r} niet herkend; bedoelt u: {opties}"})
            return None
        if r.gekozen.code != tekst.strip():
            coderingen.append(Beroepscodering(veld, tekst, r.gekozen, r.alternatieven))
        return r.gekozen.code

    wensen = [een(f"wensberoepen.{i}", w) for i, w in enumerate(wensberoepen)]
    ervaring: list[Werkervaring] = []
    for i, w in enumerate(werkervaring):
        code = een(f"werkervaring.{i}.beroep", w.beroep)
        if code is not None:
            ervaring.append(Werkervaring(beroep=code, sector=w.sector or c.sector(code), van=w.van, tot=w.tot))
    if fouten:
        raise OngeldigeVelden.per_veld(fouten)
    return tuple(dict.fromkeys(w for w in wensen if w is not None)), tuple(ervaring), coderingen


def bouw(huidig: Profiel, invoer: Profielinvoer, c: Classificaties) -> tuple[Profiel, list[Beroepscodering]]:
    """The profile with the given fields applied (their occupations coded), and how typed text was coded."""
    wensen, ervaring, coderingen = codeer_beroepen(c, invoer.wensberoepen, invoer.werkervaring)
    nieuw = replace(invoer.velden, wensberoepen=wensen, werkervaring=ervaring)
    profiel = replace(huidig, **{veld: getattr(nieuw, veld) for veld in invoer.gegeven})
    if profiel.naam is None:
        raise Invalid("naam", "is verplicht")
    if profiel.toestemming is None:
        raise Invalid("toestemming", "is verplicht")
    return profiel, coderingen
