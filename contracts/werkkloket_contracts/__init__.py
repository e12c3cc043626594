"""Werkkloket event contracts: the single source of truth for what travels on the bus."""

from .envelope import DecodeError, Envelope, KafkaRecord, decode, encode, source_of
from .events import (
    BY_CE_TYPE,
    EVENT_TYPES,
    AanmeldingOntvangen,
    EersteContactGelegd,
    Gebeurtenis,
    KandidaatToegewezen,
    Opleidingsniveau,
    PlaatsingGerealiseerd,
    Reden,
    SollicitatiegesprekGehouden,
    ToewijzingMislukt,
    Uitkering,
    Werkervaring,
)
from .topics import AANMELDINGEN, ALL_TOPICS, DEAD_LETTERS, PLAATSINGEN, TOEWIJZINGEN, Topic, topic_for

__all__ = [
    "AANMELDINGEN",
    "ALL_TOPICS",
    "BY_CE_TYPE",
    "DEAD_LETTERS",
    "EVENT_TYPES",
    "PLAATSINGEN",
    "TOEWIJZINGEN",
    "AanmeldingOntvangen",
    "DecodeError",
    "EersteContactGelegd",
    "Envelope",
    "Gebeurtenis",
    "KafkaRecord",
    "KandidaatToegewezen",
    "Opleidingsniveau",
    "PlaatsingGerealiseerd",
    "Reden",
    "SollicitatiegesprekGehouden",
    "ToewijzingMislukt",
    "Topic",
    "Uitkering",
    "Werkervaring",
    "decode",
    "encode",
    "source_of",
    "topic_for",
]
