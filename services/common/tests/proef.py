"""A runtime built (never started) for tests of what it builds: settings naming servers that are not there."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import MetaData
from werkkloket_deploy.bus.secrets import cert_pem, make_ca
from werkkloket_runtime.outbox import inbox_table
from werkkloket_runtime.service import ServiceRuntime
from werkkloket_runtime.settings import ServiceSettings


def proef_settings(tmp_path: Path, **extra: Any) -> ServiceSettings:
    ca = tmp_path / "ca.pem"  # the broker is built (never started) with TLS: it needs a CA to trust
    ca.write_bytes(cert_pem(make_ca()[1]))
    return ServiceSettings(
        KAFKA_BOOTSTRAP_SERVERS="127.0.0.1:1",
        KAFKA_USERNAME="proef",
        KAFKA_PASSWORD="-",
        KAFKA_CA_FILE=ca,
        DATABASE_URL="postgresql+asyncpg://x@127.0.0.1:1/x",
        WERKKLOKET_OIDC_ISSUER="http://127.0.0.1:1/realms/proef",
        **extra,
    )


def proef_runtime(settings: ServiceSettings) -> ServiceRuntime:
    return ServiceRuntime("proef", settings, migrations_dir=Path("."), schema="proef", inbox=inbox_table(MetaData()))
