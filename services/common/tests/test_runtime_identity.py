"""Token verification and the caller's identity, against a provider served in process (discovery and JWKS).
The real provider's tokens are tested in tests/identity and end to end."""

from __future__ import annotations

import json
import time
from typing import Any

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from fastapi import APIRouter, FastAPI
from fastapi.testclient import TestClient
from werkkloket_runtime.http import install_problem_handlers
from werkkloket_runtime.identity import (
    NotEntitled,
    Organisatie,
    ProviderUnavailable,
    TokenInvalid,
    TokenVerifier,
)
from werkkloket_runtime.toegang import OPENAPI_KEY, Aanroeper, BeveiligdeRoute, Toegang, toegang

ISSUER = "http://idp.test/realms/werkkloket"
AUDIENCE = "werkkloket-api"


class Provider:
    """Discovery and JWKS of a provider with rotating keys; counts how often its keys were fetched."""

    def __init__(self) -> None:
        self.keys: dict[str, rsa.RSAPrivateKey] = {}
        self.fetches = 0
        self.up = True
        self.rotate()

    def rotate(self) -> str:
        kid = f"sleutel-{len(self.keys) + 1}"
        self.keys[kid] = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        return kid

    @property
    def kid(self) -> str:
        return list(self.keys)[-1]

    def jwks(self) -> dict[str, Any]:
        keys = []
        for kid, key in self.keys.items():
            jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(key.public_key()))
            keys.append({**jwk, "kid": kid, "use": "sig", "alg": "RS256"})
        # an encryption key, as Keycloak publishes one: never used to verify
        enc = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(self.keys[self.kid].public_key()))
        keys.append({**enc, "kid": "versleutel", "use": "enc", "alg": "RSA-OAEP"})
        return {"keys": keys}

    def handle(self, request: httpx.Request) -> httpx.Response:
        if not self.up:
            return httpx.Response(503)
        if request.url.path.endswith("/.well-known/openid-configuration"):
            return httpx.Response(200, json={"issuer": ISSUER, "jwks_uri": f"{ISSUER}/protocol/openid-connect/certs"})
        if request.url.path.endswith("/certs"):
            self.fetches += 1
            return httpx.Response(200, json=self.jwks())
        return httpx.Response(404)

    def token(self, kid: str | None = None, alg: str = "RS256", **overrides: Any) -> str:
        now = int(time.time())
        claims: dict[str, Any] = {
            "iss": ISSUER,
            "aud": AUDIENCE,
            "sub": "0b6f7c1e-6d7a-4c1f-9f0e-3c0e5d8a1b2c",
            "iat": now,
            "exp": now + 300,
            "realm_access": {"roles": ["gemeente-medewerker", "default-roles-werkkloket"]},
            "organisatie": "gemeente-den-haag",
            "organisatie_naam": "Gemeente Den Haag",
            "gemeenten": ["GM0518"],
        }
        claims.update(overrides)
        claims = {k: v for k, v in claims.items() if v is not None}
        kid = kid or self.kid
        return jwt.encode(claims, self.keys[kid], algorithm=alg, headers={"kid": kid})


@pytest.fixture
def provider() -> Provider:
    return Provider()


def verifier(provider: Provider, refresh_seconds: float = 30.0, clock: Any = time.monotonic) -> TokenVerifier:
    transport = httpx.MockTransport(provider.handle)
    return TokenVerifier(ISSUER, AUDIENCE, refresh_seconds=refresh_seconds, transport=transport, clock=clock)


async def test_a_token_of_the_provider_gives_its_claims_and_the_keys_are_fetched_once(provider: Provider) -> None:
    v = verifier(provider)
    for _ in range(3):
        claims = await v.verify(provider.token())
        assert claims["organisatie"] == "gemeente-den-haag"
    assert provider.fetches == 1


@pytest.mark.parametrize(
    ("overrides", "reason"),
    [
        ({"aud": "een-andere-api"}, "(?i)audience"),
        ({"iss": "http://idp.test/realms/anders"}, "(?i)issuer"),
        ({"exp": int(time.time()) - 60}, "verlopen"),
        ({"exp": None}, "exp"),
        ({"sub": None}, "sub"),
        ({"iat": None}, "iat"),
    ],
)
async def test_a_token_for_another_audience_or_issuer_expired_or_without_a_required_claim_is_refused(
    provider: Provider, overrides: dict[str, Any], reason: str
) -> None:
    with pytest.raises(TokenInvalid, match=reason):
        await verifier(provider).verify(provider.token(**overrides))


async def test_a_forged_signature_an_unknown_key_or_another_algorithm_is_refused(provider: Provider) -> None:
    v = verifier(provider)
    token = provider.token()
    header, payload, signature = token.split(".")
    claims = json.loads(jwt.utils.base64url_decode(payload))
    claims["organisatie"] = "gemeente-rotterdam"
    forged = ".".join([header, jwt.utils.base64url_encode(json.dumps(claims).encode()).decode(), signature])
    with pytest.raises(TokenInvalid, match="ongeldig"):
        await v.verify(forged)

    stranger = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    own_kid = jwt.encode({"iss": ISSUER}, stranger, algorithm="RS256", headers={"kid": provider.kid})
    with pytest.raises(TokenInvalid):
        await v.verify(own_kid)

    unsigned = jwt.encode({"iss": ISSUER, "aud": AUDIENCE}, None, algorithm="none", headers={"kid": provider.kid})  # type: ignore[arg-type]
    with pytest.raises(TokenInvalid, match="algoritme"):
        await v.verify(unsigned)
    # HS256 with the public key as the secret: the classic confusion
    with pytest.raises(TokenInvalid, match="algoritme"):
        await v.verify(jwt.encode({"iss": ISSUER}, "geheim-van-32-tekens-of-meer-00000", algorithm="HS256"))
    with pytest.raises(TokenInvalid, match="geen geldig JWT"):
        await v.verify("geen.token")
    # a PS256 token signed with a key the provider published for RS256
    with pytest.raises(TokenInvalid, match="RS256"):
        await v.verify(provider.token(alg="PS256"))


async def test_a_rotated_key_is_fetched_but_unknown_keys_do_not_make_it_fetch_each_time(provider: Provider) -> None:
    now = [1000.0]
    v = verifier(provider, refresh_seconds=30, clock=lambda: now[0])
    await v.verify(provider.token())
    new_kid = provider.rotate()
    now[0] += 31  # rotations come long after the last fetch
    assert (await v.verify(provider.token(kid=new_kid)))["sub"]
    assert provider.fetches == 2
    stranger = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    unknown = jwt.encode({"iss": ISSUER}, stranger, algorithm="RS256", headers={"kid": "onbekend"})
    for _ in range(5):
        with pytest.raises(TokenInvalid, match="onbekende sleutel"):
            await v.verify(unknown)
    assert provider.fetches == 2  # not again within refresh_seconds
    now[0] += 31
    with pytest.raises(TokenInvalid, match="onbekende sleutel"):
        await v.verify(unknown)
    assert provider.fetches == 3


async def test_an_unreachable_provider_is_not_an_invalid_token(provider: Provider) -> None:
    provider.up = False
    with pytest.raises(ProviderUnavailable):
        await verifier(provider).verify(provider.token())


def _claims(**overrides: Any) -> dict[str, Any]:
    claims: dict[str, Any] = {
        "sub": "persoon-1",
        "realm_access": {"roles": ["bureau-medewerker"]},
        "organisatie": "centraal-werkt",
        "organisatie_naam": "Centraal Werkt",
    }
    claims.update(overrides)
    return claims


def test_the_organisation_role_and_codes_come_from_the_claims() -> None:
    org = Organisatie.uit_token(_claims())
    assert (org.code, org.rol, org.naam, org.persoon, org.gemeente) == (
        "centraal-werkt",
        "uitzendbureau",
        "Centraal Werkt",
        "persoon-1",
        None,
    )
    gemeente = Organisatie.uit_token(
        _claims(realm_access={"roles": ["gemeente-medewerker"]}, gemeenten=["GM0518", "GM0503"])
    )
    assert gemeente.rol == "gemeente" and gemeente.gemeenten == {"GM0518", "GM0503"} and gemeente.gemeente is None
    team = Organisatie.uit_token(_claims(realm_access={"roles": ["mobiliteitsteam"]}, regio="rijnmond"))
    assert (team.rol, team.regio) == ("mobiliteitsteam", "rijnmond")


@pytest.mark.parametrize(
    ("claims", "reason"),
    [
        (_claims(realm_access={"roles": ["default-roles-werkkloket"]}), "precies één rol"),
        (_claims(realm_access={"roles": ["beheer", "bureau-medewerker"]}), "precies één rol"),
        (_claims(organisatie=None), "geen organisatie"),
        (_claims(realm_access={"roles": ["gemeente-medewerker"]}), "zonder gemeentecode"),
        (_claims(realm_access={"roles": ["gemeente-medewerker"]}, gemeenten=[]), "zonder gemeentecode"),
        (_claims(realm_access={"roles": ["mobiliteitsteam"]}), "zonder regio"),
    ],
)
def test_claims_without_one_known_role_or_without_the_codes_it_needs_entitle_to_nothing(
    claims: dict[str, Any], reason: str
) -> None:
    with pytest.raises(NotEntitled, match=reason):
        Organisatie.uit_token(claims)


def test_a_declared_route_answers_401_403_and_503_as_problems_and_documents_its_declaration(
    provider: Provider,
) -> None:
    app = FastAPI()
    install_problem_handlers(app)
    app.state.tokens = verifier(provider)
    router = APIRouter(route_class=BeveiligdeRoute)

    @router.get("/bureau")
    @toegang("uitzendbureau", scope="eigen")
    async def bureau(org: Aanroeper) -> dict[str, str]:
        return {"code": org.code, "persoon": org.persoon}

    app.include_router(router)
    operation = app.openapi()["paths"]["/bureau"]["get"]
    assert operation[OPENAPI_KEY] == {"rollen": ["uitzendbureau"], "scope": "eigen"}
    client = TestClient(app)
    no_token = client.get("/bureau")
    assert no_token.status_code == 401 and no_token.headers["content-type"] == "application/problem+json"
    assert no_token.headers["www-authenticate"] == "Bearer"
    assert client.get("/bureau", headers={"Authorization": "Bearer xyz"}).status_code == 401
    gemeente = client.get("/bureau", headers={"Authorization": f"Bearer {provider.token()}"})
    assert gemeente.status_code == 403 and "gemeente" in gemeente.json()["detail"]
    bureau_token = provider.token(
        realm_access={"roles": ["bureau-medewerker"]}, organisatie="centraal-werkt", gemeenten=None
    )
    ok = client.get("/bureau", headers={"Authorization": f"Bearer {bureau_token}"})
    assert ok.status_code == 200
    assert ok.json() == {"code": "centraal-werkt", "persoon": "0b6f7c1e-6d7a-4c1f-9f0e-3c0e5d8a1b2c"}
    no_org = provider.token(organisatie=None)
    assert client.get("/bureau", headers={"Authorization": f"Bearer {no_org}"}).status_code == 403
    provider.up = False
    app.state.tokens = verifier(provider)  # a service that has not fetched the keys yet, while the provider is down
    unreachable = client.get("/bureau", headers={"Authorization": f"Bearer {provider.token()}"})
    assert unreachable.status_code == 503 and unreachable.json()["title"] == "Identiteitsprovider onbereikbaar"


def test_a_route_without_a_declaration_is_refused_when_the_router_is_built() -> None:
    router = APIRouter(route_class=BeveiligdeRoute)

    async def onbewaakt() -> None:
        return None

    with pytest.raises(TypeError, match="no access declaration"):
        router.add_api_route("/onbewaakt", onbewaakt)


def test_a_declaration_names_roles_unless_public_or_by_the_workers_key() -> None:
    with pytest.raises(ValueError):
        Toegang((), "gemeente")
    with pytest.raises(ValueError):
        Toegang(("beheer",), "openbaar")
    assert Toegang((), "paspoort").beschrijving() == {"rollen": [], "scope": "paspoort"}
