"""Processes and ports of the servers: each stopped by its own pid, never by name."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
from pathlib import Path
from typing import Any

# A JVM that lives minutes (a tool, a test's server): the client compiler alone costs far less CPU than C2's
# compilations return in that time.
CLIENT_COMPILER_ONLY = "-XX:TieredStopAtLevel=1"


class ProvisionError(RuntimeError):
    """A server could not be provisioned, started or stopped."""


def free_port() -> int:
    """A TCP port on 127.0.0.1 that is free right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def port_free(port: int) -> bool:
    """Whether a server could bind 127.0.0.1:`port` now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        # As servers bind (SO_REUSEADDR): connections of a stopped server in TIME_WAIT do not block a restart.
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


def pid_alive(pid: int) -> bool:
    """Whether the process runs; a zombie (exited, not yet reaped) counts as gone."""
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:  # reap it if it is an exited child of ours
        done, _ = os.waitpid(pid, os.WNOHANG)
        if done == pid:
            return False
    except ChildProcessError:
        pass
    try:  # an orphan nobody reaps (no init in some sandboxes) stays a zombie
        stat_line = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    except OSError:
        return True
    return stat_line.rsplit(")", 1)[-1].split()[0] != "Z"


def _wait_gone(pid: int, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while pid_alive(pid):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def stop_pid(pid: int, timeout: float = 30, sig: int = signal.SIGTERM) -> None:
    """Signal that one process (never a name match), wait up to `timeout`, then SIGKILL it."""
    for signum, wait in ((sig, timeout), (signal.SIGKILL, 10.0)):
        if not pid_alive(pid):
            return
        try:
            os.kill(pid, signum)
        except ProcessLookupError:
            return
        if _wait_gone(pid, wait):
            return
    raise ProvisionError(f"process {pid} survived SIGKILL")


def log_tail(path: Path | None, chars: int = 4000) -> str:
    """The end of a log file, for an error message."""
    if path is None or not path.exists():
        return ""
    return path.read_text(errors="replace")[-chars:]


def wait_for_port(
    host: str,
    port: int,
    timeout: float,
    proc: subprocess.Popen[Any] | None = None,
    log_file: Path | None = None,
) -> None:
    """Wait until host:port accepts TCP; fail fast when `proc` exited, with the tail of `log_file`."""
    deadline = time.monotonic() + timeout
    while True:
        if proc is not None and proc.poll() is not None:
            raise ProvisionError(
                f"process {proc.pid} exited with code {proc.returncode} before {host}:{port} opened;"
                f" log {log_file}:\n{log_tail(log_file)}"
            )
        try:
            with socket.create_connection((host, port), timeout=1):
                return
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise ProvisionError(f"{host}:{port} not open after {timeout:.0f}s; log {log_file}:\n{log_tail(log_file)}")
        time.sleep(0.2)


def run_checked(cmd: list[str], what: str, cwd: Path, timeout: float, stdin: str | None = None) -> str:
    """Run a command to its end; its stdout, or a ProvisionError with the tail of its output."""
    try:
        result = subprocess.run(cmd, cwd=cwd, input=stdin, capture_output=True, text=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired as exc:
        raise ProvisionError(f"{what} timed out after {timeout:.0f}s") from exc
    if result.returncode != 0:
        raise ProvisionError(f"{what} failed (exit {result.returncode}):\n{(result.stdout + result.stderr)[-4000:]}")
    return result.stdout
