"""The identities Keycloak gets, and the client assertions machines sign, without a server."""

from __future__ import annotations

import base64
import hashlib
import time
from pathlib import Path

import jwt
import pytest
from typer.testing import CliRunner
from werkkloket_deploy import identities
from werkkloket_deploy.cli import app
from werkkloket_deploy.identities import REALM_ROLES, Identity, all_identities, client_assertion, new_key, public_jwk
from werkkloket_deploy.organisaties import organisaties

# What Keycloak's person-name validator refuses in first and last names.
NAME_FORBIDDEN = set('<>&"$%!#?§;*~/\\|^=[]{}()')


def test_every_organisation_gets_an_identity_with_a_realm_role() -> None:
    mapped = {i.organisatie: i for i in all_identities()}
    for org in organisaties():
        ident = mapped[org.code]
        assert ident.rol in REALM_ROLES
        assert ident.rol == identities.ROLE_FOR[org.rol]
        assert ident.naam == org.naam
    assert len(mapped) == len(all_identities())  # codes are unique


@pytest.mark.parametrize(
    ("rol", "realm_role"),
    [
        ("gemeente", "gemeente-medewerker"),
        ("uwv", "uwv"),
        ("uitzendbureau", "bureau-medewerker"),
        ("werkgever", "werkgever"),
        ("rapportage", "rapportage-lezer"),
        ("beheer", "beheer"),
    ],
)
def test_role_mapping(rol: str, realm_role: str) -> None:
    assert identities.ROLE_FOR[rol] == realm_role


def test_claims_per_kind_of_organisation() -> None:
    mapped = {i.organisatie: i for i in all_identities()}
    assert mapped["gemeente-den-haag"].attributes() == {
        "organisatie": ["gemeente-den-haag"],
        "organisatie_naam": ["Gemeente Den Haag (Werkkloket)"],
        "gemeenten": ["GM0518"],
    }
    bureau = mapped["centraal-werkt"].attributes()
    assert bureau["organisatie"] == ["centraal-werkt"]
    assert "gemeenten" not in bureau and "regio" not in bureau
    uwv = mapped["uwv"]
    assert uwv.rol == "uwv"
    # UWV works nationally: no gemeenten claim, no regio
    assert uwv.attributes() == {"organisatie": ["uwv"], "organisatie_naam": ["UWV"]}
    team = mapped["mobiliteitsteam-rijnmond"]
    assert team.rol == "mobiliteitsteam"
    assert team.attributes()["regio"] == ["rijnmond"]
    assert "gemeenten" not in team.attributes()


def test_names_pass_keycloaks_person_name_check() -> None:
    for ident in all_identities():
        assert not NAME_FORBIDDEN & set(ident.display_name), ident.display_name
        assert ident.display_name.strip()


def test_usernames_and_client_ids() -> None:
    ident = Identity("gemeente-delft", "Gemeente Delft", "gemeente-medewerker", ("GM0503",))
    assert ident.username == "gemeente-delft-medewerker"
    assert ident.client_id == "gemeente-delft-systeem"


def test_client_assertion_is_private_key_jwt() -> None:
    key = new_key()
    audience = "http://127.0.0.1:1/realms/werkkloket/protocol/openid-connect/token"
    token = client_assertion("gemeente-delft-systeem", key, "kid-1", audience)
    assert jwt.get_unverified_header(token) == {"alg": "PS256", "kid": "kid-1", "typ": "JWT"}
    claims = jwt.decode(token, key.public_key(), algorithms=["PS256"], audience=audience)
    assert claims["iss"] == claims["sub"] == "gemeente-delft-systeem"
    assert 0 < claims["exp"] - time.time() <= 60
    again = client_assertion("gemeente-delft-systeem", key, "kid-1", audience)
    assert claims["jti"] != jwt.decode(again, key.public_key(), ["PS256"], audience=audience)["jti"]


def test_the_registered_jwk_is_public_only() -> None:
    jwk = public_jwk(new_key(), "kid-2")
    assert jwk["kty"] == "RSA" and jwk["kid"] == "kid-2" and jwk["alg"] == "PS256" and jwk["use"] == "sig"
    assert not {"d", "p", "q", "dp", "dq", "qi"} & set(jwk)


def test_pkce_s256() -> None:
    verifier, challenge = identities._pkce()
    assert 43 <= len(verifier) <= 128
    digest = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    assert challenge == digest


@pytest.mark.parametrize(
    ("given", "origin"),
    [
        ("http://127.0.0.1:8104", "http://127.0.0.1:8104"),
        ("http://127.0.0.1:8104/", "http://127.0.0.1:8104"),
        ("https://dashboard.example.nl", "https://dashboard.example.nl"),
    ],
)
def test_dashboard_origins_are_plain_origins(given: str, origin: str) -> None:
    assert identities.web_origin(given) == origin


@pytest.mark.parametrize(
    "given",
    ["+", "127.0.0.1:8104", "http://127.0.0.1:8104/dashboard", "ftp://127.0.0.1", "http://a:b@x.nl", "http://x.nl?y"],
)
def test_anything_but_an_origin_is_refused_as_a_dashboard_origin(given: str) -> None:
    with pytest.raises(ValueError, match="not an origin"):
        identities.web_origin(given)


def test_identities_provision_needs_the_admin(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app,
        ["identities", "provision", "--url", "http://127.0.0.1:1", "--directory", str(tmp_path)],
        env={"KEYCLOAK_ADMIN_USERNAME": "", "KEYCLOAK_ADMIN_PASSWORD": ""},
    )
    assert result.exit_code == 2 and "KEYCLOAK_ADMIN_PASSWORD" in result.output
    assert not (tmp_path / "people.json").exists()


def test_token_of_another_keycloak_needs_its_identities() -> None:
    result = CliRunner().invoke(app, ["token", "uwv", "--url", "http://127.0.0.1:1"])
    assert result.exit_code == 2 and "--identities" in result.output


def test_identities_provision_passes_the_dashboard_origins(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from werkkloket_deploy import cli

    seen: dict[str, object] = {}

    def provision(url: str, admin: tuple[str, str], directory: Path, **options: object) -> identities.Identities:
        seen.update(options)
        return identities.Identities(url, directory)

    monkeypatch.setattr(cli, "provision_identities", provision)
    env = {
        "KEYCLOAK_ADMIN_USERNAME": "admin",
        "KEYCLOAK_ADMIN_PASSWORD": "geheim",
        "WERKKLOKET_DASHBOARD_ORIGINS": "http://127.0.0.1:8004 http://localhost:8004",
    }
    command = ["identities", "provision", "--url", "http://127.0.0.1:1", "--directory", str(tmp_path)]
    result = CliRunner().invoke(app, command, env=env)
    assert result.exit_code == 0, result.output
    assert seen["dashboard_origins"] == ["http://127.0.0.1:8004", "http://localhost:8004"]
    result = CliRunner().invoke(app, command, env={**env, "WERKKLOKET_DASHBOARD_ORIGINS": ""})
    assert result.exit_code == 0, result.output
    assert seen["dashboard_origins"] is None  # none named: the client's webOrigins stay as they are
