"""Keycloak's provisioning without a server: which Java, where the distribution is cached, what the realm says."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from werkkloket_deploy.identities import REALM_ROLES
from werkkloket_deploy.provision import ProvisionError, keycloak
from werkkloket_deploy.provision.keycloak import (
    BUILD_OPTIONS,
    CACHE_ENV,
    OTHER_REALM_FILE,
    REALM_FILE,
    cache_root,
    keycloak_java_home,
    keycloak_version,
)

# --- Java 21+ ------------------------------------------------------------------------------------------------


def _jdk(root: Path, name: str, version: str) -> Path:
    home = root / name
    (home / "bin").mkdir(parents=True)
    (home / "bin" / "java").write_text("#!/bin/sh\nexit 1\n")
    (home / "bin" / "java").chmod(0o755)
    (home / "release").write_text(f'IMPLEMENTOR="test"\nJAVA_VERSION="{version}"\n')
    return home


@pytest.fixture
def jvms(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "jvm"
    root.mkdir()
    monkeypatch.setattr(keycloak, "JVM_ROOT", root)
    monkeypatch.setenv("PATH", str(tmp_path / "no-java-here"))
    monkeypatch.delenv("JAVA_HOME", raising=False)
    return root


def test_java_home_of_21_or_newer_is_taken(jvms: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _jdk(jvms, "temurin-25", "25.0.1")
    mine = _jdk(jvms.parent, "my-jdk-21", "21.0.4")
    monkeypatch.setenv("JAVA_HOME", str(mine))
    assert keycloak_java_home() == mine


def test_an_older_java_home_is_passed_over_for_the_newest_jdk(jvms: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JAVA_HOME", str(_jdk(jvms, "java-17-openjdk", "17.0.15")))
    _jdk(jvms, "java-21-openjdk", "21.0.4")
    newest = _jdk(jvms, "temurin-25-jdk", "25.0.1")
    assert keycloak_java_home() == newest


def test_no_java_21_is_a_clear_error(jvms: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JAVA_HOME", str(_jdk(jvms, "java-17-openjdk", "17.0.15")))
    with pytest.raises(ProvisionError, match=r"Keycloak needs Java 21 or newer.*java-17-openjdk.*17"):
        keycloak_java_home()


@pytest.mark.integration
def test_the_machine_has_a_java_for_keycloak() -> None:
    assert keycloak._java_major(keycloak_java_home()) >= keycloak.MIN_JAVA  # type: ignore[operator]


# --- the cache outside the clone ------------------------------------------------------------------------------


def test_cache_root_follows_xdg_and_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(CACHE_ENV, raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache_root() == (tmp_path / "xdg" / "werkkloket").resolve()
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert cache_root() == (tmp_path / "home" / ".cache" / "werkkloket").resolve()


def test_cache_root_can_be_set(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "kc-cache"))
    assert cache_root() == (tmp_path / "kc-cache").resolve()


def test_cache_root_without_a_usable_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(CACHE_ENV, raising=False)
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    not_a_dir = tmp_path / "file"
    not_a_dir.write_text("")
    monkeypatch.setenv("HOME", str(not_a_dir))
    assert cache_root() == Path("/var/tmp") / f"werkkloket-{os.getuid()}"


def test_the_version_comes_from_the_pom() -> None:
    assert keycloak_version() == "26.5.5"


def test_build_options_are_what_the_build_persists() -> None:
    assert keycloak._expected_persisted() == {"kc.profile": "dev", "kc.health-enabled": "true"}
    assert "--health-enabled=true" in BUILD_OPTIONS


# --- the realm as imported ------------------------------------------------------------------------------------


def _realm() -> dict:  # type: ignore[type-arg]
    data: dict = json.loads(REALM_FILE.read_text())  # type: ignore[type-arg]
    return data


def test_realm_roles_lifespan_and_signing() -> None:
    realm = _realm()
    assert realm["realm"] == "werkkloket"
    assert realm["defaultSignatureAlgorithm"] in ("RS256", "PS256")
    assert realm["accessTokenLifespan"] == 300
    roles = {r["name"] for r in realm["roles"]["realm"]}
    assert REALM_ROLES <= roles


def test_the_dashboard_is_a_public_client_with_pkce_s256_only() -> None:
    (dashboard,) = [c for c in _realm()["clients"] if c["clientId"] == "werkkloket-dashboard"]
    assert dashboard["publicClient"] is True
    assert dashboard["standardFlowEnabled"] is True
    assert dashboard["implicitFlowEnabled"] is False
    assert dashboard["directAccessGrantsEnabled"] is False
    assert dashboard["serviceAccountsEnabled"] is False
    assert dashboard["attributes"]["pkce.code.challenge.method"] == "S256"
    assert all(uri.startswith("http://127.0.0.1/") for uri in dashboard["redirectUris"])


def test_no_client_secret_anywhere() -> None:
    for path in (REALM_FILE, OTHER_REALM_FILE):
        text = path.read_text()
        assert '"secret"' not in text
        assert "client-secret" not in text
        for client in json.loads(text).get("clients", []):
            assert client.get("publicClient") or client.get("clientAuthenticatorType") == "client-jwt"


def test_the_token_contract_mappers() -> None:
    realm = _realm()
    (api,) = [s for s in realm["clientScopes"] if s["name"] == "werkkloket-api"]
    mappers = {m["name"]: m for m in api["protocolMappers"]}
    assert mappers["audience werkkloket-api"]["config"]["included.custom.audience"] == "werkkloket-api"
    for claim in ("organisatie", "organisatie_naam", "gemeenten", "regio"):
        config = mappers[claim]["config"]
        assert config["claim.name"] == claim
        assert config["access.token.claim"] == "true"
    assert mappers["gemeenten"]["config"]["multivalued"] == "true"
    assert mappers["organisatie"]["config"]["multivalued"] == "false"
    assert "werkkloket-api" in realm["defaultDefaultClientScopes"]
    assert {"basic", "roles"} <= set(realm["defaultDefaultClientScopes"])  # sub; realm_access.roles


def test_only_an_admin_sets_the_organisation_of_a_user() -> None:
    (component,) = _realm()["components"]["org.keycloak.userprofile.UserProfileProvider"]
    profile = json.loads(component["config"]["kc.user.profile.config"][0])
    attributes = {a["name"]: a for a in profile["attributes"]}
    for name in ("organisatie", "organisatie_naam", "gemeenten", "regio"):
        assert attributes[name]["permissions"]["edit"] == ["admin"]
    assert attributes["gemeenten"]["multivalued"] is True
