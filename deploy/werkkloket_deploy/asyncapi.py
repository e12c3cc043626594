"""The AsyncAPI document of every service, generated from its FastStream app and committed next to it."""

from __future__ import annotations

import argparse
import importlib
import json
import typing
from pathlib import Path
from typing import Any

from .provision import REPO_ROOT
from .stack import SERVICES


def document(service: str) -> dict[str, Any]:
    # The app is only built, never started; the server named is the docker-compose one. The settings are passed
    # explicitly: the environment (which may point at real servers) is neither read nor changed.
    module = importlib.import_module(f"werkkloket_{service}.bootstrap")
    settings_type = next(
        t for t in typing.get_args(typing.get_type_hints(module.build)["settings"]) if t is not type(None)
    )
    settings = settings_type(
        kafka_bootstrap_servers="kafka:9092", database_url="postgresql+asyncpg://werkkloket@postgres:5432/werkkloket"
    )
    runtime, _ = module.build(settings)
    doc: dict[str, Any] = runtime.asyncapi_document(module.DESCRIPTION)
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
