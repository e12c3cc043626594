"""PostgreSQL without Docker: the machine's server binaries, one server per base directory.

The server's data, socket and log live outside the clone, in a directory of their own under /var/tmp (named by a
hash of the base directory's resolved path, owned by the account that runs the server, mode 700). Running as root,
PostgreSQL runs as `postgres`, which often cannot enter the clone (e.g. under a root's home, mode 700). The same
base directory finds the same server and data again, after a stop or a restart of the stack.
"""

from __future__ import annotations

import hashlib
import os
import pwd
import shutil
import stat
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from .processes import ProvisionError, free_port, log_tail, pid_alive, run_checked, stop_pid

PG_ROOT = Path("/usr/lib/postgresql")
PG_DB = PG_USER = PG_PASSWORD = "werkkloket"
HOME_PREFIX = "werkkloket-pg-"
# Where the servers' homes are made: set it to a directory PostgreSQL's account can enter.
HOMES_ENV = "WERKKLOKET_POSTGRES_HOMES"


def _pg_versions() -> list[Path]:
    found = [p for p in PG_ROOT.glob("*/bin") if (p / "initdb").exists() and p.parent.name.isdigit()]
    return sorted(found, key=lambda p: int(p.parent.name))


def _install_postgres() -> None:
    """Debian's `postgresql` package (we are root)."""
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for cmd in (["apt-get", "update"], ["apt-get", "install", "-y", "postgresql"]):
        result = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
        if result.returncode != 0:
            raise ProvisionError(f"`{' '.join(cmd)}` failed:\n{(result.stdout + result.stderr)[-4000:]}")


def _pg_bin() -> Path:
    """The bin directory of the newest installed PostgreSQL; installs Debian's package when root."""
    versions = _pg_versions()
    if not versions and os.geteuid() == 0 and shutil.which("apt-get"):
        _install_postgres()
        versions = _pg_versions()
    if not versions:
        raise ProvisionError(
            f"no PostgreSQL server found under {PG_ROOT}/<version>/bin; install it (`apt-get install postgresql`)"
            " or set DATABASE_URL to an existing server"
        )
    return versions[-1]


def _pg_bin_for(data_dir: Path) -> Path:
    """The bin directory matching the major version that created `data_dir`."""
    version = (data_dir / "PG_VERSION").read_text().strip() if (data_dir / "PG_VERSION").exists() else ""
    candidate = PG_ROOT / version / "bin"
    return candidate if version and (candidate / "pg_ctl").exists() else _pg_bin()


def _pg_user() -> str | None:
    """The account that runs PostgreSQL when we are root (it refuses root); None: run as ourselves."""
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "nobody"):
        try:
            pwd.getpwnam(name)
            return name
        except KeyError:
            continue
    raise ProvisionError("running as root, but there is neither a `postgres` nor a `nobody` account to run PostgreSQL")


def _as_user(user: str | None, cmd: list[str]) -> list[str]:
    if user is None:
        return cmd
    runuser = shutil.which("runuser") or "/usr/sbin/runuser"
    if not Path(runuser).exists():
        raise ProvisionError("running as root needs `runuser` (util-linux) to start PostgreSQL unprivileged")
    return [runuser, "-u", user, "--", *cmd]


def _owner_as_user(path: Path) -> str | None:
    """Whom to run pg_ctl as for an existing data dir: its owner when we are root."""
    if os.geteuid() != 0:
        return None
    return pwd.getpwuid(path.stat().st_uid).pw_name


# --- the server's home, outside the clone ---------------------------------------------------------------------


def _homes_dir() -> Path:
    configured = os.environ.get(HOMES_ENV)
    if configured:
        return Path(configured)
    return next((p for p in (Path("/var/tmp"), Path("/tmp")) if p.is_dir()), Path("/tmp"))


def postgres_home(base_dir: Path) -> Path:
    """The directory with the data, socket and log of the server of `base_dir`: the same for the same path."""
    digest = hashlib.sha256(str(base_dir.resolve()).encode()).hexdigest()[:16]
    return _homes_dir() / f"{HOME_PREFIX}{digest}"


def _can_traverse(path: Path, user: pwd.struct_passwd) -> bool:
    st = path.stat()
    if st.st_uid == user.pw_uid:
        return bool(st.st_mode & stat.S_IXUSR)
    if st.st_gid in os.getgrouplist(user.pw_name, user.pw_gid):
        return bool(st.st_mode & stat.S_IXGRP)
    return bool(st.st_mode & stat.S_IXOTH)


def _check_traversable(home: Path, user: str) -> None:
    account = pwd.getpwnam(user)
    for parent in reversed(home.parents):
        if not _can_traverse(parent, account):
            raise ProvisionError(
                f"PostgreSQL runs as `{user}`, who cannot enter {parent} (mode {stat.filemode(parent.stat().st_mode)});"
                f" set {HOMES_ENV} to a directory `{user}` can enter (default /var/tmp)"
            )


def _own(path: Path, uid: int, gid: int) -> None:
    """Make `path` (a real directory, not a link) ours or the server account's, mode 700."""
    st = path.lstat()
    if not stat.S_ISDIR(st.st_mode):
        raise ProvisionError(f"{path} is not a directory; remove it")
    if st.st_uid not in (uid, os.geteuid()):
        raise ProvisionError(f"{path} belongs to uid {st.st_uid}, not to uid {uid}; remove it")
    if (st.st_uid, st.st_gid) != (uid, gid):
        os.chown(path, uid, gid, follow_symlinks=False)
    os.chmod(path, 0o700, follow_symlinks=False)


def _prepare_home(home: Path, user: str | None) -> None:
    """Create the home and its socket dir, owned by the account that runs the server, mode 700."""
    if user is not None:
        _check_traversable(home, user)
        account = pwd.getpwnam(user)
        uid, gid = account.pw_uid, account.pw_gid
    else:
        uid, gid = os.geteuid(), os.getegid()
    home.parent.mkdir(parents=True, exist_ok=True)
    for path in (home, home / "sock"):
        path.mkdir(mode=0o700, exist_ok=True)
        _own(path, uid, gid)


# --- running servers ------------------------------------------------------------------------------------------


def _postmaster(data_dir: Path) -> tuple[int, int] | None:
    """(pid, port) of the postmaster running on `data_dir`, if any."""
    pid_file = data_dir / "postmaster.pid"
    try:
        lines = pid_file.read_text().splitlines()
        pid, port = int(lines[0]), int(lines[3])
    except (OSError, IndexError, ValueError):
        return None
    return (pid, port) if pid_alive(pid) else None


def _remove_stale_pid_file(data_dir: Path) -> None:
    """Drop postmaster.pid left by a killed server. PostgreSQL itself treats a zombie postmaster (no init reaps
    orphans in some sandboxes) as running and would refuse to start."""
    pid_file = data_dir / "postmaster.pid"
    try:
        pid = int(pid_file.read_text().splitlines()[0])
    except (OSError, IndexError, ValueError):
        return
    if not pid_alive(pid):
        pid_file.unlink(missing_ok=True)


@dataclass
class PostgresServer:
    url: str
    port: int
    pid: int
    data_dir: Path

    @classmethod
    def from_state(cls, state: dict[str, Any]) -> PostgresServer:
        """Rebuild from what the CLI saved: url, pid, data_dir (port comes from the url when absent)."""
        url = str(state["url"])
        port = int(state.get("port") or urlsplit(url).port or 5432)
        return cls(url=url, port=port, pid=int(state["pid"]), data_dir=Path(state["data_dir"]))

    @property
    def dsn(self) -> str:
        """The plain libpq/asyncpg form of `url`."""
        return self.url.replace("postgresql+asyncpg://", "postgresql://", 1)

    @property
    def home(self) -> Path:
        """The directory with the data dir, the socket dir and the server log."""
        return self.data_dir.parent

    @property
    def log_file(self) -> Path:
        return self.home / "server.log"

    def alive(self) -> bool:
        return pid_alive(self.pid)

    def stop(self, timeout: float = 30) -> None:
        """`pg_ctl stop -m fast` as the account that owns the data dir; signals to the pid as a fallback."""
        if not pid_alive(self.pid):
            return
        try:
            pg_ctl = str(_pg_bin_for(self.data_dir) / "pg_ctl")
            cmd = [pg_ctl, "-D", str(self.data_dir), "-m", "fast", "-w", "-t", str(int(timeout)), "stop"]
            run_checked(_as_user(_owner_as_user(self.data_dir), cmd), "pg_ctl stop", self.home, timeout + 10)
        except (ProvisionError, OSError):
            pass
        stop_pid(self.pid, timeout=timeout)

    def remove(self, timeout: float = 30) -> None:
        """Stop the server and delete its home: data, socket and log."""
        self.stop(timeout=timeout)
        if self.home.name.startswith(HOME_PREFIX):
            shutil.rmtree(self.home, ignore_errors=True)


def remove_postgres(base_dir: Path, timeout: float = 30) -> None:
    """Stop the server of `base_dir` if one runs, and delete its data, socket and log."""
    home = postgres_home(base_dir)
    running = _postmaster(home / "data")
    if running is not None:
        PostgresServer(url="", port=running[1], pid=running[0], data_dir=home / "data").stop(timeout=timeout)
    shutil.rmtree(home, ignore_errors=True)


_CREATE_ROLE_AND_DB = f"""\
SELECT 'CREATE ROLE {PG_USER} LOGIN PASSWORD ''{PG_PASSWORD}'''
 WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{PG_USER}') \\gexec
SELECT 'CREATE DATABASE {PG_DB} OWNER {PG_USER}'
 WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = '{PG_DB}') \\gexec
"""


def _launch(home: Path, user: str | None, port: int | None, timeout: float) -> tuple[Path, int, int]:
    """Initialise the data dir once and start the server: (bin dir, pid, port)."""
    data_dir, sock_dir, log_file = home / "data", home / "sock", home / "server.log"
    if not (data_dir / "PG_VERSION").exists():
        bin_dir = _pg_bin()
        shutil.rmtree(data_dir, ignore_errors=True)  # a half-made data dir from an interrupted initdb
        initdb = [str(bin_dir / "initdb"), "-D", str(data_dir), "-U", "postgres", "-A", "trust"]
        run_checked(_as_user(user, [*initdb, "-E", "UTF8", "--no-locale"]), "initdb", home, timeout)
    else:
        bin_dir = _pg_bin_for(data_dir)
        _remove_stale_pid_file(data_dir)
    port = port if port is not None else free_port()
    if len(str(sock_dir / f".s.PGSQL.{port}").encode()) > 107:
        raise ProvisionError(f"socket path under {sock_dir} is too long for a Unix socket; set a shorter {HOMES_ENV}")
    options = f"-p {port} -c listen_addresses=127.0.0.1 -k {sock_dir} -c max_connections=200 -c fsync=on"
    pg_ctl = [str(bin_dir / "pg_ctl"), "-D", str(data_dir), "-l", str(log_file), "-w", "-t", str(int(timeout))]
    try:
        run_checked(_as_user(user, [*pg_ctl, "-o", options, "start"]), "pg_ctl start", home, timeout + 10)
    except ProvisionError as exc:
        raise ProvisionError(f"{exc}\nserver log {log_file}:\n{log_tail(log_file)}") from exc
    started = _postmaster(data_dir)
    if started is None:
        raise ProvisionError(f"PostgreSQL did not stay up; server log {log_file}:\n{log_tail(log_file)}")
    return bin_dir, started[0], port


def start_postgres(base_dir: Path, port: int | None = None, timeout: float = 60) -> PostgresServer:
    """Start (initialising once) the PostgreSQL server of `base_dir`, with role and database `werkkloket`;
    re-uses a server that already runs on its data dir. Its state lives in `postgres_home(base_dir)`."""
    user = _pg_user()
    home = postgres_home(base_dir)
    _prepare_home(home, user)
    data_dir = home / "data"
    running = _postmaster(data_dir)
    if running is not None:
        pid, running_port = running
        if port is not None and port != running_port:
            raise ProvisionError(f"PostgreSQL already runs on {data_dir} at port {running_port}, not {port}")
        bin_dir, port = _pg_bin_for(data_dir), running_port
    else:
        bin_dir, pid, port = _launch(home, user, port, timeout)

    psql = [str(bin_dir / "psql"), "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", str(home / "sock"), "-p", str(port)]
    psql += ["-U", "postgres", "-d", "postgres", "-f", "-"]
    server = PostgresServer(
        url=f"postgresql+asyncpg://{PG_USER}:{PG_PASSWORD}@127.0.0.1:{port}/{PG_DB}",
        port=port,
        pid=pid,
        data_dir=data_dir,
    )
    try:
        run_checked(_as_user(user, psql), "creating role and database werkkloket", home, timeout, _CREATE_ROLE_AND_DB)
    except BaseException:
        if running is None:
            server.stop(timeout=10)
        raise
    return server
