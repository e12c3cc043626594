"""`werkkloket`: start, stop and inspect a local stack, and drive the demo through the public APIs."""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path
from typing import Annotated, Any

import httpx
import typer

from . import keys as keyfile
from .provision import RUN_DIR, KafkaServer, PostgresServer, pid_alive, start_kafka, start_postgres, stop_pid
from .stack import SERVICES, ServiceProcess, start_service, wait_healthy

app = typer.Typer(help="Werkkloket: public-private job mediation on Apache Kafka.", no_args_is_help=True)
STATE = RUN_DIR / "stack.json"
# WERKKLOKET_PORT_OFFSET shifts every port, to run a second stack on the same machine.
_OFFSET = int(os.environ.get("WERKKLOKET_PORT_OFFSET", "0"))
DEFAULT_PORTS = {"kafka": 19092 + _OFFSET, "kafka-controller": 19093 + _OFFSET, "postgres": 15432 + _OFFSET}
SERVICE_PORTS = dict(zip(SERVICES, (8101 + _OFFSET, 8102 + _OFFSET, 8103 + _OFFSET, 8104 + _OFFSET), strict=True))


def _state() -> dict[str, Any]:
    if not STATE.exists():
        return {}
    data: dict[str, Any] = json.loads(STATE.read_text())
    return data


def _save(state: dict[str, Any]) -> None:
    RUN_DIR.mkdir(parents=True, exist_ok=True)
    STATE.write_text(json.dumps(state, indent=2) + "\n")


@app.command()
def up() -> None:
    """Provision Kafka and PostgreSQL (unless KAFKA_BOOTSTRAP_SERVERS and DATABASE_URL are set) and start the
    four services in the background."""
    state = _state()
    if any(pid_alive(s["pid"]) for s in state.get("services", {}).values()):
        typer.echo("already running; `werkkloket status` shows it, `werkkloket down` stops it")
        raise typer.Exit(1)
    env_kafka, env_db = os.environ.get("KAFKA_BOOTSTRAP_SERVERS"), os.environ.get("DATABASE_URL")
    state = {"started": time.time()}
    if env_kafka and env_db:
        bootstrap, database_url = env_kafka, env_db
        typer.echo("using KAFKA_BOOTSTRAP_SERVERS and DATABASE_URL from the environment")
    else:
        t0 = time.monotonic()
        kafka: KafkaServer = start_kafka(
            RUN_DIR / "kafka", port=DEFAULT_PORTS["kafka"], controller_port=DEFAULT_PORTS["kafka-controller"]
        )
        typer.echo(f"kafka      {kafka.bootstrap_servers}  (ready in {time.monotonic() - t0:.1f}s, pid {kafka.pid})")
        state["kafka"] = {"pid": kafka.pid, "bootstrap_servers": kafka.bootstrap_servers}
        _save(state)
        t0 = time.monotonic()
        pg: PostgresServer = start_postgres(RUN_DIR / "postgres", port=DEFAULT_PORTS["postgres"])
        typer.echo(f"postgresql 127.0.0.1:{pg.port}  (ready in {time.monotonic() - t0:.1f}s, pid {pg.pid})")
        state["postgres"] = {"pid": pg.pid, "url": pg.url, "data_dir": str(pg.data_dir)}
        _save(state)
        bootstrap, database_url = kafka.bootstrap_servers, pg.url
    _, api_keys = keyfile.write_keys(RUN_DIR)
    services: list[ServiceProcess] = []
    for name in SERVICES:
        svc = start_service(
            name,
            port=SERVICE_PORTS[name],
            kafka_bootstrap_servers=bootstrap,
            database_url=database_url,
            api_keys_file=api_keys,
            log_dir=RUN_DIR / "logs",
        )
        services.append(svc)
        state.setdefault("services", {})[name] = {"pid": svc.pid, "url": svc.url, "log": str(svc.log_file)}
    state["kafka_bootstrap_servers"], state["database_url"] = bootstrap, database_url
    _save(state)
    wait_healthy(services, timeout=180)
    for svc in services:
        typer.echo(f"{svc.name:<10} {svc.url}/docs   (pid {svc.pid}, log {svc.log_file})")
    typer.echo(f"API keys per organisation: {RUN_DIR / 'credentials.json'}")


@app.command()
def down() -> None:
    """Stop the services (SIGTERM: in-flight events finish and commit), then Kafka and PostgreSQL."""
    state = _state()
    for name, svc in state.get("services", {}).items():
        stop_pid(svc["pid"], timeout=40)
        typer.echo(f"stopped {name}")
    if "postgres" in state:
        PostgresServer.from_state(state["postgres"]).stop()
        typer.echo("stopped postgresql")
    if "kafka" in state:
        stop_pid(state["kafka"]["pid"], timeout=40)
        typer.echo("stopped kafka")
    if STATE.exists():
        STATE.unlink()


@app.command()
def status() -> None:
    """Show what runs, and whether each service is healthy."""
    state = _state()
    if not state:
        typer.echo("nothing started here (`werkkloket up`)")
        raise typer.Exit(1)
    healthy = True
    for name in ("kafka", "postgres"):
        if name in state:
            alive = pid_alive(state[name]["pid"])
            healthy &= alive
            typer.echo(f"{name:<10} pid {state[name]['pid']:<8} {'running' if alive else 'STOPPED'}")
    with httpx.Client(timeout=2) as client:
        for name, svc in state.get("services", {}).items():
            try:
                ok = client.get(f"{svc['url']}/health").status_code == 200
            except httpx.HTTPError:
                ok = False
            healthy &= ok
            typer.echo(f"{name:<10} pid {svc['pid']:<8} {'healthy' if ok else 'NOT HEALTHY'}  {svc['url']}")
    if not healthy:
        raise typer.Exit(1)


@app.command()
def demo(
    scenario: Annotated[str, typer.Option(help="haaglanden or lekstroom")] = "haaglanden",
    seed: Annotated[int, typer.Option(help="seed of the synthetic data")] = 2020,
) -> None:
    """Drive a scenario through the public HTTP APIs of a running stack and print the funnel."""
    from .demo import run

    state = _state()
    if not state.get("services"):
        typer.echo("start the stack first: `werkkloket up`")
        raise typer.Exit(1)
    urls = {name: svc["url"] for name, svc in state["services"].items()}
    ok = run(scenario, urls, keyfile.read_credentials(RUN_DIR), seed=seed, out=sys.stdout)
    if not ok:
        raise typer.Exit(1)


def main() -> None:
    app()


if __name__ == "__main__":
    main()


__all__ = ["Path", "app", "main"]
