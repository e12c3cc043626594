"""Topic registry: which topic carries which events, and how each topic is configured.

Every record is keyed by its event's subject (`Gebeurtenis.sleutel`): the kandidaat id on the candidate topics,
the vacancy on werkkloket.vacatures, the surplus report (or the shortage) on werkkloket.werk-naar-werk.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .events.basis import Gebeurtenis
from .events.eerdere import EERDERE, Eerdere
from .events.kandidaat import (
    AanbodGedaan,
    AanmeldingOntvangen,
    BemiddelingBeeindigd,
    EersteContactGelegd,
    GesprekGepland,
    HerinstroomGemeld,
    KandidaatAfgewezen,
    KandidaatGescreend,
    KandidaatHertoegewezen,
    KandidaatToegewezen,
    MatchVoorgesteld,
    OpvolgingBevestigd,
    OpvolgingGemist,
    PersoonsgegevensVerwijderd,
    PlaatsingBeeindigd,
    PlaatsingBevestigd,
    PlaatsingGerealiseerd,
    ProfielAangevuld,
    SollicitatiegesprekGehouden,
    ToestemmingIngetrokken,
    ToewijzingBeeindigd,
    ToewijzingMislukt,
)
from .events.vacatures import VacatureGeopend, VacatureGesloten
from .events.werknaarwerk import (
    MobiliteitBeeindigd,
    MobiliteitGestart,
    MobiliteitTeruggekeerd,
    MobiliteitVoorgesteld,
    OverschotGemeld,
    TekortGemeld,
)

FOREVER = "-1"


@dataclass(frozen=True)
class Topic:
    name: str
    producer: str
    events: tuple[type[Gebeurtenis], ...]
    # The services that consume the topic (the broker lets only them, and beheer, read it).
    consumers: tuple[str, ...] = ()
    partitions: int = 6
    config: dict[str, str] = field(default_factory=dict)


AANMELDINGEN = Topic(
    "werkkloket.aanmeldingen",
    producer="intake",
    consumers=("matching", "plaatsing", "rapportage"),
    events=(
        AanmeldingOntvangen,
        ProfielAangevuld,
        KandidaatGescreend,
        PlaatsingBevestigd,
        HerinstroomGemeld,
        ToestemmingIngetrokken,
        BemiddelingBeeindigd,
        PersoonsgegevensVerwijderd,
    ),
    config={"retention.ms": FOREVER, "retention.bytes": FOREVER},
)
TOEWIJZINGEN = Topic(
    "werkkloket.toewijzingen",
    producer="matching",
    consumers=("intake", "plaatsing", "rapportage"),
    events=(KandidaatToegewezen, ToewijzingMislukt, KandidaatHertoegewezen, ToewijzingBeeindigd),
    config={"retention.ms": FOREVER, "retention.bytes": FOREVER},
)
PLAATSINGEN = Topic(
    "werkkloket.plaatsingen",
    producer="plaatsing",
    consumers=("matching", "rapportage"),
    events=(
        EersteContactGelegd,
        SollicitatiegesprekGehouden,
        PlaatsingGerealiseerd,
        GesprekGepland,
        AanbodGedaan,
        KandidaatAfgewezen,
        PlaatsingBeeindigd,
        OpvolgingBevestigd,
        OpvolgingGemist,
    ),
    config={"retention.ms": FOREVER, "retention.bytes": FOREVER},
)
MATCHES = Topic(
    "werkkloket.matches",
    producer="matching",
    events=(MatchVoorgesteld,),
    config={"retention.ms": FOREVER, "retention.bytes": FOREVER},
)
VACATURES = Topic(
    "werkkloket.vacatures",
    producer="matching",
    events=(VacatureGeopend, VacatureGesloten),
    config={"retention.ms": FOREVER, "retention.bytes": FOREVER},
)
WERK_NAAR_WERK = Topic(
    "werkkloket.werk-naar-werk",
    producer="matching",
    consumers=("rapportage",),
    events=(
        OverschotGemeld,
        TekortGemeld,
        MobiliteitVoorgesteld,
        MobiliteitGestart,
        MobiliteitTeruggekeerd,
        MobiliteitBeeindigd,
    ),
    config={"retention.ms": FOREVER, "retention.bytes": FOREVER},
)
DAG_MS = 24 * 3600 * 1000
# Undecodable or unprocessable messages, with headers naming the reason and the origin. Kept for re-drive, and
# gone within 30 days: a segment rolls daily, so no record outlives the retention by more than a day.
DEAD_LETTERS = Topic(
    "werkkloket.dead-letters",
    producer="any",
    events=(),
    partitions=1,
    config={"retention.ms": str(29 * DAG_MS), "segment.ms": str(DAG_MS)},
)

# Each person's data key, wrapped for every service allowed to read their encrypted fields (a Persoonssleutel,
# keyed by kandidaat_id), compacted: only the latest record per person stays. Erasure writes a tombstone (no
# value); the cleaner then removes the person's earlier records: a segment rolls hourly and is compacted within a
# day, and the tombstone itself goes a day after that.
SLEUTELS = Topic(
    "werkkloket.sleutels",
    producer="intake",
    consumers=("matching", "plaatsing", "rapportage"),
    events=(),
    config={
        "cleanup.policy": "compact",
        "segment.ms": str(3600 * 1000),
        "max.compaction.lag.ms": str(DAG_MS),
        "min.cleanable.dirty.ratio": "0.01",
        "delete.retention.ms": str(DAG_MS),
    },
)

ALL_TOPICS: tuple[Topic, ...] = (
    AANMELDINGEN,
    TOEWIJZINGEN,
    PLAATSINGEN,
    MATCHES,
    VACATURES,
    WERK_NAAR_WERK,
    SLEUTELS,
    DEAD_LETTERS,
)


def topic_for(event_type: type[Gebeurtenis]) -> Topic:
    """The topic that carries the type (an earlier version: the topic of its current one)."""
    current = event_type.huidig if issubclass(event_type, Eerdere) else event_type
    for topic in ALL_TOPICS:
        if current in topic.events:
            return topic
    raise KeyError(f"no topic carries {event_type.__name__}")


# Every event type, in topic order: a type exists on the bus only through the topic that carries it.
EVENT_TYPES: tuple[type[Gebeurtenis], ...] = tuple(e for t in ALL_TOPICS for e in t.events)
# What a consumer reads: every current type, and every earlier version still on the topics (upcast on decode).
BY_CE_TYPE: dict[str, type[Gebeurtenis]] = {cls.ce_type(): cls for cls in (*EVENT_TYPES, *EERDERE)}

# Which service may publish each event type: a consumer refuses the type from anyone else (see `decode`).
PRODUCER_OF: dict[type[Gebeurtenis], str] = {
    **{e: t.producer for t in ALL_TOPICS for e in t.events},
    **{e: topic_for(e).producer for e in EERDERE},
}
