"""Where the clone lies, and where a local stack keeps its state in it."""

from __future__ import annotations

from pathlib import Path

REPO_ROOT: Path = Path(__file__).resolve().parents[2]
RUN_DIR: Path = REPO_ROOT / ".run"
