"""Toewijzing: choose exactly one uitzendbureau for a candidate, with the reasons, and the term for first
contact in Dutch working days. No I/O."""

from __future__ import annotations

from collections.abc import Container
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cache

import holidays
from werkkloket_contracts import Mislukkingsreden, Reden
from werkkloket_runtime.errors import DomainError, Forbidden

# v2: only agencies that serve the candidate's gemeente (an agency may serve part of its regions).
REGELVERSIE = "toewijzing-v2"

# ISCO-08 sub-major groups (2 digits) -> sector as agencies specialise (source: ILO ISCO-08 structure).
SECTOR_PER_ISCO2: dict[str, str] = {
    "11": "zakelijke-dienstverlening", "12": "zakelijke-dienstverlening", "13": "zakelijke-dienstverlening",
    "14": "horeca", "21": "techniek", "22": "zorg", "23": "onderwijs", "24": "zakelijke-dienstverlening",
    "25": "ict", "26": "zakelijke-dienstverlening", "31": "techniek", "32": "zorg", "33": "administratie",
    "34": "zorg", "35": "ict", "41": "administratie", "42": "administratie", "43": "administratie",
    "44": "administratie", "51": "horeca", "52": "detailhandel", "53": "zorg", "54": "beveiliging",
    "61": "agrarisch", "62": "agrarisch", "71": "bouw", "72": "techniek", "73": "techniek", "74": "techniek",
    "75": "productie", "81": "productie", "82": "productie", "83": "logistiek", "91": "schoonmaak",
    "92": "agrarisch", "93": "logistiek", "94": "horeca", "95": "detailhandel", "96": "schoonmaak",
}  # fmt: skip


def sector_van(isco: str) -> str | None:
    return SECTOR_PER_ISCO2.get(isco[:2])


@dataclass(frozen=True)
class Doel:
    """The number of placements an agency agreed to, and over which period (e.g. "2025")."""

    plaatsingen: int
    periode: str


@dataclass(frozen=True)
class Uitzendbureau:
    code: str
    naam: str
    sectoren: frozenset[str]
    regios: frozenset[str]
    capaciteit: int
    actief: int = 0
    gemeenten: frozenset[str] = frozenset()  # CBS codes it serves; empty: every gemeente of its regions
    doel: Doel | None = None

    @property
    def vrij(self) -> int:
        return self.capaciteit - self.actief

    def bedient(self, gemeente: str) -> bool:
        return not self.gemeenten or gemeente in self.gemeenten

    def werkgebied(self) -> str:
        if not self.gemeenten:
            return "alle gemeenten van " + ", ".join(sorted(self.regios))
        return ", ".join(sorted(self.gemeenten))


@dataclass(frozen=True)
class Kandidaat:
    arbeidsmarktregio: str
    gemeente: str
    wensberoepen: tuple[str, ...]
    werkervaring: tuple[str, ...]  # ISCO codes of past jobs


@dataclass(frozen=True)
class Keuze:
    uitzendbureau: str
    score: float
    redenen: tuple[Reden, ...]


@dataclass(frozen=True)
class GeenKeuze:
    reden: str
    code: Mislukkingsreden = Mislukkingsreden.OVERIG


def score(kandidaat: Kandidaat, bureau: Uitzendbureau) -> tuple[float, tuple[Reden, ...]]:
    """Fit of wensberoep (first wish counts most) and werkervaring to the specialism, and load."""
    redenen: list[Reden] = []
    wens = 0.0
    for positie, isco in enumerate(kandidaat.wensberoepen):
        sector = sector_van(isco)
        if sector is not None and sector in bureau.sectoren:
            wens = max(wens, 1.0 - 0.25 * positie)
            redenen.append(Reden(factor="wensberoep", waarde=f"{isco} ({sector})", score=1.0 - 0.25 * positie))
    ervaring = 0.0
    for isco in kandidaat.werkervaring:
        sector = sector_van(isco)
        if sector is not None and sector in bureau.sectoren:
            ervaring = 0.5
            redenen.append(Reden(factor="werkervaring", waarde=f"{isco} ({sector})", score=0.5))
            break
    belasting = bureau.actief / bureau.capaciteit
    redenen.append(Reden(factor="regio", waarde=kandidaat.arbeidsmarktregio, score=0.0))
    redenen.append(
        Reden(factor="gemeente", waarde=f"{kandidaat.gemeente} (werkgebied: {bureau.werkgebied()})", score=0.0)
    )
    redenen.append(
        Reden(
            factor="belasting",
            waarde=f"{bureau.actief}/{bureau.capaciteit}",
            score=round(-0.5 * belasting, 4),
        )
    )
    return wens + ervaring - 0.5 * belasting, tuple(redenen)


def kies_uitzendbureau(kandidaat: Kandidaat, bureaus: list[Uitzendbureau]) -> Keuze | GeenKeuze:
    """The agency serving the region and the candidate's gemeente, with room left, that fits best; ties: least
    loaded, then by code."""
    regio, gemeente = kandidaat.arbeidsmarktregio, kandidaat.gemeente
    in_regio = [b for b in bureaus if regio in b.regios]
    if not in_regio:
        return GeenKeuze(
            f"geen deelnemend uitzendbureau in regio {regio}", Mislukkingsreden.GEEN_UITZENDBUREAU_IN_REGIO
        )
    in_gemeente = [b for b in in_regio if b.bedient(gemeente)]
    if not in_gemeente:
        return GeenKeuze(
            f"geen deelnemend uitzendbureau in regio {regio} bedient gemeente {gemeente}",
            Mislukkingsreden.GEEN_UITZENDBUREAU_VOOR_GEMEENTE,
        )
    met_ruimte = [b for b in in_gemeente if b.vrij > 0]
    if not met_ruimte:
        return GeenKeuze(
            f"alle uitzendbureaus voor gemeente {gemeente} in regio {regio} zitten aan hun capaciteit",
            Mislukkingsreden.CAPACITEIT_VOL,
        )
    beoordeeld = [(score(kandidaat, b), b) for b in met_ruimte]
    (beste_score, redenen), beste = min(
        beoordeeld, key=lambda sb: (-round(sb[0][0], 9), sb[1].actief / sb[1].capaciteit, sb[1].code)
    )
    return Keuze(uitzendbureau=beste.code, score=round(beste_score, 4), redenen=redenen)


TERMIJN_EERSTE_CONTACT = 5  # working days an agency has for first contact


@cache
def _nl(jaar: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("NL", years=jaar))


class Feestdagen:
    """Dutch public holidays, any year (the `holidays` package)."""

    def __contains__(self, dag: object) -> bool:
        return isinstance(dag, date) and dag in _nl(dag.year)


def werkdagen_na(start: date, n: int, feestdagen: Container[date]) -> date:
    """The date n working days after start; weekends and public holidays do not count."""
    dag, over = start, n
    while over > 0:
        dag += timedelta(days=1)
        if dag.weekday() < 5 and dag not in feestdagen:
            over -= 1
    return dag


def termijn_verlopen(termijn_tot: date, eerste_contact: date | None, vandaag: date) -> bool:
    """No first contact by the end of the last working day of the term."""
    return eerste_contact is None and vandaag > termijn_tot


@dataclass(frozen=True)
class Toewijzer:
    """The term an agency has for first contact, in working days from the assignment."""

    termijn_werkdagen: int = TERMIJN_EERSTE_CONTACT

    def termijn(self, vanaf: datetime) -> date:
        return werkdagen_na(vanaf.date(), self.termijn_werkdagen, Feestdagen())

    def reden_verlopen(self) -> str:
        return f"geen eerste contact binnen {self.termijn_werkdagen} werkdagen"


class Weigering(DomainError):
    """A reassignment the rules refuse."""

    title = "Niet mogelijk"

    def over(self, veld: str) -> Weigering:
        """The same refusal, naming the input field it concerns."""
        return type(self)(self.reden, invalid_params=[{"name": veld, "reason": self.reden}])


class Geweigerd(Weigering):
    status = 409


class NietBediend(Weigering):
    """The chosen agency does not serve the candidate's region or gemeente."""

    status = 422


def herkeuze(
    kandidaat: Kandidaat, bureaus: list[Uitzendbureau], huidig: str, eerder: set[str], naar: str | None
) -> Keuze | GeenKeuze:
    """The next agency: the chosen one (`naar`), which must serve the candidate and have room, or else the best
    one that never had the candidate (GeenKeuze: back to the gemeente)."""
    if naar is None:
        return kies_uitzendbureau(kandidaat, [b for b in bureaus if b.code not in eerder])
    if naar == huidig:
        raise Geweigerd(f"{naar} heeft deze kandidaat al")
    gekozen = [b for b in bureaus if b.code == naar]
    if not gekozen:
        raise NietBediend(f"{naar} bedient regio {kandidaat.arbeidsmarktregio} niet")
    if not gekozen[0].bedient(kandidaat.gemeente):
        raise NietBediend(f"{naar} bedient gemeente {kandidaat.gemeente} niet")
    keuze = kies_uitzendbureau(kandidaat, gekozen)
    if isinstance(keuze, GeenKeuze):
        raise Geweigerd(keuze.reden)
    return keuze


def mag_zien(rol: str, eigen_gemeenten: frozenset[str], gemeente: str) -> bool:
    """A gemeente sees its own candidates only; the other readers see all."""
    return rol != "gemeente" or gemeente in eigen_gemeenten


def peilmoment(nu: datetime, peildatum: date | None, klok_instelbaar: bool) -> datetime:
    """The moment a check runs as of: now, or the same time on another day when the clock may be set."""
    if peildatum is None or peildatum == nu.date():
        return nu
    if not klok_instelbaar:
        raise Forbidden(
            "een andere peildatum kan alleen met een instelbare klok (WERKKLOKET_KLOK_INSTELBAAR)",
            invalid_params=[{"name": "peildatum", "reason": "klok niet instelbaar"}],
        )
    return nu + timedelta(days=(peildatum - nu.date()).days)
