import json
import os

import pytest
from werkkloket_deploy.asyncapi import document, path_of, render
from werkkloket_deploy.stack import SERVICES


def test_committed_asyncapi_documents_are_current() -> None:
    for service in SERVICES:
        committed = path_of(service)
        assert committed.exists(), f"run `werkkloket asyncapi write` ({service})"
        assert committed.read_text() == render(document(service)), f"{committed} is out of date"


def test_documents_name_the_topics_each_service_uses() -> None:
    addresses = {s: {c["address"] for c in json.loads(path_of(s).read_text())["channels"].values()} for s in SERVICES}
    assert addresses["intake"] == {"werkkloket.aanmeldingen", "werkkloket.toewijzingen"}
    assert addresses["matching"] == {
        "werkkloket.aanmeldingen",
        "werkkloket.toewijzingen",
        "werkkloket.plaatsingen",
        "werkkloket.matches",
        "werkkloket.vacatures",
        "werkkloket.werk-naar-werk",
    }
    assert "werkkloket.plaatsingen" in addresses["plaatsing"]
    assert addresses["rapportage"] == {
        "werkkloket.aanmeldingen",
        "werkkloket.toewijzingen",
        "werkkloket.plaatsingen",
        "werkkloket.werk-naar-werk",
    }


def test_building_a_document_leaves_the_environment_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("KAFKA_BOOTSTRAP_SERVERS", raising=False)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    document("intake")
    assert "KAFKA_BOOTSTRAP_SERVERS" not in os.environ and "DATABASE_URL" not in os.environ
