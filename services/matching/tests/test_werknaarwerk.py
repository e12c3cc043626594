"""Werk naar werk rules: proposals across sectors, exclusions, forms of a move, return dates."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from werkkloket_contracts import Mobiliteitsvorm
from werkkloket_matching.werknaarwerk import domain as wnw

HAVEN = wnw.Overschot(
    overschot_id="o1",
    werkgever="havenbedrijf-maasvlakte",
    sbi="5222",
    arbeidsmarktregio="rijnmond",
    beschikbaar=40,
    beroepen=("8343", "4321"),
    skills=frozenset({"planning", "sap", "vca", "heftruck"}),
    vanaf=date(2026, 3, 1),
    uitlenen_toegestaan=True,
    uitlenen_tot=date(2027, 3, 1),
    regios=frozenset({"rijnmond"}),
    zelfde_branche=True,
    uitgesloten_werkgevers=frozenset({"stuwadoor-botlek"}),
)
ICT = wnw.Tekort(
    tekort_id="t1",
    werkgever="rijnmond-ict",
    sbi="6201",
    arbeidsmarktregio="rijnmond",
    open=5,
    beroep="3512",
    skills=frozenset({"sap", "planning", "klantcontact"}),
    vanaf=date(2026, 4, 1),
)


def test_move_to_another_sector_on_skills_is_labelled_and_explained() -> None:
    v = wnw.voorstel(HAVEN, ICT)
    assert v is not None
    assert v.sectoroverstap and (v.van_sector, v.naar_sector) == ("logistiek", "ict")
    factoren = {f.factor: f for f in v.factoren}
    assert set(factoren) == {"beroep", "skills", "regio", "beschikbaarheid", "omvang"}
    assert "sectoroverstap logistiek -> ict" in factoren["beroep"].waarde
    assert "planning, sap" in factoren["beroep"].waarde
    assert factoren["skills"].waarde == "2/3 gevraagde skills"
    assert v.score == round(sum(f.score for f in v.factoren), 4)
    assert v.vormen == (Mobiliteitsvorm.OVERGANG, Mobiliteitsvorm.DETACHERING)


def test_same_occupation_scores_above_a_sector_move() -> None:
    zelfde = replace(ICT, tekort_id="t2", werkgever="logistiek-waalhaven", sbi="4941", beroep="4321")
    a, b = wnw.voorstel(HAVEN, zelfde), wnw.voorstel(HAVEN, ICT)
    assert a is not None and b is not None
    assert not a.sectoroverstap and a.score > b.score
    assert [v.tekort_id for v in wnw.beste_tekorten(HAVEN, [ICT, zelfde])] == ["t2", "t1"]


def test_too_little_skills_overlap_gives_no_proposal() -> None:
    zorg = replace(ICT, beroep="5321", skills=frozenset({"zorg", "tillen", "medicatie", "planning"}))
    assert wnw.voorstel(HAVEN, zorg) is None  # 1/4 < 30%: no realistic move


def test_competitors_and_named_companies_and_other_regions_are_excluded() -> None:
    concurrent = replace(ICT, werkgever="overslag-europoort", sbi="5224", beroep="8343")
    assert wnw.uitsluiting(HAVEN, concurrent) == "concurrent: zelfde SBI-branche 52"
    assert wnw.voorstel(HAVEN, concurrent) is None
    genoemd = replace(ICT, werkgever="stuwadoor-botlek")
    assert wnw.uitsluiting(HAVEN, genoemd) == "werkgever stuwadoor-botlek uitgesloten"
    elders = replace(ICT, arbeidsmarktregio="haaglanden")
    assert wnw.uitsluiting(HAVEN, elders) == "regio haaglanden niet toegestaan"
    branche = replace(HAVEN, zelfde_branche=False, branches=("62",))
    assert wnw.uitsluiting(branche, ICT) == "SBI-branche 62 uitgesloten"
    # Without the exclusion the same competitor would be proposed.
    assert wnw.voorstel(replace(HAVEN, zelfde_branche=False), concurrent) is not None


def test_lending_only_when_allowed_and_within_its_term() -> None:
    geen = replace(HAVEN, uitlenen_toegestaan=False, uitlenen_tot=None)
    assert wnw.vormen(geen, ICT) == (Mobiliteitsvorm.OVERGANG,)
    assert wnw.startfout(geen, Mobiliteitsvorm.DETACHERING, date(2026, 4, 1), date(2026, 10, 1)) == (
        "vorm",
        "deze werkgever staat uitlenen (detachering) niet toe",
    )
    d = Mobiliteitsvorm.DETACHERING
    assert wnw.startfout(HAVEN, d, date(2026, 4, 1), None)[0] == "terugkeerdatum"  # type: ignore[index]
    assert wnw.startfout(HAVEN, d, date(2026, 4, 1), date(2027, 6, 1))[0] == "terugkeerdatum"  # type: ignore[index]
    assert wnw.startfout(HAVEN, d, date(2026, 2, 1), date(2026, 6, 1))[0] == "startdatum"  # type: ignore[index]
    assert wnw.startfout(HAVEN, d, date(2026, 4, 1), date(2026, 10, 1)) is None
    assert wnw.startfout(HAVEN, Mobiliteitsvorm.OVERGANG, date(2026, 4, 1), date(2026, 10, 1))[0] == "terugkeerdatum"  # type: ignore[index]


def test_nothing_left_to_move_gives_no_proposal() -> None:
    assert wnw.voorstel(replace(HAVEN, beschikbaar=0), ICT) is None
    assert wnw.voorstel(HAVEN, replace(ICT, open=0)) is None


def test_late_availability_lowers_the_fit() -> None:
    laat = replace(HAVEN, vanaf=date(2026, 5, 16))  # 45 days after the shortage starts
    v = wnw.voorstel(laat, ICT)
    assert v is not None
    assert {f.factor: f.score for f in v.factoren}["beschikbaarheid"] == round(0.10 * 0.5, 4)


def test_returns_are_due_on_their_date_in_date_order() -> None:
    lopend = [("m2", date(2026, 10, 1)), ("m1", date(2026, 9, 1)), ("m3", date(2026, 12, 1))]
    assert wnw.terug_te_keren(lopend, date(2026, 9, 30)) == [("m1", date(2026, 9, 1))]
    assert [m for m, _ in wnw.terug_te_keren(lopend, date(2026, 10, 1))] == ["m1", "m2"]
