from datetime import UTC, datetime
from uuid import uuid4

from mobiliteitsteam.overzicht import Overzicht, van_dict
from werkkloket_contracts import AanmeldingOntvangen, Envelope, KandidaatToegewezen, Reden


def env(data: object, when: datetime = datetime(2025, 3, 4, 10, tzinfo=UTC)) -> Envelope:  # type: ignore[type-arg]
    return Envelope(id=uuid4(), source="/t", type="t", time=when, subject="s", data=data)  # type: ignore[arg-type]


def aanmelding(regio: str, gemeente: str) -> AanmeldingOntvangen:
    return AanmeldingOntvangen(
        kandidaat_id=uuid4(),
        arbeidsmarktregio=regio,
        gemeente=gemeente,
        aanmelding_id=uuid4(),
        opleidingsniveau="mbo2",
        wensberoepen=["8322"],
        uitkering="ww",
    )


def test_only_its_own_region_and_each_event_once() -> None:
    o = Overzicht("rijnmond")
    eigen, ander = aanmelding("rijnmond", "GM0599"), aanmelding("haaglanden", "GM0518")
    e = env(eigen)
    assert o.verwerk(e)
    assert not o.verwerk(e)  # redelivered
    assert not o.verwerk(env(ander))
    toegewezen = KandidaatToegewezen(
        kandidaat_id=eigen.kandidaat_id,
        arbeidsmarktregio="rijnmond",
        gemeente="GM0599",
        toewijzing_id=uuid4(),
        uitzendbureau="maasvlakte-personeel",
        regelversie="toewijzing-v1",
        redenen=[Reden(factor="regio", waarde="rijnmond", score=0)],
    )
    assert o.verwerk(env(toegewezen, datetime(2025, 3, 11, tzinfo=UTC)))
    d = o.als_dict()
    assert d["per_week"] == {
        "2025-W10": {"aangemeld": 1, "toegewezen": 0, "niet_toegewezen": 0, "geplaatst": 0},
        "2025-W11": {"aangemeld": 0, "toegewezen": 1, "niet_toegewezen": 0, "geplaatst": 0},
    }
    assert d["kandidaten"] == [str(eigen.kandidaat_id)]
    assert o.andere_regio == 1


def test_restored_overview_still_drops_duplicates() -> None:
    o = Overzicht("rijnmond")
    e = env(aanmelding("rijnmond", "GM0599"))
    o.verwerk(e)
    restored = van_dict(o.als_dict())
    assert not restored.verwerk(e)
    assert restored.als_dict() == o.als_dict()
