"""How events move a candidate's row along the funnel: the rows each event asks for, run set-based.

Events of one candidate come from three topics, so they may arrive in any order: each row upserts the
candidate and only ever fills its own stage (earliest date wins), which makes the projection order-independent.
Every value comes from the event (its data or its ce_time), never from the clock, so a replay gives the same
rows. Statements are built once, with bind parameters; the row builders only supply the values, so a batch
runs each statement once for all its rows (executemany).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, func
from sqlalchemy.dialects.postgresql import insert
from werkkloket_contracts import (
    AanmeldingOntvangen,
    KandidaatGebeurtenis,
    KandidaatHertoegewezen,
    KandidaatToegewezen,
    PlaatsingBeeindigd,
    PlaatsingGerealiseerd,
    SollicitatiegesprekGehouden,
)
from werkkloket_runtime.batching import Rij

from ..domain.funnel import aanmelddag, profiel_volledig
from .tables import funnel_kandidaten as f
from .tables import plaatsingen as p


def _upsert(kolommen: Mapping[str, Any]) -> Any:
    """INSERT a candidate row, or on conflict set `kolommen` (callables of the proposed row: `excluded`)."""
    ins = insert(f)
    return ins.on_conflict_do_update(
        index_elements=[f.c.kandidaat_id], set_={k: maak(ins.excluded) for k, maak in kolommen.items()}
    )


def _earliest(kolom: str) -> Any:
    return lambda excluded: func.least(f.c[kolom], excluded[kolom])


def _new(kolom: str) -> Any:
    return lambda excluded: excluded[kolom]


def _plaatsing_upsert(kolommen: tuple[str, ...]) -> Any:
    ins = insert(p)
    return ins.on_conflict_do_update(index_elements=[p.c.plaatsing_id], set_={k: ins.excluded[k] for k in kolommen})


STAGES = (
    "eerste_contact_op", "gesprek_gepland_op", "aanbod_op", "afgewezen_op", "geplaatst_op", "bevestigd_op",
    "herinstroom_op",
)  # fmt: skip
STAGE = {kolom: _upsert({kolom: _earliest(kolom)}) for kolom in STAGES}
AANGEMELD = _upsert(
    {
        "aangemeld_op": _earliest("aangemeld_op"),
        "aangemeld_dag": _earliest("aangemeld_dag"),
        "volledig": _new("volledig"),
        "doelgroep": _new("doelgroep"),
    }
)
TOEGEWEZEN = _upsert({"toegewezen_op": _earliest("toegewezen_op"), "uitzendbureau": _new("uitzendbureau")})
GESPREK = _upsert({"gesprek_op": _earliest("gesprek_op"), "aantal_gesprekken": lambda _: f.c.aantal_gesprekken + 1})
CATEGORIE = _upsert({"categorie": _new("categorie")})
HERTOEGEWEZEN = f.update().where(f.c.kandidaat_id == bindparam("k")).values(uitzendbureau=bindparam("bureau"))
PLAATSING_KOLOMMEN = ("uitzendbureau", "werkgever", "startdatum", "uren_per_week", "contractvorm", "sbi", "beroep")
PLAATSING = _plaatsing_upsert(PLAATSING_KOLOMMEN)
EINDE = _plaatsing_upsert(("einddatum", "einde_reden"))


def _rij(statement: Any, event: KandidaatGebeurtenis, **values: Any) -> Rij:
    """A row of the candidate's funnel."""
    return Rij(
        statement,
        {
            "kandidaat_id": event.kandidaat_id,
            "arbeidsmarktregio": event.arbeidsmarktregio,
            "gemeente": event.gemeente,
            **values,
        },
    )


def _plaatsing(statement: Any, event: PlaatsingGerealiseerd | PlaatsingBeeindigd, **values: Any) -> Rij:
    """A row of one placement."""
    return Rij(
        statement,
        {
            "plaatsing_id": event.plaatsing_id,
            "kandidaat_id": event.kandidaat_id,
            "uitzendbureau": event.uitzendbureau,
            **values,
        },
    )


def stage(event: KandidaatGebeurtenis, kolom: str, datum: Any) -> list[Rij]:
    """The candidate reached a stage on this date (the earliest date wins)."""
    return [_rij(STAGE[kolom], event, **{kolom: datum})]


def aangemeld(event: AanmeldingOntvangen, op: datetime) -> list[Rij]:
    return [
        _rij(
            AANGEMELD,
            event,
            aangemeld_op=op,
            aangemeld_dag=aanmelddag(event.aanmelddatum, op),
            volledig=profiel_volledig(event),
            doelgroep=event.uitkering.value,
        )
    ]


def toegewezen(event: KandidaatToegewezen, op: datetime) -> list[Rij]:
    return [_rij(TOEGEWEZEN, event, toegewezen_op=op, uitzendbureau=event.uitzendbureau)]


def gesprek(event: SollicitatiegesprekGehouden) -> list[Rij]:
    return [_rij(GESPREK, event, gesprek_op=event.datum, aantal_gesprekken=1)]


def geplaatst(event: PlaatsingGerealiseerd, werkgever: str | None) -> list[Rij]:
    """`werkgever`: opened with the person's key (None once they are erased)."""
    return [
        *stage(event, "geplaatst_op", event.startdatum),
        _plaatsing(
            PLAATSING,
            event,
            werkgever=werkgever,
            startdatum=event.startdatum,
            uren_per_week=event.uren_per_week,
            contractvorm=event.contractvorm.value if event.contractvorm else None,
            sbi=event.sbi,
            beroep=event.beroep,
        ),
    ]


def beeindigd(event: PlaatsingBeeindigd, reden: str | None) -> list[Rij]:
    """`reden`: opened with the person's key (None once they are erased)."""
    return [_plaatsing(EINDE, event, einddatum=event.einddatum, einde_reden=reden)]


def gescreend(event: KandidaatGebeurtenis, categorie: Any) -> list[Rij]:
    """A screening `categorie` (1-4) fills the categorie dimension; the latest wins."""
    if categorie is None:
        return []
    return [_rij(CATEGORIE, event, categorie=int(categorie))]


def hertoegewezen(event: KandidaatHertoegewezen) -> list[Rij]:
    """The candidate now counts for the agency that holds it."""
    return [Rij(HERTOEGEWEZEN, {"k": event.kandidaat_id, "bureau": event.uitzendbureau})]
