"""docker-compose's Keycloak settings on a server of this machine (tests/identity/test_compose_keycloak.py): it is
launched as soon as collection shows a test that asks for it, and gets ready while the tests before it run."""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from werkkloket_deploy.paths import REPO_ROOT
from werkkloket_deploy.provision import RUN_DIR, ProvisionError, free_port, remove_keycloak, start_keycloak
from werkkloket_deploy.provision.keycloak import KeycloakServer

COMPOSE_FILE = REPO_ROOT / "docker-compose.yml"
FIXTURE = "compose_keycloak"


def _services() -> dict[str, Any]:
    services: dict[str, Any] = yaml.safe_load(COMPOSE_FILE.read_text())["services"]
    return services


def _env(service: str) -> dict[str, str]:
    return {k: str(v) for k, v in _services()[service]["environment"].items()}


def _moved(value: str, port: int) -> str:
    """A compose address moved to this machine: http://localhost:18080 (browsers, the issuer) to
    http://localhost:<port>, http://keycloak:8080 (the compose network) to http://127.0.0.1:<port>."""
    return value.replace("localhost:18080", f"localhost:{port}").replace("keycloak:8080", f"127.0.0.1:{port}")


@dataclass
class Launched:
    server: KeycloakServer
    port: int
    base: Path


_launched: dict[str, Launched] = {}


def launch_compose_keycloak() -> Launched:
    """The keycloak service's KC_* settings (its hostname moved here) on the local distribution; not waited for."""
    if "compose" not in _launched:
        port = free_port()
        base = RUN_DIR / f"keycloak-compose-{os.getpid()}"
        env = _env("keycloak")
        options = {k: v for k, v in env.items() if k.startswith("KC_") and not k.startswith("KC_BOOTSTRAP_")}
        hostname = _moved(options.pop("KC_HOSTNAME"), port)
        server = start_keycloak(base, port=port, short_lived=True, hostname=hostname, environment=options, wait=False)
        _launched["compose"] = Launched(server, port, base)
    return _launched["compose"]


def stop_compose_keycloak() -> None:
    launched = _launched.pop("compose", None)
    if launched is not None:
        launched.server.stop()
        remove_keycloak(launched.base)


def pytest_collection_finish(session: pytest.Session) -> None:
    if session.config.option.collectonly:
        return
    if any(FIXTURE in getattr(item, "fixturenames", ()) for item in session.items):
        with contextlib.suppress(ProvisionError):  # the fixture tries again and fails with the reason
            launch_compose_keycloak()


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    stop_compose_keycloak()  # launched, but its tests did not run (deselected, -x, interrupted)
