"""The services' keys files: made once by whoever launches the stack, kept from then on, each given to its own
service only; intake's holds the receivers' wrapping keys."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from werkkloket_deploy.sleutels import GEBRUIKERS, ONTVANGERS, bestand_van, maak, sleutelbestand
from werkkloket_deploy.stack import start_service
from werkkloket_runtime.kafka import KafkaConnection
from werkkloket_runtime.settings import SLEUTELS_ENV
from werkkloket_runtime.versleuteling import OngeldigeSleutels, lees_sleutels


def test_made_once_then_kept(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(SLEUTELS_ENV, raising=False)
    path = tmp_path / "run" / "sleutels" / "intake.json"
    assert sleutelbestand(path) == path
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    eerste = path.read_bytes()
    assert sleutelbestand(path) == path and path.read_bytes() == eerste
    maak(path)  # never replaces existing keys
    assert path.read_bytes() == eerste and lees_sleutels(path)
    # one per service, no leftovers
    assert sorted(p.name for p in path.parent.iterdir()) == sorted(f"{d}.json" for d in GEBRUIKERS)
    intake = lees_sleutels(path)
    for dienst in ONTVANGERS:
        eigen = lees_sleutels(bestand_van(path, dienst))
        assert stat.S_IMODE(bestand_van(path, dienst).stat().st_mode) == 0o600
        assert intake.ontvangers[dienst] == eigen.kek  # intake wraps for it with the key it unwraps with
        assert eigen.ontvangers == {} and eigen.kek not in (intake.kek, intake.hmac)
    assert len({intake.ontvangers[d] for d in ONTVANGERS}) == len(ONTVANGERS)


def test_intake_learns_a_receiver_added_later_and_keeps_its_own_keys(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(SLEUTELS_ENV, raising=False)
    path = tmp_path / "intake.json"
    maak(path)  # from before the receivers had keys
    voor = lees_sleutels(path)
    assert voor.ontvangers == {}
    sleutelbestand(path)
    na = lees_sleutels(path)
    assert (na.kek, na.hmac) == (voor.kek, voor.hmac) and set(na.ontvangers) == set(ONTVANGERS)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_the_environment_names_another_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    elders = tmp_path / "elders.json"
    monkeypatch.setenv(SLEUTELS_ENV, str(elders))
    assert sleutelbestand(tmp_path / "standaard.json") == elders
    assert elders.exists() and not (tmp_path / "standaard.json").exists()


def test_a_broken_file_is_refused_not_replaced(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(SLEUTELS_ENV, raising=False)
    path = tmp_path / "intake.json"
    path.write_text("{}")
    path.chmod(0o600)
    with pytest.raises(OngeldigeSleutels):
        sleutelbestand(path)
    assert path.read_text() == "{}"


def test_intake_is_not_started_without_its_keys(tmp_path: Path) -> None:
    kafka = KafkaConnection(bootstrap_servers="127.0.0.1:1", username="intake", password="-", ca_file=tmp_path)
    with pytest.raises(ValueError, match="keys file"):
        start_service(
            "intake",
            port=1,
            kafka=kafka,
            database_url="postgresql+asyncpg://intake@127.0.0.1:1/werkkloket",
            oidc_issuer="http://127.0.0.1:1/realms/werkkloket",
            log_dir=tmp_path / "logs",
        )
