"""People and machine clients in Keycloak, and real tokens for tests, the demo and machines.

For every organisation of `organisaties.organisaties()` (plus a mobility team) the realm `werkkloket` gets
- a person: a user with the organisation's realm role and attributes (organisatie, organisatie_naam, gemeenten,
  regio), and a generated password;
- a machine client `<organisatie>-systeem`: confidential, client-credentials grant only, authenticating with
  `private_key_jwt` (an RSA key per client; Keycloak holds only the public JWK), whose service account carries
  the same role and attributes, so its tokens carry the same organisation claims.
No client secrets. Passwords and private keys exist only in the identities directory (mode 700, files mode 600).

`Identities.token(org)` gets a client-credentials token with a signed client assertion (cached until shortly
before it expires); `Identities.person_token(org)` logs the person in as a browser would: authorization code with
PKCE (S256) through Keycloak's login form. The resource-owner password grant is not used (the NL GOV profile
forbids it) and is enabled on no client.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import re
import secrets
import time
import uuid
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from keycloak import KeycloakAdmin

from .bus.secrets import write_private
from .organisaties import Org, organisaties
from .provision.keycloak import OTHER_REALM, REALM

DASHBOARD_CLIENT = "werkkloket-dashboard"
AUDIENCE = "werkkloket-api"
# The realm roles of the token contract (deploy/keycloak/realm-werkkloket.json declares them).
REALM_ROLES = frozenset(
    {
        "gemeente-medewerker",
        "uwv",
        "bureau-medewerker",
        "mobiliteitsteam",
        "werkgever",
        "werknemer",
        "beheer",
        "rapportage-lezer",
    }
)
ASSERTION_ALG = "PS256"  # NL GOV: PS256 preferred
ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
# A machine client of `werkkloket` whose access tokens live a few seconds (tests of expiry).
SHORT_LIVED_CLIENT = "werkkloket-kortlevend"
SHORT_LIVED_SECONDS = 3
SHORT_LIVED_ORG = "beheer"
# A machine client of the other realm with the same claims: a token of another issuer.
FOREIGN_CLIENT = "vreemd-systeem"
FOREIGN_ORG = "gemeente-den-haag"
# Renew a cached token this long before it expires.
RENEW_BEFORE = 30.0

ROLE_FOR = {
    "gemeente": "gemeente-medewerker",
    "uwv": "uwv",
    "uitzendbureau": "bureau-medewerker",
    "werkgever": "werkgever",
    "rapportage": "rapportage-lezer",
    "beheer": "beheer",
    "mobiliteitsteam": "mobiliteitsteam",
}


@dataclass(frozen=True)
class Identity:
    """An organisation as Keycloak knows it: its realm role and the claims of its tokens."""

    organisatie: str
    naam: str
    rol: str  # a realm role
    gemeenten: tuple[str, ...] = ()
    regio: str | None = None

    @classmethod
    def of(cls, org: Org) -> Identity:
        return cls(org.code, org.naam, ROLE_FOR[org.rol], (org.gemeente,) if org.gemeente else ())

    @property
    def username(self) -> str:
        return f"{self.organisatie}-medewerker"

    @property
    def client_id(self) -> str:
        return f"{self.organisatie}-systeem"

    @property
    def display_name(self) -> str:
        """The name as a person's last name: Keycloak refuses brackets and the like in names."""
        return " ".join(re.sub(r"[^\w\s.,'-]", " ", self.naam).split())

    def attributes(self) -> dict[str, list[str]]:
        attrs = {"organisatie": [self.organisatie], "organisatie_naam": [self.naam]}
        if self.gemeenten:
            attrs["gemeenten"] = list(self.gemeenten)
        if self.regio:
            attrs["regio"] = [self.regio]
        return attrs


# Mobility teams are not in `organisaties`; one, so that tokens with `regio` exist (it reads werk naar werk of its
# own region exactly).
MOBILITEITSTEAMS = (
    Identity("mobiliteitsteam-rijnmond", "Mobiliteitsteam Rijnmond", "mobiliteitsteam", regio="rijnmond"),
)


# A worker logs in for its own skills paspoort; one, for the demo and the tests. Its `organisatie` claim is its own
# code: the services know a worker by its login (`sub`), which it links to its paspoort with the paspoort's key.
WERKNEMERS = (Identity("werknemer-demo", "Demo Werknemer", "werknemer"),)


def all_identities() -> tuple[Identity, ...]:
    return tuple(Identity.of(org) for org in organisaties()) + MOBILITEITSTEAMS + WERKNEMERS


# --- keys and assertions --------------------------------------------------------------------------------------


def new_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def key_pem(key: rsa.RSAPrivateKey) -> bytes:
    pkcs8 = serialization.PrivateFormat.PKCS8
    return key.private_bytes(serialization.Encoding.PEM, pkcs8, serialization.NoEncryption())


def public_jwk(key: rsa.RSAPrivateKey, kid: str) -> dict[str, Any]:
    """The public half as a JWK, for the client's `jwks.string`."""
    jwk: dict[str, Any] = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(key.public_key()))
    return {**jwk, "kid": kid, "use": "sig", "alg": ASSERTION_ALG}


def client_assertion(client_id: str, key: Any, kid: str, audience: str, lifetime: int = 60) -> str:
    """A signed JWT that authenticates `client_id` at `audience` (the token endpoint): RFC 7523, private_key_jwt."""
    now = int(time.time())
    claims = {"iss": client_id, "sub": client_id, "aud": audience, "jti": str(uuid.uuid4()), "iat": now}
    claims["exp"] = now + lifetime
    return jwt.encode(claims, key, algorithm=ASSERTION_ALG, headers={"kid": kid})


def _pkce() -> tuple[str, str]:
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    return verifier, challenge


def _expiry(token: str) -> float:
    """When an access token expires, read without verifying: only to decide when to fetch a new one."""
    exp: float = jwt.decode(token, options={"verify_signature": False})["exp"]
    return exp


# --- the admin side -------------------------------------------------------------------------------------------


@dataclass
class _Store:
    """The identities directory: people.json (passwords), clients.json and clients/<client>.pem (private keys)."""

    directory: Path

    def __post_init__(self) -> None:
        self.directory.mkdir(parents=True, exist_ok=True, mode=0o700)
        (self.directory / "clients").mkdir(exist_ok=True, mode=0o700)

    def _read(self, name: str) -> dict[str, Any]:
        path = self.directory / name
        data: dict[str, Any] = json.loads(path.read_text()) if path.exists() else {}
        return data

    def people(self) -> dict[str, Any]:
        return self._read("people.json")

    def clients(self) -> dict[str, Any]:
        return self._read("clients.json")

    def save_people(self, people: dict[str, Any]) -> None:
        write_private(self.directory / "people.json", json.dumps(people, indent=2, sort_keys=True) + "\n")

    def save_clients(self, clients: dict[str, Any]) -> None:
        write_private(self.directory / "clients.json", json.dumps(clients, indent=2, sort_keys=True) + "\n")

    def key_file(self, client_id: str) -> Path:
        return self.directory / "clients" / f"{client_id}.pem"

    def key(self, client_id: str) -> Any:
        return serialization.load_pem_private_key(self.key_file(client_id).read_bytes(), password=None)

    def ensure_key(self, client_id: str) -> rsa.RSAPrivateKey:
        path = self.key_file(client_id)
        if path.exists():
            key = serialization.load_pem_private_key(path.read_bytes(), password=None)
            assert isinstance(key, rsa.RSAPrivateKey)
            return key
        key = new_key()
        write_private(path, key_pem(key))
        return key


def _machine_client(client_id: str, name: str, jwk: dict[str, Any], **attributes: str) -> dict[str, Any]:
    return {
        "clientId": client_id,
        "name": name,
        "description": "Machineclient: client credentials met private_key_jwt; geen geheim",
        "enabled": True,
        "protocol": "openid-connect",
        "publicClient": False,
        "bearerOnly": False,
        "clientAuthenticatorType": "client-jwt",
        "serviceAccountsEnabled": True,
        "standardFlowEnabled": False,
        "implicitFlowEnabled": False,
        "directAccessGrantsEnabled": False,
        "attributes": {
            "use.jwks.url": "false",
            "use.jwks.string": "true",
            "jwks.string": json.dumps({"keys": [jwk]}),
            "token.endpoint.auth.signing.alg": ASSERTION_ALG,
            "oauth2.device.authorization.grant.enabled": "false",
            "oidc.ciba.grant.enabled": "false",
            "use.refresh.tokens": "false",
            **attributes,
        },
    }


class _Provisioner:
    def __init__(self, admin: KeycloakAdmin, store: _Store) -> None:
        self.admin = admin
        self.store = store
        self.people = store.people()
        self.clients = store.clients()
        self._roles: dict[str, dict[str, Any]] = {}

    def role(self, name: str) -> dict[str, Any]:
        if name not in self._roles:
            self._roles[name] = self.admin.get_realm_role(name)
        return self._roles[name]

    def strip_default_roles(self) -> None:
        """Keycloak makes offline_access and uma_authorization default roles of every user; nobody here needs
        offline tokens or UMA, and realm_access.roles should say only what the services check."""
        default = self.admin.get_realm_role(f"default-roles-{self.admin.connection.realm_name}")
        composites = self.admin.get_composite_realm_roles_of_role(default["name"])
        unwanted = ("offline_access", "uma_authorization")
        extra = [r for r in composites if not r.get("clientRole") and r["name"] in unwanted]
        if extra:
            self.admin.remove_composite_realm_roles_to_role(default["name"], extra)

    def builtin_clients(self) -> None:
        """Keycloak's own clients of the realm. admin-cli: no password grant (no client of the realm has one).
        The account console (where a person sees their profile): the realm file declares its client scopes, so
        the built-in clients get none at import; it needs sub, the roles and, for its account API, the account
        roles in resource_access."""
        admin_cli = self.admin.get_client_id("admin-cli")
        if admin_cli is not None:
            self.admin.update_client(admin_cli, {"directAccessGrantsEnabled": False})
        internal_id = self.admin.get_client_id("account-console")
        if internal_id is None:
            return
        scopes = {s["name"]: s["id"] for s in self.admin.get_client_scopes()}
        present = {s["name"] for s in self.admin.get_client_default_client_scopes(internal_id)}
        for name in ("basic", "roles", "profile", "web-origins", "acr"):
            if name not in present and name in scopes:
                self.admin.add_client_default_client_scope(internal_id, scopes[name], {})
        mappers = {m["name"] for m in self.admin.get_mappers_from_client(internal_id)}
        if "client roles" not in mappers:
            self.admin.add_mapper_to_client(
                internal_id,
                {
                    "name": "client roles",
                    "protocol": "openid-connect",
                    "protocolMapper": "oidc-usermodel-client-role-mapper",
                    "config": {
                        "claim.name": "resource_access.${client_id}.roles",
                        "jsonType.label": "String",
                        "multivalued": "true",
                        "access.token.claim": "true",
                    },
                },
            )

    def person(self, ident: Identity) -> None:
        entry = self.people.get(ident.organisatie) or {
            "username": ident.username,
            "password": secrets.token_urlsafe(18),
        }
        payload = {
            "username": entry["username"],
            "enabled": True,
            "firstName": "Medewerker",
            "lastName": ident.display_name,
            "attributes": ident.attributes(),
            "credentials": [{"type": "password", "value": entry["password"], "temporary": False}],
            "requiredActions": [],
        }
        user_id = self.admin.get_user_id(entry["username"])
        if user_id is None:
            user_id = self.admin.create_user(payload)
        else:
            self.admin.update_user(user_id, {k: v for k, v in payload.items() if k != "credentials"})
            self.admin.set_user_password(user_id, entry["password"], temporary=False)
        self.admin.assign_realm_roles(user_id, [self.role(ident.rol)])
        self.people[ident.organisatie] = {**entry, "role": ident.rol}

    def machine(self, ident: Identity, client_id: str, **attributes: str) -> None:
        key = self.store.ensure_key(client_id)
        kid = self.clients.get(client_id, {}).get("kid") or f"{client_id}-{secrets.token_hex(4)}"
        payload = _machine_client(client_id, f"{ident.naam} (systeem)", public_jwk(key, kid), **attributes)
        internal_id = self.admin.get_client_id(client_id)
        if internal_id is None:
            internal_id = self.admin.create_client(payload)
        else:
            self.admin.update_client(internal_id, payload)
        account = self.admin.get_client_service_account_user(internal_id)
        self.admin.update_user(
            account["id"],
            {"enabled": True, "firstName": "Systeem", "lastName": ident.display_name, "attributes": ident.attributes()},
        )
        self.admin.assign_realm_roles(account["id"], [self.role(ident.rol)])
        realm = self.admin.connection.realm_name
        self.clients[client_id] = {"organisatie": ident.organisatie, "kid": kid, "realm": realm, "role": ident.rol}

    def foreign(self, ident: Identity) -> None:
        """A client of the other realm whose tokens claim the same organisation and audience (hard-coded)."""
        key = self.store.ensure_key(FOREIGN_CLIENT)
        kid = self.clients.get(FOREIGN_CLIENT, {}).get("kid") or f"{FOREIGN_CLIENT}-{secrets.token_hex(4)}"
        payload = _machine_client(FOREIGN_CLIENT, "Vreemde uitgever (tests)", public_jwk(key, kid))
        payload["protocolMappers"] = [
            {
                "name": "audience werkkloket-api",
                "protocol": "openid-connect",
                "protocolMapper": "oidc-audience-mapper",
                "config": {"included.custom.audience": AUDIENCE, "access.token.claim": "true"},
            },
            *(
                {
                    "name": claim,
                    "protocol": "openid-connect",
                    "protocolMapper": "oidc-hardcoded-claim-mapper",
                    "config": {
                        "claim.name": claim,
                        "claim.value": value,
                        "jsonType.label": "String",
                        "access.token.claim": "true",
                    },
                }
                for claim, value in (("organisatie", ident.organisatie), ("organisatie_naam", ident.naam))
            ),
        ]
        if self.admin.get_client_id(FOREIGN_CLIENT) is None:
            self.admin.create_client(payload)
        self.clients[FOREIGN_CLIENT] = {"organisatie": ident.organisatie, "kid": kid, "realm": OTHER_REALM}


def web_origin(origin: str) -> str:
    """`origin` as Keycloak's webOrigins hold it: scheme://host[:port], no path; else a ValueError."""
    parts = urlsplit(origin)
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.path not in ("", "/"):
        raise ValueError(f"not an origin: {origin!r}")
    if parts.query or parts.fragment or parts.username or parts.password:
        raise ValueError(f"not an origin: {origin!r}")
    return f"{parts.scheme}://{parts.netloc}"


def _admin(url: str, admin_credentials: tuple[str, str]) -> KeycloakAdmin:
    username, password = admin_credentials
    return KeycloakAdmin(
        server_url=f"{url}/", username=username, password=password, realm_name=REALM, user_realm_name="master"
    )


def _dashboard_origins(admin: KeycloakAdmin, origins: Iterable[str], keep: bool) -> list[str]:
    """The dashboard client's CORS origins: the browser calls the token endpoint from the dashboard's origin.
    Keycloak's "+" derives origins from the redirect URIs, which name no port (loopback: any port), so it
    would match none; the origins are named instead. `keep`: add to those the client has."""
    internal_id = admin.get_client_id(DASHBOARD_CLIENT)
    if internal_id is None:
        raise LookupError(f"the realm has no client {DASHBOARD_CLIENT}")
    wanted = [web_origin(o) for o in origins]
    if keep:
        present = admin.get_client(internal_id).get("webOrigins") or []
        wanted = [*(o for o in present if o != "+"), *wanted]
    chosen = sorted(set(wanted))
    admin.update_client(internal_id, {"webOrigins": chosen})
    return chosen


def allow_dashboard_origin(url: str, admin_credentials: tuple[str, str], origin: str) -> list[str]:
    """Let a dashboard at `origin` (e.g. a rapportage service on a port chosen at start) call Keycloak's token
    endpoint too; the client's origins afterwards."""
    return _dashboard_origins(_admin(url, admin_credentials), [origin], keep=True)


def provision_identities(
    url: str,
    admin_credentials: tuple[str, str],
    directory: Path,
    identities: Iterable[Identity] | None = None,
    other_realm: bool = False,
    people: Iterable[str] | None = None,
    short_lived: bool = True,
    dashboard_origins: Iterable[str] | None = None,
) -> Identities:
    """Create (or bring up to date) the people and machine clients in `url`'s realm `werkkloket`, keeping their
    passwords and private keys in `directory`. With other_realm, also the client of `werkkloket-anders`.
    `people`: only these organisations get a person (each costs Keycloak a password hash); all get a machine.
    `short_lived`: also SHORT_LIVED_CLIENT, for tests of expiry.
    `dashboard_origins`: the origins the dashboard is served from (its client's webOrigins, exactly these)."""
    admin = _admin(url, admin_credentials)
    if dashboard_origins is not None:
        _dashboard_origins(admin, dashboard_origins, keep=False)
    store = _Store(directory)
    work = _Provisioner(admin, store)
    work.strip_default_roles()
    work.builtin_clients()
    chosen = tuple(all_identities() if identities is None else identities)

    with_person = None if people is None else set(people)

    def person_and_machine(ident: Identity) -> None:
        if with_person is None or ident.organisatie in with_person:
            work.person(ident)
        work.machine(ident, ident.client_id)

    # Keycloak hashes each password (PBKDF2): a few requests at once keep both cores busy.
    with ThreadPoolExecutor(max_workers=4) as pool:
        list(pool.map(person_and_machine, chosen))
    if short_lived:
        short = next((i for i in all_identities() if i.organisatie == SHORT_LIVED_ORG), chosen[0])
        work.machine(short, SHORT_LIVED_CLIENT, **{"access.token.lifespan": str(SHORT_LIVED_SECONDS)})
    if other_realm:
        admin.change_current_realm(OTHER_REALM)
        work.foreign(next(i for i in all_identities() if i.organisatie == FOREIGN_ORG))
    store.save_people(work.people)
    store.save_clients(work.clients)
    return Identities(url, directory)


# --- the client side: tokens ----------------------------------------------------------------------------------


class LoginError(RuntimeError):
    """Keycloak refused a login or a token request."""


def _cookie_header(browser: httpx.Client) -> dict[str, str]:
    """Keycloak's login session cookies, sent back as a browser does. They are `Secure`, which a browser honours
    on http://127.0.0.1 (a loopback origin is a secure context) but httpx's cookie policy does not."""
    return {"Cookie": "; ".join(f"{c.name}={c.value}" for c in browser.cookies.jar)}


_FORM_ACTION = re.compile(r'<form[^>]*\bid="kc-form-login"[^>]*\baction="([^"]+)"', re.IGNORECASE | re.DOTALL)


@dataclass
class Identities:
    """Real tokens from a running Keycloak, for the identities provisioned into `directory`."""

    url: str
    directory: Path
    realm: str = REALM
    # The address tokens name (the issuer's), when `url` is another one: Keycloak's back channel inside a
    # container network, e.g. http://keycloak:8080 with the issuer at http://localhost:18080.
    public_url: str | None = None
    _cache: dict[str, tuple[str, float]] = field(default_factory=dict, repr=False)

    def issuer(self, realm: str | None = None) -> str:
        return f"{self.public_url or self.url}/realms/{realm or self.realm}"

    def _endpoint(self, realm: str | None, name: str) -> str:
        return f"{self.url}/realms/{realm or self.realm}/protocol/openid-connect/{name}"

    def token_endpoint(self, realm: str | None = None) -> str:
        return self._endpoint(realm, "token")

    def jwks_uri(self, realm: str | None = None) -> str:
        return self._endpoint(realm, "certs")

    def auth_endpoint(self, realm: str | None = None) -> str:
        return self._endpoint(realm, "auth")

    def assertion_audience(self, realm: str | None = None) -> str:
        """A client assertion's `aud`: the token endpoint at the issuer's address (Keycloak compares it with its
        front-channel URLs, also when the request came over the back channel)."""
        return f"{self.issuer(realm)}/protocol/openid-connect/token"

    @property
    def _store(self) -> _Store:
        return _Store(self.directory)

    def organisations(self) -> list[str]:
        return sorted(self._store.people())

    def person(self, organisatie: str) -> tuple[str, str]:
        """The demo person's username and password (to log in by hand: the account console or the dashboard)."""
        entry = self._store.people()[organisatie]
        return entry["username"], entry["password"]

    # machines

    def client_credentials(self, client_id: str, key: Any | None = None) -> httpx.Response:
        """The raw token response for a machine client, authenticated by a client assertion signed with its own
        key (or with `key`, to show that another key is refused)."""
        info = self._store.clients()[client_id]
        realm = info["realm"]
        signing_key = key if key is not None else self._store.key(client_id)
        assertion = client_assertion(client_id, signing_key, info["kid"], self.assertion_audience(realm))
        form = {
            "grant_type": "client_credentials",
            "client_id": client_id,
            "client_assertion_type": ASSERTION_TYPE,
            "client_assertion": assertion,
        }
        return httpx.post(self.token_endpoint(realm), data=form, timeout=30)

    def client_token(self, client_id: str) -> str:
        """An access token of a machine client, cached until RENEW_BEFORE seconds before it expires."""
        cached = self._cache.get(client_id)
        if cached is not None and cached[1] - RENEW_BEFORE > time.time():
            return cached[0]
        response = self.client_credentials(client_id)
        if response.status_code != 200:
            raise LoginError(f"token for {client_id}: {response.status_code} {response.text[:300]}")
        token: str = response.json()["access_token"]
        self._cache[client_id] = (token, _expiry(token))
        return token

    def token(self, organisatie: str) -> str:
        """A client-credentials token of the organisation's machine client `<organisatie>-systeem`."""
        return self.client_token(f"{organisatie}-systeem")

    def short_lived_token(self) -> str:
        """A token that expires SHORT_LIVED_SECONDS after it is issued (never cached)."""
        response = self.client_credentials(SHORT_LIVED_CLIENT)
        if response.status_code != 200:
            raise LoginError(f"token for {SHORT_LIVED_CLIENT}: {response.status_code} {response.text[:300]}")
        token: str = response.json()["access_token"]
        return token

    def foreign_token(self) -> str:
        """A token of the other realm (another issuer and key) that claims FOREIGN_ORG and our audience."""
        return self.client_token(FOREIGN_CLIENT)

    # people

    def person_tokens(
        self,
        organisatie: str,
        client_id: str = DASHBOARD_CLIENT,
        redirect_uri: str = "http://127.0.0.1:8104/dashboard",
    ) -> dict[str, Any]:
        """Log the organisation's person in as a browser would, to the dashboard (or another public client):
        authorization code with PKCE (S256) through Keycloak's login form. The token response (access, id and
        refresh token)."""
        username, password = self.person(organisatie)
        verifier, challenge = _pkce()
        state, nonce = secrets.token_urlsafe(16), secrets.token_urlsafe(16)
        query = {
            "client_id": client_id,
            "response_type": "code",
            "scope": "openid",
            "redirect_uri": redirect_uri,
            "state": state,
            "nonce": nonce,
            "code_challenge": challenge,
            "code_challenge_method": "S256",
        }
        with httpx.Client(timeout=30, follow_redirects=False) as browser:
            page = browser.get(self.auth_endpoint(), params=query)
            match = _FORM_ACTION.search(page.text)
            if page.status_code != 200 or match is None:
                raise LoginError(f"no login form ({page.status_code}): {page.text[:300]}")
            answer = browser.post(
                html.unescape(match.group(1)),
                data={"username": username, "password": password, "credentialId": ""},
                headers=_cookie_header(browser),
            )
            location = answer.headers.get("location", "")
            params = parse_qs(urlsplit(location).query)
            if answer.status_code != 302 or not location.startswith(redirect_uri) or "code" not in params:
                raise LoginError(f"login of {username} refused ({answer.status_code}): {answer.text[:300]}")
            if params.get("state") != [state]:
                raise LoginError("the state came back changed")
            exchange = browser.post(
                self.token_endpoint(),
                data={
                    "grant_type": "authorization_code",
                    "client_id": client_id,
                    "code": params["code"][0],
                    "redirect_uri": redirect_uri,
                    "code_verifier": verifier,
                },
            )
        if exchange.status_code != 200:
            raise LoginError(f"code exchange for {username}: {exchange.status_code} {exchange.text[:300]}")
        tokens: dict[str, Any] = exchange.json()
        return tokens

    def person_token(self, organisatie: str) -> str:
        """The access token of the organisation's person after a real code + PKCE login."""
        token: str = self.person_tokens(organisatie)["access_token"]
        return token


__all__ = [
    "AUDIENCE",
    "DASHBOARD_CLIENT",
    "Identities",
    "Identity",
    "LoginError",
    "all_identities",
    "allow_dashboard_origin",
    "client_assertion",
    "provision_identities",
    "web_origin",
]
