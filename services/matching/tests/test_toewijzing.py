from werkkloket_matching.toewijzing.domain import (
    REGELVERSIE,
    GeenKeuze,
    Kandidaat,
    Keuze,
    Uitzendbureau,
    kies_uitzendbureau,
    sector_van,
)


def bureau(
    code: str,
    sectoren: set[str],
    regios: set[str] | None = None,
    capaciteit: int = 10,
    actief: int = 0,
    gemeenten: set[str] | None = None,
) -> Uitzendbureau:
    return Uitzendbureau(
        code,
        code.title(),
        frozenset(sectoren),
        frozenset(regios or {"haaglanden"}),
        capaciteit,
        actief,
        gemeenten=frozenset(gemeenten or ()),
    )


def kandidaat(
    *wens: str, ervaring: tuple[str, ...] = (), regio: str = "haaglanden", gemeente: str = "GM0518"
) -> Kandidaat:
    return Kandidaat(arbeidsmarktregio=regio, gemeente=gemeente, wensberoepen=wens, werkervaring=ervaring)


def test_sector_from_isco_sub_major_group() -> None:
    assert sector_van("4110") == "administratie"
    assert sector_van("8322") == "logistiek"
    assert sector_van("5414") == "beveiliging"
    assert sector_van("0110") is None


def test_office_worker_goes_to_the_office_specialist_not_logistics() -> None:
    keuze = kies_uitzendbureau(
        kandidaat("4110"), [bureau("logistiek-bv", {"logistiek"}), bureau("kantoor-bv", {"administratie"})]
    )
    assert isinstance(keuze, Keuze)
    assert keuze.uitzendbureau == "kantoor-bv"
    factors = {r.factor: r for r in keuze.redenen}
    assert factors["wensberoep"].waarde == "4110 (administratie)"
    assert set(factors) == {"wensberoep", "regio", "gemeente", "belasting"}
    assert factors["gemeente"].waarde == "GM0518 (werkgebied: alle gemeenten van haaglanden)"


def test_first_wish_weighs_more_than_the_second() -> None:
    keuze = kies_uitzendbureau(
        kandidaat("5120", "8322"), [bureau("logistiek-bv", {"logistiek"}), bureau("horeca-bv", {"horeca"})]
    )
    assert isinstance(keuze, Keuze) and keuze.uitzendbureau == "horeca-bv"


def test_work_experience_breaks_a_tie_of_wishes() -> None:
    keuze = kies_uitzendbureau(
        kandidaat("9999", ervaring=("9112",)), [bureau("a-bv", {"horeca"}), bureau("b-bv", {"schoonmaak"})]
    )
    assert isinstance(keuze, Keuze) and keuze.uitzendbureau == "b-bv"


def test_equal_fit_goes_to_the_least_loaded_then_by_code() -> None:
    busy, quiet = bureau("a-bv", {"horeca"}, actief=5), bureau("b-bv", {"horeca"}, actief=1)
    keuze = kies_uitzendbureau(kandidaat("5120"), [busy, quiet])
    assert isinstance(keuze, Keuze) and keuze.uitzendbureau == "b-bv"
    tie = kies_uitzendbureau(kandidaat("5120"), [bureau("z-bv", {"horeca"}), bureau("c-bv", {"horeca"})])
    assert isinstance(tie, Keuze) and tie.uitzendbureau == "c-bv"


def test_only_agencies_serving_the_region_with_room_left() -> None:
    full = bureau("vol-bv", {"administratie"}, capaciteit=2, actief=2)
    elsewhere = bureau("rotterdam-bv", {"administratie"}, regios={"rijnmond"})
    other = bureau("ander-bv", {"logistiek"})
    keuze = kies_uitzendbureau(kandidaat("4110"), [full, elsewhere, other])
    assert isinstance(keuze, Keuze) and keuze.uitzendbureau == "ander-bv"
    geen = kies_uitzendbureau(kandidaat("4110"), [full, elsewhere])
    assert isinstance(geen, GeenKeuze) and "capaciteit" in geen.reden
    geen_regio = kies_uitzendbureau(kandidaat("4110", regio="groningen"), [full, elsewhere, other])
    assert isinstance(geen_regio, GeenKeuze) and "groningen" in geen_regio.reden


def test_only_agencies_that_serve_the_candidates_gemeente() -> None:
    # The only agri specialist of the region works in Westland and Midden-Delfland; a Zoetermeer candidate who
    # wants agri work goes to an agency that serves Zoetermeer, however well the specialist would fit.
    westland = bureau("westland-bv", {"agrarisch"}, gemeenten={"GM1783", "GM1842"})
    overal = bureau("overal-bv", {"logistiek"}, actief=9)
    zoetermeer = kies_uitzendbureau(kandidaat("6111", ervaring=("6111",), gemeente="GM0637"), [westland, overal])
    assert isinstance(zoetermeer, Keuze) and zoetermeer.uitzendbureau == "overal-bv"
    factors = {r.factor: r for r in zoetermeer.redenen}
    assert factors["gemeente"].waarde == "GM0637 (werkgebied: alle gemeenten van haaglanden)"
    uit_westland = kies_uitzendbureau(kandidaat("6111", gemeente="GM1783"), [westland, overal])
    assert isinstance(uit_westland, Keuze) and uit_westland.uitzendbureau == "westland-bv"
    factors = {r.factor: r for r in uit_westland.redenen}
    assert factors["gemeente"].waarde == "GM1783 (werkgebied: GM1783, GM1842)"
    assert REGELVERSIE == "toewijzing-v2"


def test_no_agency_for_the_gemeente_keeps_the_candidate_with_the_gemeente() -> None:
    westland = bureau("westland-bv", {"agrarisch"}, gemeenten={"GM1783"})
    geen = kies_uitzendbureau(kandidaat("6111", gemeente="GM0637"), [westland])
    assert isinstance(geen, GeenKeuze) and "GM0637" in geen.reden
    # A gemeente code of another region does not make an agency serve that region.
    rotterdam = bureau("rotterdam-bv", {"agrarisch"}, gemeenten={"GM0599", "GM0637"}, regios={"rijnmond"})
    assert isinstance(kies_uitzendbureau(kandidaat("6111", gemeente="GM0637"), [rotterdam]), GeenKeuze)


def test_a_full_agency_that_serves_the_gemeente_does_not_make_room_elsewhere() -> None:
    vol = bureau("vol-bv", {"agrarisch"}, capaciteit=1, actief=1, gemeenten={"GM1783"})
    elders = bureau("elders-bv", {"agrarisch"}, gemeenten={"GM0518"})
    geen = kies_uitzendbureau(kandidaat("6111", gemeente="GM1783"), [vol, elders])
    assert isinstance(geen, GeenKeuze) and "capaciteit" in geen.reden and "GM1783" in geen.reden


def test_ties_among_agencies_of_the_gemeente_are_broken_by_load_then_code() -> None:
    bureaus = [
        bureau("d-bv", {"horeca"}, gemeenten={"GM0518"}),
        bureau("c-bv", {"horeca"}, gemeenten={"GM0503"}),  # would win on code, but does not serve Den Haag
        bureau("e-bv", {"horeca"}),
        bureau("f-bv", {"horeca"}, actief=1, capaciteit=100),
    ]
    eerste = kies_uitzendbureau(kandidaat("5120"), bureaus)
    assert isinstance(eerste, Keuze) and eerste.uitzendbureau == "d-bv"
    assert eerste == kies_uitzendbureau(kandidaat("5120"), list(reversed(bureaus)))


def test_choice_is_deterministic_whatever_the_input_order() -> None:
    bureaus = [bureau(f"b{i}-bv", {"horeca", "logistiek"}, actief=i % 3) for i in range(8)]
    first = kies_uitzendbureau(kandidaat("5120"), bureaus)
    again = kies_uitzendbureau(kandidaat("5120"), list(reversed(bureaus)))
    assert first == again


def test_five_working_days_skip_weekends_and_dutch_holidays() -> None:
    from datetime import date

    from werkkloket_matching.toewijzing.domain import Feestdagen, termijn_verlopen, werkdagen_na

    nl = Feestdagen()
    assert date(2026, 4, 27) in nl and date(2026, 12, 25) in nl and date(2026, 4, 28) not in nl
    assert werkdagen_na(date(2026, 3, 2), 5, nl) == date(2026, 3, 9)  # Monday -> next Monday
    assert werkdagen_na(date(2026, 3, 6), 5, nl) == date(2026, 3, 13)  # Friday -> next Friday
    # Koningsdag (Mon 27 April 2026) does not count.
    assert werkdagen_na(date(2026, 4, 24), 5, nl) == date(2026, 5, 4)
    # Christmas Day 2026 (Friday) does not count; nor does New Year's Day 2027 (Friday).
    assert werkdagen_na(date(2026, 12, 23), 5, nl) == date(2026, 12, 31)
    assert werkdagen_na(date(2026, 12, 28), 5, nl) == date(2027, 1, 5)
    assert not termijn_verlopen(date(2026, 3, 9), None, date(2026, 3, 9))
    assert termijn_verlopen(date(2026, 3, 9), None, date(2026, 3, 10))
    assert not termijn_verlopen(date(2026, 3, 9), date(2026, 3, 3), date(2026, 3, 20))
