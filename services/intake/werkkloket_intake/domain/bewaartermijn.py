"""How long intake keeps a registration once nothing more happens with it (the retention schedule, AVG art. 5(1)(e)).

When the term has passed since the registration's last change of status, the person is erased everywhere, as on
the gemeente's request (aanleiding `bewaartermijn`). The README's privacy section lists the same terms.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import datetime

from .aanmelding import Status


@dataclass(frozen=True)
class Bewaartermijn:
    status: Status
    maanden: int
    waarom: str


TERMIJNEN: tuple[Bewaartermijn, ...] = (
    Bewaartermijn(Status.AFGEROND, 24, "geen uitzendbureau meer: de plaatsing eindigde of de opvolging is voorbij"),
    Bewaartermijn(Status.BEEINDIGD, 24, "de gemeente beeindigde de bemiddeling"),
    Bewaartermijn(Status.VERVALLEN, 3, "een consulent bevestigde dat de aanmelding dubbel is"),
    Bewaartermijn(Status.ONVOLLEDIG, 12, "nooit aangevuld, dus nooit overgedragen"),
)


def maanden_terug(nu: datetime, maanden: int) -> datetime:
    """`nu` minus whole months (the last day of a shorter month when the day does not exist there)."""
    index = nu.year * 12 + nu.month - 1 - maanden
    jaar, maand = divmod(index, 12)
    dag = min(nu.day, calendar.monthrange(jaar, maand + 1)[1])
    return nu.replace(year=jaar, month=maand + 1, day=dag)


def grenzen(nu: datetime) -> dict[Status, datetime]:
    """Per status with a term: a registration unchanged since before this moment is past its term."""
    return {t.status: maanden_terug(nu, t.maanden) for t in TERMIJNEN}


def verlopen(status: Status, sinds: datetime, nu: datetime) -> bool:
    grens = grenzen(nu).get(status)
    return grens is not None and sinds < grens
