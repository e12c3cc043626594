"""Rapportage's figures outside the reader's own scope: the suppression of each report, and whose figures a
reader reads exactly."""

from dataclasses import asdict
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from werkkloket_rapportage.domain import onderdrukking
from werkkloket_rapportage.domain.besparing import besparing
from werkkloket_rapportage.domain.funnel import Funnel
from werkkloket_rapportage.domain.lezer import BuitenRegio, Lezer, afbakenen, afbakenen_regio
from werkkloket_rapportage.domain.vraag import Vraag

PEIL = date(2020, 12, 31)
DEN_HAAG = Lezer("gemeente", frozenset({"GM0518"}))
TWEE = Lezer("gemeente", frozenset({"GM0518", "GM0503"}))
RIJNMOND = Lezer("mobiliteitsteam", regio="rijnmond")


def _funnel(**stappen: int) -> dict[str, Any]:
    f = Funnel()
    for stap, n in stappen.items():
        setattr(f, stap, n)
    return vars(f.met_conversie())


def test_funnel_counts_and_their_conversions_suppressed() -> None:
    totaal, _, _ = onderdrukking.funnel(
        _funnel(aangemeld=40, volledig=30, toegewezen=30, eerste_contact=20, gesprek=9, geplaatst=3, duurzaam=1),
        [],
        [],
    )
    assert (totaal["aangemeld"], totaal["gesprek"], totaal["geplaatst"], totaal["duurzaam"]) == (40, 9, "<5", "<5")
    assert totaal["geclaimd"] == 0
    c = totaal["conversie"]
    assert c["eerste_contact->gesprek"] == 0.45  # both exact
    assert c["gesprek->geplaatst"] == "x" and c["geplaatst->duurzaam"] == "x" and c["aangemeld->geplaatst"] == "x"


def test_funnel_per_uitzendbureau_gets_a_second_cell_hidden() -> None:
    bureaus = [
        {"uitzendbureau": "a", **_funnel(aangemeld=0, toegewezen=3, geplaatst=0)},
        {"uitzendbureau": "b", **_funnel(aangemeld=0, toegewezen=12, geplaatst=6)},
        {"uitzendbureau": "c", **_funnel(aangemeld=0, toegewezen=25, geplaatst=7)},
    ]
    _, _, per = onderdrukking.funnel(_funnel(aangemeld=40, toegewezen=40, geplaatst=13), [], bureaus)
    assert [b["toegewezen"] for b in per] == ["<5", "x", 25]  # 40 - 25 would otherwise give a's 3
    assert [b["geplaatst"] for b in per] == [0, 6, 7]
    assert per[1]["conversie"]["toegewezen->eerste_contact"] == "x"


def test_doorlooptijden_percentiles_of_a_small_group_hidden() -> None:
    rij = {
        "contact_aantal": 4,
        "contact_p50": 3.0,
        "contact_p90": 8.0,
        "plaatsing_aantal": 12,
        "plaatsing_p50": 40.0,
        "plaatsing_p90": 80.0,
        "toegewezen": 12,
        "termijn_overschreden": 0,
    }
    r = onderdrukking.doorlooptijden({"totaal": rij, "per_uitzendbureau": []})
    t = r["totaal"]
    assert (t["contact_aantal"], t["contact_p50"], t["contact_p90"]) == ("<5", "x", "x")
    assert (t["plaatsing_aantal"], t["plaatsing_p50"], t["plaatsing_p90"]) == (12, 40.0, 80.0)


def test_duurzaamheid_percentage_hidden_with_its_counts() -> None:
    r = onderdrukking.duurzaamheid(
        {
            "mijlpalen": [
                {"maanden": 1, "geplaatst": 10, "beoordeelbaar": 10, "duurzaam": 8, "percentage": 80.0},
                {"maanden": 3, "geplaatst": 10, "beoordeelbaar": 4, "duurzaam": 2, "percentage": 50.0},
                {"maanden": 6, "geplaatst": 10, "beoordeelbaar": 0, "duurzaam": 0, "percentage": None},
            ]
        }
    )
    assert [(m["beoordeelbaar"], m["duurzaam"], m["percentage"]) for m in r["mijlpalen"]] == [
        (10, 8, 80.0),
        ("<5", "<5", "x"),
        (0, 0, None),
    ]


def test_doelen_targets_exact_realised_and_progress_suppressed() -> None:
    r = onderdrukking.doelen(
        {
            "programmas": [{"code": "p", "doel": 500, "gerealiseerd": 3, "voortgang": 0.6}],
            "uitzendbureaus": [
                {"uitzendbureau": "a", "afgesproken": 10, "gerealiseerd": 2, "voortgang": 20.0},
                {"uitzendbureau": "b", "afgesproken": 10, "gerealiseerd": 9, "voortgang": 90.0},
            ],
        }
    )
    assert r["programmas"] == [{"code": "p", "doel": 500, "gerealiseerd": "<5", "voortgang": "x"}]
    assert [(b["afgesproken"], b["gerealiseerd"], b["voortgang"]) for b in r["uitzendbureaus"]] == [
        (10, "<5", "x"),
        (10, "x", "x"),
    ]


def test_uitkeringsbesparing_over_fewer_than_five_persons_hidden() -> None:
    b = besparing(14, Decimal("1300.00"), PEIL, personen=3)
    r = onderdrukking.uitkeringsbesparing({**asdict(b), "bedrag": str(b.bedrag)})
    assert (r["personen"], r["uitkeringsmaanden"], r["bedrag"]) == ("<5", "x", "x")
    ruim = besparing(40, Decimal("1300.00"), PEIL, personen=6)
    r = onderdrukking.uitkeringsbesparing({**asdict(ruim), "bedrag": str(ruim.bedrag)})
    assert (r["personen"], r["uitkeringsmaanden"], r["bedrag"]) == (6, 40, "52000.00")


def test_werk_naar_werk_people_suppressed_places_exact() -> None:
    r = onderdrukking.werk_naar_werk(
        {
            "totaal": {"gestart": 2, "werkloosheid_voorkomen": 2},
            "per_regio_sectorpaar": [{"arbeidsmarktregio": "rijnmond", "gestart": 2, "werkloosheid_voorkomen": 2}],
            "gemeld": {"overschot_mensen": 40, "tekort_plaatsen": 3, "voorstellen": 1},
        }
    )
    assert r["totaal"] == {"gestart": "<5", "werkloosheid_voorkomen": "<5"}
    assert r["per_regio_sectorpaar"][0]["gestart"] == "<5"
    assert r["gemeld"] == {"overschot_mensen": 40, "tekort_plaatsen": 3, "voorstellen": "<5"}


def test_a_gemeente_without_filter_reads_exactly_its_own_gemeenten() -> None:
    a = afbakenen(TWEE, Vraag(PEIL))
    assert a.exact and a.vraag.gemeenten == frozenset({"GM0518", "GM0503"})
    assert a.vraag.filters()["gemeenten"] == "GM0503,GM0518"


def test_a_gemeente_reads_one_of_its_own_exactly_and_anything_else_suppressed() -> None:
    eigen = afbakenen(TWEE, Vraag(PEIL, gemeente="GM0503"))
    assert eigen.exact and eigen.vraag == Vraag(PEIL, gemeente="GM0503")
    ander = afbakenen(DEN_HAAG, Vraag(PEIL, gemeente="GM0356"))
    assert not ander.exact and ander.vraag.gemeenten is None
    regio = afbakenen(DEN_HAAG, Vraag(PEIL, regio="haaglanden"))
    assert not regio.exact and regio.vraag == Vraag(PEIL, regio="haaglanden")


@pytest.mark.parametrize("rol", ["rapportage", "uwv", "beheer"])
def test_national_roles_read_everything_suppressed(rol: str) -> None:
    for v in (Vraag(PEIL), Vraag(PEIL, gemeente="GM0518"), Vraag(PEIL, regio="rijnmond")):
        a = afbakenen(Lezer(rol), v)
        assert not a.exact and a.vraag == v
        assert not afbakenen_regio(Lezer(rol), v).exact


def test_a_mobility_team_reads_its_own_region_suppressed_and_nothing_else() -> None:
    a = afbakenen(RIJNMOND, Vraag(PEIL))
    assert not a.exact and a.vraag.regio == "rijnmond"
    assert afbakenen(RIJNMOND, Vraag(PEIL, gemeente="GM0599")).vraag.gemeente == "GM0599"
    with pytest.raises(BuitenRegio):
        afbakenen(RIJNMOND, Vraag(PEIL, regio="haaglanden"))
    with pytest.raises(BuitenRegio):
        afbakenen(RIJNMOND, Vraag(PEIL, gemeente="GM0518"))


def test_werk_naar_werk_is_exact_for_the_own_regions() -> None:
    team = afbakenen_regio(RIJNMOND, Vraag(PEIL))
    assert team.exact and team.vraag.in_regios() == frozenset({"rijnmond"})
    assert afbakenen_regio(RIJNMOND, Vraag(PEIL, regio="rijnmond")).exact
    assert not afbakenen_regio(RIJNMOND, Vraag(PEIL, regio="haaglanden")).exact
    rotterdam = Lezer("gemeente", frozenset({"GM0599"}))
    assert afbakenen_regio(rotterdam, Vraag(PEIL)).vraag.in_regios() == frozenset({"rijnmond"})
    assert afbakenen_regio(rotterdam, Vraag(PEIL, regio="rijnmond")).exact
    assert not afbakenen_regio(DEN_HAAG, Vraag(PEIL, regio="rijnmond")).exact
