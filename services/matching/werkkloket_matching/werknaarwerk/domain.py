"""Werk naar werk: moving people from an employer with a surplus to an employer with a shortage. No I/O.

A move is proposed when the shortage's occupation is one the surplus group does, or is in the same sector, or when
the group's skills cover enough of what the shortage asks (a labelled move to another sector). An employer's
exclusions (competitors by SBI branch, named companies) and the regions it allows come first.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from werkkloket_contracts import Mobiliteitsvorm, Reden
from werkkloket_contracts.referentie import regio_van, regios_van
from werkkloket_runtime.errors import Forbidden, Invalid

from ..vacatures.domain import sector

REGELVERSIE = "werk-naar-werk-v1"
TOP_N = 5
GEWICHTEN = {"beroep": 0.35, "skills": 0.35, "regio": 0.10, "beschikbaarheid": 0.10, "omvang": 0.10}
# Share of the shortage's skills the group must have for a move into another occupation or sector.
MIN_SKILLS_OVERLAP = 0.3
# Days a surplus may become available after the shortage starts before the fit drops to zero.
WACHTDAGEN = 90


def skills(items: list[str]) -> list[str]:
    """Skills as stored and compared: trimmed, lower case, each once, sorted."""
    return sorted({s.strip().lower() for s in items if s.strip()})


@dataclass(frozen=True)
class Melder:
    """Who acts: an employer for itself, a werkgeversservicepunt (gemeente) for the employers in the
    arbeidsmarktregio's of its gemeenten, or a regional mobility team, which only reads what is in its region."""

    code: str
    is_werkgever: bool
    # Where a WSP or a mobility team acts; an employer acts for itself wherever it is (None).
    regios: frozenset[str] | None = None
    alleen_lezen: bool = False

    @classmethod
    def werkgever(cls, code: str) -> Melder:
        return cls(code=code, is_werkgever=True)

    @classmethod
    def wsp(cls, code: str, gemeenten: Iterable[str]) -> Melder:
        """A gemeente's WSP: the arbeidsmarktregio's of its gemeenten (none for codes not in the reference)."""
        return cls(code=code, is_werkgever=False, regios=regios_van(frozenset(gemeenten)))

    @classmethod
    def mobiliteitsteam(cls, code: str, regio: str | None) -> Melder:
        return cls(code=code, is_werkgever=False, regios=frozenset({regio} if regio else ()), alleen_lezen=True)

    def mag_in(self, regio: str) -> bool:
        """Whether it may act in (or read of) this arbeidsmarktregio."""
        return self.regios is None or regio in self.regios

    def meldt_in(self, arbeidsmarktregio: str, gemeente: str) -> None:
        """A WSP reports only in its own regions, for a gemeente there; refused naming the field otherwise (the
        region is input, not an object whose existence could leak)."""
        if self.alleen_lezen:
            raise Forbidden("een mobiliteitsteam meldt niet")
        if not self.mag_in(arbeidsmarktregio):
            raise Forbidden(
                f"{self.code} meldt niet in arbeidsmarktregio {arbeidsmarktregio}",
                invalid_params=[{"name": "arbeidsmarktregio", "reason": "buiten de eigen arbeidsmarktregio's"}],
            )
        regio = regio_van(gemeente)
        if self.regios is not None and regio is not None and regio != arbeidsmarktregio:
            raise Forbidden(
                f"gemeente {gemeente} ligt niet in arbeidsmarktregio {arbeidsmarktregio}",
                invalid_params=[{"name": "gemeente", "reason": f"ligt in {regio}"}],
            )

    def namens(self, werkgever: str | None) -> str:
        """The employer a report is for: the caller itself, or the one a WSP names."""
        if self.alleen_lezen:
            raise Forbidden("een mobiliteitsteam meldt niet en start geen mobiliteit")
        if self.is_werkgever:
            if werkgever not in (None, self.code):
                raise Forbidden("een werkgever meldt alleen voor zichzelf", invalid_params=[{"name": "werkgever"}])
            return self.code
        if werkgever is None:
            raise Invalid("werkgever", "het WSP meldt namens een werkgever: noem die")
        return werkgever

    def ziet(self, werkgevers: Iterable[str], regios: Iterable[str]) -> bool:
        """An employer sees only what it is part of; a WSP or a team what touches one of its regions (a move
        from a surplus in one region to a shortage in another is in both)."""
        if self.is_werkgever:
            return self.code in werkgevers
        return any(self.mag_in(r) for r in regios)

    def mag_handelen(self, werkgevers: Iterable[str], regios: Iterable[str]) -> bool:
        """What it sees, unless it only reads."""
        return not self.alleen_lezen and self.ziet(werkgevers, regios)


@dataclass(frozen=True)
class Overschot:
    overschot_id: str
    werkgever: str
    sbi: str
    arbeidsmarktregio: str
    beschikbaar: int  # people not yet moved
    beroepen: tuple[str, ...]
    skills: frozenset[str]
    vanaf: date
    uitlenen_toegestaan: bool
    uitlenen_tot: date | None
    regios: frozenset[str]
    zelfde_branche: bool = False
    branches: tuple[str, ...] = ()
    uitgesloten_werkgevers: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Tekort:
    tekort_id: str
    werkgever: str
    sbi: str
    arbeidsmarktregio: str
    open: int  # places not yet filled
    beroep: str
    skills: frozenset[str]
    vanaf: date


@dataclass(frozen=True)
class Voorstel:
    overschot_id: str
    tekort_id: str
    score: float
    factoren: tuple[Reden, ...]
    sectoroverstap: bool
    van_sector: str
    naar_sector: str
    vormen: tuple[Mobiliteitsvorm, ...]


def uitsluiting(o: Overschot, t: Tekort) -> str | None:
    """Why this shortage may not receive people of this surplus, or None when it may."""
    if o.werkgever == t.werkgever:
        return "zelfde werkgever"
    if t.werkgever in o.uitgesloten_werkgevers:
        return f"werkgever {t.werkgever} uitgesloten"
    if o.zelfde_branche and o.sbi[:2] == t.sbi[:2]:
        return f"concurrent: zelfde SBI-branche {o.sbi[:2]}"
    for branche in o.branches:
        if t.sbi.startswith(branche):
            return f"SBI-branche {branche} uitgesloten"
    if t.arbeidsmarktregio not in o.regios:
        return f"regio {t.arbeidsmarktregio} niet toegestaan"
    return None


def vormen(o: Overschot, t: Tekort) -> tuple[Mobiliteitsvorm, ...]:
    """A transfer is always possible; lending only when allowed and still allowed when the shortage starts."""
    uitlenen = o.uitlenen_toegestaan and (o.uitlenen_tot is None or o.uitlenen_tot > t.vanaf)
    return (Mobiliteitsvorm.OVERGANG, Mobiliteitsvorm.DETACHERING) if uitlenen else (Mobiliteitsvorm.OVERGANG,)


def voorstel(o: Overschot, t: Tekort) -> Voorstel | None:
    """The proposed move, explained per factor; None when excluded or when nothing supports the move."""
    if o.beschikbaar <= 0 or t.open <= 0 or uitsluiting(o, t) is not None:
        return None
    naar_sector = sector(t.beroep) or "overig"
    overlap = o.skills & t.skills
    dekking = len(overlap) / len(t.skills) if t.skills else 0.0
    zelfde_sector = [b for b in o.beroepen if sector(b) == naar_sector]
    if t.beroep in o.beroepen:
        van_beroep, beroep, uitleg, overstap = t.beroep, 1.0, f"zelfde beroep {t.beroep}", False
    elif zelfde_sector:
        van_beroep, beroep, overstap = zelfde_sector[0], 0.7, False
        uitleg = f"verwant beroep in {naar_sector} ({van_beroep} -> {t.beroep})"
    elif overlap and dekking >= MIN_SKILLS_OVERLAP:
        van_beroep, beroep, overstap = o.beroepen[0], 0.4, True
        uitleg = (
            f"sectoroverstap {sector(van_beroep) or 'overig'} -> {naar_sector} ({t.beroep}) "
            f"op grond van skills {', '.join(sorted(overlap))}"
        )
    else:
        return None
    van_sector = sector(van_beroep) or "overig"
    overstap = overstap or van_sector != naar_sector
    if t.arbeidsmarktregio == o.arbeidsmarktregio:
        regio, regio_uitleg = 1.0, f"zelfde arbeidsmarktregio {t.arbeidsmarktregio}"
    else:
        regio, regio_uitleg = 0.6, f"andere toegestane regio {o.arbeidsmarktregio} -> {t.arbeidsmarktregio}"
    te_laat = (o.vanaf - t.vanaf).days
    if te_laat <= 0:
        beschikbaar, beschikbaar_uitleg = 1.0, f"beschikbaar vanaf {o.vanaf}, gevraagd vanaf {t.vanaf}"
    else:
        beschikbaar = max(0.0, 1 - te_laat / WACHTDAGEN)
        beschikbaar_uitleg = f"beschikbaar {te_laat} dagen na de gevraagde start {t.vanaf}"
    omvang = min(o.beschikbaar, t.open) / t.open
    delen = {
        "beroep": (beroep, uitleg),
        "skills": (
            dekking if t.skills else 1.0,
            f"{len(overlap)}/{len(t.skills)} gevraagde skills" if t.skills else "geen skills gevraagd",
        ),
        "regio": (regio, regio_uitleg),
        "beschikbaarheid": (beschikbaar, beschikbaar_uitleg),
        "omvang": (omvang, f"{min(o.beschikbaar, t.open)} van {t.open} plaatsen te vullen"),
    }
    factoren = tuple(
        Reden(factor=naam, waarde=tekst, score=round(GEWICHTEN[naam] * waarde, 4))
        for naam, (waarde, tekst) in delen.items()
    )
    return Voorstel(
        overschot_id=o.overschot_id,
        tekort_id=t.tekort_id,
        score=round(sum(f.score for f in factoren), 4),
        factoren=factoren,
        sectoroverstap=overstap,
        van_sector=van_sector,
        naar_sector=naar_sector,
        vormen=vormen(o, t),
    )


def beste_tekorten(o: Overschot, tekorten: Iterable[Tekort], n: int = TOP_N) -> list[Voorstel]:
    """The best n shortages for a surplus, best first; ties by id so the result is deterministic."""
    kandidaten = (voorstel(o, t) for t in tekorten)
    return heapq.nsmallest(n, (v for v in kandidaten if v), key=lambda v: (-v.score, v.tekort_id))


def beste_overschotten(t: Tekort, overschotten: Iterable[Overschot], n: int = TOP_N) -> list[Voorstel]:
    """The best n surpluses for a shortage, best first; ties by id."""
    kandidaten = (voorstel(o, t) for o in overschotten)
    return heapq.nsmallest(n, (v for v in kandidaten if v), key=lambda v: (-v.score, v.overschot_id))


def startfout(
    o: Overschot, vorm: Mobiliteitsvorm, startdatum: date, terugkeerdatum: date | None
) -> tuple[str, str] | None:
    """(field, reason) when a move may not start like this, or None."""
    if startdatum < o.vanaf:
        return "startdatum", f"het overschot is pas beschikbaar vanaf {o.vanaf}"
    if vorm is Mobiliteitsvorm.OVERGANG:
        if terugkeerdatum is not None:
            return "terugkeerdatum", "een overgang heeft geen terugkeerdatum; kies detachering"
        return None
    if not o.uitlenen_toegestaan:
        return "vorm", "deze werkgever staat uitlenen (detachering) niet toe"
    if terugkeerdatum is None:
        return "terugkeerdatum", "een detachering heeft een terugkeerdatum"
    if terugkeerdatum <= startdatum:
        return "terugkeerdatum", "de terugkeerdatum ligt niet na de startdatum"
    if o.uitlenen_tot is not None and terugkeerdatum > o.uitlenen_tot:
        return "terugkeerdatum", f"uitlenen mag tot {o.uitlenen_tot}"
    return None


def terug_te_keren(lopend: Iterable[tuple[str, date]], peildatum: date) -> list[tuple[str, date]]:
    """The lendings (id, return date) whose return date has come as of peildatum, in date order."""
    return sorted(((m, d) for m, d in lopend if d <= peildatum), key=lambda x: (x[1], x[0]))
