"""Earlier versions of an event type are still read from the topics: decoded, then upcast to the current version
(free text dropped, sentences mapped to codes); a producer cannot publish them under another owner."""

from __future__ import annotations

import json
from datetime import date
from uuid import UUID

import pytest
from werkkloket_contracts import (
    AanbodGedaan,
    AanmeldingOntvangen,
    DecodeError,
    Gemistreden,
    GesprekGepland,
    Hertoewijzingsaanleiding,
    KandidaatAfgewezen,
    KandidaatGescreend,
    KandidaatHertoegewezen,
    Mislukkingsreden,
    OpvolgingGemist,
    PlaatsingBeeindigd,
    PlaatsingGerealiseerd,
    ProfielAangevuld,
    SollicitatiegesprekGehouden,
    ToewijzingMislukt,
    decode,
    source_of,
)
from werkkloket_contracts.events.eerdere import (
    EERDERE,
    KandidaatGescreendV1,
    KandidaatHertoegewezenV1,
    KandidaatHertoegewezenV2,
    OpvolgingGemistV1,
    ToewijzingMisluktV1,
    mislukkingsreden,
)

KANDIDAAT = UUID("0d9c7f3e-2b1a-4c5d-8e6f-7a8b9c0d1e2f")
PLAATS = {"kandidaat_id": KANDIDAAT, "arbeidsmarktregio": "haaglanden", "gemeente": "GM0518"}


def v1_record(event_type: str, data: dict[str, object], source: str) -> tuple[dict[str, str], bytes]:
    headers = {
        "ce_specversion": "1.0",
        "ce_id": "5b0b7f0e-6f57-4a39-9d0f-2c1f3f4f5e6d",
        "ce_source": source,
        "ce_type": f"nl.werkkloket.{event_type}.v1",
        "ce_time": "2025-03-01T10:00:00Z",
        "ce_subject": str(KANDIDAAT),
        "content-type": "application/json",
    }
    return headers, json.dumps({**data, "kandidaat_id": str(KANDIDAAT)}, default=str).encode()


def test_a_v1_reassignment_is_read_as_v2_without_its_sentence() -> None:
    data = {
        **PLAATS,
        "toewijzing_id": "55555555-5555-4555-8555-555555555555",
        "vorig_uitzendbureau": "hofstad-uitzend",
        "uitzendbureau": "residentie-flex",
        "aanleiding": "afgewezen",
        "reden": "afgewezen door hofstad-uitzend: kandidaat is ziek en woont bij zijn moeder",
        "regelversie": "toewijzing-v2",
    }
    env = decode(*v1_record("KandidaatHertoegewezen", data, source_of("matching")))
    assert type(env.data) is KandidaatHertoegewezen and env.type.endswith(".v1")
    assert env.data.aanleiding is Hertoewijzingsaanleiding.AFGEWEZEN and env.data.uitzendbureau == "residentie-flex"
    assert "reden" not in env.data.model_dump() and "ziek" not in env.data.model_dump_json()


def test_a_v1_screening_loses_the_consultants_words() -> None:
    data = {
        **PLAATS,
        "aanmelding_id": "11111111-1111-4111-8111-111111111111",
        "categorie": 3,
        "regelversie": "handmatig",
        "handmatig": True,
        "reden": "spreekt in gesprek nauwelijks Nederlands",
        "door": "gemeente-den-haag",
        "naar_uitzendbureau": False,
    }
    env = decode(*v1_record("KandidaatGescreend", data, source_of("intake", "gemeente-den-haag")))
    assert type(env.data) is KandidaatGescreend and env.data.categorie == 3 and env.data.handmatig
    assert "Nederlands" not in env.data.model_dump_json()


@pytest.mark.parametrize(
    ("zin", "code"),
    [
        ("geen deelnemend uitzendbureau in regio drechtsteden", Mislukkingsreden.GEEN_UITZENDBUREAU_IN_REGIO),
        (
            "geen deelnemend uitzendbureau in regio haaglanden bedient gemeente GM0518",
            Mislukkingsreden.GEEN_UITZENDBUREAU_VOOR_GEMEENTE,
        ),
        (
            "alle uitzendbureaus voor gemeente GM0518 in regio haaglanden zitten aan hun capaciteit",
            Mislukkingsreden.CAPACITEIT_VOL,
        ),
        ("iets anders", Mislukkingsreden.OVERIG),
    ],
)
def test_a_v1_failed_assignment_gets_the_code_of_its_sentence(zin: str, code: Mislukkingsreden) -> None:
    assert mislukkingsreden(zin) is code
    data = {**PLAATS, "regelversie": "toewijzing-v2", "reden": zin}
    env = decode(*v1_record("ToewijzingMislukt", data, source_of("matching")))
    assert type(env.data) is ToewijzingMislukt and env.data.reden is code


def test_a_v1_missed_checkpoint_gets_its_code() -> None:
    data = {
        **PLAATS,
        "plaatsing_id": "77777777-7777-4777-8777-777777777777",
        "uitzendbureau": "hofstad-uitzend",
        "maanden": 6,
        "mijlpaal": date(2025, 9, 1).isoformat(),
        "reden": "herinstroom",
    }
    env = decode(*v1_record("OpvolgingGemist", data, source_of("plaatsing")))
    assert type(env.data) is OpvolgingGemist and env.data.reden is Gemistreden.HERINSTROOM


def test_an_earlier_version_is_still_owned_by_its_producer() -> None:
    data = {**PLAATS, "regelversie": "toewijzing-v2", "reden": "iets"}
    with pytest.raises(DecodeError) as exc:
        decode(*v1_record("ToewijzingMislukt", data, source_of("intake")))
    assert exc.value.code == "foreign-producer"


def test_every_earlier_version_names_its_current_one_and_what_it_drops() -> None:
    assert {e.huidig for e in EERDERE} == {
        AanmeldingOntvangen,
        ProfielAangevuld,
        KandidaatHertoegewezen,
        KandidaatGescreend,
        ToewijzingMislukt,
        OpvolgingGemist,
        SollicitatiegesprekGehouden,
        PlaatsingGerealiseerd,
        GesprekGepland,
        AanbodGedaan,
        KandidaatAfgewezen,
        PlaatsingBeeindigd,
    }
    assert KandidaatHertoegewezenV1.weg() == ("reden",)
    assert KandidaatGescreendV1.weg() == ("reden",)
    assert ToewijzingMisluktV1.weg() == () and OpvolgingGemistV1.weg() == ()  # mapped, not dropped
    assert all(e.version < e.huidig.version for e in EERDERE)
    assert KandidaatHertoegewezen.version == 3 and KandidaatHertoegewezenV2.weg() == ()


def test_a_v1_profile_is_read_with_its_personal_fields_in_memory_only_and_job_dates_as_months() -> None:
    data = {
        **PLAATS,
        "aanmelding_id": str(KANDIDAAT),
        "postcodegebied": "2512",
        "opleidingsniveau": "mbo3",
        "werkervaring": [{"beroep": "4110", "van": "2015-03-04", "tot": "2024-06-30"}],
        "wensberoepen": ["4110"],
        "uitkering": "ww",
        "skills": ["excel"],
        "doelgroepen": ["statushouder"],
        "aangevulde_velden": ["skills"],
    }
    for naam, huidig in (("AanmeldingOntvangen", AanmeldingOntvangen), ("ProfielAangevuld", ProfielAangevuld)):
        event = decode(*v1_record(naam, data, source_of("intake"))).data
        assert type(event) is huidig and huidig.version == 2
        assert [(w.van, w.tot) for w in event.werkervaring] == [("2015-03", "2024-06")]
        assert event.persoonlijk is not None
        assert event.persoonlijk.onversleuteld == {
            "postcodegebied": "2512",
            "doelgroepen": ["statushouder"],
            "skills": ["excel"],
        }
        # Never written out again in clear: the serialised event holds no personal field.
        uit = event.model_dump_json()
        assert "2512" not in uit and "statushouder" not in uit and "excel" not in uit


def test_a_v1_reason_or_employer_is_read_into_the_encrypted_part_in_memory_only() -> None:
    gesprek = {**PLAATS, "gesprek_id": str(KANDIDAAT), "uitzendbureau": "hofstad-uitzend", "datum": "2025-02-01"}
    event = decode(*v1_record("GesprekGepland", {**gesprek, "werkgever": "Bakkerij Jansen"}, source_of("plaatsing")))
    assert type(event.data) is GesprekGepland and event.data.persoonlijk is not None
    assert event.data.persoonlijk.onversleuteld == {"werkgever": "Bakkerij Jansen"}
    assert "Jansen" not in event.data.model_dump_json()
    afgewezen = {**PLAATS, "uitzendbureau": "hofstad-uitzend", "datum": "2025-02-01", "reden": "zorg_nodig"}
    event = decode(*v1_record("KandidaatAfgewezen", afgewezen, source_of("plaatsing")))
    assert event.data.persoonlijk is not None and event.data.persoonlijk.onversleuteld == {"reden": "zorg_nodig"}
    assert "zorg_nodig" not in event.data.model_dump_json()
