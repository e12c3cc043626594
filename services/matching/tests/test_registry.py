import json
from typing import Any

import pytest
from werkkloket_matching.toewijzing.adapters.registry import (
    DEFAULT_REGISTRY,
    OngeldigRegister,
    load_registry,
    parse_registry,
)
from werkkloket_matching.toewijzing.domain import Doel


def register(**velden: Any) -> dict[str, Any]:
    b = {"code": "a-bv", "naam": "A", "sectoren": ["horeca"], "regios": ["haaglanden"], "capaciteit": 5, **velden}
    return {"uitzendbureaus": [b]}


def test_gemeenten_and_doel_are_optional() -> None:
    (b,) = parse_registry(register())
    assert b.gemeenten == frozenset() and b.doel is None and b.bedient("GM0518")
    (b,) = parse_registry(register(gemeenten=["GM1783"], doel={"plaatsingen": 12, "periode": "2025"}))
    assert b.gemeenten == {"GM1783"} and b.doel == Doel(12, "2025")
    assert b.bedient("GM1783") and not b.bedient("GM0518")


@pytest.mark.parametrize(
    "velden",
    [
        {"gemeenten": ["0518"]},
        {"gemeenten": ["GM518"]},
        {"doel": {"plaatsingen": -1, "periode": "2025"}},
        {"doel": {"plaatsingen": "10", "periode": "2025"}},
        {"doel": {"plaatsingen": 10}},
    ],
)
def test_a_bad_entry_is_refused_with_the_agency_named(velden: dict[str, Any]) -> None:
    with pytest.raises(OngeldigRegister, match="a-bv"):
        parse_registry(register(**velden))


def test_the_demo_registry_leaves_the_scenario_gemeenten_to_every_agency_of_their_region() -> None:
    # The Haaglanden (Den Haag) and Lekstroom (Nieuwegein) figures depend on every agency of the region taking part.
    bureaus = load_registry()
    for gemeente, regio in (("GM0518", "haaglanden"), ("GM0356", "midden-utrecht")):
        assert all(b.bedient(gemeente) for b in bureaus if regio in b.regios)
    beperkt = {b.code: b for b in bureaus if b.gemeenten}
    assert "bouwkracht-zuidholland" in beperkt and not beperkt["bouwkracht-zuidholland"].bedient("GM0599")
    # Rotterdam keeps agencies of its own for each of its candidates' sectors in the toewijzing scenario.
    rotterdam = [b for b in bureaus if "rijnmond" in b.regios and b.bedient("GM0599")]
    assert {"administratie", "horeca", "logistiek", "zorg"} <= {s for b in rotterdam for s in b.sectoren}
    codes = [b["code"] for b in json.loads(DEFAULT_REGISTRY.read_text())["uitzendbureaus"]]
    assert len(codes) == len(set(codes))
