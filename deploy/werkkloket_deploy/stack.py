"""Start and stop the four service processes against a given Kafka and PostgreSQL."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import httpx
from werkkloket_runtime.kafka import KafkaConnection
from werkkloket_runtime.settings import SLEUTELS_ENV

from .provision import pid_alive, stop_pid
from .sleutels import GEBRUIKERS, bestand_van

SERVICES = ("intake", "matching", "plaatsing", "rapportage")


@dataclass
class ServiceProcess:
    name: str
    port: int
    pid: int
    log_file: Path

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def alive(self) -> bool:
        return pid_alive(self.pid)

    def stop(self, timeout: float = 40, sig: int = signal.SIGTERM) -> None:
        stop_pid(self.pid, timeout=timeout, sig=sig)


def start_service(
    name: str,
    *,
    port: int,
    kafka: KafkaConnection,
    database_url: str,
    oidc_issuer: str,
    log_dir: Path,
    extra_env: dict[str, str] | None = None,
    sleutels: Path | None = None,
) -> ServiceProcess:
    """One service process; `sleutels`: intake's keys file (`sleutels.sleutelbestand`); each service gets its own
    file (intake's, or the one next to it) and does not start without it."""
    log_dir.mkdir(parents=True, exist_ok=True)
    log_file = log_dir / f"{name}.log"
    env = {
        **os.environ,
        "KAFKA_BOOTSTRAP_SERVERS": kafka.bootstrap_servers,
        "KAFKA_USERNAME": kafka.username,
        "KAFKA_PASSWORD": kafka.password,
        "KAFKA_CA_FILE": str(kafka.ca_file),
        "DATABASE_URL": database_url,
        "WERKKLOKET_OIDC_ISSUER": oidc_issuer,
        "WERKKLOKET_HTTP_HOST": "127.0.0.1",
        "WERKKLOKET_HTTP_PORT": str(port),
        **(extra_env or {}),
    }
    env.pop(SLEUTELS_ENV, None)
    if name in GEBRUIKERS:
        if sleutels is None:
            raise ValueError(f"{name} needs its keys file (werkkloket_deploy.sleutels.sleutelbestand)")
        env[SLEUTELS_ENV] = str(bestand_van(sleutels, name))
    with log_file.open("ab") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", f"werkkloket_{name}"],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
    return ServiceProcess(name=name, port=port, pid=proc.pid, log_file=log_file)


def wait_healthy(services: list[ServiceProcess], timeout: float = 120) -> None:
    """Wait until every service answers /health with 200; fail fast when one died."""
    deadline = time.monotonic() + timeout
    pending = list(services)
    with httpx.Client(timeout=2) as client:
        while pending:
            for svc in list(pending):
                if not svc.alive():
                    tail = svc.log_file.read_text(errors="replace")[-3000:]
                    raise RuntimeError(f"service {svc.name} exited during start-up:\n{tail}")
                try:
                    if client.get(f"{svc.url}/health").status_code == 200:
                        pending.remove(svc)
                except httpx.HTTPError:
                    pass
            if pending and time.monotonic() > deadline:
                names = ", ".join(s.name for s in pending)
                raise TimeoutError(f"services not healthy after {timeout:.0f}s: {names}")
            if pending:
                time.sleep(0.2)
