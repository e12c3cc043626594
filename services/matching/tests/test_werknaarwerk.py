"""Werk naar werk rules: proposals across sectors, exclusions, forms of a move, return dates."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from werkkloket_contracts import Mobiliteitsvorm
from werkkloket_matching.werknaarwerk import domain as wnw
from werkkloket_runtime.errors import Forbidden

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


def test_a_wsp_reports_only_in_the_regions_of_its_gemeenten() -> None:
    rotterdam = wnw.Melder.wsp("gemeente-rotterdam", {"GM0599"})
    assert rotterdam.regios == frozenset({"rijnmond"})
    rotterdam.meldt_in("rijnmond", "GM0606")  # Schiedam: the same region
    with pytest.raises(Forbidden) as buiten:
        rotterdam.meldt_in("haaglanden", "GM0518")
    assert [p["name"] for p in buiten.value.extra["invalid_params"]] == ["arbeidsmarktregio"]
    with pytest.raises(Forbidden) as andere_gemeente:
        rotterdam.meldt_in("rijnmond", "GM0518")  # Den Haag's code in Rijnmond
    assert [p["name"] for p in andere_gemeente.value.extra["invalid_params"]] == ["gemeente"]
    # A gemeente not in the reference data gives no region to act in.
    with pytest.raises(Forbidden):
        wnw.Melder.wsp("gemeente-onbekend", {"GM9999"}).meldt_in("rijnmond", "GM0599")


def test_an_employer_reports_for_itself_in_any_region() -> None:
    haven = wnw.Melder.werkgever("havenbedrijf-maasvlakte")
    haven.meldt_in("haaglanden", "GM0518")
    haven.meldt_in("drechtsteden", "GM0505")
    assert haven.namens(None) == "havenbedrijf-maasvlakte"
    with pytest.raises(Forbidden):
        haven.namens("rijnmond-ict")


def test_who_sees_and_acts_on_a_proposal_or_move() -> None:
    werkgevers, binnen, over_de_grens = ("haven", "ict"), ("rijnmond", "rijnmond"), ("haaglanden", "rijnmond")
    rotterdam = wnw.Melder.wsp("gemeente-rotterdam", {"GM0599"})
    den_haag = wnw.Melder.wsp("gemeente-den-haag", {"GM0518"})
    team = wnw.Melder.mobiliteitsteam("mobiliteitsteam-rijnmond", "rijnmond")
    haven = wnw.Melder.werkgever("haven")
    assert rotterdam.ziet(werkgevers, binnen) and rotterdam.mag_handelen(werkgevers, binnen)
    assert not den_haag.ziet(werkgevers, binnen) and not den_haag.mag_handelen(werkgevers, binnen)
    # A move from one region to another is in both.
    assert den_haag.ziet(werkgevers, over_de_grens) and rotterdam.ziet(werkgevers, over_de_grens)
    assert team.ziet(werkgevers, binnen) and not team.ziet(werkgevers, ("haaglanden", "haaglanden"))
    assert not team.mag_handelen(werkgevers, binnen)  # it reads only
    assert haven.ziet(werkgevers, ("groningen", "groningen"))  # its own, wherever
    assert not wnw.Melder.werkgever("ander").ziet(werkgevers, binnen)
    assert not wnw.Melder.mobiliteitsteam("mobiliteitsteam-x", None).ziet(werkgevers, binnen)


def test_a_mobility_team_reports_nothing() -> None:
    team = wnw.Melder.mobiliteitsteam("mobiliteitsteam-rijnmond", "rijnmond")
    with pytest.raises(Forbidden):
        team.meldt_in("rijnmond", "GM0599")
    with pytest.raises(Forbidden):
        team.namens("havenbedrijf-maasvlakte")
