from datetime import UTC, date, datetime
from uuid import uuid4

import pytest
from werkkloket_contracts import Opleidingsniveau, Uitkering, Werkervaring
from werkkloket_intake.domain.aanmelding import (
    Aanmelding,
    Dubbeling,
    Dubbelingen,
    Status,
    aanmelding_ontvangen,
    persoonskenmerken,
)
from werkkloket_intake.domain.gemeenten import Namens, OnbekendeGemeente, gemeente
from werkkloket_intake.domain.profiel import Profiel, normaliseer_bsn, normaliseer_postcode
from werkkloket_intake.entrypoints.inzage import rij_voor


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
    assert persoonskenmerken(profiel, None).postcodegebied == "2512"  # encrypted for the person on the bus
    assert "2512" not in event.model_dump_json()
    assert [(w.van, w.tot) for w in event.werkervaring] == [("2015-01", "2024-06")]  # months, not days
    assert event.kandidaat_id == kandidaat


def _aanmelding(profiel: Profiel, dubbelingen: tuple[Dubbeling, ...]) -> Aanmelding:
    return Aanmelding.nieuw(
        id=uuid4(),
        kandidaat_id=uuid4(),
        gemeente=gemeente("GM0518"),
        door="gemeente-den-haag",
        profiel=profiel,
        dubbelingen=dubbelingen,
        ontvangen_op=datetime(2026, 3, 2, 9, tzinfo=UTC),
    )


def test_a_duplicate_elsewhere_holds_the_registration_but_is_named_to_its_own_gemeente_only() -> None:
    compleet = Profiel(
        postcode="2512 AB",
        opleidingsniveau=Opleidingsniveau.MBO3,
        wensberoepen=("4110",),
        uitkering=Uitkering.WW,
        telefoon="0612345678",
        naam="Fatima de Vries",
    )
    hier, elders = Dubbeling(uuid4(), "GM0518"), Dubbeling(uuid4(), "GM0503")
    den_haag = Namens("gemeente-den-haag", frozenset({"GM0518"}))
    delft = Namens("gemeente-delft", frozenset({"GM0503"}))
    regio, uwv = Namens("regio", frozenset({"GM0518", "GM0503"})), Namens("uwv", None)

    a = _aanmelding(compleet, (hier, elders))
    assert a.status is Status.MOGELIJK_DUBBEL
    assert a.dubbelingen_voor(den_haag) == Dubbelingen((hier.id,), elders=True)
    assert a.dubbelingen_voor(delft) == Dubbelingen((elders.id,), elders=True)
    assert a.dubbelingen_voor(regio) == a.dubbelingen_voor(uwv) == Dubbelingen((hier.id, elders.id), elders=False)

    alleen_elders = _aanmelding(compleet, (elders,))
    assert alleen_elders.status is Status.MOGELIJK_DUBBEL  # the consultant decides, knowing only "elsewhere"
    assert alleen_elders.dubbelingen_voor(den_haag) == Dubbelingen((), elders=True)
    assert _aanmelding(compleet, ()).dubbelingen_voor(den_haag) == Dubbelingen((), elders=False)
    assert _aanmelding(compleet, ()).status is Status.ONTVANGEN


def test_bsn_is_normalised() -> None:
    assert normaliseer_bsn("1234.56.782") == normaliseer_bsn(" 123 456 782 ") == "123456782"


def test_the_right_of_access_shows_duplicates_as_the_api_does() -> None:
    hier, elders = uuid4(), uuid4()
    rij = {
        "naam": "Fatima de Vries",
        "mogelijke_dubbelingen": [{"id": str(hier), "gemeente": "GM0518"}, {"id": str(elders), "gemeente": "GM0503"}],
    }
    getoond = rij_voor("aanmeldingen", rij, frozenset({"GM0518"}))
    assert getoond == {"naam": "Fatima de Vries", "mogelijke_dubbelingen": [str(hier)], "elders_aangemeld": True}
    assert rij_voor("toestemmingen", {"doel": "x"}, frozenset({"GM0518"})) == {"doel": "x"}
    leeg = rij_voor("aanmeldingen", {"mogelijke_dubbelingen": []}, frozenset({"GM0518"}))
    assert leeg == {"mogelijke_dubbelingen": [], "elders_aangemeld": False}
