"""Keycloak as the identity provider, for real: the realm, machine tokens by private_key_jwt, a person's login with
code and PKCE, and the token contract checked as the services will check it (PyJWT against the realm's JWKS)."""

from __future__ import annotations

import re
import stat
import time
import uuid
from typing import Any

import httpx
import jwt
import pytest
from werkkloket_deploy.identities import (
    AUDIENCE,
    DASHBOARD_CLIENT,
    FOREIGN_ORG,
    REALM_ROLES,
    SHORT_LIVED_SECONDS,
    allow_dashboard_origin,
    new_key,
)
from werkkloket_deploy.paths import REPO_ROOT
from werkkloket_deploy.provision import ensure_keycloak
from werkkloket_deploy.provision.keycloak import BUILD_OPTIONS, persisted_options

from tests.conftest import Idp

pytestmark = pytest.mark.integration


def verify(idp: Idp, token: str, **options: Any) -> dict[str, Any]:
    """As a service will: the signature against the realm's JWKS, then iss, aud and exp (no leeway)."""
    jwks = jwt.PyJWKClient(idp.identities.jwks_uri())
    key = jwks.get_signing_key_from_jwt(token)
    claims: dict[str, Any] = jwt.decode(
        token,
        key.key,
        algorithms=["RS256", "PS256"],
        audience=AUDIENCE,
        issuer=idp.identities.issuer(),
        options={"require": ["exp", "iat", "iss", "aud", "sub"], **options},
    )
    return claims


def test_the_realm_is_there(keycloak: Idp) -> None:
    issuer = f"http://127.0.0.1:{keycloak.server.port}/realms/werkkloket"
    assert keycloak.identities.issuer() == issuer
    config = httpx.get(f"{issuer}/.well-known/openid-configuration", timeout=10).json()
    assert config["issuer"] == issuer
    assert config["jwks_uri"] == f"{issuer}/protocol/openid-connect/certs"
    assert "S256" in config["code_challenge_methods_supported"]
    assert "private_key_jwt" in config["token_endpoint_auth_methods_supported"]
    keys = httpx.get(config["jwks_uri"], timeout=10).json()["keys"]
    assert any(k["use"] == "sig" and k["alg"] in ("RS256", "PS256") for k in keys)
    print(f"\nkeycloak ready {keycloak.ready_after:.1f}s after its start; identities in {keycloak.provisioned_in:.1f}s")


@pytest.mark.parametrize(
    ("organisatie", "role", "extra"),
    [
        ("gemeente-den-haag", "gemeente-medewerker", {"gemeenten": ["GM0518"]}),
        ("centraal-werkt", "bureau-medewerker", {}),
        ("uwv", "uwv", {}),  # national: no gemeenten
        ("havenbedrijf-maasvlakte", "werkgever", {}),
        ("programmamanager", "rapportage-lezer", {}),
        ("beheer", "beheer", {}),
        ("mobiliteitsteam-rijnmond", "mobiliteitsteam", {"regio": "rijnmond"}),
    ],
)
def test_a_machine_token_by_private_key_jwt_carries_the_contract(
    keycloak: Idp, organisatie: str, role: str, extra: dict[str, Any]
) -> None:
    token = keycloak.identities.token(organisatie)
    assert jwt.get_unverified_header(token)["alg"] in ("RS256", "PS256")
    claims = verify(keycloak, token)
    assert AUDIENCE in ([claims["aud"]] if isinstance(claims["aud"], str) else claims["aud"])
    assert claims["typ"] == "Bearer"
    assert claims["azp"] == f"{organisatie}-systeem"
    uuid.UUID(claims["sub"])  # Keycloak's id of the service account, never a BSN
    assert not re.fullmatch(r"\d{8,9}", claims["sub"])
    assert claims["exp"] - claims["iat"] == 300
    assert role in claims["realm_access"]["roles"]
    assert set(claims["realm_access"]["roles"]) & REALM_ROLES == {role}
    assert claims["organisatie"] == organisatie
    assert isinstance(claims["organisatie_naam"], str) and claims["organisatie_naam"]
    for claim in ("gemeenten", "regio"):
        assert claims.get(claim) == extra.get(claim)
    assert keycloak.identities.token(organisatie) == token  # cached until shortly before it expires


def test_a_person_logs_in_with_code_and_pkce(keycloak: Idp) -> None:
    tokens = keycloak.identities.person_tokens("gemeente-den-haag")
    claims = verify(keycloak, tokens["access_token"])
    assert claims["azp"] == DASHBOARD_CLIENT
    assert claims["preferred_username"] == "gemeente-den-haag-medewerker"
    assert claims["name"]
    assert claims["organisatie"] == "gemeente-den-haag"
    assert claims["gemeenten"] == ["GM0518"]
    assert "gemeente-medewerker" in claims["realm_access"]["roles"]
    uuid.UUID(claims["sub"])
    id_token = jwt.decode(
        tokens["id_token"],
        jwt.PyJWKClient(keycloak.identities.jwks_uri()).get_signing_key_from_jwt(tokens["id_token"]).key,
        algorithms=["RS256", "PS256"],
        audience=DASHBOARD_CLIENT,
        issuer=keycloak.identities.issuer(),
    )
    assert id_token["sub"] == claims["sub"]


def test_a_person_sees_their_account(keycloak: Idp) -> None:
    """What `werkkloket up` tells a demo person to do: log in to Keycloak's account console."""
    account = f"{keycloak.identities.issuer()}/account/"
    tokens = keycloak.identities.person_tokens("centraal-werkt", client_id="account-console", redirect_uri=account)
    me = httpx.get(account, headers={"Authorization": f"Bearer {tokens['access_token']}", "Accept": "application/json"})
    assert me.status_code == 200, me.text
    assert me.json()["username"] == "centraal-werkt-medewerker"
    assert me.json()["attributes"]["organisatie"] == ["centraal-werkt"]


def test_a_wrong_key_is_refused(keycloak: Idp) -> None:
    refused = keycloak.identities.client_credentials("gemeente-den-haag-systeem", key=new_key())
    assert refused.status_code in (400, 401)
    assert refused.json()["error"] == "invalid_client"
    assert "access_token" not in refused.json()


def test_a_token_of_another_issuer_is_refused(keycloak: Idp) -> None:
    foreign = keycloak.identities.foreign_token()
    unverified = jwt.decode(foreign, options={"verify_signature": False})
    # It claims what a real token claims, but comes from werkkloket-anders and its key.
    assert unverified["organisatie"] == FOREIGN_ORG
    assert AUDIENCE in unverified["aud"]
    assert unverified["iss"] == keycloak.identities.issuer("werkkloket-anders")
    with pytest.raises(jwt.PyJWKClientError):
        verify(keycloak, foreign)
    # Even with its kid ignored, werkkloket's key does not verify it.
    own_key = jwt.PyJWKClient(keycloak.identities.jwks_uri()).get_signing_keys()[0].key
    with pytest.raises(jwt.InvalidSignatureError):
        jwt.decode(foreign, own_key, algorithms=["RS256"], audience=AUDIENCE)


def test_a_short_lived_token_is_expired_after_its_lifespan(keycloak: Idp) -> None:
    claims = verify(keycloak, keycloak.identities.short_lived_token())
    assert SHORT_LIVED_SECONDS <= claims["exp"] - claims["iat"] <= SHORT_LIVED_SECONDS + 1  # whole seconds
    token = keycloak.early_short_lived  # the same client's, issued when the session started
    time.sleep(max(0.0, jwt.decode(token, options={"verify_signature": False})["exp"] - time.time()) + 1.1)
    with pytest.raises(jwt.ExpiredSignatureError):
        verify(keycloak, token)


def test_the_dashboard_requires_pkce_and_knows_no_password_grant(keycloak: Idp) -> None:
    ids = keycloak.identities
    redirect = "http://127.0.0.1:8104/dashboard"
    base = {"client_id": DASHBOARD_CLIENT, "response_type": "code", "scope": "openid", "redirect_uri": redirect}
    without_pkce = httpx.get(ids.auth_endpoint(), params=base, follow_redirects=False)
    assert without_pkce.status_code == 302
    assert "error=invalid_request" in without_pkce.headers["location"]
    plain = httpx.get(
        ids.auth_endpoint(),
        params={**base, "code_challenge": "x" * 43, "code_challenge_method": "plain"},
        follow_redirects=False,
    )
    assert "error=invalid_request" in plain.headers.get("location", "")
    elsewhere = httpx.get(
        ids.auth_endpoint(), params={**base, "redirect_uri": "https://example.org/dashboard"}, follow_redirects=False
    )
    assert elsewhere.status_code == 400  # not sent anywhere: Keycloak shows its own error page
    username, password = ids.person("gemeente-den-haag")
    for client_id in (DASHBOARD_CLIENT, "admin-cli", "account-console"):
        password_grant = httpx.post(
            ids.token_endpoint(),
            data={"grant_type": "password", "client_id": client_id, "username": username, "password": password},
        )
        assert password_grant.status_code in (400, 401), client_id
        assert "access_token" not in password_grant.json()


def test_no_client_secrets_and_no_password_files_for_others(keycloak: Idp) -> None:
    directory = keycloak.identities.directory
    assert stat.S_IMODE(directory.stat().st_mode) == 0o700
    secrets = [directory / "people.json", directory / "clients.json", *(directory / "clients").glob("*.pem")]
    secrets.append(keycloak.server.admin_file)
    assert len(secrets) > 3
    for path in secrets:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
    assert "PRIVATE KEY" not in (directory / "clients.json").read_text()


def test_the_cached_distribution_is_reused(keycloak: Idp) -> None:
    """The session's Keycloak started from the cache outside the clone without building again, and asking for
    the distribution again neither unpacks nor builds."""
    t0 = time.monotonic()
    again = ensure_keycloak()
    assert time.monotonic() - t0 < 5
    assert not again.prepared
    assert again.home == keycloak.distribution.home
    assert not again.home.is_relative_to(REPO_ROOT)
    assert not keycloak.server.rebuilt_at_start(), "start-dev built again: BUILD_OPTIONS differ from the build's"
    persisted = persisted_options(again.home)
    assert persisted["kc.profile"] == "dev"
    for option in BUILD_OPTIONS:
        key, _, value = option.removeprefix("--").partition("=")
        assert persisted[f"kc.{key}"] == value
    if keycloak.distribution.prepared:
        print(f"\nprepared the distribution this run: {keycloak.distribution.seconds}")


def test_the_token_endpoint_answers_the_dashboards_origin_only(keycloak: Idp) -> None:
    """CORS: the browser posts to the token endpoint from the dashboard's origin (a loopback port); Keycloak lets
    it read the answer only when the client's webOrigins name that origin."""
    allowed, other = "http://127.0.0.1:65001", "http://127.0.0.1:65002"
    origins = allow_dashboard_origin(keycloak.server.url, keycloak.server.admin_credentials(), allowed)
    assert allowed in origins and "+" not in origins
    form = {
        "grant_type": "authorization_code",
        "client_id": DASHBOARD_CLIENT,
        "code": "geen-geldige-code",
        "redirect_uri": f"{allowed}/dashboard",
        "code_verifier": "x" * 43,
    }
    ids = keycloak.identities
    answers = {o: httpx.post(ids.token_endpoint(), data=form, headers={"Origin": o}) for o in (allowed, other)}
    assert answers[allowed].status_code == answers[other].status_code == 400  # the code is not one
    assert answers[allowed].headers.get("access-control-allow-origin") == allowed
    assert "access-control-allow-origin" not in answers[other].headers
