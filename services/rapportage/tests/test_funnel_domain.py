from datetime import UTC, date, datetime
from decimal import Decimal
from uuid import uuid4

from werkkloket_contracts import AanmeldingOntvangen, Opleidingsniveau, Uitkering, Werkervaringsperiode
from werkkloket_rapportage.domain.besparing import besparing
from werkkloket_rapportage.domain.funnel import Funnel, aanmelddag, percentage, profiel_volledig


def test_conversion_per_stage_from_the_one_before() -> None:
    f = Funnel(
        aangemeld=235, volledig=200, toegewezen=200, eerste_contact=160, gesprek=95, geplaatst=5, duurzaam=2
    ).met_conversie()
    assert f.conversie == {
        "aangemeld->volledig": round(200 / 235, 4),
        "volledig->toegewezen": 1.0,
        "toegewezen->eerste_contact": round(160 / 200, 4),
        "eerste_contact->gesprek": round(95 / 160, 4),
        "gesprek->geplaatst": round(5 / 95, 4),
        "geplaatst->duurzaam": 0.4,
        "aangemeld->geplaatst": round(5 / 235, 4),
    }


def test_no_conversion_from_an_empty_stage() -> None:
    f = Funnel().met_conversie()
    assert set(f.conversie.values()) == {None}
    assert percentage(88, 160) == 55.0 and percentage(1, 0) is None


def test_registration_day_is_the_gemeentes_date_else_the_recording_day_in_dutch_time() -> None:
    late_evening_utc = datetime(2020, 11, 30, 23, 30, tzinfo=UTC)
    assert aanmelddag(None, late_evening_utc) == date(2020, 12, 1)
    assert aanmelddag(date(2020, 10, 5), late_evening_utc) == date(2020, 10, 5)


def test_profile_is_complete_with_work_history_and_unemployment_date() -> None:
    base = {
        "kandidaat_id": uuid4(),
        "arbeidsmarktregio": "haaglanden",
        "gemeente": "GM0518",
        "aanmelding_id": uuid4(),
        "opleidingsniveau": Opleidingsniveau.MBO2,
        "wensberoepen": ["4110"],
        "uitkering": Uitkering.BIJSTAND,
    }
    ervaring = [Werkervaringsperiode(beroep="4110", van="2015-01", tot="2020-01")]
    assert profiel_volledig(AanmeldingOntvangen(**base, werkervaring=ervaring, werkloos_sinds=date(2020, 2, 1)))
    assert not profiel_volledig(AanmeldingOntvangen(**base, werkervaring=ervaring))
    assert not profiel_volledig(AanmeldingOntvangen(**base, werkloos_sinds=date(2020, 2, 1)))


def test_benefits_saved_is_months_times_norm_with_its_assumptions() -> None:
    b = besparing(14, Decimal("1345.45"), date(2021, 6, 30))
    assert b.bedrag == Decimal("18836.30")
    assert any("1345.45" in a for a in b.aannames) and any("2021-06-30" in a for a in b.aannames)
