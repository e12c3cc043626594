"""docker-compose's Keycloak without Docker: the keycloak service's hostname settings, with its addresses moved to
this machine, on the local distribution. identities-init's command provisions it; a token is verified as the
compose services verify it (the issuer browsers see, discovery and keys over the back channel); the service's
health check runs against the management port.

Compose's two addresses of one server map to two names of this one: http://localhost:18080 (browsers, the issuer)
to http://localhost:<port>, http://keycloak:8080 (the compose network) to http://127.0.0.1:<port>.
"""

from __future__ import annotations

import asyncio
import json
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner
from werkkloket_deploy.cli import app
from werkkloket_deploy.identities import SHORT_LIVED_CLIENT, Identities
from werkkloket_deploy.provision import free_port
from werkkloket_deploy.provision.keycloak import KeycloakServer
from werkkloket_runtime.identity import Organisatie, TokenVerifier

from .conftest import _env, _moved, _services, launch_compose_keycloak, stop_compose_keycloak

pytestmark = pytest.mark.integration

PEOPLE = ("uwv", "gemeente-den-haag", "mobiliteitsteam-rijnmond")
runner = CliRunner()


@dataclass
class ComposeKeycloak:
    server: KeycloakServer
    port: int

    def here(self, value: str) -> str:
        return _moved(value, self.port)


@pytest.fixture(scope="module")
def compose_keycloak() -> Iterator[ComposeKeycloak]:
    # Launched when collection showed this module (conftest), so it gets ready while the tests before it run.
    launched = launch_compose_keycloak()
    try:
        launched.server.wait_ready()
        yield ComposeKeycloak(launched.server, launched.port)
    finally:
        stop_compose_keycloak()


def test_the_compose_health_check_asks_the_management_port(compose_keycloak: ComposeKeycloak) -> None:
    command = _services()["keycloak"]["healthcheck"]["test"]
    assert command[:3] == ["CMD", "bash", "-c"]
    script = command[3].replace("/9000", f"/{compose_keycloak.server.management_port}")
    ready = subprocess.run(["bash", "-c", script], capture_output=True, text=True, timeout=10, check=False)
    assert ready.returncode == 0, ready.stderr
    closed = command[3].replace("/9000", f"/{free_port()}")
    assert subprocess.run(["bash", "-c", closed], capture_output=True, timeout=10, check=False).returncode != 0


def test_discovery_over_the_back_channel_names_the_browsers_issuer(compose_keycloak: ComposeKeycloak) -> None:
    service = _env("intake")
    issuer = compose_keycloak.here(service["WERKKLOKET_OIDC_ISSUER"])
    assert issuer == f"http://localhost:{compose_keycloak.port}/realms/werkkloket"
    config = httpx.get(compose_keycloak.here(service["WERKKLOKET_OIDC_DISCOVERY_URL"]), timeout=10).json()
    assert config["issuer"] == issuer
    back = f"http://127.0.0.1:{compose_keycloak.port}/realms/werkkloket/protocol/openid-connect"
    assert config["jwks_uri"] == f"{back}/certs"
    assert config["token_endpoint"] == f"{back}/token"
    assert config["authorization_endpoint"] == f"{issuer}/protocol/openid-connect/auth"


def test_identities_init_then_tokens_the_services_accept(compose_keycloak: ComposeKeycloak, tmp_path: Path) -> None:
    init = _env("identities-init")
    username, password = compose_keycloak.server.admin_credentials()
    directory = tmp_path / "identities"
    env = {
        "KEYCLOAK_URL": compose_keycloak.here(init["KEYCLOAK_URL"]),
        "KEYCLOAK_ADMIN_USERNAME": username,
        "KEYCLOAK_ADMIN_PASSWORD": password,
        "WERKKLOKET_IDENTITIES_DIR": str(directory),
        # A person for the organisations this test logs in as (each costs Keycloak a password hash); all get a
        # machine client, as in compose.
        "WERKKLOKET_IDENTITIES_PEOPLE": " ".join(PEOPLE),
    }
    result = runner.invoke(app, _services()["identities-init"]["command"][1:], env=env)
    assert result.exit_code == 0, result.output
    people = json.loads((directory / "people.json").read_text())
    clients = json.loads((directory / "clients.json").read_text())
    assert set(people) == set(PEOPLE)
    orgs = ("uwv", "gemeente-den-haag", "mobiliteitsteam-rijnmond", "centraal-werkt", "werknemer-demo")
    assert {f"{org}-systeem" for org in orgs} <= set(clients)
    assert SHORT_LIVED_CLIENT not in clients  # a test client, not for compose

    # a machine inside the compose network: `werkkloket token` against the back channel
    back = compose_keycloak.here("http://keycloak:8080")
    printed = runner.invoke(app, ["token", "uwv", "--url", back, "--identities", str(directory)])
    assert printed.exit_code == 0, printed.output
    token = printed.output.strip()

    service = _env("intake")
    verifier = TokenVerifier(
        issuer=compose_keycloak.here(service["WERKKLOKET_OIDC_ISSUER"]),
        audience="werkkloket-api",
        discovery_url=compose_keycloak.here(service["WERKKLOKET_OIDC_DISCOVERY_URL"]),
    )
    uwv = Organisatie.uit_token(asyncio.run(verifier.verify(token)))
    assert (uwv.code, uwv.rol, uwv.naam, uwv.gemeenten, uwv.regio) == ("uwv", "uwv", "UWV", frozenset(), None)

    # a person in a browser: the front channel, the same issuer
    front = Identities(f"http://localhost:{compose_keycloak.port}", directory)
    person = Organisatie.uit_token(asyncio.run(verifier.verify(front.person_token("gemeente-den-haag"))))
    assert (person.code, person.rol, person.gemeenten) == ("gemeente-den-haag", "gemeente", frozenset({"GM0518"}))

    # every `docker compose up` runs identities-init again: the same passwords and keys
    again = runner.invoke(app, _services()["identities-init"]["command"][1:], env=env)
    assert again.exit_code == 0, again.output
    assert json.loads((directory / "people.json").read_text()) == people
    assert json.loads((directory / "clients.json").read_text()) == clients
    assert Organisatie.uit_token(asyncio.run(verifier.verify(front.token("uwv")))).rol == "uwv"
