"""The AsyncAPI document of every service, generated from its FastStream app and committed next to it."""

from __future__ import annotations

import importlib
import json
import tempfile
import typing
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import typer
from fastapi import FastAPI
from werkkloket_runtime.service import ServiceRuntime

from .bus.secrets import cert_pem, make_ca
from .paths import REPO_ROOT
from .stack import SERVICES


@contextmanager
def built(service: str) -> Iterator[tuple[Any, ServiceRuntime, FastAPI]]:
    """The service's bootstrap module, runtime and HTTP app as its composition root builds them, never started.
    The servers named are the docker-compose ones. The settings are passed explicitly: the environment (which may
    point at real servers) is neither read nor changed."""
    module = importlib.import_module(f"werkkloket_{service}.bootstrap")
    settings_type = next(
        t for t in typing.get_args(typing.get_type_hints(module.build)["settings"]) if t is not type(None)
    )
    with tempfile.TemporaryDirectory() as scratch:
        ca = Path(scratch) / "ca.pem"  # a throwaway CA: the broker's TLS context needs one to be built
        ca.write_bytes(cert_pem(make_ca()[1]))
        settings = settings_type(
            kafka_bootstrap_servers="kafka:9092",
            kafka_username=service,
            kafka_password="-",
            kafka_ca_file=ca,
            database_url=f"postgresql+asyncpg://{service}@postgres:5432/werkkloket",
            oidc_issuer="http://localhost:18080/realms/werkkloket",
        )
        runtime, http_app = module.build(settings)
        yield module, runtime, http_app


def document(service: str) -> dict[str, Any]:
    with built(service) as (module, runtime, _):
        doc: dict[str, Any] = runtime.asyncapi_document(module.DESCRIPTION)
        return doc


def path_of(service: str) -> Path:
    return REPO_ROOT / "services" / service / "asyncapi.json"


def render(doc: dict[str, Any]) -> str:
    return json.dumps(doc, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


app = typer.Typer(help="The AsyncAPI document of every service.", no_args_is_help=True)


def _stale(write: bool) -> list[str]:
    """Generate every service's document; write it, or list the committed ones that differ."""
    stale = []
    for service in SERVICES:
        text = render(document(service))
        target = path_of(service)
        if write:
            target.write_text(text)
            typer.echo(f"wrote {target.relative_to(REPO_ROOT)}")
        elif not target.exists() or target.read_text() != text:
            stale.append(str(target.relative_to(REPO_ROOT)))
    return stale


@app.command("write")
def write_command() -> None:
    """Write services/<service>/asyncapi.json."""
    _stale(write=True)


@app.command("check")
def check_command() -> None:
    """Exit 1 when a committed document differs from the generated one."""
    stale = _stale(write=False)
    if stale:
        typer.echo("out of date (run `werkkloket asyncapi write`): " + ", ".join(stale))
        raise typer.Exit(1)
