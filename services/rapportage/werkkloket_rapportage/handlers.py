"""Rapportage's subscribers: every event moves its candidate's row along the funnel.

Events of one candidate come from three topics, so they may arrive in any order: each handler upserts the row
and only ever fills its own stage (earliest date wins), which makes the projection order-independent. Every
value comes from the event (its data or its ce_time), never from the clock, so a replay gives the same rows.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import bindparam, func
from sqlalchemy.dialects.postgresql import insert
from werkkloket_contracts import (
    EVENT_TYPES,
    AanbodGedaan,
    AanmeldingOntvangen,
    EersteContactGelegd,
    Envelope,
    Gebeurtenis,
    GesprekGepland,
    HerinstroomGemeld,
    KandidaatAfgewezen,
    KandidaatGebeurtenis,
    KandidaatHertoegewezen,
    KandidaatToegewezen,
    PlaatsingBeeindigd,
    PlaatsingBevestigd,
    PlaatsingGerealiseerd,
    ProfielAangevuld,
    SollicitatiegesprekGehouden,
)
from werkkloket_runtime.consumer import Batched, Handler, Rij

from . import domain
from .store import funnel_kandidaten as f
from .store import plaatsingen as p

# Statements are built once, with bind parameters; handlers only supply the values, so a batch runs each
# statement once for all its rows (executemany).


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
_p = insert(p)
PLAATSING = _p.on_conflict_do_update(
    index_elements=[p.c.plaatsing_id], set_={k: _p.excluded[k] for k in PLAATSING_KOLOMMEN}
)
EINDE = _p.on_conflict_do_update(
    index_elements=[p.c.plaatsing_id], set_={k: _p.excluded[k] for k in ("einddatum", "einde_reden")}
)


def _rij(statement: Any, event: KandidaatGebeurtenis, **values: Any) -> Rij:
    return Rij(
        statement,
        {
            "kandidaat_id": event.kandidaat_id,
            "arbeidsmarktregio": event.arbeidsmarktregio,
            "gemeente": event.gemeente,
            **values,
        },
    )


def _stage(event: KandidaatGebeurtenis, kolom: str, value: Any) -> Rij:
    return _rij(STAGE[kolom], event, **{kolom: value})


def aangemeld(env: Envelope[Any]) -> list[Rij]:
    event: AanmeldingOntvangen = env.data
    return [
        _rij(
            AANGEMELD,
            event,
            aangemeld_op=env.time,
            aangemeld_dag=domain.aanmelddag(event.aanmelddatum, env.time),
            volledig=domain.profiel_volledig(event),
            doelgroep=event.uitkering.value,
        )
    ]


def toegewezen(env: Envelope[Any]) -> list[Rij]:
    event: KandidaatToegewezen = env.data
    return [_rij(TOEGEWEZEN, event, toegewezen_op=env.time, uitzendbureau=event.uitzendbureau)]


def eerste_contact(env: Envelope[Any]) -> list[Rij]:
    event: EersteContactGelegd = env.data
    return [_stage(event, "eerste_contact_op", event.datum)]


def gesprek_gepland(env: Envelope[Any]) -> list[Rij]:
    event: GesprekGepland = env.data
    return [_stage(event, "gesprek_gepland_op", event.datum)]


def gesprek(env: Envelope[Any]) -> list[Rij]:
    event: SollicitatiegesprekGehouden = env.data
    return [_rij(GESPREK, event, gesprek_op=event.datum, aantal_gesprekken=1)]


def aanbod(env: Envelope[Any]) -> list[Rij]:
    event: AanbodGedaan = env.data
    return [_stage(event, "aanbod_op", event.datum)]


def afgewezen(env: Envelope[Any]) -> list[Rij]:
    event: KandidaatAfgewezen = env.data
    return [_stage(event, "afgewezen_op", event.datum)]


def geplaatst(env: Envelope[Any]) -> list[Rij]:
    event: PlaatsingGerealiseerd = env.data
    return [
        _stage(event, "geplaatst_op", event.startdatum),
        Rij(
            PLAATSING,
            {
                "plaatsing_id": event.plaatsing_id,
                "kandidaat_id": event.kandidaat_id,
                "uitzendbureau": event.uitzendbureau,
                "werkgever": event.werkgever,
                "startdatum": event.startdatum,
                "uren_per_week": event.uren_per_week,
                "contractvorm": event.contractvorm.value if event.contractvorm else None,
                "sbi": event.sbi,
                "beroep": event.beroep,
            },
        ),
    ]


def beeindigd(env: Envelope[Any]) -> list[Rij]:
    event: PlaatsingBeeindigd = env.data
    return [
        Rij(
            EINDE,
            {
                "plaatsing_id": event.plaatsing_id,
                "kandidaat_id": event.kandidaat_id,
                "uitzendbureau": event.uitzendbureau,
                "einddatum": event.einddatum,
                "einde_reden": event.reden.value,
            },
        )
    ]


def bevestigd(env: Envelope[Any]) -> list[Rij]:
    event: PlaatsingBevestigd = env.data
    return [_stage(event, "bevestigd_op", event.datum)]


def herinstroom(env: Envelope[Any]) -> list[Rij]:
    event: HerinstroomGemeld = env.data
    return [_stage(event, "herinstroom_op", event.datum)]


def gescreend(env: Envelope[Any]) -> list[Rij]:
    """Any event that carries a screening `categorie` (1-4) fills the categorie dimension; the latest wins."""
    if env.data.categorie is None:
        return []
    return [_rij(CATEGORIE, env.data, categorie=int(env.data.categorie))]


def hertoegewezen(env: Envelope[Any]) -> list[Rij]:
    """The candidate now counts for the agency that holds it."""
    event: KandidaatHertoegewezen = env.data
    return [Rij(HERTOEGEWEZEN, {"k": event.kandidaat_id, "bureau": event.uitzendbureau})]


HANDLERS: dict[type[Gebeurtenis], Handler] = {
    AanmeldingOntvangen: Batched(aangemeld),
    ProfielAangevuld: Batched(aangemeld),
    KandidaatHertoegewezen: Batched(hertoegewezen),
    KandidaatToegewezen: Batched(toegewezen),
    EersteContactGelegd: Batched(eerste_contact),
    GesprekGepland: Batched(gesprek_gepland),
    SollicitatiegesprekGehouden: Batched(gesprek),
    AanbodGedaan: Batched(aanbod),
    KandidaatAfgewezen: Batched(afgewezen),
    PlaatsingGerealiseerd: Batched(geplaatst),
    PlaatsingBeeindigd: Batched(beeindigd),
    PlaatsingBevestigd: Batched(bevestigd),
    HerinstroomGemeld: Batched(herinstroom),
    # Screening events (categorie 1-4) fill the categorie dimension when the contracts carry them.
    **{
        cls: Batched(gescreend)
        for cls in EVENT_TYPES
        if "categorie" in cls.model_fields and not issubclass(cls, AanmeldingOntvangen)
    },
}
