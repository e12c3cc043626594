"""Who is calling: a person or a machine of an organisation, named by an access token of the platform's OpenID
Connect provider (Keycloak by default).

Tokens are verified with PyJWT (NL GOV: RS256 or PS256) against the keys the provider publishes: its discovery
document names the JWKS, fetched once and again only for a key id not seen yet (key rotation), at most every
`refresh_seconds`. `iss`, `aud`, `exp`, `iat` and `sub` are required. The organisation and its codes are token
claims (`organisatie`, `organisatie_naam`, `gemeenten`, `regio`); the role is one of the realm roles in
`realm_access.roles`.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Annotated, Any, Literal

import httpx
import jwt
from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from .http import Problem
from .ratelimit import limit_writes

Rol = Literal["gemeente", "uwv", "uitzendbureau", "mobiliteitsteam", "werkgever", "werknemer", "rapportage", "beheer"]

# The provider's realm roles (the token contract) and the role each is in the services.
ROLLEN: Mapping[str, Rol] = {
    "gemeente-medewerker": "gemeente",
    "uwv": "uwv",
    "bureau-medewerker": "uitzendbureau",
    "mobiliteitsteam": "mobiliteitsteam",
    "werkgever": "werkgever",
    "werknemer": "werknemer",
    "rapportage-lezer": "rapportage",
    "beheer": "beheer",
}
ALGORITHMS = ("RS256", "PS256")
REQUIRED_CLAIMS = ("exp", "iat", "iss", "aud", "sub")


class TokenInvalid(Exception):
    """The token is not one of the provider's, or no longer valid: 401."""


class ProviderUnavailable(Exception):
    """The provider's keys could not be fetched: 503 (the token may well be valid)."""


class NotEntitled(Exception):
    """A valid token whose claims name no organisation or role the services know: 403."""


@dataclass(frozen=True)
class Organisatie:
    """Who is calling: the organisation, its role and codes, and the person (or machine) behind the call."""

    code: str
    rol: Rol
    naam: str = ""
    gemeenten: frozenset[str] = frozenset()
    regio: str | None = None
    persoon: str = ""  # the token's `sub`: the provider's id of the person or machine client, never a BSN

    @property
    def gemeente(self) -> str | None:
        """The gemeente of a caller bound to exactly one."""
        return next(iter(self.gemeenten)) if len(self.gemeenten) == 1 else None

    @classmethod
    def uit_token(cls, claims: Mapping[str, Any]) -> Organisatie:
        realm_access = claims.get("realm_access")
        roles = realm_access.get("roles", []) if isinstance(realm_access, Mapping) else []
        rollen = sorted({ROLLEN[r] for r in roles if isinstance(r, str) and r in ROLLEN})
        if len(rollen) != 1:
            found = ", ".join(rollen) or "geen"
            raise NotEntitled(f"een identiteit heeft precies één rol in Werkkloket (gevonden: {found})")
        rol = rollen[0]
        code = claims.get("organisatie")
        if not isinstance(code, str) or not code:
            raise NotEntitled("het token noemt geen organisatie")
        gemeenten = _strings(claims.get("gemeenten"))
        if rol == "gemeente" and not gemeenten:
            raise NotEntitled("een gemeentemedewerker zonder gemeentecode")
        regio = claims.get("regio")
        if rol == "mobiliteitsteam" and not (isinstance(regio, str) and regio):
            raise NotEntitled("een mobiliteitsteam zonder regio")
        naam = claims.get("organisatie_naam")
        return cls(
            code=code,
            rol=rol,
            naam=naam if isinstance(naam, str) else "",
            gemeenten=gemeenten,
            regio=regio if isinstance(regio, str) and regio else None,
            persoon=str(claims["sub"]),
        )


def _strings(value: Any) -> frozenset[str]:
    if isinstance(value, str):
        return frozenset({value}) if value else frozenset()
    if isinstance(value, list):
        return frozenset(v for v in value if isinstance(v, str) and v)
    return frozenset()


@dataclass
class TokenVerifier:
    """Verifies access tokens of one issuer for one audience."""

    issuer: str
    audience: str
    # Where the discovery document is fetched when not at the issuer (the provider's back-channel address, e.g.
    # inside a compose network); it must still name `issuer`.
    discovery_url: str | None = None
    refresh_seconds: float = 30.0
    leeway_seconds: float = 2.0  # clock skew between the provider and this service
    timeout_seconds: float = 5.0
    transport: httpx.AsyncBaseTransport | None = None
    clock: Callable[[], float] = time.monotonic
    _keys: dict[str, jwt.PyJWK] = field(default_factory=dict, repr=False)
    _fetched_at: float = field(default=float("-inf"), repr=False)
    _lock: asyncio.Lock = field(default_factory=asyncio.Lock, repr=False)

    async def verify(self, token: str) -> dict[str, Any]:
        """The token's claims, or TokenInvalid (or ProviderUnavailable)."""
        try:
            header = jwt.get_unverified_header(token)
        except jwt.InvalidTokenError as exc:
            raise TokenInvalid(f"geen geldig JWT: {exc}") from None
        alg, kid = header.get("alg"), header.get("kid")
        if alg not in ALGORITHMS:
            raise TokenInvalid(f"algoritme {alg!r} niet toegestaan")
        if not isinstance(kid, str):
            raise TokenInvalid("het token noemt geen sleutel (kid)")
        key = await self._key(kid)
        if key.algorithm_name != alg:
            raise TokenInvalid(f"sleutel {kid!r} is voor {key.algorithm_name}, niet voor {alg}")
        try:
            claims: dict[str, Any] = jwt.decode(
                token,
                key.key,
                algorithms=[alg],
                audience=self.audience,
                issuer=self.issuer,
                leeway=self.leeway_seconds,
                options={"require": list(REQUIRED_CLAIMS)},
            )
        except jwt.ExpiredSignatureError:
            raise TokenInvalid("het token is verlopen") from None
        except jwt.InvalidTokenError as exc:
            raise TokenInvalid(f"het token is ongeldig: {exc}") from None
        return claims

    async def _key(self, kid: str) -> jwt.PyJWK:
        key = self._keys.get(kid)
        if key is not None:
            return key
        async with self._lock:
            key = self._keys.get(kid)
            if key is None and self.clock() - self._fetched_at >= self.refresh_seconds:
                await self._fetch()
                key = self._keys.get(kid)
        if key is None:
            raise TokenInvalid(f"onbekende sleutel {kid!r}")
        return key

    async def _fetch(self) -> None:
        try:
            async with httpx.AsyncClient(transport=self.transport, timeout=self.timeout_seconds) as http:
                discovery = await _json(http, self.discovery_url or f"{self.issuer}/.well-known/openid-configuration")
                if discovery.get("issuer") != self.issuer:
                    raise ProviderUnavailable(f"discovery names issuer {discovery.get('issuer')!r}, not {self.issuer}")
                jwks = await _json(http, str(discovery["jwks_uri"]))
        except (httpx.HTTPError, KeyError, ValueError) as exc:
            raise ProviderUnavailable(f"de sleutels van {self.issuer} zijn niet op te halen: {exc}") from None
        keys: dict[str, jwt.PyJWK] = {}
        for entry in jwks.get("keys", []):
            if entry.get("use", "sig") != "sig" or entry.get("alg") not in ALGORITHMS or "kid" not in entry:
                continue
            try:
                keys[entry["kid"]] = jwt.PyJWK(entry)
            except jwt.PyJWKError:
                continue
        self._keys = keys
        self._fetched_at = self.clock()


async def _json(http: httpx.AsyncClient, url: str) -> dict[str, Any]:
    response = await http.get(url)
    response.raise_for_status()
    data: dict[str, Any] = response.json()
    return data


_bearer = HTTPBearer(auto_error=False)


async def identify(request: Request, credentials: HTTPAuthorizationCredentials | None) -> Organisatie:
    """The caller of a request with a bearer token; Problem 401, 403 or 503 otherwise. The verifier is the app's
    (`app.state.tokens`, set by the composition root), so routers can live at module level. A write counts
    against the caller's rate limit (429 over it, see `ratelimit`); reads are not limited."""
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise Problem(401, "Niet geauthenticeerd", "Een toegangstoken is nodig: Authorization: Bearer <token>")
    verifier: TokenVerifier | None = request.app.state.tokens
    if verifier is None:
        raise Problem(503, "Geen identiteitsprovider", "WERKKLOKET_OIDC_ISSUER is niet ingesteld")
    try:
        claims = await verifier.verify(credentials.credentials)
    except TokenInvalid as exc:
        raise Problem(401, "Niet geauthenticeerd", str(exc)) from None
    except ProviderUnavailable as exc:
        raise Problem(503, "Identiteitsprovider onbereikbaar", str(exc)) from None
    try:
        org = Organisatie.uit_token(claims)
    except NotEntitled as exc:
        raise Problem(403, "Geen toegang", str(exc)) from None
    request.state.organisatie = org
    await limit_writes(request, org)
    return org


BearerCredentials = Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]
