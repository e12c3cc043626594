from datetime import date

from werkkloket_matching.vacatures.domain import Profiel, Vacature, beste, buiten_werkgebied, score, verlopen

VANDAAG = date(2026, 3, 2)


def kandidaat(**kw: object) -> Profiel:
    base: dict[str, object] = {
        "wensberoepen": ("5120", "9412"),
        "ervaring": ("5131",),
        "skills": frozenset({"klantcontact", "hygiene", "koken"}),
        "opleidingsniveau": "mbo2",
        "postcodegebied": "2512",
        "uren_per_week": 32,
    }
    base.update(kw)
    return Profiel(**base)  # type: ignore[arg-type]


def vacature(vid: str, beroep: str, **kw: object) -> Vacature:
    base: dict[str, object] = {
        "vacature_id": vid,
        "beroep": beroep,
        "postcodegebied": "2512",
        "uren_per_week": 32,
        "skills": frozenset({"koken"}),
        "opleidingsniveau": "mbo2",
        "open_tot": date(2026, 6, 30),
    }
    base.update(kw)
    return Vacature(**base)  # type: ignore[arg-type]


def test_first_wish_scores_highest_and_every_factor_is_explained() -> None:
    m = score(kandidaat(), vacature("v1", "5120"), VANDAAG)
    assert m is not None and not m.sectoroverstap
    assert [f.factor for f in m.factoren] == ["wens_ervaring", "skills", "opleiding", "reisafstand", "uren"]
    assert m.score == 1.0
    tweede = score(kandidaat(), vacature("v2", "9412"), VANDAAG)
    ervaring = score(kandidaat(), vacature("v3", "5131"), VANDAAG)
    assert tweede is not None and ervaring is not None and m.score > tweede.score > ervaring.score


def test_no_match_outside_wishes_without_a_realistic_move() -> None:
    assert score(kandidaat(), vacature("v1", "2512"), VANDAAG) is None  # software developer: no
    assert score(kandidaat(), vacature("v2", "8332", skills=frozenset({"klantcontact"})), VANDAAG) is None


def test_horeca_to_security_is_a_labelled_move_when_skills_overlap() -> None:
    m = score(kandidaat(), vacature("v1", "5414", skills=frozenset({"klantcontact", "vca"})), VANDAAG)
    assert m is not None and m.sectoroverstap
    assert m.factoren[0].waarde.startswith("sectoroverstap naar beveiliging")
    assert score(kandidaat(), vacature("v2", "5414", skills=frozenset({"vca"})), VANDAAG) is None


def test_cabin_crew_to_care() -> None:
    stewardess = kandidaat(wensberoepen=("5111",), ervaring=("5111",), skills=frozenset({"klantcontact", "ehbo"}))
    m = score(stewardess, vacature("v1", "5321", skills=frozenset({"ehbo", "zorg"})), VANDAAG)
    assert m is not None and m.sectoroverstap and "zorg" in m.factoren[0].waarde


def test_closed_vacancies_and_ranking() -> None:
    assert score(kandidaat(), vacature("v1", "5120", open_tot=date(2026, 3, 1)), VANDAAG) is None
    ver = vacature("b", "5120", postcodegebied="3011")
    dichtbij = vacature("a", "5120")
    assert [m.vacature_id for m in beste(kandidaat(), [ver, dichtbij], VANDAAG)] == ["a", "b"]


def test_one_candidate_against_100000_vacancies_gets_the_five_best() -> None:
    beroepen = ("5120", "9412", "5131", "5414", "4110", "8322", "9112", "2512")
    vacatures = [
        vacature(f"v{i:06d}", beroepen[i % len(beroepen)], postcodegebied=f"{2500 + i % 100}") for i in range(100_000)
    ]
    top = beste(kandidaat(), vacatures, VANDAAG)
    # The five best of all, in order: the same as scoring every vacancy and sorting.
    alle = sorted(beste(kandidaat(), vacatures, VANDAAG, n=len(vacatures)), key=lambda m: -m.score)
    assert len(top) == 5 and [m.score for m in top] == [m.score for m in alle[:5]]


def test_a_vacancy_expires_the_day_after_its_open_tot() -> None:
    laatste_dag = date(2026, 3, 31)
    assert not verlopen(laatste_dag, date(2026, 3, 30))
    assert not verlopen(laatste_dag, laatste_dag)
    assert verlopen(laatste_dag, date(2026, 4, 1))
    # An expired vacancy is never proposed.
    assert score(kandidaat(), vacature("v1", "5120", open_tot=laatste_dag), laatste_dag) is not None
    assert score(kandidaat(), vacature("v1", "5120", open_tot=laatste_dag), date(2026, 4, 1)) is None


def test_a_gemeente_registers_vacancies_only_in_its_own_regions() -> None:
    rijnmond = frozenset({"rijnmond"})
    assert buiten_werkgebied(rijnmond, "rijnmond", "GM0599") is None
    assert buiten_werkgebied(rijnmond, "haaglanden", "GM0518") == (
        "arbeidsmarktregio",
        "buiten de eigen arbeidsmarktregio's",
    )
    veld, _ = buiten_werkgebied(rijnmond, "rijnmond", "GM0518") or ("", "")
    assert veld == "gemeente"
    assert buiten_werkgebied(None, "haaglanden", "GM0599") is None  # an agency: its registry decides
