from datetime import UTC, datetime

from werkkloket_intake.domain.aanmelding import Status
from werkkloket_intake.domain.bewaartermijn import grenzen, maanden_terug, verlopen

NU = datetime(2026, 3, 31, 12, 0, tzinfo=UTC)


def test_whole_months_back_land_on_an_existing_day() -> None:
    assert maanden_terug(NU, 1) == datetime(2026, 2, 28, 12, 0, tzinfo=UTC)
    assert maanden_terug(NU, 24) == datetime(2024, 3, 31, 12, 0, tzinfo=UTC)
    assert maanden_terug(NU, 25) == datetime(2024, 2, 29, 12, 0, tzinfo=UTC)  # a leap year
    assert maanden_terug(datetime(2026, 1, 15, tzinfo=UTC), 13) == datetime(2024, 12, 15, tzinfo=UTC)


def test_a_registration_is_past_its_term_only_after_the_term_for_its_status() -> None:
    assert set(grenzen(NU)) == {Status.AFGEROND, Status.BEEINDIGD, Status.VERVALLEN, Status.ONVOLLEDIG}
    twee_jaar = maanden_terug(NU, 24)
    assert verlopen(Status.BEEINDIGD, twee_jaar.replace(hour=11), NU)
    assert not verlopen(Status.BEEINDIGD, twee_jaar.replace(hour=13), NU)
    assert verlopen(Status.ONVOLLEDIG, maanden_terug(NU, 13), NU)
    assert not verlopen(Status.AFGEROND, maanden_terug(NU, 13), NU)
    # While mediation goes on nothing expires, however old.
    for status in (Status.TOEGEWEZEN, Status.ONTVANGEN, Status.BIJ_GEMEENTE, Status.MOGELIJK_DUBBEL):
        assert not verlopen(status, maanden_terug(NU, 120), NU)
