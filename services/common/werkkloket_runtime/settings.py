"""Settings shared by every service, read from the environment."""

from __future__ import annotations

import os
import socket
from pathlib import Path

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from .identity import TokenVerifier
from .kafka import KafkaConnection
from .ratelimit import DEFAULT_WRITE_LIMIT, WriteLimit, parse_limits
from .versleuteling import OngeldigeSleutels, Sleutels, lees_sleutels

SLEUTELS_ENV = "WERKKLOKET_SLEUTELS_FILE"


class ServiceSettings(BaseSettings):
    model_config = SettingsConfigDict(extra="ignore", populate_by_name=True)

    kafka_bootstrap_servers: str = Field(alias="KAFKA_BOOTSTRAP_SERVERS")
    # The service's own principal on the bus (SASL_SSL, SCRAM-SHA-512) and the CA its broker certificate is from.
    kafka_username: str = Field(alias="KAFKA_USERNAME")
    kafka_password: SecretStr = Field(alias="KAFKA_PASSWORD")
    kafka_ca_file: Path = Field(alias="KAFKA_CA_FILE")
    database_url: str = Field(alias="DATABASE_URL", description="postgresql+asyncpg://user:pw@host:port/db")
    # The OpenID Connect provider whose access tokens the API accepts (its realm's issuer URL; a service does not
    # serve without it), and the audience they must name.
    oidc_issuer: str | None = Field(default=None, alias="WERKKLOKET_OIDC_ISSUER")
    oidc_audience: str = Field(default="werkkloket-api", alias="WERKKLOKET_OIDC_AUDIENCE")
    # The discovery document's address when the service reaches the provider elsewhere than at the issuer.
    oidc_discovery_url: str | None = Field(default=None, alias="WERKKLOKET_OIDC_DISCOVERY_URL")
    http_host: str = Field(default="127.0.0.1", alias="WERKKLOKET_HTTP_HOST")
    http_port: int = Field(default=8000, alias="WERKKLOKET_HTTP_PORT")
    log_level: str = Field(default="info", alias="WERKKLOKET_LOG_LEVEL")
    instance_id: str = Field(default_factory=lambda: f"{socket.gethostname()}-{os.getpid()}")
    # How long a handler retries a transient failure (database down) before it seeks back and tries later.
    transient_retry_seconds: float = Field(default=60.0, alias="WERKKLOKET_TRANSIENT_RETRY_SECONDS")
    # How often a handler error that is not transient is retried before the message is dead-lettered.
    max_handler_attempts: int = Field(default=5, alias="WERKKLOKET_MAX_HANDLER_ATTEMPTS")
    # The OpenAPI page (/docs, its assets served by the service itself); off unless configured.
    docs: bool = Field(default=False, alias="WERKKLOKET_DOCS")
    # Request bodies larger than this are refused (413) before anything reads them.
    max_body_bytes: int = Field(default=1024 * 1024, ge=1, alias="WERKKLOKET_MAX_BODY_BYTES")
    # Writes per identity (organisation and token subject) in the `limits` notation, e.g. "600/minute;50/second";
    # over it 429. Counted per service instance (see `ratelimit`).
    rate_limit_writes: str = Field(default=DEFAULT_WRITE_LIMIT, alias="WERKKLOKET_RATE_LIMIT_WRITES")
    # The service's keys (see `versleuteling`): JSON with base64 values, mode 600. Intake encrypts personal data
    # at rest with them and wraps persons' keys for the others, which unwrap them with theirs (`sleutelring`).
    # None of them starts without it.
    sleutels_file: Path | None = Field(default=None, alias=SLEUTELS_ENV)

    @field_validator("rate_limit_writes")
    @classmethod
    def _valid_limits(cls, value: str) -> str:
        parse_limits(value)
        return value

    def tokens(self) -> TokenVerifier | None:
        if self.oidc_issuer is None:
            return None
        return TokenVerifier(
            issuer=self.oidc_issuer.rstrip("/"), audience=self.oidc_audience, discovery_url=self.oidc_discovery_url
        )

    def sleutels(self) -> Sleutels:
        """The keys from WERKKLOKET_SLEUTELS_FILE; OngeldigeSleutels (saying what is wrong) when it is not set,
        missing, open to others or malformed."""
        if self.sleutels_file is None:
            raise OngeldigeSleutels(f"{SLEUTELS_ENV} is not set: it names the keys file (JSON, mode 600)")
        return lees_sleutels(self.sleutels_file)

    def write_limit(self) -> WriteLimit:
        return WriteLimit(self.rate_limit_writes)

    def kafka(self) -> KafkaConnection:
        return KafkaConnection(
            bootstrap_servers=self.kafka_bootstrap_servers,
            username=self.kafka_username,
            password=self.kafka_password.get_secret_value(),
            ca_file=self.kafka_ca_file,
        )
