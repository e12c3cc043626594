"""Which gemeente a registration is for, and for which gemeente an organisation acts."""

from __future__ import annotations

from dataclasses import dataclass

from werkkloket_contracts.referentie import GEMEENTEN, Gemeente
from werkkloket_runtime.errors import Forbidden, NotFound

from .fouten import OngeldigeVelden


class OnbekendeGemeente(OngeldigeVelden):
    def __init__(self, code: str) -> None:
        super().__init__(f"onbekende gemeente {code!r}", [{"name": "gemeente", "reason": "onbekende CBS-gemeentecode"}])
        self.code = code


def gemeente(code: str) -> Gemeente:
    try:
        return GEMEENTEN[code]
    except KeyError:
        raise OnbekendeGemeente(code) from None


@dataclass(frozen=True)
class Namens:
    """The organisation a request acts for: its code and the gemeenten it acts for (None: all, for UWV, which
    registers nationally)."""

    code: str
    gemeenten: frozenset[str] | None = frozenset()
    persoon: str = ""  # who (the token's subject), for what is recorded in their name

    def ziet(self, gemeente: str) -> bool:
        """A gemeente sees its own registrations only; UWV all."""
        return self.gemeenten is None or gemeente in self.gemeenten

    def eigen_gemeente(self, gemeente: str) -> str:
        """A gemeente's own choices are for the gemeente itself only (not UWV's)."""
        if self.gemeenten is None or gemeente not in self.gemeenten:
            raise NotFound(f"gemeente {gemeente} is niet van {self.code}")
        return gemeente


def registratiegemeente(namens: Namens, opgegeven: str | None) -> Gemeente:
    """The gemeente a registration is for: as given, or the caller's own if it has one; never another's."""
    enige = next(iter(namens.gemeenten)) if namens.gemeenten is not None and len(namens.gemeenten) == 1 else None
    code = opgegeven or enige
    if code is None:
        raise OngeldigeVelden("gemeente ontbreekt", [{"name": "gemeente"}])
    if not namens.ziet(code):
        raise Forbidden(f"{namens.code} registreert niet voor gemeente {code}")
    return gemeente(code)
