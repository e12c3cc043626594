"""The reports with small cells suppressed, for a reader outside their scope (`werkkloket_runtime.onderdrukking`
holds the rule: counts of 1 to 4 persons as "<5", figures that would reveal one as "x", and a second cell of a
breakdown hidden when only one is suppressed). Each function takes a report as computed and returns it as shown."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from werkkloket_runtime.onderdrukking import afgeleid, over_groep, rij, tabel

from .funnel import STAPPEN
from .werknaarwerk import TELLERS

FUNNEL = (*STAPPEN, "geclaimd")
DOORLOOPTIJD = ("contact_aantal", "plaatsing_aantal", "toegewezen", "termijn_overschreden")
# Each percentile and the count of the group it is computed over.
PERCENTIELEN = {
    "contact_p50": "contact_aantal",
    "contact_p90": "contact_aantal",
    "plaatsing_p50": "plaatsing_aantal",
    "plaatsing_p90": "plaatsing_aantal",
}
PER_MAAND = ("geplaatst", "geclaimd", "beoordeelbaar", "duurzaam")
MIJLPAAL = ("geplaatst", "beoordeelbaar", "duurzaam")
WERK_NAAR_WERK = (*TELLERS, "werkloosheid_voorkomen")
GEMELD = ("overschot_mensen", "voorstellen")  # places short are no persons: exact


def _conversies(r: dict[str, Any]) -> dict[str, Any]:
    """Each conversion "a->b" hidden when stage a or b is."""
    if "conversie" in r:
        r["conversie"] = {k: afgeleid(v, *(r[s] for s in k.split("->"))) for k, v in r["conversie"].items()}
    return r


def funnel(
    totaal: Mapping[str, Any], groepen: Sequence[Mapping[str, Any]], per_uitzendbureau: Sequence[Mapping[str, Any]]
) -> tuple[dict[str, Any], list[dict[str, Any]], list[dict[str, Any]]]:
    """The funnel in total, per group and per agency (each breakdown complemented column by column)."""
    return (
        _conversies(rij(totaal, FUNNEL)),
        [_conversies(g) for g in tabel(groepen, FUNNEL)],
        [_conversies(b) for b in tabel(per_uitzendbureau, FUNNEL)],
    )


def _doorlooptijd(r: Mapping[str, Any]) -> dict[str, Any]:
    """Percentiles of a group of 1 to 4 hidden (judged on the exact count)."""
    return {k: over_groep(v, r[PERCENTIELEN[k]]) if k in PERCENTIELEN else v for k, v in r.items()}


def doorlooptijden(r: Mapping[str, Any]) -> dict[str, Any]:
    return {
        **r,
        "totaal": rij(_doorlooptijd(r["totaal"]), DOORLOOPTIJD),
        "per_uitzendbureau": tabel([_doorlooptijd(b) for b in r["per_uitzendbureau"]], DOORLOOPTIJD),
    }


def plaatsingen_per_maand(r: Mapping[str, Any]) -> dict[str, Any]:
    return {**r, "maanden": tabel(r["maanden"], PER_MAAND)}


def duurzaamheid(r: Mapping[str, Any]) -> dict[str, Any]:
    mijlpalen = []
    for m in r["mijlpalen"]:
        uit = rij(m, MIJLPAAL)
        uit["percentage"] = afgeleid(m["percentage"], uit["duurzaam"], uit["beoordeelbaar"])
        mijlpalen.append(uit)
    return {**r, "mijlpalen": mijlpalen}


def _voortgang(r: dict[str, Any]) -> dict[str, Any]:
    r["voortgang"] = afgeleid(r["voortgang"], r["gerealiseerd"])
    return r


def doelen(r: Mapping[str, Any]) -> dict[str, Any]:
    """Targets (doel, afgesproken) are no persons: exact; what was realised, and the progress, suppressed."""
    return {
        **r,
        "programmas": [_voortgang(rij(p, ("gerealiseerd",))) for p in r["programmas"]],
        "uitzendbureaus": [_voortgang(b) for b in tabel(r["uitzendbureaus"], ("gerealiseerd",))],
    }


def uitkeringsbesparing(r: Mapping[str, Any]) -> dict[str, Any]:
    """Benefit months and the amount over fewer than 5 persons hidden."""
    personen = r["personen"]
    return {
        **rij(r, ("personen",)),
        "uitkeringsmaanden": over_groep(r["uitkeringsmaanden"], personen),
        "bedrag": over_groep(r["bedrag"], personen),
    }


def werk_naar_werk(r: Mapping[str, Any]) -> dict[str, Any]:
    return {
        **r,
        "totaal": rij(r["totaal"], WERK_NAAR_WERK),
        "per_regio_sectorpaar": tabel(r["per_regio_sectorpaar"], WERK_NAAR_WERK),
        "gemeld": rij(r["gemeld"], GEMELD),
    }
