from datetime import date

from werkkloket_intake.adapters.classificaties import laad
from werkkloket_intake.domain.classificaties import MIN_SCORE
from werkkloket_intake.domain.profiel import bsn_geldig, doelgroepen, dubbel_sleutel, ontbrekend


def test_missing_fields_are_named_exactly() -> None:
    assert ontbrekend({}) == ["telefoon_of_email", "postcode", "opleidingsniveau", "wensberoepen", "uitkering"]
    compleet = {
        "email": "a@b.nl",
        "postcode": "2511 AB",
        "opleidingsniveau": "mbo2",
        "wensberoepen": ["5120"],
        "uitkering": "ww",
    }
    assert ontbrekend(compleet) == []
    assert ontbrekend({**compleet, "wensberoepen": []}) == ["wensberoepen"]
    assert ontbrekend({**compleet, "email": None, "telefoon": "0612345678"}) == []


def test_bsn_elfproef() -> None:
    assert bsn_geldig("123456782") and bsn_geldig("111222333")
    for bad in ("123456789", "12345678", "1234567820", "abcdefghi", "000000000"):
        assert not bsn_geldig(bad)


def test_duplicate_key_ignores_case_spaces_and_postcode_format() -> None:
    a = dubbel_sleutel("Fatima  de Vries", date(1980, 5, 17), "2511 AB")
    assert a == dubbel_sleutel("FATIMA DE VRIES", date(1980, 5, 17), "2511ab")
    assert a != dubbel_sleutel("Fatima de Vries", date(1980, 5, 18), "2511 AB")
    assert dubbel_sleutel("Fatima de Vries", None, "2511 AB") is None


def test_fifty_plus_is_derived_from_the_date_of_birth() -> None:
    assert doelgroepen(["statushouder"], date(1975, 3, 3), date(2025, 3, 3)) == ["50-plus", "statushouder"]
    assert doelgroepen([], date(1975, 3, 4), date(2025, 3, 3)) == []


def test_classification_extract_names_its_source_and_licence() -> None:
    c = laad()
    assert len(c.beroepen) >= 70 and len(c.sbi) == 21
    assert "ILO" in c.bron and "CBS" in c.bron and "CC BY 4.0" in c.licentie
    assert all(b.sbi is None or b.sbi in c.sbi for b in c.beroepen.values())


def test_free_text_is_coded_with_alternatives() -> None:
    c = laad()
    for tekst, code in (("kok", "5120"), ("Schoonmaakster", "9112"), ("beveliger", "5414"), ("heftruck", "8344")):
        r = c.codeer(tekst)
        assert r.gekozen is not None and r.gekozen.code == code and r.gekozen.score >= MIN_SCORE
        assert r.alternatieven and all(a.code != code for a in r.alternatieven)
    assert c.codeer("4110").gekozen is not None
    onbekend = c.codeer("xyzzy qwerty")
    assert onbekend.gekozen is None and len(onbekend.alternatieven) == 4
    assert c.codeer("0000").gekozen is None
