"""Every endpoint of every service, with every role: 401 without a token, 403 for a role the endpoint does not
name, and past the guard for a role it names (404 for an object that is not there or not the caller's).

The endpoints come from each app's own OpenAPI document, built in process by the service's composition root: an
endpoint added without a declaration fails here (and when its router is built)."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from typing import Any, get_args

import httpx
import pytest
from werkkloket_deploy.asyncapi import built
from werkkloket_deploy.identities import ROLE_FOR, all_identities
from werkkloket_deploy.stack import SERVICES
from werkkloket_runtime.identity import ROLLEN, Rol
from werkkloket_runtime.toegang import OPENAPI_KEY

from ..conftest import Stack

pytestmark = pytest.mark.integration

OBJECT_SCOPES = {"gemeente", "uitzendbureau", "werkgever", "paspoort"}


def _openapi(service: str) -> dict[str, Any]:
    """The service's OpenAPI document, from its app as its composition root builds it (not started)."""
    with built(service) as (_, _, app):
        document: dict[str, Any] = app.openapi()
        return document


def _operations() -> Iterator[tuple[str, str, str, dict[str, Any]]]:
    for service in SERVICES:
        for path, item in _openapi(service)["paths"].items():
            for method, operation in item.items():
                if method in {"get", "post", "put", "patch", "delete"}:
                    yield service, method.upper(), path, operation


OPERATIONS = list(_operations())


def _organisation_per_role() -> dict[Rol, str]:
    """One organisation with each role (its machine client's token)."""
    found: dict[Rol, str] = {}
    for identity in all_identities():
        found.setdefault(ROLLEN[identity.rol], identity.organisatie)
    return found


def _concrete(path: str, operation: dict[str, Any]) -> str:
    """The path with a value of the right kind for each parameter: ids that exist nowhere."""
    values: dict[str, str] = {}
    for parameter in operation.get("parameters", []):
        if parameter["in"] != "path":
            continue
        schema = parameter.get("schema", {})
        if schema.get("format") == "uuid":
            values[parameter["name"]] = str(uuid.uuid4())
        elif schema.get("type") == "integer":
            values[parameter["name"]] = "3"
        elif parameter["name"] == "code":
            values[parameter["name"]] = "GM9999"
        else:
            values[parameter["name"]] = "bestaat-niet"
    return re.sub(r"\{(\w+)\}", lambda m: values[m.group(1)], path)


def test_every_operation_declares_who_may_call_it() -> None:
    assert len(OPERATIONS) >= 50, len(OPERATIONS)
    undeclared = [f"{s} {m} {p}" for s, m, p, op in OPERATIONS if OPENAPI_KEY not in op]
    assert undeclared == []
    roles = set(get_args(Rol))
    for service, method, path, operation in OPERATIONS:
        declared = operation[OPENAPI_KEY]
        assert set(declared["rollen"]) <= roles, (service, method, path, declared)
    # every role the platform knows has an identity to test it with
    assert set(_organisation_per_role()) == roles
    assert set(ROLE_FOR.values()) <= set(ROLLEN)


def test_every_endpoint_with_every_role(stack: Stack) -> None:
    per_role = _organisation_per_role()
    tokens = {rol: stack.auth(org) for rol, org in per_role.items()}
    seen: list[str] = []
    with httpx.Client(timeout=30) as client:
        for service, method, path, operation in OPERATIONS:
            declared = operation[OPENAPI_KEY]
            url = stack.url(service) + _concrete(path, operation)
            body = {} if method in {"POST", "PUT", "PATCH"} else None
            where = f"{service} {method} {path}"

            anonymous = client.request(method, url, json=body)
            if declared["scope"] == "openbaar":
                assert anonymous.status_code not in (401, 403), where
            elif declared["scope"] == "paspoort":  # the worker's key, or a token of a named role (none here)
                assert anonymous.status_code in (401, 403, 404), (where, anonymous.status_code)
            else:
                assert anonymous.status_code == 401, (where, anonymous.status_code, anonymous.text)
                assert anonymous.headers["content-type"] == "application/problem+json", where

            for rol, headers in tokens.items():
                r = client.request(method, url, json=body, headers=headers)
                if rol not in declared["rollen"]:
                    assert r.status_code == 403, (where, rol, r.status_code, r.text)
                    assert r.json()["title"] == "Geen toegang", where
                    continue
                # past the guard: the handler (or its input validation) answers
                assert r.status_code not in (401, 403), (where, rol, r.status_code, r.text)
                assert r.status_code < 500, (where, rol, r.status_code, r.text)
                if method == "GET" and declared["scope"] in OBJECT_SCOPES and "{" in path:
                    assert r.status_code == 404, (where, rol, r.status_code, r.text)
                    assert r.headers["content-type"] == "application/problem+json", where
                seen.append(f"{where} as {rol}: {r.status_code}")
    assert len(seen) >= len(OPERATIONS)
