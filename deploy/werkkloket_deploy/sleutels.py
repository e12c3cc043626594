"""Intake's keys file (WERKKLOKET_SLEUTELS_FILE): its key-encryption key and HMAC key, made once where a launcher
keeps its state and kept from then on. Lose it and the BSNs in the database can no longer be read: it lives as
long as the database does.

Every launcher (`werkkloket up`, the test stacks, the benchmark, `werkkloket compose secrets`) calls
`sleutelbestand`; `start_service` hands the file to the services that use it (`GEBRUIKERS`) and to no other.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from werkkloket_runtime.settings import SLEUTELS_ENV
from werkkloket_runtime.versleuteling import Sleutels, lees_sleutels

from .paths import RUN_DIR

# The services that encrypt personal data at rest.
GEBRUIKERS: tuple[str, ...] = ("intake",)
# The local stack's keys (`werkkloket up`), next to its other state.
LOKAAL: Path = RUN_DIR / "sleutels" / "intake.json"


def sleutelbestand(standaard: Path) -> Path:
    """The keys file WERKKLOKET_SLEUTELS_FILE names, else `standaard`: made (mode 600, in a directory of mode 700)
    when missing, checked when present; never replaced."""
    path = Path(os.environ.get(SLEUTELS_ENV) or standaard)
    if not path.exists():
        maak(path)
    lees_sleutels(path)  # says what is wrong with it
    return path


def maak(path: Path) -> None:
    """New keys at `path`, written completely before the name appears; an existing file stays as it is (also when
    another process made it first)."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        os.write(fd, Sleutels.nieuw().json().encode())
        os.fsync(fd)
    finally:
        os.close(fd)
    try:
        with contextlib.suppress(FileExistsError):  # keys are never overwritten
            os.link(tmp, path)
    finally:
        tmp.unlink()
