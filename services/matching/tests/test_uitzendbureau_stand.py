"""The agencies' load as shown to anyone but beheer: persons 1 to 4 suppressed, capacity exact."""

from werkkloket_matching.toewijzing.entrypoints.schemas import UitzendbureauStand


def _stand(code: str, capaciteit: int, actief: int) -> UitzendbureauStand:
    return UitzendbureauStand.model_validate(
        {
            "code": code,
            "naam": code,
            "sectoren": [],
            "regios": [],
            "gemeenten": [],
            "capaciteit": capaciteit,
            "actief": actief,
        }
        | {"doel": None}
    )


def test_load_suppressed_capacity_exact() -> None:
    standen = [_stand("a", 3, 2), _stand("b", 40, 9), _stand("c", 50, 30), _stand("d", 10, 0)]
    getoond = UitzendbureauStand.onderdrukt_getoond(standen)
    assert [(s.code, s.capaciteit, s.actief) for s in getoond] == [
        ("a", 3, "<5"),
        ("b", 40, "x"),
        ("c", 50, 30),
        ("d", 10, 0),
    ]
    assert all(s.onderdrukt for s in getoond)
    assert not any(s.onderdrukt for s in standen) and standen[0].actief == 2
