"""Committed JSON Schemas are up to date, and only change compatibly within one version of an event type."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
from werkkloket_contracts import EVENT_TYPES, topic_for
from werkkloket_contracts.events.eerdere import EERDERE
from werkkloket_contracts.schemas import SCHEMA_DIR, generate, incompatibilities, load, render

WRITE = "werkkloket schemas write"
COMMITTED = load(SCHEMA_DIR)
GENERATED = generate()


# --- the committed files ---------------------------------------------------------------------------------


def test_every_event_type_has_a_committed_schema() -> None:
    missing = sorted(set(GENERATED) - set(COMMITTED))
    assert not missing, f"no committed schema for {missing} in {SCHEMA_DIR}; run: {WRITE}"


@pytest.mark.parametrize("ce_type", sorted(GENERATED))
def test_committed_schema_is_up_to_date(ce_type: str) -> None:
    if ce_type not in COMMITTED:
        pytest.skip("missing; reported by test_every_event_type_has_a_committed_schema")
    assert COMMITTED[ce_type] == GENERATED[ce_type], (
        f"{SCHEMA_DIR / ce_type}.json differs from the event model; run: {WRITE} (and commit the result)"
    )


@pytest.mark.parametrize("ce_type", sorted(COMMITTED))
def test_committed_schema_is_compatible(ce_type: str) -> None:
    """The guard: a breaking change to an event model needs a new event type version, not an edit."""
    assert ce_type in GENERATED, (
        f"event type {ce_type} was removed but consumers may still read it from the log; "
        "keep producing or decoding it, or delete its schema deliberately"
    )
    problems = incompatibilities(COMMITTED[ce_type], GENERATED[ce_type])
    assert not problems, (
        f"{ce_type} changed incompatibly; introduce a new version of the type (e.g. .v2) instead:\n  "
        + "\n  ".join(problems)
    )


def test_committed_files_are_rendered_canonically() -> None:
    for path in sorted(SCHEMA_DIR.glob("*.json")):
        text = path.read_text(encoding="utf-8")
        assert text == render(json.loads(text)), f"{path.name} is not in canonical form; run: {WRITE}"


def test_generated_schema_metadata() -> None:
    # Every current type, and every earlier version still read from the topics.
    assert set(GENERATED) == {cls.ce_type() for cls in (*EVENT_TYPES, *EERDERE)}
    for cls in (*EVENT_TYPES, *EERDERE):
        schema = GENERATED[cls.ce_type()]
        assert schema["$id"] == f"https://werkkloket.nl/schemas/{cls.ce_type()}.json"
        assert schema["title"] == cls.ce_type()
        assert schema["x-topic"] == topic_for(cls).name
        assert schema["x-key"] == cls.sleutel
        assert schema["additionalProperties"] is False  # from extra="forbid"
        assert cls.sleutel in schema["required"]
        for name, definition in schema.get("$defs", {}).items():
            if definition.get("type") == "object":
                assert definition["additionalProperties"] is False, name


# --- incompatibilities() on hand-made schemas ------------------------------------------------------------

BASE: dict[str, Any] = {
    "$defs": {
        "Niveau": {"enum": ["mbo", "hbo"], "title": "Niveau", "type": "string"},
        "Ervaring": {
            "additionalProperties": False,
            "properties": {
                "beroep": {"pattern": "^\\d{4}$", "type": "string", "description": "ISCO"},
                "van": {"format": "date", "type": "string"},
            },
            "required": ["beroep", "van"],
            "title": "Ervaring",
            "type": "object",
        },
    },
    "additionalProperties": False,
    "properties": {
        "kandidaat_id": {"format": "uuid", "type": "string", "title": "Kandidaat Id"},
        "niveau": {"$ref": "#/$defs/Niveau"},
        "werkervaring": {"items": {"$ref": "#/$defs/Ervaring"}, "type": "array"},
        "laatste": {"anyOf": [{"$ref": "#/$defs/Ervaring"}, {"type": "null"}], "default": None},
        "opmerking": {"anyOf": [{"type": "string"}, {"type": "null"}], "default": None},
    },
    "required": ["kandidaat_id", "niveau"],
    "title": "Voorbeeld",
    "type": "object",
}


def changed(edit: Any) -> list[str]:
    new = copy.deepcopy(BASE)
    edit(new)
    return incompatibilities(BASE, new)


def test_identical_is_compatible() -> None:
    assert incompatibilities(BASE, copy.deepcopy(BASE)) == []


def test_property_removed() -> None:
    assert changed(lambda s: s["properties"].pop("opmerking")) == ["opmerking: property removed"]


def test_property_retyped() -> None:
    def edit(s: dict[str, Any]) -> None:
        s["properties"]["kandidaat_id"] = {"type": "integer"}

    [problem] = changed(edit)
    assert problem.startswith("kandidaat_id: type changed")
    assert "format" in problem and "integer" in problem


@pytest.mark.parametrize(
    ("keyword", "value"),
    [("format", "date-time"), ("pattern", "^\\d{6}$"), ("minLength", 1)],
)
def test_constraint_changed_is_a_type_change(keyword: str, value: object) -> None:
    def edit(s: dict[str, Any]) -> None:
        s["$defs"]["Ervaring"]["properties"]["beroep"][keyword] = value

    assert changed(edit) == [
        f"werkervaring[].beroep: type changed ({keyword}: {problem_value(BASE, keyword)} -> {json.dumps(value)})",
        f"laatste.beroep: type changed ({keyword}: {problem_value(BASE, keyword)} -> {json.dumps(value)})",
    ]


def problem_value(schema: dict[str, Any], keyword: str) -> str:
    return json.dumps(schema["$defs"]["Ervaring"]["properties"]["beroep"].get(keyword))


def test_optional_made_required() -> None:
    assert changed(lambda s: s["required"].append("opmerking")) == ["opmerking: optional property made required"]


def test_new_required_property() -> None:
    def edit(s: dict[str, Any]) -> None:
        s["properties"]["uren"] = {"type": "integer"}
        s["required"].append("uren")

    assert changed(edit) == ["uren: new required property"]


def test_nested_removal_via_ref() -> None:
    def edit(s: dict[str, Any]) -> None:
        del s["$defs"]["Ervaring"]["properties"]["beroep"]
        s["$defs"]["Ervaring"]["required"].remove("beroep")

    # Found through the array items and through the optional (anyOf) field alike.
    assert changed(edit) == ["werkervaring[].beroep: property removed", "laatste.beroep: property removed"]


def test_nested_new_required_via_ref() -> None:
    def edit(s: dict[str, Any]) -> None:
        s["$defs"]["Ervaring"]["properties"]["tot"] = {"format": "date", "type": "string"}
        s["$defs"]["Ervaring"]["required"].append("tot")

    assert "werkervaring[].tot: new required property" in changed(edit)


def test_ref_inlined_is_compatible() -> None:
    def edit(s: dict[str, Any]) -> None:
        s["properties"]["werkervaring"]["items"] = copy.deepcopy(s["$defs"]["Ervaring"])
        s["properties"]["niveau"] = copy.deepcopy(s["$defs"]["Niveau"])

    assert changed(edit) == []


def test_ref_to_other_definition_is_compared_by_content() -> None:
    def edit(s: dict[str, Any]) -> None:
        s["$defs"]["Niveau"] = {"enum": ["mbo", "hbo"], "type": "string"}
        s["$defs"]["Opleiding"] = {"enum": ["mbo"], "type": "string"}
        s["properties"]["niveau"] = {"$ref": "#/$defs/Opleiding"}

    assert changed(edit) == ['niveau: enum values removed: ["hbo"]']


def test_adding_optional_property_is_compatible() -> None:
    def edit(s: dict[str, Any]) -> None:
        s["properties"]["regio"] = {"anyOf": [{"type": "string"}, {"type": "null"}], "default": None}
        s["$defs"]["Ervaring"]["properties"]["tot"] = {"format": "date", "type": "string"}

    assert changed(edit) == []


def test_annotations_are_compatible() -> None:
    def edit(s: dict[str, Any]) -> None:
        s["description"] = "Nieuw"
        s["title"] = "Ander"
        s["properties"]["kandidaat_id"]["description"] = "Pseudoniem"
        s["properties"]["kandidaat_id"]["title"] = "Kandidaat"
        s["properties"]["opmerking"]["default"] = ""
        s["properties"]["opmerking"]["examples"] = ["tekst"]
        s["$defs"]["Ervaring"]["properties"]["beroep"]["description"] = "ISCO-08 unit group"

    assert changed(edit) == []


def test_enum_widening_is_compatible() -> None:
    assert changed(lambda s: s["$defs"]["Niveau"]["enum"].append("wo")) == []


def test_enum_narrowing_is_incompatible() -> None:
    assert changed(lambda s: s["$defs"]["Niveau"]["enum"].remove("hbo")) == ['niveau: enum values removed: ["hbo"]']


def test_optional_made_nullable_or_not_is_a_type_change() -> None:
    def edit(s: dict[str, Any]) -> None:
        s["properties"]["opmerking"] = {"type": "string", "default": ""}

    [problem] = changed(edit)
    assert problem.startswith("opmerking: type changed")


def test_every_problem_is_reported() -> None:
    def edit(s: dict[str, Any]) -> None:
        s["properties"].pop("opmerking")
        s["properties"]["kandidaat_id"]["type"] = "integer"
        s["required"].append("laatste")

    assert changed(edit) == [
        'kandidaat_id: type changed (type: "string" -> "integer")',
        "opmerking: property removed",
        "laatste: optional property made required",
    ]


def test_recursive_definitions_terminate() -> None:
    knoop = {
        "$defs": {
            "Knoop": {
                "properties": {"kind": {"anyOf": [{"$ref": "#/$defs/Knoop"}, {"type": "null"}]}},
                "type": "object",
            }
        },
        "properties": {"wortel": {"$ref": "#/$defs/Knoop"}},
        "type": "object",
    }
    assert incompatibilities(knoop, copy.deepcopy(knoop)) == []


def test_topic_change_is_incompatible() -> None:
    old = GENERATED[EVENT_TYPES[0].ce_type()]
    new = {**old, "x-topic": "werkkloket.elders"}
    assert incompatibilities(old, new) == [
        '(root): type changed (x-topic: "werkkloket.aanmeldingen" -> "werkkloket.elders")'
    ]


def test_every_event_class_is_carried_by_a_topic() -> None:
    """EVENT_TYPES comes from the topic registry: an event class on no topic would never be published."""
    import inspect

    from werkkloket_contracts import Gebeurtenis
    from werkkloket_contracts.events import kandidaat, vacatures, werknaarwerk

    defined = {
        cls
        for module in (kandidaat, vacatures, werknaarwerk)
        for _, cls in inspect.getmembers(module, inspect.isclass)
        if issubclass(cls, Gebeurtenis)
        and cls.__module__ == module.__name__
        and not cls.__name__.endswith("Gebeurtenis")
        and "event_name" in vars(cls)  # a shared base (Aanmeldingsprofiel) is no event
    }
    assert len(defined) == 30
    assert defined == set(EVENT_TYPES)
