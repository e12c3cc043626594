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


def document(service: str) -> dict[str, Any]:
    # The app is only built, never started; the server named is the docker-compose one. The environment is
    # restored afterwards, so a test process that builds the document keeps its own settings.
    defaults = {
        "KAFKA_BOOTSTRAP_SERVERS": "kafka:9092",
        "DATABASE_URL": "postgresql+asyncpg://werkkloket@postgres:5432/werkkloket",
    }
    added = [name for name in defaults if name not in os.environ]
    for name in added:
        os.environ[name] = defaults[name]
    try:
        module = importlib.import_module(f"werkkloket_{service}.main")
        runtime, _ = module.build()
    finally:
        for name in added:
            del os.environ[name]
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
