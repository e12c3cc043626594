"""PostgreSQL without Docker: the machine's server binaries, one server per base directory.

The server's data, socket and log live outside the clone, in a directory of their own under /var/tmp (named by a
hash of the base directory's resolved path, owned by the account that runs the server, mode 700). Running as root,
PostgreSQL runs as `postgres`, which often cannot enter the clone (e.g. under a root's home, mode 700). The same
base directory finds the same server and data again, after a stop or a restart of the stack.

No connection without a password: initdb sets SCRAM for local and host connections and a generated password for
the superuser `postgres`. Every password is generated here and kept in `secrets.json` in the server's home
(mode 600, owned by the account that provisions; the server does not need it), so the same base directory finds
the same passwords again. Roles, schemas and grants: see `roles`.
"""

from __future__ import annotations

import hashlib
import json
import os
import pwd
import shutil
import stat
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import asyncpg

from ..bus.secrets import write_private
from .processes import ProvisionError, free_port, log_tail, pid_alive, run_checked, stop_pid
from .roles import SERVICE_SCHEMAS, new_password, role_url, run_sync, setup_roles

PG_ROOT = Path("/usr/lib/postgresql")
PG_DB = "werkkloket"
ADMIN_USER = "postgres"  # the superuser initdb creates
HOME_PREFIX = "werkkloket-pg-"
SECRETS_FILE = "secrets.json"  # in the server's home: role -> password
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
    port: int
    pid: int
    data_dir: Path

    @classmethod
    def from_state(cls, state: dict[str, Any]) -> PostgresServer:
        """Rebuild from what the CLI saved: pid, port and data_dir (an older state has the port in its url)."""
        port = int(state.get("port") or urlsplit(str(state.get("url", ""))).port or 5432)
        return cls(port=port, pid=int(state["pid"]), data_dir=Path(state["data_dir"]))

    def state(self) -> dict[str, Any]:
        """What the CLI keeps to find this server again (no secrets)."""
        return {"pid": self.pid, "port": self.port, "data_dir": str(self.data_dir)}

    def secrets(self) -> dict[str, str]:
        """Role -> password, from the server's home."""
        return _read_secrets(self.home)

    @property
    def admin_url(self) -> str:
        """The superuser's URL (provisioning, and tests that look across schemas)."""
        password = self.secrets()[ADMIN_USER]
        return role_url(f"postgresql+asyncpg://{ADMIN_USER}@127.0.0.1:{self.port}/{PG_DB}", ADMIN_USER, password)

    @property
    def admin_dsn(self) -> str:
        """The plain libpq/asyncpg form of `admin_url`."""
        return self.admin_url.replace("postgresql+asyncpg://", "postgresql://", 1)

    def url_for(self, service: str) -> str:
        """The URL of a service's own role."""
        if service not in SERVICE_SCHEMAS:
            raise KeyError(f"no database role for {service!r}")
        return role_url(self.admin_url, service, self.secrets()[service])

    def service_urls(self) -> dict[str, str]:
        return {service: self.url_for(service) for service in SERVICE_SCHEMAS}

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
        PostgresServer(port=running[1], pid=running[0], data_dir=home / "data").stop(timeout=timeout)
    shutil.rmtree(home, ignore_errors=True)


# --- secrets ------------------------------------------------------------------------------------------------


def _read_secrets(home: Path) -> dict[str, str]:
    try:
        data: dict[str, str] = json.loads((home / SECRETS_FILE).read_text())
    except FileNotFoundError:
        raise ProvisionError(f"no {SECRETS_FILE} in {home}: start the server with `werkkloket up`") from None
    return data


def _new_secrets() -> dict[str, str]:
    return {role: new_password() for role in (ADMIN_USER, *SERVICE_SCHEMAS)}


def unlocked_reason(home: Path) -> str | None:
    """Why an initialised data dir may not be used as it is: made before passwords (trust), or its secrets lost."""
    data_dir = home / "data"
    if not (data_dir / "PG_VERSION").exists():
        return None
    try:
        hba = (data_dir / "pg_hba.conf").read_text()
    except OSError:
        return "its pg_hba.conf cannot be read"
    rules = (line.split("#", 1)[0].split() for line in hba.splitlines())
    if any("trust" in fields for fields in rules):
        return "it was initialised without passwords (trust in pg_hba.conf)"
    if not (home / SECRETS_FILE).exists():
        return f"its passwords ({SECRETS_FILE}) are missing"
    return None


def _reinit_if_unlocked(home: Path) -> None:
    """A server home made before passwords were used holds only demo data: stop it and start afresh."""
    reason = unlocked_reason(home)
    if reason is None:
        return
    print(
        f"PostgreSQL in {home} cannot be used as it is: {reason}. It holds only demo data:"
        " removing it and initialising it again, with a password for every role.",
        file=sys.stderr,
        flush=True,
    )
    data_dir = home / "data"
    running = _postmaster(data_dir)
    if running is not None:
        PostgresServer(port=running[1], pid=running[0], data_dir=data_dir).stop(timeout=30)
    shutil.rmtree(data_dir)


def _initdb(home: Path, user: str | None, bin_dir: Path, timeout: float) -> None:
    """initdb with SCRAM for every connection and a fresh superuser password (its pwfile lives only meanwhile)."""
    data_dir = home / "data"
    secrets = _new_secrets()
    write_private(home / SECRETS_FILE, json.dumps(secrets, indent=2) + "\n")
    # initdb reads the pwfile as the account it runs as: give it that account, in the home only it can enter.
    pwfile = home / "initdb-password"
    owner = (pwd.getpwnam(user).pw_uid, pwd.getpwnam(user).pw_gid) if user is not None else None
    write_private(pwfile, secrets[ADMIN_USER], owner)
    try:
        initdb = [str(bin_dir / "initdb"), "-D", str(data_dir), "-U", ADMIN_USER, f"--pwfile={pwfile}"]
        initdb += ["--auth-local=scram-sha-256", "--auth-host=scram-sha-256", "-E", "UTF8", "--no-locale"]
        run_checked(_as_user(user, initdb), "initdb", home, timeout)
    finally:
        pwfile.unlink(missing_ok=True)


async def _create_database_and_roles(server: PostgresServer) -> None:
    """The database (once), then the roles, schemas and grants (every start: idempotent, one connection)."""
    secrets = server.secrets()
    try:
        await setup_roles(server.admin_url, secrets)
        return
    except asyncpg.InvalidCatalogNameError:
        pass
    conn = await asyncpg.connect(server.admin_dsn.rsplit("/", 1)[0] + "/postgres")
    try:
        await conn.execute(f'CREATE DATABASE "{PG_DB}"')
    except asyncpg.DuplicateDatabaseError:
        pass  # made meanwhile by a concurrent start
    finally:
        await conn.close()
    await setup_roles(server.admin_url, secrets)


def _launch(home: Path, user: str | None, port: int | None, timeout: float) -> tuple[Path, int, int]:
    """Initialise the data dir once and start the server: (bin dir, pid, port)."""
    data_dir, sock_dir, log_file = home / "data", home / "sock", home / "server.log"
    if not (data_dir / "PG_VERSION").exists():
        bin_dir = _pg_bin()
        shutil.rmtree(data_dir, ignore_errors=True)  # a half-made data dir from an interrupted initdb
        _initdb(home, user, bin_dir, timeout)
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
    """Start (initialising once) the PostgreSQL server of `base_dir`, with database `werkkloket` and a role per
    service; re-uses a server that already runs on its data dir. Its state lives in `postgres_home(base_dir)`."""
    user = _pg_user()
    home = postgres_home(base_dir)
    _prepare_home(home, user)
    _reinit_if_unlocked(home)
    data_dir = home / "data"
    running = _postmaster(data_dir)
    if running is not None:
        pid, running_port = running
        if port is not None and port != running_port:
            raise ProvisionError(f"PostgreSQL already runs on {data_dir} at port {running_port}, not {port}")
        port = running_port
    else:
        _, pid, port = _launch(home, user, port, timeout)
    server = PostgresServer(port=port, pid=pid, data_dir=data_dir)
    try:
        run_sync(_create_database_and_roles(server))
    except BaseException as exc:
        if running is None:
            server.stop(timeout=10)
        if isinstance(exc, (OSError, asyncpg.PostgresError)):
            raise ProvisionError(f"setting up database {PG_DB} and its roles failed: {exc}") from exc
        raise
    return server
