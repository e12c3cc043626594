"""Whose figures a reader reads exactly (scope "cijfers"): its own; anyone else's with small cells suppressed.

- A gemeente reads its own gemeenten exactly: without a `gemeente` or `regio` filter its question is restricted
  to exactly its own gemeenten; with a `gemeente` filter of its own, exactly that one. Another gemeente or a
  region: suppressed.
- A mobility team reads the figures of its own region, always suppressed (the job seekers belong to the
  gemeenten); another region, or a gemeente outside it, is not found (404).
- The national roles (rapportage, uwv, beheer) read everything, suppressed.
- Werk naar werk is about regions: a mobility team reads its own region exactly, a gemeente the
  arbeidsmarktregio's of its gemeenten (it runs the regional werkgeversservicepunt); without a `regio` filter
  their question is restricted to those regions. Other regions and the national roles: suppressed.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from werkkloket_contracts.referentie import regio_van, regios_van
from werkkloket_runtime.errors import NotFound

from .vraag import Vraag


@dataclass(frozen=True)
class Lezer:
    """Who reads: the role, and the gemeenten and region that are its own."""

    rol: str
    gemeenten: frozenset[str] = frozenset()
    regio: str | None = None


@dataclass(frozen=True)
class Afbakening:
    """The question as the reader may ask it, and whether the answer is exact (else small cells suppressed)."""

    vraag: Vraag
    exact: bool


class BuitenRegio(NotFound):
    """A mobility team asked for figures outside its own region."""

    def __init__(self, regio: str | None) -> None:
        super().__init__(f"alleen cijfers van de eigen arbeidsmarktregio ({regio or 'geen'})")


def afbakenen(lezer: Lezer, v: Vraag) -> Afbakening:
    """The funnel-type figures (of job seekers, who belong to a gemeente)."""
    if lezer.rol == "gemeente":
        if v.gemeente is not None:
            return Afbakening(v, exact=v.gemeente in lezer.gemeenten)
        if v.regio is not None:
            return Afbakening(v, exact=False)
        return Afbakening(replace(v, gemeenten=lezer.gemeenten), exact=True)
    if lezer.rol == "mobiliteitsteam":
        eigen = lezer.regio
        if eigen is None or v.regio not in (None, eigen):
            raise BuitenRegio(eigen)
        if v.gemeente is not None and regio_van(v.gemeente) != eigen:
            raise BuitenRegio(eigen)
        return Afbakening(replace(v, regio=eigen), exact=False)
    return Afbakening(v, exact=False)


def eigen_regios(lezer: Lezer) -> frozenset[str]:
    """The regions whose werk naar werk is the reader's own."""
    if lezer.rol == "mobiliteitsteam" and lezer.regio:
        return frozenset({lezer.regio})
    if lezer.rol == "gemeente":
        return regios_van(lezer.gemeenten)
    return frozenset()


def afbakenen_regio(lezer: Lezer, v: Vraag) -> Afbakening:
    """Werk naar werk: figures of regions."""
    eigen = eigen_regios(lezer)
    if v.regio is not None:
        return Afbakening(v, exact=v.regio in eigen)
    if eigen:
        return Afbakening(replace(v, regios=eigen), exact=True)
    return Afbakening(v, exact=False)
