"""Working days in the Netherlands: weekends and Dutch public holidays (the `holidays` package) do not count."""

from __future__ import annotations

from datetime import date
from functools import cache

import holidays


@cache
def _nl(jaar: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("NL", years=jaar))


class Feestdagen:
    """Dutch public holidays, any year."""

    def __contains__(self, dag: object) -> bool:
        return isinstance(dag, date) and dag in _nl(dag.year)
