"""Persons' keys as a service holds them: unwrapped from intake's record with the service's own wrapping key,
forgotten at a tombstone; an encrypted part opens only for its person, and not at all once they are erased."""

from __future__ import annotations

from uuid import UUID, uuid4

import pytest
from aiokafka import ConsumerRecord
from werkkloket_contracts import Persoonskenmerken, Versleuteld, Werkgevergegevens
from werkkloket_runtime.sleutelring import Gewist, Sleutelring, open_met, sleutelrecord, versleutel_met
from werkkloket_runtime.versleuteling import Ontsleutelfout, nieuwe_sleutel

MATCHING, PLAATSING = nieuwe_sleutel(), nieuwe_sleutel()
KENMERKEN = Persoonskenmerken(postcodegebied="2512", doelgroepen=["statushouder"], skills=["excel"])


def record(kandidaat_id: UUID, value: bytes | None, offset: int = 0) -> ConsumerRecord[bytes, bytes | None]:
    return ConsumerRecord(
        topic="werkkloket.sleutels",
        partition=0,
        offset=offset,
        timestamp=0,
        timestamp_type=0,
        key=str(kandidaat_id).encode(),
        value=value,
        checksum=None,
        serialized_key_size=36,
        serialized_value_size=len(value or b""),
        headers=[],
    )


async def test_a_service_opens_what_intake_encrypted_and_nothing_after_the_tombstone() -> None:
    persoon, sleutel = uuid4(), nieuwe_sleutel()
    versleuteld = versleutel_met(sleutel, persoon, KENMERKEN)
    assert "2512" not in versleuteld.model_dump_json() and "statushouder" not in versleuteld.model_dump_json()

    ring = Sleutelring("matching", MATCHING, kafka=None)
    ring.lees(record(persoon, sleutelrecord(persoon, sleutel, {"matching": MATCHING, "plaatsing": PLAATSING})))
    assert ring.heeft(persoon)
    assert await ring.open(persoon, versleuteld, Persoonskenmerken) == KENMERKEN
    assert ring.open_bekend(persoon, versleuteld, Persoonskenmerken) == KENMERKEN
    # what this service writes about the person, another service with the person's key opens
    werkgever = await ring.versleutel(persoon, Werkgevergegevens(werkgever="Bakkerij Jansen"))
    assert open_met(sleutel, persoon, werkgever, Werkgevergegevens).werkgever == "Bakkerij Jansen"

    ring.lees(record(persoon, None, offset=1))  # erased
    assert not ring.heeft(persoon)
    assert await ring.open(persoon, versleuteld, Persoonskenmerken) is None
    assert ring.open_bekend(persoon, versleuteld, Persoonskenmerken) is None
    with pytest.raises(Gewist):
        await ring.versleutel(persoon, Werkgevergegevens(werkgever="Bakkerij Jansen"))


async def test_a_key_wrapped_for_another_service_or_person_is_not_taken() -> None:
    persoon, ander, sleutel = uuid4(), uuid4(), nieuwe_sleutel()
    ring = Sleutelring("rapportage", nieuwe_sleutel(), kafka=None)
    ring.lees(record(persoon, sleutelrecord(persoon, sleutel, {"matching": MATCHING})))  # not for rapportage
    assert not ring.heeft(persoon)
    matching = Sleutelring("matching", MATCHING, kafka=None)
    matching.lees(record(ander, sleutelrecord(persoon, sleutel, {"matching": MATCHING})))  # under another key
    assert not matching.heeft(ander) and not matching.heeft(persoon)
    vals = Sleutelring("matching", nieuwe_sleutel(), kafka=None)  # another wrapping key: does not unwrap
    vals.lees(record(persoon, sleutelrecord(persoon, sleutel, {"matching": MATCHING})))
    assert not vals.heeft(persoon)


def test_a_ciphertext_opens_for_its_own_person_and_field_only() -> None:
    persoon, sleutel = uuid4(), nieuwe_sleutel()
    versleuteld = versleutel_met(sleutel, persoon, KENMERKEN)
    with pytest.raises(Ontsleutelfout):
        open_met(sleutel, uuid4(), versleuteld, Persoonskenmerken)  # moved to another person's event
    with pytest.raises(Ontsleutelfout):
        open_met(sleutel, persoon, versleuteld, Werkgevergegevens)  # read as another field
    with pytest.raises(Ontsleutelfout):
        open_met(nieuwe_sleutel(), persoon, versleuteld, Persoonskenmerken)
    veranderd = Versleuteld(data=versleuteld.data[:-8] + ("A" * 8 if versleuteld.data[-8:] != "A" * 8 else "B" * 8))
    with pytest.raises(Ontsleutelfout):
        open_met(sleutel, persoon, veranderd, Persoonskenmerken)


async def test_an_upcast_earlier_version_opens_from_memory() -> None:
    ring = Sleutelring("matching", MATCHING, kafka=None)
    klaar = Versleuteld.uit_eerdere({"postcodegebied": "2512", "doelgroepen": [], "skills": []})
    geopend = await ring.open(uuid4(), klaar, Persoonskenmerken)
    assert geopend is not None and geopend.postcodegebied == "2512"
