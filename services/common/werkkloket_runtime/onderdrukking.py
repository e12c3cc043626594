"""Small cells suppressed: figures shown outside the reader's own scope never let a count of 1 to 4 persons be
read or recomputed. Plain Python, shared by the services that publish figures.

- A count of persons from 1 to 4 is shown as "<5" (ONDERDRUKT); 0 stays 0 and 5 or more is exact.
- A figure that would reveal a suppressed count (a conversion or percentage over it, a median of a group under
  5, an amount over fewer than 5 persons) is hidden as "x" (VERBORGEN).
- Complementary: in a breakdown, when exactly one cell of a column is suppressed, the total minus the visible
  cells would give it away; the smallest other non-zero cell of that column is hidden ("x") as well.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Final, Literal

DREMPEL: Final = 5
ONDERDRUKT: Final = "<5"
VERBORGEN: Final = "x"

Verborgen = Literal["<5", "x"]
Aantal = int | Verborgen  # a count of persons as shown

TOELICHTING: Final = (
    f'Aantallen personen van 1 tot en met {DREMPEL - 1} staan als "{ONDERDRUKT}"; een cijfer waaruit zo\'n aantal '
    f"terug te rekenen is (conversie, percentage, mediaan, bedrag, of een tweede cel van een uitsplitsing) staat "
    f'als "{VERBORGEN}".'
)


def aantal(n: int) -> Aantal:
    """A count of persons as shown outside the reader's own scope."""
    return ONDERDRUKT if 0 < n < DREMPEL else n


def verborgen(waarde: Any) -> bool:
    """Whether a shown figure is suppressed or hidden."""
    return waarde in (ONDERDRUKT, VERBORGEN)


def afgeleid(waarde: Any, *bronnen: Any) -> Any:
    """A figure computed from `bronnen` (as shown): hidden when any of them is; None (nothing computed) stays."""
    if waarde is None:
        return None
    return VERBORGEN if any(verborgen(b) for b in bronnen) else waarde


def over_groep(waarde: Any, personen: int) -> Any:
    """A figure computed over a group of `personen` (a median, a sum of months): hidden for a group of 1 to 4."""
    if waarde is None:
        return None
    return VERBORGEN if 0 < personen < DREMPEL else waarde


def rij(waarden: Mapping[str, Any], personen: Iterable[str]) -> dict[str, Any]:
    """The row with each of its counts of `personen` suppressed; other fields as they are."""
    kolommen = set(personen)
    return {k: aantal(v) if k in kolommen and isinstance(v, int) else v for k, v in waarden.items()}


def aanvullend(waarden: Sequence[Any]) -> list[Any]:
    """One column of a breakdown, already suppressed: when exactly one cell is "<5", the smallest other non-zero
    exact cell is hidden too, so the total minus the visible cells gives no suppressed count."""
    if sum(1 for w in waarden if w == ONDERDRUKT) != 1:
        return list(waarden)
    kandidaten = [(w, i) for i, w in enumerate(waarden) if isinstance(w, int) and w > 0]
    if not kandidaten:
        return list(waarden)
    _, tweede = min(kandidaten)
    return [VERBORGEN if i == tweede else w for i, w in enumerate(waarden)]


def tabel(rijen: Sequence[Mapping[str, Any]], personen: Iterable[str]) -> list[dict[str, Any]]:
    """The rows of a breakdown with their counts of `personen` suppressed, each column complemented."""
    kolommen = list(personen)
    uit = [rij(r, kolommen) for r in rijen]
    for k in kolommen:
        kolom = aanvullend([r.get(k) for r in uit])
        for r, w in zip(uit, kolom, strict=True):
            if k in r:
                r[k] = w
    return uit
