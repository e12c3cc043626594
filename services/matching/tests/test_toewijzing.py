from werkkloket_matching.domain import GeenKeuze, Kandidaat, Keuze, Uitzendbureau, kies_uitzendbureau, sector_van


def bureau(
    code: str, sectoren: set[str], regios: set[str] | None = None, capaciteit: int = 10, actief: int = 0
) -> Uitzendbureau:
    return Uitzendbureau(
        code, code.title(), frozenset(sectoren), frozenset(regios or {"haaglanden"}), capaciteit, actief
    )


def kandidaat(*wens: str, ervaring: tuple[str, ...] = (), regio: str = "haaglanden") -> Kandidaat:
    return Kandidaat(arbeidsmarktregio=regio, wensberoepen=wens, werkervaring=ervaring)


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
    assert set(factors) == {"wensberoep", "regio", "belasting"}


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


def test_choice_is_deterministic_whatever_the_input_order() -> None:
    bureaus = [bureau(f"b{i}-bv", {"horeca", "logistiek"}, actief=i % 3) for i in range(8)]
    first = kies_uitzendbureau(kandidaat("5120"), bureaus)
    again = kies_uitzendbureau(kandidaat("5120"), list(reversed(bureaus)))
    assert first == again


def test_five_working_days_skip_weekends_and_dutch_holidays() -> None:
    from datetime import date

    from werkkloket_matching.domain import termijn_verlopen, werkdagen_na
    from werkkloket_matching.klok import Feestdagen

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
