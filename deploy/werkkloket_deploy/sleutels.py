"""The services' keys files (WERKKLOKET_SLEUTELS_FILE), made once where a launcher keeps its state and kept from
then on: intake's (its key-encryption key and HMAC key, and the wrapping key of every service it publishes
persons' keys for) and, next to it, one per receiving service (`<service>.json`: its wrapping key). Lose intake's
and the BSNs in the database can no longer be read: it lives as long as the database does.

Every launcher (`werkkloket up`, the test stacks, the benchmark, `werkkloket compose secrets`) calls
`sleutelbestand` with intake's path; `start_service` hands each service its own file (`bestand_van`).
"""

from __future__ import annotations

import contextlib
import os
from dataclasses import replace
from pathlib import Path

from werkkloket_contracts import SLEUTELS
from werkkloket_runtime.settings import SLEUTELS_ENV
from werkkloket_runtime.versleuteling import Sleutels, lees_sleutels

from .paths import RUN_DIR

# The services that get a keys file: intake, which encrypts, and those it wraps persons' keys for.
ONTVANGERS: tuple[str, ...] = SLEUTELS.consumers
GEBRUIKERS: tuple[str, ...] = (SLEUTELS.producer, *ONTVANGERS)
# The local stack's keys (`werkkloket up`), next to its other state.
LOKAAL: Path = RUN_DIR / "sleutels" / "intake.json"


def sleutelbestand(standaard: Path) -> Path:
    """The keys file WERKKLOKET_SLEUTELS_FILE names, else `standaard`: made (mode 600, in a directory of mode 700)
    when missing, checked when present; never replaced."""
    path = Path(os.environ.get(SLEUTELS_ENV) or standaard)
    zorg_voor(path)
    return path


def zorg_voor(path: Path) -> None:
    """Intake's keys file at `path` and every receiving service's next to it: made when missing, checked when
    present; intake's learns the receivers' wrapping keys."""
    if not path.exists():
        maak(path)
    intake = lees_sleutels(path)  # says what is wrong with it
    ontvangers = {}
    for dienst in ONTVANGERS:
        eigen = bestand_van(path, dienst)
        if not eigen.exists():
            maak(eigen)
        ontvangers[dienst] = lees_sleutels(eigen).kek
    if intake.ontvangers != ontvangers:
        # Intake learns the receivers' wrapping keys; its own keys stay what they are.
        _schrijf(path, replace(intake, ontvangers=ontvangers), vervang=True)


def bestand_van(intake: Path, dienst: str) -> Path:
    """A service's keys file, next to intake's."""
    return intake if dienst == SLEUTELS.producer else intake.with_name(f"{dienst}.json")


def maak(path: Path) -> None:
    """New keys at `path`, written completely before the name appears; an existing file stays as it is (also when
    another process made it first)."""
    _schrijf(path, Sleutels.nieuw(), vervang=False)


def _schrijf(path: Path, sleutels: Sleutels, *, vervang: bool) -> None:
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        os.write(fd, sleutels.json().encode())
        os.fsync(fd)
    finally:
        os.close(fd)
    try:
        if vervang:
            os.replace(tmp, path)
            return
        with contextlib.suppress(FileExistsError):  # keys are never overwritten
            os.link(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
