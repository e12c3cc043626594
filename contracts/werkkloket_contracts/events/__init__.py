"""Event payloads (CloudEvents `data`) of Werkkloket, version 1, by subject: `kandidaat`, `vacatures`,
`werknaarwerk`; codes, enumerations and base classes in `basis`.

No direct identifier ever appears here: no BSN, name, phone, e-mail or street address. A candidate is known on
the bus only by the pseudonymous `kandidaat_id`; contact data stay in the intake service.
"""

from __future__ import annotations

from .basis import Gebeurtenis
from .kandidaat import (
    AanbodGedaan,
    AanmeldingOntvangen,
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
    PlaatsingBeeindigd,
    PlaatsingBevestigd,
    PlaatsingGerealiseerd,
    ProfielAangevuld,
    SollicitatiegesprekGehouden,
    ToewijzingMislukt,
)
from .vacatures import VacatureGeopend, VacatureGesloten
from .werknaarwerk import (
    MobiliteitBeeindigd,
    MobiliteitGestart,
    MobiliteitTeruggekeerd,
    MobiliteitVoorgesteld,
    OverschotGemeld,
    TekortGemeld,
)

EVENT_TYPES: tuple[type[Gebeurtenis], ...] = (
    AanmeldingOntvangen,
    KandidaatToegewezen,
    ToewijzingMislukt,
    EersteContactGelegd,
    SollicitatiegesprekGehouden,
    PlaatsingGerealiseerd,
    ProfielAangevuld,
    KandidaatGescreend,
    KandidaatHertoegewezen,
    MatchVoorgesteld,
    GesprekGepland,
    AanbodGedaan,
    KandidaatAfgewezen,
    PlaatsingBeeindigd,
    OpvolgingBevestigd,
    OpvolgingGemist,
    PlaatsingBevestigd,
    HerinstroomGemeld,
    VacatureGeopend,
    VacatureGesloten,
    OverschotGemeld,
    TekortGemeld,
    MobiliteitVoorgesteld,
    MobiliteitGestart,
    MobiliteitTeruggekeerd,
    MobiliteitBeeindigd,
)

BY_CE_TYPE: dict[str, type[Gebeurtenis]] = {cls.ce_type(): cls for cls in EVENT_TYPES}
