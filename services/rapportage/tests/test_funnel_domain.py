from werkkloket_rapportage.domain import Funnel


def test_conversion_per_stage_from_the_one_before() -> None:
    f = Funnel(aangemeld=235, toegewezen=235, eerste_contact=160, gesprek=95, geplaatst=5).met_conversie()
    assert f.conversie == {
        "aangemeld->toegewezen": 1.0,
        "toegewezen->eerste_contact": round(160 / 235, 4),
        "eerste_contact->gesprek": round(95 / 160, 4),
        "gesprek->geplaatst": round(5 / 95, 4),
    }


def test_no_conversion_from_an_empty_stage() -> None:
    f = Funnel().met_conversie()
    assert set(f.conversie.values()) == {None}
