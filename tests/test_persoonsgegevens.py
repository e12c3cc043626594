"""The check on the service logs finds a test person's data, and any phone number or e-mail address."""

from __future__ import annotations

from pathlib import Path

from .persoonsgegevens import gebruikt, in_logs


def test_a_log_with_personal_data_is_found_and_a_clean_one_is_not(tmp_path: Path) -> None:
    gebruikt("Joris Proefpersoon-0a1b2c3d", "111222333")
    vuil, schoon = tmp_path / "intake.log", tmp_path / "matching.log"
    vuil.write_text(
        "INFO registered Joris Proefpersoon-0a1b2c3d\n"
        "WARNING bsn 111222333 phone 0612345678 mail jan.jansen@example.org\n"
    )
    schoon.write_text("INFO 201 POST /api/v1/aanmeldingen kandidaat 6f1c1e0e-4f2a-4d4e-9d7e-1c2b3a4d5e6f in 12 ms\n")
    gevonden = in_logs([vuil, schoon])
    assert gevonden == [
        "intake.log: telefoon 0612345678",
        "intake.log: e-mail jan.jansen@example.org",
        "intake.log: 111222333",
        "intake.log: Joris Proefpersoon-0a1b2c3d",
    ]
    assert in_logs([schoon]) == []
