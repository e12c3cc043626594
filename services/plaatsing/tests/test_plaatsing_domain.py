from datetime import date

import pytest
from werkkloket_plaatsing.domain import Dossier, Stap, Weigering, mag_vastleggen


def weigering(dossier: Dossier | None, bureau: str, stap: Stap, datum: date = date(2025, 2, 1)) -> int:
    with pytest.raises(Weigering) as exc:
        mag_vastleggen(dossier, bureau, stap, datum)
    return exc.value.status


def test_unknown_candidate_is_404_and_another_agencys_is_403() -> None:
    assert weigering(None, "a", Stap.EERSTE_CONTACT) == 404
    assert weigering(Dossier("b", None), "a", Stap.EERSTE_CONTACT) == 403
    assert weigering(Dossier("b", date(2025, 1, 1)), "a", Stap.PLAATSING) == 403


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
