"""Plaatsing domain: what an agency may record for a candidate, in which order, and the durability checkpoints.

Plain Python: no I/O, no framework; refusals are the typed errors of `werkkloket_runtime.errors`.
"""

from .levensloop import (
    Dossier,
    Gesprek,
    Kandidaat,
    Plaatsing,
    Stap,
    eigen_plaatsing,
    genoemde_werkgever,
    gepland_gesprek_houden,
    gesprek_aangeduid,
    mag_beeindigen,
    mag_vastleggen,
)
from .opvolging import (
    MIJLPALEN,
    Opvolgstatus,
    Opvolgtaak,
    bereikt,
    bestaande_taak,
    gemist,
    laatste_werkdag,
    mag_opvolgen,
    mijlpalen,
    plus_maanden,
)

__all__ = [
    "MIJLPALEN",
    "Dossier",
    "Gesprek",
    "Kandidaat",
    "Opvolgstatus",
    "Opvolgtaak",
    "Plaatsing",
    "Stap",
    "bereikt",
    "bestaande_taak",
    "eigen_plaatsing",
    "gemist",
    "genoemde_werkgever",
    "gepland_gesprek_houden",
    "gesprek_aangeduid",
    "laatste_werkdag",
    "mag_beeindigen",
    "mag_opvolgen",
    "mag_vastleggen",
    "mijlpalen",
    "plus_maanden",
]
