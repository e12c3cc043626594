"""`werkkloket replay`: build the service's runtime (not started) and run its replay with a progress bar."""

from __future__ import annotations

import asyncio
import importlib
import typing
from datetime import datetime
from pathlib import Path
from typing import Any

from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from werkkloket_runtime.kafka import KafkaConnection
from werkkloket_runtime.replay import Progress as ReplayProgress
from werkkloket_runtime.replay import ReplayResult
from werkkloket_runtime.service import ServiceRuntime
from werkkloket_runtime.settings import SLEUTELS_ENV, ServiceSettings

from .sleutels import bestand_van


def load_runtime(
    service: str, kafka: KafkaConnection, database_url: str, sleutels: Path | None = None
) -> ServiceRuntime:
    """The service's runtime, built by its own composition root and pointed at these servers (not started);
    `sleutels`: intake's keys file, next to which the service finds its own (to read the persons' keys)."""
    module: Any = importlib.import_module(f"werkkloket_{service}.bootstrap")
    hint = typing.get_type_hints(module.build).get("settings", ServiceSettings)
    settings_cls = next((a for a in typing.get_args(hint) if isinstance(a, type)), hint)
    settings = settings_cls(
        KAFKA_BOOTSTRAP_SERVERS=kafka.bootstrap_servers,
        KAFKA_USERNAME=kafka.username,
        KAFKA_PASSWORD=kafka.password,
        KAFKA_CA_FILE=kafka.ca_file,
        DATABASE_URL=database_url,
        **({SLEUTELS_ENV: bestand_van(sleutels, service)} if sleutels is not None else {}),
    )
    rt: ServiceRuntime = module.build(settings)[0]
    return rt


def run_replay(
    service: str,
    kafka: KafkaConnection,
    database_url: str,
    *,
    since: datetime | None = None,
    restart: bool = False,
    switch: bool = True,
    batch_size: int = 5000,
    show_progress: bool = True,
    sleutels: Path | None = None,
) -> ReplayResult:
    rt = load_runtime(service, kafka, database_url, sleutels)
    job = rt.replay(batch_size=batch_size)

    async def go() -> ReplayResult:
        try:
            if not show_progress:
                return await job.run(since=since, restart=restart, switch=switch)
            with Progress(
                TextColumn("[bold]{task.description}"),
                BarColumn(),
                TextColumn("{task.completed:,.0f} events"),
                TextColumn("{task.fields[rate]:,.0f}/s"),
                TextColumn("lag {task.fields[lag]:,}"),
                TextColumn("ETA {task.fields[eta]}"),
                TimeElapsedColumn(),
            ) as bar:
                task = bar.add_task(f"replay {service}", total=None, rate=0.0, lag=0, eta="?")

                def show(p: ReplayProgress) -> None:
                    eta = "-" if p.caught_up else (f"{p.eta_seconds:.0f}s" if p.eta_seconds is not None else "?")
                    bar.update(task, completed=p.applied, total=p.applied + p.lag, rate=p.rate, lag=p.lag, eta=eta)

                return await job.run(since=since, restart=restart, switch=switch, on_progress=show)
        finally:
            await rt.engine.dispose()

    return asyncio.run(go())
