"""The werk-naar-werk report as of a peildatum, from event dates only."""

from __future__ import annotations

from datetime import date

from werkkloket_rapportage.domain.werknaarwerk import Beweging, rapport, stand


def beweging(wid: str, vorm: str, naar: str = "ict", **kw: date | None) -> Beweging:
    values: dict[str, date | None] = {
        "startdatum": date(2026, 4, 1),
        "terugkeerdatum": None,
        "teruggekeerd_op": None,
        "beeindigd_op": None,
        **kw,
    }
    return Beweging(
        werknemer_id=wid,
        arbeidsmarktregio="rijnmond",
        van_sector="logistiek",
        naar_sector=naar,
        vorm=vorm,
        **values,  # type: ignore[arg-type]
    )


def test_a_lending_shows_as_returned_from_its_return_date() -> None:
    b = beweging("w1", "detachering", terugkeerdatum=date(2026, 10, 1), teruggekeerd_op=date(2026, 10, 1))
    assert stand(b, date(2026, 3, 31)) is None
    assert stand(b, date(2026, 9, 30)) == "uitgeleend"
    assert stand(b, date(2026, 10, 1)) == "teruggekeerd"


def test_report_per_region_and_sector_pair_counts_people_once() -> None:
    bewegingen = [
        beweging("w1", "overgang"),
        beweging("w2", "detachering", terugkeerdatum=date(2026, 10, 1), teruggekeerd_op=date(2026, 10, 1)),
        beweging("w3", "overgang", naar="logistiek", beeindigd_op=date(2026, 5, 1)),
        # The same worker moved twice: one person who avoided unemployment.
        beweging("w3", "overgang", naar="logistiek", startdatum=date(2026, 5, 2)),
        beweging("w4", "overgang", startdatum=date(2027, 1, 1)),  # after the peildatum
    ]
    r = rapport(bewegingen, date(2026, 10, 1))
    rijen = {(x["van_sector"], x["naar_sector"]): x for x in r["per_regio_sectorpaar"]}
    assert set(rijen) == {("logistiek", "ict"), ("logistiek", "logistiek")}
    ict = rijen[("logistiek", "ict")]
    assert (ict["gestart"], ict["overgang"], ict["detachering"]) == (2, 1, 1)
    assert (ict["overgegaan"], ict["uitgeleend"], ict["teruggekeerd"], ict["werkloosheid_voorkomen"]) == (1, 0, 1, 2)
    log = rijen[("logistiek", "logistiek")]
    assert (log["gestart"], log["beeindigd"], log["overgegaan"], log["werkloosheid_voorkomen"]) == (2, 1, 1, 1)
    assert r["totaal"]["gestart"] == 4 and r["totaal"]["werkloosheid_voorkomen"] == 3
    earlier = rapport(bewegingen, date(2026, 9, 30))["totaal"]
    assert (earlier["uitgeleend"], earlier["teruggekeerd"]) == (1, 0)
