"""Small cells suppressed: counts of 1 to 4 persons, figures derived from them, and a second cell of a breakdown."""

from werkkloket_runtime.onderdrukking import (
    DREMPEL,
    ONDERDRUKT,
    VERBORGEN,
    aantal,
    aanvullend,
    afgeleid,
    over_groep,
    rij,
    tabel,
    verborgen,
)


def test_zero_stays_zero_one_to_four_suppressed_five_and_more_exact() -> None:
    assert DREMPEL == 5
    assert aantal(0) == 0
    assert [aantal(n) for n in (1, 2, 3, 4)] == [ONDERDRUKT] * 4 == ["<5"] * 4
    assert (aantal(5), aantal(6), aantal(1000)) == (5, 6, 1000)


def test_a_figure_derived_from_a_suppressed_count_is_hidden() -> None:
    assert afgeleid(0.25, "<5", 16) == VERBORGEN  # the sources as shown
    assert afgeleid(0.25, "x", 16) == VERBORGEN
    assert afgeleid(0.5, 5, 10) == 0.5
    assert afgeleid(None, "<5", 0) is None  # nothing computed: nothing to hide
    assert verborgen("<5") and verborgen("x") and not verborgen(0) and not verborgen(None)


def test_a_figure_over_a_group_under_five_is_hidden() -> None:
    assert over_groep(12.5, 4) == VERBORGEN
    assert over_groep(12.5, 1) == VERBORGEN
    assert over_groep(12.5, 5) == 12.5
    assert over_groep(None, 3) is None


def test_a_row_suppresses_only_its_counts_of_persons() -> None:
    waarden = {"uitzendbureau": "abc", "geplaatst": 3, "plaatsen": 2, "doel": 4, "geclaimd": 0}
    r = rij(waarden, ("geplaatst", "geclaimd"))
    assert r == {"uitzendbureau": "abc", "geplaatst": "<5", "plaatsen": 2, "doel": 4, "geclaimd": 0}


def test_one_suppressed_cell_hides_the_smallest_other_non_zero_cell() -> None:
    # total 3 + 7 + 20 + 0 = 30 is published elsewhere: with only "<5" hidden it would be 30 - 27 = 3
    assert aanvullend(["<5", 7, 20, 0]) == ["<5", "x", 20, 0]
    assert aanvullend([9, 0, "<5", 6]) == [9, 0, "<5", "x"]


def test_two_suppressed_cells_or_none_need_no_second() -> None:
    assert aanvullend(["<5", "<5", 20]) == ["<5", "<5", 20]
    assert aanvullend([5, 7, 0]) == [5, 7, 0]
    assert aanvullend(["<5", 0, 0]) == ["<5", 0, 0]  # no other cell to hide: the total is the cell itself (<5)
    assert aanvullend([]) == []


def test_a_breakdown_is_complemented_column_by_column() -> None:
    rijen = [
        {"bureau": "a", "toegewezen": 2, "geplaatst": 0},
        {"bureau": "b", "toegewezen": 8, "geplaatst": 6},
        {"bureau": "c", "toegewezen": 30, "geplaatst": 12},
    ]
    assert tabel(rijen, ("toegewezen", "geplaatst")) == [
        {"bureau": "a", "toegewezen": "<5", "geplaatst": 0},
        {"bureau": "b", "toegewezen": "x", "geplaatst": 6},
        {"bureau": "c", "toegewezen": 30, "geplaatst": 12},
    ]
    assert rijen[0]["toegewezen"] == 2  # the input is left as it was
