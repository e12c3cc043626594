"""`werkkloket compose secrets`: the secrets of the docker-compose stack, generated once and never committed.

`deploy/compose/.env` (mode 600) holds every password `docker-compose.yml` refers to: one per Kafka principal
(`BUS_<PRINCIPAL>_PASSWORD`), the PostgreSQL superuser's (`POSTGRES_PASSWORD`), one per service role
(`<SERVICE>_DB_PASSWORD`) and Keycloak's bootstrap admin (`KEYCLOAK_ADMIN_USERNAME`, `KEYCLOAK_ADMIN_PASSWORD`).
`deploy/compose/secrets/` is a bus secrets directory (`BusSecrets`: `ca.pem`, `broker.pem`, `principals.json`
with the same Kafka passwords) for Kafka's TLS and `werkkloket bus provision`, and holds intake's keys
(`intake-sleutels.json`, see `sleutels`), which the compose job bus-secrets gives to the intake container only.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Annotated

import typer

from .bus import acls
from .bus.secrets import BusSecrets, new_password, write_private
from .paths import REPO_ROOT
from .provision.keycloak import ADMIN_USER
from .sleutels import GEBRUIKERS, bestand_van
from .sleutels import zorg_voor as zorg_voor_sleutels

COMPOSE_DIR: Path = REPO_ROOT / "deploy" / "compose"
ENV_FILE = ".env"
SECRETS_DIR = "secrets"
# Intake's keys (WERKKLOKET_SLEUTELS_FILE) in the secrets directory; as long-lived as the postgres-data volume.
SLEUTELS_FILE = "intake-sleutels.json"
# Names the broker's certificate is valid for: the compose network and the port published on the host.
COMPOSE_HOSTS: tuple[str, ...] = ("kafka", "localhost", "127.0.0.1")
POSTGRES_PASSWORD = "POSTGRES_PASSWORD"
# Keycloak's bootstrap admin of the master realm (KC_BOOTSTRAP_ADMIN_*), also used by identities-init.
KEYCLOAK_ADMIN_USERNAME = "KEYCLOAK_ADMIN_USERNAME"
KEYCLOAK_ADMIN_PASSWORD = "KEYCLOAK_ADMIN_PASSWORD"


def principals() -> list[str]:
    """Every principal of the compose bus: the super users and the platform's own."""
    return [*acls.SUPER_USERS, *acls.platform_acls()]


def bus_password_var(principal: str) -> str:
    """`admin` -> `BUS_ADMIN_PASSWORD`."""
    return f"BUS_{principal.upper().replace('-', '_')}_PASSWORD"


def db_password_var(service: str) -> str:
    """`intake` -> `INTAKE_DB_PASSWORD` (read by `werkkloket db provision`)."""
    return f"{service.upper()}_DB_PASSWORD"


def keycloak_admin() -> dict[str, str]:
    """A new bootstrap admin of Keycloak: the name the local stack uses, a random password."""
    return {KEYCLOAK_ADMIN_USERNAME: ADMIN_USER, KEYCLOAK_ADMIN_PASSWORD: new_password()}


def render_env(bus_passwords: Mapping[str, str], db_passwords: Mapping[str, str], keycloak: Mapping[str, str]) -> str:
    lines = [
        "# Written by `werkkloket compose secrets` (make compose-secrets); never commit it.",
        "# docker compose --env-file deploy/compose/.env up --build",
        "# Kafka principals (the same passwords as secrets/principals.json)",
        *(f"{bus_password_var(p)}={pw}" for p, pw in bus_passwords.items()),
        "# PostgreSQL: the superuser and one role per service",
        *(f"{name}={pw}" for name, pw in db_passwords.items()),
        "# Keycloak: the bootstrap admin of the master realm",
        *(f"{name}={value}" for name, value in keycloak.items()),
    ]
    return "\n".join(lines) + "\n"


def read_env(path: Path) -> dict[str, str]:
    """The variables of an env file (KEY=VALUE lines; comments and blank lines skipped)."""
    found: dict[str, str] = {}
    for line in path.read_text().splitlines():
        if line.strip() and not line.lstrip().startswith("#") and "=" in line:
            key, value = line.split("=", 1)
            found[key.strip()] = value.strip()
    return found


def write_secrets(directory: Path, services: Iterable[str] = acls.SERVICES) -> tuple[Path, BusSecrets]:
    """A new env file and bus secrets directory under `directory` (replacing whatever was there)."""
    directory.mkdir(parents=True, exist_ok=True)
    bus = BusSecrets(directory / SECRETS_DIR)
    bus.create(principals(), hosts=COMPOSE_HOSTS)
    db_passwords = {POSTGRES_PASSWORD: new_password()} | {db_password_var(s): new_password() for s in services}
    env_file = directory / ENV_FILE
    write_private(env_file, render_env(bus.principals(), db_passwords, keycloak_admin()))
    sleutels = bus.directory / SLEUTELS_FILE
    for dienst in GEBRUIKERS:  # new secrets, new keys (the database's volume goes too)
        bestand_van(sleutels, dienst).unlink(missing_ok=True)
    zorg_voor_sleutels(sleutels)
    return env_file, bus


def add_missing(env_file: Path) -> list[str]:
    """Add the Keycloak admin to an env file written before compose had Keycloak; the other values stay. The
    names added."""
    present = read_env(env_file)
    missing = {k: v for k, v in keycloak_admin().items() if k not in present}
    if missing:
        text = env_file.read_text()
        lines = ["# Keycloak: the bootstrap admin of the master realm", *(f"{k}={v}" for k, v in missing.items())]
        write_private(env_file, text + ("" if text.endswith("\n") else "\n") + "\n".join(lines) + "\n")
    return list(missing)


app = typer.Typer(help="The docker-compose stack's secrets.", no_args_is_help=True)


@app.command("secrets")
def secrets_command(
    directory: Annotated[Path, typer.Option(help="where .env and secrets/ are written")] = COMPOSE_DIR,
    force: Annotated[
        bool, typer.Option(help="replace existing secrets (then remove the stack's volumes: docker compose down -v)")
    ] = False,
) -> None:
    """Write DIR/.env (mode 600: a random password per Kafka principal and PostgreSQL role, Keycloak's admin) and
    DIR/secrets/ (the bus's CA, the broker's key and certificate, the principals' passwords, intake's keys).
    Existing secrets are kept; older ones get what they lack."""
    env_file, bus = directory / ENV_FILE, BusSecrets(directory / SECRETS_DIR)
    present = [p for p in (env_file, bus.directory) if p.exists()]
    if present and not force:
        if env_file.exists() and bus.exists():
            added = add_missing(env_file)
            typer.echo(f"kept the existing secrets in {directory} (--force replaces them)")
            if added:
                typer.echo(f"added to {env_file}: {', '.join(added)}")
            sleutels = bus.directory / SLEUTELS_FILE
            ontbrekend = [d for d in GEBRUIKERS if not bestand_van(sleutels, d).exists()]
            zorg_voor_sleutels(sleutels)  # secrets from before the services' keys: they get theirs
            if ontbrekend:
                typer.echo(f"added the keys of {', '.join(ontbrekend)} next to {sleutels} (mode 600)")
            return
        typer.echo(f"incomplete secrets in {directory}: {', '.join(map(str, present))}; --force makes new ones")
        raise typer.Exit(1)
    env_file, bus = write_secrets(directory)
    typer.echo(f"wrote {env_file} (mode 600) and {bus.directory}/ (with intake's keys, {SLEUTELS_FILE})")
    typer.echo(f"start the stack: docker compose --env-file {env_file} up --build")
