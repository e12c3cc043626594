"""What toewijzing use cases are asked to do."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from uuid import UUID

from werkkloket_contracts import Afwijzingsreden, Hertoewijzingsaanleiding, Toewijzingseinde


@dataclass(frozen=True)
class Toewijzen:
    """Give a candidate that may go to an agency to the best one of its region and gemeente."""

    kandidaat_id: UUID
    arbeidsmarktregio: str
    gemeente: str
    profiel: dict[str, Any] | None
    op: datetime


@dataclass(frozen=True)
class Hertoewijzen:
    """Move an assigned candidate to another agency (the chosen one, `naar`), or back to the gemeente."""

    kandidaat_id: UUID
    aanleiding: Hertoewijzingsaanleiding
    reden: str
    op: datetime
    naar: str | None = None
    door: str | None = None  # the organisation on whose behalf
    verlopen_op: date | None = None  # only when the term for first contact has passed as of this date
    afwijzingsreden: Afwijzingsreden | None = None  # when the agency gave the candidate back


@dataclass(frozen=True)
class Afwijzen:
    """The agency holding the candidate declines it."""

    kandidaat_id: UUID
    door: str
    reden: str
    afwijzingsreden: Afwijzingsreden = Afwijzingsreden.OVERIG


@dataclass(frozen=True)
class Teruggeven:
    """The agency gave the candidate back through plaatsing (KandidaatAfgewezen)."""

    kandidaat_id: UUID
    uitzendbureau: str
    reden: Afwijzingsreden
    op: datetime


@dataclass(frozen=True)
class Beeindigen:
    """No agency holds the candidate any more, and none takes over. `van`: only if this agency holds it (a
    placement's end); `blijvend`: never assign the candidate again (consent withdrawn, mediation ended)."""

    kandidaat_id: UUID
    arbeidsmarktregio: str
    gemeente: str
    aanleiding: Toewijzingseinde
    datum: date
    op: datetime
    van: str | None = None
    blijvend: bool = False


@dataclass(frozen=True)
class HandmatigHertoewijzen:
    """A consultant (a gemeente, or beheer) moves the candidate by hand."""

    kandidaat_id: UUID
    door: str
    rol: str
    eigen_gemeenten: frozenset[str]
    reden: str
    naar: str | None


@dataclass(frozen=True)
class TermijnenControleren:
    """Reassign the candidates without first contact in time, as of peildatum (of one gemeente, or of all)."""

    peildatum: date
    nu: datetime
    gemeente: str | None = None


@dataclass(frozen=True)
class Termijnbewaking:
    """Beheer runs the periodic checks by hand: as of today, or of another peildatum with a settable clock."""

    peildatum: date | None
    gemeente: str | None
    klok_instelbaar: bool
