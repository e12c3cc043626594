"""The toewijzing scenario's synthetic candidates land in the screening categories it plans, for any seed."""

import random
from collections import Counter
from datetime import date

import pytest
from werkkloket_contracts import Opleidingsniveau, Werkervaring
from werkkloket_deploy.toewijzingsdemo import CATEGORIEEN, GEMEENTE, profielen
from werkkloket_intake.domain.screening import Invoer, screen

VANDAAG = date(2026, 3, 2)


def categorie(body: dict[str, object]) -> int:
    werkervaring = body["werkervaring"]
    assert isinstance(werkervaring, list)
    invoer = Invoer(
        werkervaring=tuple(Werkervaring(**w) for w in werkervaring),
        werkloos_sinds=date.fromisoformat(str(body["werkloos_sinds"])),
        opleidingsniveau=Opleidingsniveau(body["opleidingsniveau"]),
        taalniveau=str(body["taalniveau"]),
        uren_per_week=int(str(body["uren_per_week"])),
    )
    return screen(invoer, VANDAAG).categorie


@pytest.mark.parametrize("seed", [2020, 1, 7, 42, 2025])
def test_every_category_as_planned_and_the_fixed_cases_are_there(seed: int) -> None:
    bodies = profielen(random.Random(seed), VANDAAG)
    assert Counter(categorie(b) for b in bodies) == Counter(CATEGORIEEN)
    wensen = [b["wensberoepen"] for b in bodies]
    assert ["7112"] in wensen and ["5131", "9412"] in wensen and ["9412"] in wensen
    assert all(b["gemeente"] == GEMEENTE for b in bodies)


def test_same_seed_same_candidates() -> None:
    assert profielen(random.Random(3), VANDAAG) == profielen(random.Random(3), VANDAAG)
    assert profielen(random.Random(3), VANDAAG) != profielen(random.Random(4), VANDAAG)
