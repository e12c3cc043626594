"""The services accept only current tokens of their own realm, for their own audience: real, realm-signed tokens
that are expired, of another realm, or for another audience are refused with 401."""

from __future__ import annotations

import time

import httpx
import jwt
import pytest
from werkkloket_deploy.identities import AUDIENCE, FOREIGN_ORG, SHORT_LIVED_ORG

from ..conftest import Stack

pytestmark = pytest.mark.integration


def _bureaus(stack: Stack, token: str) -> httpx.Response:
    return httpx.get(
        f"{stack.url('matching')}/api/v1/uitzendbureaus", headers={"Authorization": f"Bearer {token}"}, timeout=30
    )


def test_an_expired_token_is_refused(stack: Stack) -> None:
    fresh = stack.idp.identities.short_lived_token()  # beheer's short-lived client: a few seconds
    assert jwt.decode(fresh, options={"verify_signature": False})["organisatie"] == SHORT_LIVED_ORG
    assert _bureaus(stack, fresh).status_code == 200
    token = stack.idp.early_short_lived  # the same client's, issued when the session started
    claims = jwt.decode(token, options={"verify_signature": False})
    assert claims["azp"] == jwt.decode(fresh, options={"verify_signature": False})["azp"]
    leeway = 2.0  # the services' allowance for clock skew
    time.sleep(max(0.0, claims["exp"] + leeway - time.time()) + 0.5)  # nothing to wait for, normally
    refused = _bureaus(stack, token)
    assert refused.status_code == 401
    assert refused.headers["content-type"] == "application/problem+json"
    assert "verlopen" in refused.json()["detail"]


def test_a_token_of_another_realm_is_refused(stack: Stack) -> None:
    foreign = stack.idp.identities.foreign_token()
    claims = jwt.decode(foreign, options={"verify_signature": False})
    assert claims["organisatie"] == FOREIGN_ORG and AUDIENCE in claims["aud"]  # it claims what a real one does
    for service, path in (("intake", "/api/v1/aanmeldingen"), ("matching", "/api/v1/uitzendbureaus")):
        r = httpx.get(f"{stack.url(service)}{path}", headers={"Authorization": f"Bearer {foreign}"}, timeout=30)
        assert r.status_code == 401, (service, r.text)
    # the same organisation's own token is accepted
    own = httpx.get(f"{stack.url('intake')}/api/v1/aanmeldingen", headers=stack.auth(FOREIGN_ORG), timeout=30)
    assert own.status_code == 200


def test_a_token_for_another_audience_is_refused(stack: Stack) -> None:
    """The account console's token of a real person of the realm: signed by the realm, but not for the API."""
    ids = stack.idp.identities
    account = f"{ids.issuer()}/account/"
    token = ids.person_tokens("gemeente-den-haag", client_id="account-console", redirect_uri=account)["access_token"]
    claims = jwt.decode(token, options={"verify_signature": False})
    assert claims["iss"] == ids.issuer() and AUDIENCE not in claims.get("aud", [])
    r = httpx.get(
        f"{stack.url('intake')}/api/v1/aanmeldingen", headers={"Authorization": f"Bearer {token}"}, timeout=30
    )
    assert r.status_code == 401 and "aud" in r.json()["detail"].lower()
