"""No direct identifier of a person ever travels on the bus: only the pseudonymous kandidaat_id."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any, get_args

import pytest
from pydantic import BaseModel, ConfigDict
from werkkloket_contracts import EVENT_TYPES, Gebeurtenis
from werkkloket_contracts.schemas import generate

DIRECT_IDENTIFIERS = (
    "bsn",
    "naam",
    "voornaam",
    "achternaam",
    "telefoon",
    "telefoonnummer",
    "email",
    "e_mail",
    "adres",
    "straat",
    "huisnummer",
    "geboortedatum",
)


def normalise(name: str) -> str:
    """Lower case without separators, so 'Achter_Naam', 'eMail' and 'e-mail' are caught too."""
    return re.sub(r"[^a-z0-9]", "", name.lower())


FORBIDDEN = tuple(normalise(identifier) for identifier in DIRECT_IDENTIFIERS)


def is_direct_identifier(name: str) -> bool:
    # Substring match: 'naam_kandidaat' or 'emailadres' are as bad as 'naam' or 'email'.
    return any(identifier in normalise(name) for identifier in FORBIDDEN)


def nested_models(annotation: Any) -> Iterator[type[BaseModel]]:
    """Models inside an annotation such as `list[Werkervaring] | None`."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        yield annotation
    for arg in get_args(annotation):
        yield from nested_models(arg)


def field_names(model: type[BaseModel], seen: set[type[BaseModel]] | None = None) -> Iterator[str]:
    """Every field name and alias of a model and, recursively, of the models it contains (as dotted paths)."""
    seen = set() if seen is None else seen
    if model in seen:
        return
    seen.add(model)
    for name, info in model.model_fields.items():
        for wire_name in {name, info.alias or name, info.serialization_alias or name}:
            yield f"{model.__name__}.{wire_name}"
        for inner in nested_models(info.annotation):
            yield from field_names(inner, seen)


def schema_property_names(schema: Any) -> Iterator[str]:
    """Every property name anywhere in a JSON Schema, $defs included."""
    if isinstance(schema, dict):
        for name, sub in (schema.get("properties") or {}).items():
            yield name
            yield from schema_property_names(sub)
        for key, sub in schema.items():
            if key != "properties":
                yield from schema_property_names(sub)
    elif isinstance(schema, list):
        for sub in schema:
            yield from schema_property_names(sub)


@pytest.mark.parametrize("model", EVENT_TYPES, ids=lambda cls: cls.__name__)
def test_no_direct_identifier_in_model(model: type[Gebeurtenis]) -> None:
    offending = [path for path in field_names(model) if is_direct_identifier(path.rsplit(".", 1)[1])]
    assert not offending, f"direct identifiers must stay in the intake service, not on the bus: {offending}"


@pytest.mark.parametrize("ce_type", sorted(generate()))
def test_no_direct_identifier_in_schema(ce_type: str) -> None:
    offending = sorted({n for n in schema_property_names(generate()[ce_type]) if is_direct_identifier(n)})
    assert not offending, f"{ce_type} carries direct identifiers: {offending}"


def test_nested_models_are_inspected() -> None:
    names = set(field_names(EVENT_TYPES[0]))
    assert "Werkervaringsperiode.beroep" in names
    assert any(name.startswith("Reden.") for model in EVENT_TYPES for name in field_names(model))


def test_check_catches_a_nested_identifier() -> None:
    class Contact(BaseModel):
        model_config = ConfigDict(extra="forbid")
        telefoon_nummer: str

    class Fout(Gebeurtenis):
        contacten: list[Contact] | None = None

    offending = [path for path in field_names(Fout) if is_direct_identifier(path.rsplit(".", 1)[1])]
    assert offending == ["Contact.telefoon_nummer"]


@pytest.mark.parametrize(
    "name", ["bsn", "BSN", "naam", "achternaam", "naam_kandidaat", "e_mail", "e-mail", "emailAdres", "geboorte_datum"]
)
def test_identifiers_are_recognised(name: str) -> None:
    assert is_direct_identifier(name)


@pytest.mark.parametrize("name", ["postcodegebied", "kandidaat_id", "gemeente", "werkgever", "startdatum", "datum"])
def test_allowed_names(name: str) -> None:
    assert not is_direct_identifier(name)
