from datetime import date

import pytest
from werkkloket_plaatsing.domain import (
    Dossier,
    Opvolgstatus,
    Stap,
    bereikt,
    gemist,
    laatste_werkdag,
    mag_beeindigen,
    mag_opvolgen,
    mag_vastleggen,
    mijlpalen,
    plus_maanden,
)
from werkkloket_runtime.errors import DomainError as Weigering


def weigering(dossier: Dossier | None, bureau: str, stap: Stap, datum: date = date(2025, 2, 1)) -> int:
    with pytest.raises(Weigering) as exc:
        mag_vastleggen(dossier, bureau, stap, datum)
    return exc.value.status


def test_an_unknown_candidate_and_another_agencys_are_both_404() -> None:
    assert weigering(None, "a", Stap.EERSTE_CONTACT) == 404
    assert weigering(Dossier("b", None), "a", Stap.EERSTE_CONTACT) == 404
    assert weigering(Dossier("b", date(2025, 1, 1)), "a", Stap.PLAATSING) == 404


def test_first_contact_once_and_before_anything_else() -> None:
    mag_vastleggen(Dossier("a", None), "a", Stap.EERSTE_CONTACT, date(2025, 1, 5))
    assert weigering(Dossier("a", date(2025, 1, 5)), "a", Stap.EERSTE_CONTACT) == 409
    assert weigering(Dossier("a", None), "a", Stap.GESPREK) == 409
    assert weigering(Dossier("a", None), "a", Stap.PLAATSING) == 409


def test_steps_after_first_contact_not_dated_before_it() -> None:
    held = Dossier("a", date(2025, 1, 5))
    mag_vastleggen(held, "a", Stap.GESPREK, date(2025, 1, 5))
    mag_vastleggen(held, "a", Stap.PLAATSING, date(2025, 3, 1))
    assert weigering(held, "a", Stap.GESPREK, date(2025, 1, 4)) == 422


def test_a_declined_candidate_takes_no_more_steps_and_decline_needs_no_contact() -> None:
    mag_vastleggen(Dossier("a", None), "a", Stap.AFWIJZING, date(2025, 1, 6))
    assert weigering(Dossier("b", None), "a", Stap.AFWIJZING) == 404
    teruggegeven = Dossier("a", date(2025, 1, 5), afgewezen_op=date(2025, 1, 9))
    for stap in Stap:
        assert weigering(teruggegeven, "a", stap) == 409


def test_checkpoints_are_whole_months_after_the_start_clamped_to_month_end() -> None:
    assert mijlpalen(date(2025, 1, 31)) == [
        (1, date(2025, 2, 28)),
        (3, date(2025, 4, 30)),
        (6, date(2025, 7, 31)),
        (12, date(2026, 1, 31)),
    ]
    assert plus_maanden(date(2024, 11, 15), 3) == date(2025, 2, 15)


def test_an_ended_placement_misses_the_checkpoints_after_its_last_day() -> None:
    open_ = mijlpalen(date(2025, 3, 1))
    assert gemist(open_, date(2025, 5, 31)) == [(3, date(2025, 6, 1)), (6, date(2025, 9, 1)), (12, date(2026, 3, 1))]
    assert gemist(open_, date(2025, 6, 1)) == [(6, date(2025, 9, 1)), (12, date(2026, 3, 1))]
    # A return to a benefit on the checkpoint day misses it: the last day in work was the day before.
    assert laatste_werkdag(None, date(2025, 6, 1)) == date(2025, 5, 31)
    assert laatste_werkdag(date(2025, 7, 1), date(2025, 6, 1)) == date(2025, 5, 31)
    assert laatste_werkdag(None, None) is None
    assert bereikt(date(2025, 6, 1), None)


def test_follow_up_once_and_not_before_its_date() -> None:
    mag_opvolgen(Opvolgstatus.OPEN, date(2025, 6, 1), date(2025, 6, 1))
    with pytest.raises(Weigering) as early:
        mag_opvolgen(Opvolgstatus.OPEN, date(2025, 6, 1), date(2025, 5, 31))
    assert early.value.status == 422
    with pytest.raises(Weigering) as twice:
        mag_opvolgen(Opvolgstatus.BEVESTIGD, date(2025, 6, 1), date(2025, 6, 2))
    assert twice.value.status == 409


def test_a_placement_ends_once_and_not_before_it_started() -> None:
    mag_beeindigen(date(2025, 3, 1), None, date(2025, 3, 1))
    with pytest.raises(Weigering):
        mag_beeindigen(date(2025, 3, 1), None, date(2025, 2, 28))
    with pytest.raises(Weigering):
        mag_beeindigen(date(2025, 3, 1), date(2025, 4, 1), date(2025, 5, 1))
