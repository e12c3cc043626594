"""Rapportage's subscribers: every event moves its candidate's row along the funnel (set-based, see
`adapters.funnel_rijen`), or records an employer's werk-naar-werk report or a move."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from typing import Any
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncConnection
from werkkloket_contracts import (
    AANMELDINGEN,
    EVENT_TYPES,
    PLAATSINGEN,
    TOEWIJZINGEN,
    WERK_NAAR_WERK,
    AanbodGedaan,
    AanmeldingOntvangen,
    Beeindigingsgegevens,
    EersteContactGelegd,
    Envelope,
    Gebeurtenis,
    GesprekGepland,
    HerinstroomGemeld,
    KandidaatAfgewezen,
    KandidaatHertoegewezen,
    KandidaatToegewezen,
    MobiliteitBeeindigd,
    MobiliteitGestart,
    MobiliteitTeruggekeerd,
    MobiliteitVoorgesteld,
    OverschotGemeld,
    PersoonsgegevensVerwijderd,
    PlaatsingBeeindigd,
    PlaatsingBevestigd,
    PlaatsingGerealiseerd,
    ProfielAangevuld,
    SollicitatiegesprekGehouden,
    TekortGemeld,
    Versleuteld,
    Werkgevergegevens,
    source_of,
)
from werkkloket_runtime.batching import Rij
from werkkloket_runtime.clock import SystemClock
from werkkloket_runtime.sleutelring import P, Sleutelring
from werkkloket_runtime.subscribers import EventRouter
from werkkloket_runtime.unit_of_work import UnitOfWork

from ..adapters import funnel_rijen, verwijdering, werknaarwerk

events = EventRouter(AANMELDINGEN, TOEWIJZINGEN, PLAATSINGEN, WERK_NAAR_WERK)


class Sleutels:
    """The persons' keys rapportage holds (set by the composition root). The consumer has read every key a batch
    needs before its rows are built; a person who is erased opens to nothing, as in a replay."""

    ring: Sleutelring | None = None

    def open(self, kandidaat_id: UUID, versleuteld: Versleuteld | None, soort: type[P]) -> P | None:
        if versleuteld is None:
            return None
        if self.ring is None:
            raise RuntimeError("rapportage holds no person keys (WERKKLOKET_SLEUTELS_FILE)")
        return self.ring.open_bekend(kandidaat_id, versleuteld, soort)


sleutels = Sleutels()

# --- the funnel: rows, run set-based across a batch ---

# Events that only date one stage of the candidate (their `datum`).
STAGE_VAN: dict[type[Gebeurtenis], str] = {
    EersteContactGelegd: "eerste_contact_op",
    GesprekGepland: "gesprek_gepland_op",
    AanbodGedaan: "aanbod_op",
    KandidaatAfgewezen: "afgewezen_op",
    PlaatsingBevestigd: "bevestigd_op",
    HerinstroomGemeld: "herinstroom_op",
}
# Screening events (categorie 1-4) fill the categorie dimension when the contracts carry them.
GESCREEND = tuple(
    cls for cls in EVENT_TYPES if "categorie" in cls.model_fields and not issubclass(cls, AanmeldingOntvangen)
)


@events.batched(AanmeldingOntvangen, ProfielAangevuld)
def aangemeld(env: Envelope[Any]) -> Iterable[Rij]:
    return funnel_rijen.aangemeld(env.data, env.time)


@events.batched(KandidaatToegewezen)
def toegewezen(env: Envelope[Any]) -> Iterable[Rij]:
    return funnel_rijen.toegewezen(env.data, env.time)


@events.batched(KandidaatHertoegewezen)
def hertoegewezen(env: Envelope[Any]) -> Iterable[Rij]:
    return funnel_rijen.hertoegewezen(env.data)


@events.batched(*STAGE_VAN)
def stage(env: Envelope[Any]) -> Iterable[Rij]:
    return funnel_rijen.stage(env.data, STAGE_VAN[type(env.data)], env.data.datum)


@events.batched(SollicitatiegesprekGehouden)
def gesprek(env: Envelope[Any]) -> Iterable[Rij]:
    return funnel_rijen.gesprek(env.data)


@events.batched(PlaatsingGerealiseerd, opent=True)
def geplaatst(env: Envelope[Any]) -> Iterable[Rij]:
    e: PlaatsingGerealiseerd = env.data
    werkgever = sleutels.open(e.kandidaat_id, e.persoonlijk, Werkgevergegevens)
    return funnel_rijen.geplaatst(e, werkgever.werkgever if werkgever else None)


@events.batched(PlaatsingBeeindigd, opent=True)
def beeindigd(env: Envelope[Any]) -> Iterable[Rij]:
    e: PlaatsingBeeindigd = env.data
    einde = sleutels.open(e.kandidaat_id, e.persoonlijk, Beeindigingsgegevens)
    return funnel_rijen.beeindigd(e, einde.reden.value if einde else None)


@events.batched(*GESCREEND)
def gescreend(env: Envelope[Any]) -> Iterable[Rij]:
    return funnel_rijen.gescreend(env.data, env.data.categorie)


# --- erasure: one event at a time ---


@events.subscriber(PersoonsgegevensVerwijderd)
async def persoonsgegevens_verwijderd(uow: UnitOfWork, env: Envelope[Any]) -> None:
    """Erased: the person's rows stay as anonymous counts, emptied of what only their key opened."""
    await verwijdering.verwijderd(uow, env.data, env.time)


# --- werk naar werk: one event at a time ---


@events.subscriber(OverschotGemeld)
async def overschot(uow: UnitOfWork, env: Envelope[Any]) -> None:
    e: OverschotGemeld = env.data
    await werknaarwerk.melding(uow.conn, e, e.overschot_id, "overschot", e.werkgever, e.aantal, e.vanaf)


@events.subscriber(TekortGemeld)
async def tekort(uow: UnitOfWork, env: Envelope[Any]) -> None:
    e: TekortGemeld = env.data
    await werknaarwerk.melding(uow.conn, e, e.tekort_id, "tekort", e.werkgever, e.aantal, e.vanaf)


@events.subscriber(MobiliteitVoorgesteld)
async def voorgesteld(uow: UnitOfWork, env: Envelope[Any]) -> None:
    await werknaarwerk.voorstel(uow.conn, env.data.overschot_id)


@events.subscriber(MobiliteitGestart)
async def gestart(uow: UnitOfWork, env: Envelope[Any]) -> None:
    await werknaarwerk.gestart(uow.conn, env.data)


@events.subscriber(MobiliteitTeruggekeerd)
async def teruggekeerd(uow: UnitOfWork, env: Envelope[Any]) -> None:
    await werknaarwerk.afgelopen(uow.conn, env.data.mobiliteit_id, teruggekeerd_op=env.data.datum)


@events.subscriber(MobiliteitBeeindigd)
async def mobiliteit_beeindigd(uow: UnitOfWork, env: Envelope[Any]) -> None:
    await werknaarwerk.afgelopen(uow.conn, env.data.mobiliteit_id, beeindigd_op=env.data.datum)


def on_connection(
    event_type: type[Gebeurtenis],
) -> Callable[[AsyncConnection, Envelope[Any]], Awaitable[None]] | None:
    """The subscriber of an event type, applied within a transaction the caller owns (a rebuild of the read
    model outside the consumer); None for an event rapportage does not need."""
    handler = events.handlers.get(event_type)
    if handler is None:
        return None

    async def apply(conn: AsyncConnection, env: Envelope[Any]) -> None:
        uow = UnitOfWork(conn=conn, outbox=None, clock=SystemClock(), source=source_of("rapportage"))
        await handler(uow, env)

    return apply
