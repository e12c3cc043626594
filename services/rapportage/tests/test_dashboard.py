"""The dashboard's page, script, vendored OpenID Connect client and provider settings, without a server."""

from __future__ import annotations

import hashlib
import json
import re
from html.parser import HTMLParser
from typing import Any

import certifi
import pytest
from fastapi.testclient import TestClient
from werkkloket_rapportage.bootstrap import RapportageSettings, build
from werkkloket_rapportage.entrypoints.dashboard import OIDC_CLIENT_PATH, STATIC, VENDOR, Provider

ISSUER = "http://127.0.0.1:18080/realms/werkkloket"


def _manifest() -> dict[str, Any]:
    manifest: dict[str, Any] = json.loads((VENDOR / "manifest.json").read_text())
    return manifest


def _policy(header: str) -> dict[str, str]:
    """A Content-Security-Policy header as directive -> its sources."""
    directives = (d.strip().split(" ", 1) for d in header.split(";") if d.strip())
    return {d[0]: d[1] if len(d) > 1 else "" for d in directives}


def _client(**env: str | None) -> TestClient:
    values: dict[str, Any] = {
        "KAFKA_BOOTSTRAP_SERVERS": "127.0.0.1:9",
        "KAFKA_USERNAME": "rapportage",
        "KAFKA_PASSWORD": "niet-gebruikt",
        "KAFKA_CA_FILE": certifi.where(),
        "DATABASE_URL": "postgresql+asyncpg://rapportage:niet-gebruikt@127.0.0.1:9/werkkloket",
        "WERKKLOKET_OIDC_ISSUER": f"{ISSUER}/",
        **env,
    }
    _, app = build(RapportageSettings(**values))
    return TestClient(app)  # no lifespan: nothing connects to the bus or the database


class _Scripts(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.sources: list[str | None] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "script":
            self.sources.append(dict(attrs).get("src"))


def test_the_vendored_oidc_client_is_the_pinned_one() -> None:
    entry = _manifest()["oidc-client-ts"]
    assert re.fullmatch(r"\d+\.\d+\.\d+", entry["version"])  # an exact version, no range
    served = (VENDOR / entry["file"]).read_bytes()
    assert hashlib.sha256(served).hexdigest() == entry["sha256"]
    assert f'"{entry["version"]}"' in served.decode()  # the build names its own version
    assert "Apache License" in (VENDOR / entry["license_file"]).read_text()
    for library in entry["bundles"].values():
        assert "Permission is hereby granted" in (VENDOR / library["license_file"]).read_text()


def test_the_page_loads_scripts_only_from_its_own_origin() -> None:
    html = (STATIC / "dashboard.html").read_text()
    scripts = _Scripts()
    scripts.feed(html)
    assert scripts.sources == [OIDC_CLIENT_PATH, "/dashboard.js"]  # no inline script, the library first
    assert "#sleutel" not in html and 'id="sleutel"' not in html


def test_the_script_keeps_tokens_in_memory_only() -> None:
    script = (STATIC / "dashboard.js").read_text()
    assert re.search(r"\b(local|session)Storage\s*[.\[]", script) is None
    assert "userStore: new oidc.WebStorageStateStore({ store: new oidc.InMemoryWebStorage() })" in script
    assert "signinRedirect(" in script and "signoutRedirect(" in script


def test_the_dashboard_learns_its_provider_and_client() -> None:
    client = _client()
    r = client.get("/dashboard/config.json")
    assert r.status_code == 200
    assert r.json() == {"issuer": ISSUER, "client_id": "werkkloket-dashboard"}
    other = _client(WERKKLOKET_DASHBOARD_CLIENT_ID="dashboard-test").get("/dashboard/config.json")
    assert other.json()["client_id"] == "dashboard-test"


def test_the_csp_lets_the_page_reach_the_provider_and_nothing_else() -> None:
    client = _client()
    paths = ("/dashboard", "/dashboard.js", OIDC_CLIENT_PATH, "/dashboard/config.json")
    for path in paths:
        r = client.get(path)
        assert r.status_code == 200, path
        policy = _policy(r.headers["content-security-policy"])
        assert policy["script-src"] == "'self'"
        assert policy["connect-src"] == "'self' http://127.0.0.1:18080"
        assert policy["default-src"] == "'self'"
        assert policy["frame-ancestors"] == "'none'" and policy["base-uri"] == "'none'"
        assert policy["form-action"] == "'self'"
        assert r.headers["x-frame-options"] == "DENY"
        assert r.headers["x-content-type-options"] == "nosniff"
        assert r.headers["referrer-policy"] == "no-referrer"
        assert r.headers["cache-control"] == "no-store"
    library = client.get(OIDC_CLIENT_PATH)
    assert library.headers["content-type"].startswith("text/javascript")
    assert library.content == (VENDOR / "oidc-client-ts.min.js").read_bytes()


@pytest.mark.parametrize(
    "issuer",
    ["ftp://idp.example/realms/x", "http://idp.example;script-src */realms/x", "http://idp example/realms/x"],
)
def test_an_issuer_without_a_plain_origin_is_refused(issuer: str) -> None:
    with pytest.raises(ValueError, match="origin"):
        Provider(issuer, "werkkloket-dashboard")


def test_the_provider_origin_keeps_its_port() -> None:
    assert Provider("https://login.example.nl:8443/realms/werkkloket", "x").origin == "https://login.example.nl:8443"


def test_without_a_provider_the_dashboard_is_unavailable() -> None:
    client = _client(WERKKLOKET_OIDC_ISSUER=None)
    assert client.get("/dashboard/config.json").status_code == 503
    assert client.get("/dashboard").status_code == 503
