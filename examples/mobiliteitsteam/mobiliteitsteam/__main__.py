"""Run the mobility team's consumer: `python -m mobiliteitsteam --regio rijnmond`, with the connection settings
that `werkkloket mobiliteitsteam toevoegen rijnmond` printed in the environment (KAFKA_BOOTSTRAP_SERVERS,
KAFKA_USERNAME, KAFKA_PASSWORD, KAFKA_CA_FILE): TLS and SCRAM-SHA-512, as the team's own read-only principal.

Joins its own consumer group, reads the Werkkloket topics, keeps the events of its own arbeidsmarktregio and
writes its overview as JSON after every batch. The Werkkloket services don't know it exists.
"""

from __future__ import annotations

import asyncio
import json
import logging
import signal
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from aiokafka import AIOKafkaConsumer
from aiokafka.helpers import create_ssl_context
from werkkloket_contracts import AANMELDINGEN, PLAATSINGEN, TOEWIJZINGEN, DecodeError, decode

from .overzicht import Overzicht, van_dict

log = logging.getLogger("mobiliteitsteam")


@dataclass(frozen=True)
class Verbinding:
    bootstrap: str
    gebruiker: str
    wachtwoord: str
    ca: Path

    def client(self) -> dict[str, Any]:
        return {
            "bootstrap_servers": self.bootstrap,
            "security_protocol": "SASL_SSL",
            "sasl_mechanism": "SCRAM-SHA-512",
            "sasl_plain_username": self.gebruiker,
            "sasl_plain_password": self.wachtwoord,
            "ssl_context": create_ssl_context(cafile=str(self.ca)),
        }


async def run(verbinding: Verbinding, regio: str, group: str, begin: str, uitvoer: Path) -> None:
    consumer = AIOKafkaConsumer(
        AANMELDINGEN.name,
        TOEWIJZINGEN.name,
        PLAATSINGEN.name,
        **verbinding.client(),
        group_id=group,
        auto_offset_reset=begin,  # "earliest": the whole history; "latest": from now on
        enable_auto_commit=False,
    )
    overzicht = van_dict(json.loads(uitvoer.read_text())) if uitvoer.exists() else Overzicht(regio)
    if overzicht.regio != regio:
        raise SystemExit(f"{uitvoer} holds the overview of {overzicht.regio}, not {regio}")
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    await consumer.start()
    try:
        while not stop.is_set():
            batches = await consumer.getmany(timeout_ms=500, max_records=500)
            for records in batches.values():
                for record in records:
                    try:
                        env = decode(record.headers, record.value)
                    except DecodeError as exc:
                        # A newer event type, or garbage: not ours to fix; note it and go on.
                        log.info("skipped %s[%d]@%d: %s", record.topic, record.partition, record.offset, exc.reason)
                        continue
                    overzicht.verwerk(env)
            if batches:
                tmp = uitvoer.with_suffix(".tmp")
                tmp.write_text(json.dumps(overzicht.als_dict(), indent=2) + "\n")
                tmp.replace(uitvoer)
                await consumer.commit()  # after the overview is written: at least once
    finally:
        await consumer.stop()


class Vanaf(StrEnum):
    begin = "begin"  # the whole history
    nu = "nu"  # from now on


def main(
    regio: Annotated[str, typer.Option(help="arbeidsmarktregio code, e.g. rijnmond")],
    bootstrap: Annotated[str, typer.Option(envvar="KAFKA_BOOTSTRAP_SERVERS", help="Kafka bootstrap servers")],
    gebruiker: Annotated[str, typer.Option(envvar="KAFKA_USERNAME", help="the team's principal")],
    wachtwoord: Annotated[str, typer.Option(envvar="KAFKA_PASSWORD", help="its password", show_default=False)],
    ca: Annotated[Path, typer.Option(envvar="KAFKA_CA_FILE", help="the bus's CA certificate (PEM)")],
    group: Annotated[
        str | None, typer.Option(help="consumer group, starting with the principal's name (default: the principal)")
    ] = None,
    vanaf: Annotated[Vanaf, typer.Option(help="start of the log, or from now")] = Vanaf.begin,
    uitvoer: Annotated[Path, typer.Option(help="where the overview is written")] = Path("overzicht.json"),
) -> None:
    """Follow the Werkkloket topics with the team's own consumer group and write the region's overview."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    begin = "earliest" if vanaf is Vanaf.begin else "latest"
    verbinding = Verbinding(bootstrap, gebruiker, wachtwoord, ca)
    asyncio.run(run(verbinding, regio, group or gebruiker, begin, uitvoer))


if __name__ == "__main__":
    typer.run(main)
