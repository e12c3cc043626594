from datetime import date

import pytest
from werkkloket_contracts import Opleidingsniveau, Werkervaring
from werkkloket_intake.domain.screening import Invoer, screen

VANDAAG = date(2026, 3, 2)


def invoer(**kw: object) -> Invoer:
    base: dict[str, object] = {
        "werkervaring": (Werkervaring(beroep="5223", van=date(2018, 1, 1), tot=date(2026, 1, 31)),),
        "werkloos_sinds": date(2026, 2, 1),
        "opleidingsniveau": Opleidingsniveau.MBO3,
        "taalniveau": "b2",
        "uren_per_week": 36,
    }
    base.update(kw)
    return Invoer(**base)  # type: ignore[arg-type]


def test_recent_work_full_time_good_dutch_is_category_1() -> None:
    s = screen(invoer(), VANDAAG)
    assert (s.categorie, s.punten, s.regelversie) == (1, 0, "screening-v1")
    assert [f.factor for f in s.factoren] == [
        "recente_werkervaring",
        "duur_werkloosheid",
        "opleiding",
        "taalniveau",
        "beschikbaarheid",
    ]


def test_no_experience_long_unemployed_low_dutch_is_category_4() -> None:
    s = screen(
        invoer(
            werkervaring=(),
            werkloos_sinds=date(2021, 1, 1),
            opleidingsniveau=Opleidingsniveau.GEEN,
            taalniveau="a1",
            uren_per_week=8,
        ),
        VANDAAG,
    )
    assert (s.categorie, s.punten) == (4, 10)
    assert {f.factor: f.score for f in s.factoren} == {
        "recente_werkervaring": 2,
        "duur_werkloosheid": 2,
        "opleiding": 2,
        "taalniveau": 2,
        "beschikbaarheid": 2,
    }


@pytest.mark.parametrize(
    ("kw", "categorie"),
    [
        ({"taalniveau": None, "uren_per_week": None}, 1),  # unknown counts 1 each: 2 points
        ({"taalniveau": "a2", "uren_per_week": 20, "opleidingsniveau": Opleidingsniveau.VO}, 2),  # 3 points
        (
            {
                "werkervaring": (Werkervaring(beroep="9214", van=date(2019, 1, 1), tot=date(2024, 12, 31)),),
                "werkloos_sinds": date(2025, 1, 1),
                "taalniveau": "a2",
                "uren_per_week": 20,
                "opleidingsniveau": Opleidingsniveau.MBO1,
            },
            3,
        ),  # 1 + 1 + 1 + 1 + 1 = 5 points
    ],
)
def test_thresholds(kw: dict[str, object], categorie: int) -> None:
    assert screen(invoer(**kw), VANDAAG).categorie == categorie


def test_inputs_are_kept_in_words() -> None:
    s = screen(invoer(werkloos_sinds=date(2025, 1, 15), uren_per_week=16), VANDAAG)
    by = {f.factor: f for f in s.factoren}
    assert by["duur_werkloosheid"].waarde == "13 maanden zonder werk" and by["duur_werkloosheid"].score == 1
    assert by["beschikbaarheid"].waarde == "16 uur per week" and by["beschikbaarheid"].score == 1
