"""JSON Schemas of the events, and the check that a committed schema only changes compatibly.

Usage (the `werkkloket` command of the deploy package)::

    werkkloket schemas write [DIR]   # (re)generate DIR/<ce_type>.json
    werkkloket schemas check [DIR]   # exit 1 when DIR is stale or a change is breaking

Compatibility rules of `incompatibilities(old, new)`, for two schemas of the *same* ce_type (same version).
Events are kept forever and read by consumers we do not control, so a change must work both ways: new
readers on old events and old readers on new events. Breaking are:

* a property removed;
* a property made required that was optional, or a new required property;
* any other change of a property's schema ("type changed"): type, format, pattern, $ref target, anyOf
  branches, min/max constraints, additionalProperties, ... Only the annotations `title`, `description`,
  `default`, `examples` and `$comment` may change freely;
* an enum losing values. Adding enum values (widening) is allowed.

Allowed are thus: adding an optional property, changing annotations, widening an enum. `$ref`s into `$defs`
are resolved on both sides and nested objects, array items and anyOf branches are compared recursively, so
a nested change is reported with a path such as `werkervaring[].beroep`. Anything breaking needs a new
event type version (`...v2`) instead.
"""

from __future__ import annotations

import difflib
import json
from pathlib import Path
from typing import Any

from .events.basis import Gebeurtenis
from .events.eerdere import EERDERE
from .topics import EVENT_TYPES, topic_for

SCHEMA_DIR = Path(__file__).parents[1] / "schemas"
ID_BASE = "https://werkkloket.nl/schemas/"
DIALECT = "https://json-schema.org/draft/2020-12/schema"

# Keywords that document a schema but do not constrain the data.
ANNOTATIONS = frozenset({"title", "description", "default", "examples", "$comment", "$id", "$schema"})
# Keywords compared structurally (recursively) instead of by equality.
STRUCTURAL = frozenset({"properties", "required", "items", "anyOf", "oneOf", "enum", "$ref", "$defs"})

Schema = dict[str, Any]


def schema_of(model: type[Gebeurtenis]) -> Schema:
    """JSON Schema of one event type, with its identity, topic and key."""
    ce_type = model.ce_type()
    schema: Schema = model.model_json_schema()
    schema.update(
        {
            "$schema": DIALECT,
            "$id": f"{ID_BASE}{ce_type}.json",
            "title": ce_type,
            "x-topic": topic_for(model).name,
            "x-key": model.sleutel,
        }
    )
    return schema


def generate() -> dict[str, Schema]:
    """ce_type -> JSON Schema, for every event type and every earlier version still read."""
    return {model.ce_type(): schema_of(model) for model in (*EVENT_TYPES, *EERDERE)}


def render(schema: Schema) -> str:
    """The committed form of a schema: pretty, sorted keys, trailing newline."""
    return json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


# --- compatibility ---------------------------------------------------------------------------------------


def incompatibilities(old: Schema, new: Schema) -> list[str]:
    """Human-readable backward-incompatible changes from `old` to `new` (see the module docstring)."""
    out: list[str] = []
    _compare(old, new, "", old, new, out, frozenset())
    return out


def _resolve(schema: Schema, root: Schema) -> tuple[Schema, str | None]:
    """Follow `$ref`s into the root's `$defs`; returns the target and the last ref followed."""
    ref: str | None = None
    seen: set[str] = set()
    while "$ref" in schema:
        ref = schema["$ref"]
        if not isinstance(ref, str) or not ref.startswith("#/") or ref in seen:
            break  # external or cyclic ref: compare it as a plain value
        seen.add(ref)
        target: Any = root
        for part in ref[2:].split("/"):
            part = part.replace("~1", "/").replace("~0", "~")
            target = target.get(part) if isinstance(target, dict) else None
        if not isinstance(target, dict):
            break  # dangling ref: compare it as a plain value
        # Keywords beside a $ref apply too (2020-12); the annotations there are irrelevant anyway.
        siblings = {k: v for k, v in schema.items() if k != "$ref"}
        schema = {**target, **siblings}
    return schema, ref


def _label(path: str) -> str:
    return path or "(root)"


def _short(value: Any) -> str:
    text = json.dumps(value, sort_keys=True, ensure_ascii=False)
    return text if len(text) <= 120 else text[:117] + "..."


def _type_changes(old: Schema, new: Schema) -> tuple[list[str], list[tuple[Any, Any]]]:
    """What makes a node a different type, and the anyOf/oneOf branches to compare pairwise."""
    details: list[str] = []
    plain = sorted((set(old) | set(new)) - ANNOTATIONS - STRUCTURAL)
    details += [f"{k}: {_short(old.get(k))} -> {_short(new.get(k))}" for k in plain if old.get(k) != new.get(k)]
    if old.get("$ref") != new.get("$ref"):  # only unresolvable refs are left
        details.append(f"$ref: {_short(old.get('$ref'))} -> {_short(new.get('$ref'))}")
    if ("enum" in old) != ("enum" in new):
        details.append(f"enum: {_short(old.get('enum'))} -> {_short(new.get('enum'))}")
    alternatives: list[tuple[Any, Any]] = []
    for keyword in ("anyOf", "oneOf"):
        old_alts, new_alts = old.get(keyword), new.get(keyword)
        if isinstance(old_alts, list) and isinstance(new_alts, list) and len(old_alts) == len(new_alts):
            alternatives += zip(old_alts, new_alts, strict=True)
        elif old_alts != new_alts:
            details.append(f"{keyword}: {_short(old_alts)} -> {_short(new_alts)}")
    old_items, new_items = old.get("items"), new.get("items")
    if not (isinstance(old_items, dict) and isinstance(new_items, dict)) and old_items != new_items:
        details.append(f"items: {_short(old_items)} -> {_short(new_items)}")
    return details, alternatives


def _compare(
    old: Schema,
    new: Schema,
    path: str,
    old_root: Schema,
    new_root: Schema,
    out: list[str],
    visiting: frozenset[tuple[str, str]],
) -> None:
    old, old_ref = _resolve(old, old_root)
    new, new_ref = _resolve(new, new_root)
    if old_ref is not None and new_ref is not None:
        if (old_ref, new_ref) in visiting:
            return  # recursive model: this pair is being compared further up
        visiting = visiting | {(old_ref, new_ref)}

    # Everything that makes this node a different type, reported as one message.
    details, alternatives = _type_changes(old, new)
    if details:
        out.append(f"{_label(path)}: type changed ({', '.join(details)})")

    # Enum: widening is fine, losing values is not.
    lost = [v for v in old.get("enum", ()) if "enum" in new and v not in new["enum"]]
    if lost:
        out.append(f"{_label(path)}: enum values removed: {_short(lost)}")

    # Alternatives, compared branch by branch so a change inside an optional nested object is found.
    for old_alt, new_alt in alternatives:
        _compare(old_alt, new_alt, path, old_root, new_root, out, visiting)

    # Array items.
    old_items, new_items = old.get("items"), new.get("items")
    if isinstance(old_items, dict) and isinstance(new_items, dict):
        _compare(old_items, new_items, f"{path}[]", old_root, new_root, out, visiting)

    _compare_properties(old, new, path, old_root, new_root, out, visiting)


def _compare_properties(
    old: Schema,
    new: Schema,
    path: str,
    old_root: Schema,
    new_root: Schema,
    out: list[str],
    visiting: frozenset[tuple[str, str]],
) -> None:
    old_props: Schema = old.get("properties") or {}
    new_props: Schema = new.get("properties") or {}
    old_required = set(old.get("required") or ())
    new_required = set(new.get("required") or ())
    prefix = f"{path}." if path else ""
    for name in old_props:
        if name not in new_props:
            out.append(f"{prefix}{name}: property removed")
        else:
            _compare(old_props[name], new_props[name], f"{prefix}{name}", old_root, new_root, out, visiting)
    for name in sorted(new_required - old_required):
        if name in old_props:
            out.append(f"{prefix}{name}: optional property made required")
        else:
            out.append(f"{prefix}{name}: new required property")


# --- files -----------------------------------------------------------------------------------------------


def write(directory: Path = SCHEMA_DIR) -> list[Path]:
    """Write every schema to `directory/<ce_type>.json`; returns the files written."""
    directory.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for ce_type, schema in generate().items():
        path = directory / f"{ce_type}.json"
        path.write_text(render(schema), encoding="utf-8")
        written.append(path)
    return written


def load(directory: Path = SCHEMA_DIR) -> dict[str, Schema]:
    """The committed schemas, ce_type -> schema."""
    return {
        path.name.removesuffix(".json"): json.loads(path.read_text(encoding="utf-8"))
        for path in sorted(directory.glob("*.json"))
    }


def check(directory: Path = SCHEMA_DIR) -> tuple[list[str], list[str]]:
    """Compare `directory` with the generated schemas.

    Returns (differences, incompatibilities): every missing, stale or unexpected file (with a diff), and
    every breaking change between a committed schema and the generated one.
    """
    generated = generate()
    differences: list[str] = []
    breaking: list[str] = []
    committed_files = {p.name.removesuffix(".json"): p for p in sorted(directory.glob("*.json"))}

    for ce_type, schema in generated.items():
        path = directory / f"{ce_type}.json"
        expected = render(schema)
        if ce_type not in committed_files:
            differences.append(f"{path}: missing")
            continue
        actual = path.read_text(encoding="utf-8")
        if actual == expected:
            continue
        diff = "".join(
            difflib.unified_diff(
                actual.splitlines(keepends=True),
                expected.splitlines(keepends=True),
                fromfile=f"{path} (committed)",
                tofile=f"{path} (generated)",
            )
        )
        differences.append(f"{path}: differs from the generated schema\n{diff.rstrip()}")
        try:
            committed = json.loads(actual)
        except json.JSONDecodeError as exc:
            breaking.append(f"{ce_type}: committed schema is not valid JSON ({exc})")
            continue
        breaking.extend(f"{ce_type}: {problem}" for problem in incompatibilities(committed, schema))

    for ce_type, path in committed_files.items():
        if ce_type not in generated:
            differences.append(f"{path}: no event type {ce_type} any more")
            breaking.append(f"{ce_type}: event type removed")
    return differences, breaking
