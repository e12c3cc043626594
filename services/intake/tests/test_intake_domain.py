from datetime import date
from uuid import uuid4

import pytest
from werkkloket_contracts import Opleidingsniveau, Uitkering, Werkervaring
from werkkloket_intake.domain.aanmelding import aanmelding_ontvangen
from werkkloket_intake.domain.gemeenten import OnbekendeGemeente, gemeente
from werkkloket_intake.domain.profiel import Profiel, normaliseer_postcode


def test_postcode_is_normalised_or_refused() -> None:
    assert normaliseer_postcode("2511ab") == "2511 AB"
    assert normaliseer_postcode("2511 AB") == "2511 AB"
    for bad in ("0511 AB", "2511", "ABCD EF", ""):
        with pytest.raises(ValueError):
            normaliseer_postcode(bad)


def test_gemeente_knows_its_arbeidsmarktregio() -> None:
    assert gemeente("GM0518").arbeidsmarktregio == "haaglanden"
    assert gemeente("GM0356").arbeidsmarktregio == "midden-utrecht"
    with pytest.raises(OnbekendeGemeente):
        gemeente("GM9999")


def test_event_carries_region_and_pc4_only() -> None:
    profiel = Profiel(
        postcode="2512 AB",
        opleidingsniveau=Opleidingsniveau.MBO3,
        werkervaring=(Werkervaring(beroep="4110", van=date(2015, 1, 1), tot=date(2024, 6, 30)),),
        wensberoepen=("4110",),
        werkloos_sinds=date(2024, 7, 1),
        uitkering=Uitkering.WW,
    )
    kandidaat = uuid4()
    event = aanmelding_ontvangen(aanmelding_id=uuid4(), kandidaat_id=kandidaat, gemeente_code="GM0503", profiel=profiel)
    assert event.arbeidsmarktregio == "haaglanden" and event.gemeente == "GM0503"
    assert event.postcodegebied == "2512"
    assert "2512 AB" not in event.model_dump_json()
    assert event.kandidaat_id == kandidaat
