"""The AsyncAPI document of every service, generated from its FastStream app and committed next to it."""

from __future__ import annotations

import argparse
import importlib
import json
import os
from pathlib import Path
from typing import Any

from .provision import REPO_ROOT
from .stack import SERVICES

# The app is only built, never started; the servers named are the docker-compose ones.
COMPOSE_SERVERS = {
    "KAFKA_BOOTSTRAP_SERVERS": "kafka:9092",
    "DATABASE_URL": "postgresql+asyncpg://werkkloket@postgres:5432/werkkloket",
}


def document(service: str) -> dict[str, Any]:
    # Set only while building, so that nothing else in this process (e.g. the tests) sees these servers.
    added = [name for name in COMPOSE_SERVERS if name not in os.environ]
    os.environ.update({name: COMPOSE_SERVERS[name] for name in added})
    try:
        module = importlib.import_module(f"werkkloket_{service}.main")
        runtime, _ = module.build()
        doc: dict[str, Any] = runtime.asyncapi_document(module.DESCRIPTION)
    finally:
        for name in added:
            del os.environ[name]
    return doc


def path_of(service: str) -> Path:
    return REPO_ROOT / "services" / service / "asyncapi.json"


def render(doc: dict[str, Any]) -> str:
    return json.dumps(doc, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("command", choices=["write", "check"])
    args = parser.parse_args(argv)
    stale = []
    for service in SERVICES:
        text = render(document(service))
        target = path_of(service)
        if args.command == "write":
            target.write_text(text)
            print(f"wrote {target.relative_to(REPO_ROOT)}")
        elif not target.exists() or target.read_text() != text:
            stale.append(str(target.relative_to(REPO_ROOT)))
    if stale:
        print("out of date (run `python -m werkkloket_deploy.asyncapi write`): " + ", ".join(stale))
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
