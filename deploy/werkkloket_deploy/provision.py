"""Provision real Apache Kafka (KRaft, from Maven Central jars) and PostgreSQL servers without Docker.

Used by the `werkkloket` command line and by the integration test fixtures. Every server binds 127.0.0.1, keeps
its state in a directory of its own (normally under `.run/`), and is stopped by its own pid, never by name.
"""

from __future__ import annotations

import os
import pwd
import re
import shutil
import signal
import socket
import stat
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

REPO_ROOT: Path = Path(__file__).resolve().parents[2]
RUN_DIR: Path = REPO_ROOT / ".run"
KAFKA_DIR: Path = REPO_ROOT / "deploy" / "kafka"
KAFKA_LIBS: Path = KAFKA_DIR / "libs"

PG_ROOT = Path("/usr/lib/postgresql")
PG_DB = PG_USER = PG_PASSWORD = "werkkloket"

# Kafka's root logger writes INFO to the console (= the log file); the chatty kafka/zookeeper loggers only WARN,
# except the lines that say the server started or stopped.
LOG4J2_PROPERTIES = """\
status = warn
name = werkkloket-kafka

appender.console.type = Console
appender.console.name = STDOUT
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = [%d] %p %m (%c)%n

rootLogger.level = INFO
rootLogger.appenderRef.stdout.ref = STDOUT

logger.kafka.name = kafka
logger.kafka.level = WARN
logger.zookeeper.name = org.apache.zookeeper
logger.zookeeper.level = WARN
logger.raftserver.name = kafka.server.KafkaRaftServer
logger.raftserver.level = INFO
logger.brokerserver.name = kafka.server.BrokerServer
logger.brokerserver.level = INFO
logger.config.name = org.apache.kafka.common.config.AbstractConfig
logger.config.level = WARN
"""


class ProvisionError(RuntimeError):
    """A server could not be provisioned, started or stopped."""


# --- processes and ports ---------------------------------------------------------------------------------------


def free_port() -> int:
    """A TCP port on 127.0.0.1 that is free right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _port_free(port: int) -> bool:
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


def stop_pid(pid: int, timeout: float = 30, sig: int = signal.SIGTERM) -> None:
    """Signal that one process (never a name match), wait up to `timeout`, then SIGKILL it."""
    if not pid_alive(pid):
        return
    try:
        os.kill(pid, sig)
    except ProcessLookupError:
        return
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not pid_alive(pid):
            return
        time.sleep(0.1)
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        return
    deadline = time.monotonic() + 10
    while pid_alive(pid):
        if time.monotonic() > deadline:
            raise ProvisionError(f"process {pid} survived SIGKILL")
        time.sleep(0.05)


def _tail(path: Path | None, chars: int = 4000) -> str:
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
                f" log {log_file}:\n{_tail(log_file)}"
            )
        try:
            with socket.create_connection((host, port), timeout=1):
                return
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise ProvisionError(f"{host}:{port} not open after {timeout:.0f}s; log {log_file}:\n{_tail(log_file)}")
        time.sleep(0.2)


# --- Apache Kafka ----------------------------------------------------------------------------------------------


def ensure_kafka_jars() -> Path:
    """The folder with Kafka's runtime jars; fetched from Maven Central on first use."""
    if any(KAFKA_LIBS.glob("kafka_2.13-*.jar")):
        return KAFKA_LIBS
    mvn = shutil.which("mvn")
    if mvn is None:
        raise ProvisionError("Maven (`mvn`) is needed once to fetch the Kafka jars from Maven Central; install it")
    cmd = [mvn, "-q", "-B", "-f", str(KAFKA_DIR / "pom.xml"), "dependency:copy-dependencies"]
    result = subprocess.run(cmd, cwd=REPO_ROOT, capture_output=True, text=True, check=False)
    if result.returncode != 0 or not any(KAFKA_LIBS.glob("kafka_2.13-*.jar")):
        output = (result.stdout + result.stderr)[-4000:]
        raise ProvisionError(f"`{' '.join(cmd)}` failed (exit {result.returncode}):\n{output}")
    return KAFKA_LIBS


def _java() -> str:
    java_home = os.environ.get("JAVA_HOME")
    if java_home and (Path(java_home) / "bin" / "java").exists():
        return str(Path(java_home) / "bin" / "java")
    java = shutil.which("java")
    if java is None:
        raise ProvisionError("Kafka needs Java 17 or newer (`java` not found; set JAVA_HOME or install a JRE)")
    return java


def _read_properties(path: Path) -> dict[str, str]:
    props: dict[str, str] = {}
    if path.exists():
        for line in path.read_text().splitlines():
            if line.strip() and not line.lstrip().startswith("#") and "=" in line:
                key, value = line.split("=", 1)
                props[key.strip()] = value.strip()
    return props


def _previous_port(props: dict[str, str], listener: str) -> int | None:
    match = re.search(rf"{listener}://127\.0\.0\.1:(\d+)", props.get("listeners", ""))
    return int(match.group(1)) if match else None


def _kafka_properties(port: int, controller_port: int, data_dir: Path) -> str:
    listeners = f"PLAINTEXT://127.0.0.1:{port},CONTROLLER://127.0.0.1:{controller_port}"
    settings = {
        # KRaft, one node that is broker and controller
        "process.roles": "broker,controller",
        "node.id": "1",
        "controller.quorum.bootstrap.servers": f"127.0.0.1:{controller_port}",
        "listeners": listeners,
        "advertised.listeners": listeners,
        "inter.broker.listener.name": "PLAINTEXT",
        "controller.listener.names": "CONTROLLER",
        "listener.security.protocol.map": "CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT",
        "log.dirs": str(data_dir),
        # topics are created explicitly by the services
        "auto.create.topics.enable": "false",
        "num.partitions": "6",
        "default.replication.factor": "1",
        "min.insync.replicas": "1",
        # internal topics on a single node
        "offsets.topic.replication.factor": "1",
        "offsets.topic.num.partitions": "1",
        "transaction.state.log.replication.factor": "1",
        "transaction.state.log.min.isr": "1",
        "share.coordinator.state.topic.replication.factor": "1",
        "share.coordinator.state.topic.min.isr": "1",
        # fast start-up, small heap
        "group.initial.rebalance.delay.ms": "0",
        "log.cleaner.dedupe.buffer.size": "33554432",
    }
    return "# Written by werkkloket_deploy.provision\n" + "".join(f"{k}={v}\n" for k, v in settings.items())


@dataclass
class KafkaServer:
    bootstrap_servers: str
    pid: int
    data_dir: Path
    log_file: Path
    _proc: subprocess.Popen[bytes] | None = field(default=None, repr=False, compare=False)

    def alive(self) -> bool:
        return pid_alive(self.pid)

    def stop(self, timeout: float = 30) -> None:
        """Controlled shutdown by SIGTERM to this broker's pid; SIGKILL after `timeout`."""
        stop_pid(self.pid, timeout=timeout)
        if self._proc is not None:
            self._proc.poll()  # let Popen know its child is gone


def start_kafka(
    base_dir: Path,
    port: int | None = None,
    controller_port: int | None = None,
    heap: str = "512m",
    timeout: float = 90,
) -> KafkaServer:
    """Start a single-node KRaft broker+controller with its state in `base_dir`; return once clients can connect."""
    libs = ensure_kafka_jars()
    java = _java()
    base_dir = base_dir.resolve()
    base_dir.mkdir(parents=True, exist_ok=True)
    data_dir = base_dir / "data"
    props_file = base_dir / "server.properties"
    log4j_file = base_dir / "log4j2.properties"
    log_file = base_dir / "kafka.log"

    # A formatted data dir records the controller's address: keep the previous ports unless told otherwise.
    previous = _read_properties(props_file)
    formatted = (data_dir / "meta.properties").exists()
    if port is None:
        old = _previous_port(previous, "PLAINTEXT") if formatted else None
        port = old if old is not None and _port_free(old) else free_port()
    if controller_port is None:
        old = _previous_port(previous, "CONTROLLER") if formatted else None
        controller_port = old if old is not None and _port_free(old) else free_port()
        while controller_port == port:
            controller_port = free_port()
    if port == controller_port:
        raise ProvisionError(f"Kafka's broker and controller ports must differ (both {port})")
    for p in (port, controller_port):
        if not _port_free(p):
            raise ProvisionError(f"port 127.0.0.1:{p} for Kafka is already in use")

    props_file.write_text(_kafka_properties(port, controller_port, data_dir))
    log4j_file.write_text(LOG4J2_PROPERTIES)
    classpath = f"{libs}/*"
    log4j_opt = f"-Dlog4j2.configurationFile={log4j_file}"

    if not formatted:  # format once per data dir, with a fresh cluster id
        tool = [java, "-Xmx256m", log4j_opt, "-cp", classpath, "kafka.tools.StorageTool"]
        uuid = subprocess.run([*tool, "random-uuid"], capture_output=True, text=True, check=False)
        cluster_id = uuid.stdout.strip().splitlines()[-1] if uuid.returncode == 0 and uuid.stdout.strip() else ""
        if not cluster_id:
            raise ProvisionError(f"kafka-storage random-uuid failed:\n{(uuid.stdout + uuid.stderr)[-4000:]}")
        fmt = subprocess.run(
            [*tool, "format", "--standalone", "--ignore-formatted", "-t", cluster_id, "-c", str(props_file)],
            capture_output=True,
            text=True,
            check=False,
        )
        if fmt.returncode != 0:
            raise ProvisionError(f"kafka-storage format of {data_dir} failed:\n{(fmt.stdout + fmt.stderr)[-4000:]}")

    cmd = [
        java,
        f"-Xms{heap}",
        f"-Xmx{heap}",
        "-XX:+UseG1GC",
        "-Djava.awt.headless=true",
        log4j_opt,
        "-cp",
        classpath,
        "kafka.Kafka",
        str(props_file),
    ]
    with log_file.open("ab") as log:
        proc = subprocess.Popen(
            cmd,
            cwd=base_dir,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    server = KafkaServer(f"127.0.0.1:{port}", proc.pid, data_dir, log_file, proc)
    try:
        # The PLAINTEXT port opens only once the broker is unfenced; the controller port opens earlier.
        wait_for_port("127.0.0.1", port, timeout, proc=proc, log_file=log_file)
    except BaseException:
        server.stop(timeout=10)
        raise
    return server


# --- PostgreSQL ------------------------------------------------------------------------------------------------


def _pg_versions() -> list[Path]:
    found = [p for p in PG_ROOT.glob("*/bin") if (p / "initdb").exists() and p.parent.name.isdigit()]
    return sorted(found, key=lambda p: int(p.parent.name))


def _pg_bin() -> Path:
    """The bin directory of the newest installed PostgreSQL; installs Debian's package when root."""
    versions = _pg_versions()
    if not versions and os.geteuid() == 0 and shutil.which("apt-get"):
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        for cmd in (["apt-get", "update"], ["apt-get", "install", "-y", "postgresql"]):
            result = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
            if result.returncode != 0:
                raise ProvisionError(f"`{' '.join(cmd)}` failed:\n{(result.stdout + result.stderr)[-4000:]}")
        versions = _pg_versions()
    if not versions:
        raise ProvisionError(
            f"no PostgreSQL server found under {PG_ROOT}/<version>/bin; install it (`apt-get install postgresql`)"
            " or set DATABASE_URL to an existing server"
        )
    return versions[-1]


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


def _can_traverse(path: Path, user: pwd.struct_passwd) -> bool:
    st = path.stat()
    if st.st_uid == user.pw_uid:
        return bool(st.st_mode & stat.S_IXUSR)
    if st.st_gid in os.getgrouplist(user.pw_name, user.pw_gid):
        return bool(st.st_mode & stat.S_IXGRP)
    return bool(st.st_mode & stat.S_IXOTH)


def _check_traversable(base_dir: Path, user: str) -> None:
    account = pwd.getpwnam(user)
    for parent in reversed(base_dir.parents):
        if not _can_traverse(parent, account):
            raise ProvisionError(
                f"PostgreSQL runs as `{user}`, who cannot enter {parent} (mode {stat.filemode(parent.stat().st_mode)});"
                f" put the data directory elsewhere (e.g. under the repository's .run/), not under {base_dir}"
            )


def _run(cmd: list[str], what: str, cwd: Path, timeout: float, stdin: str | None = None) -> str:
    try:
        result = subprocess.run(cmd, cwd=cwd, input=stdin, capture_output=True, text=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired as exc:
        raise ProvisionError(f"{what} timed out after {timeout:.0f}s") from exc
    if result.returncode != 0:
        raise ProvisionError(f"{what} failed (exit {result.returncode}):\n{(result.stdout + result.stderr)[-4000:]}")
    return result.stdout


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


def _pg_bin_for(data_dir: Path) -> Path:
    """The bin directory matching the major version that created `data_dir`."""
    version = (data_dir / "PG_VERSION").read_text().strip() if (data_dir / "PG_VERSION").exists() else ""
    candidate = PG_ROOT / version / "bin"
    return candidate if version and (candidate / "pg_ctl").exists() else _pg_bin()


def _owner_as_user(path: Path) -> str | None:
    """Whom to run pg_ctl as for an existing data dir: its owner when we are root."""
    if os.geteuid() != 0:
        return None
    return pwd.getpwuid(path.stat().st_uid).pw_name


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

    def alive(self) -> bool:
        return pid_alive(self.pid)

    def stop(self, timeout: float = 30) -> None:
        """`pg_ctl stop -m fast` as the account that owns the data dir; signals to the pid as a fallback."""
        if not pid_alive(self.pid):
            return
        try:
            pg_ctl = str(_pg_bin_for(self.data_dir) / "pg_ctl")
            cmd = [pg_ctl, "-D", str(self.data_dir), "-m", "fast", "-w", "-t", str(int(timeout)), "stop"]
            _run(_as_user(_owner_as_user(self.data_dir), cmd), "pg_ctl stop", self.data_dir.parent, timeout + 10)
        except (ProvisionError, OSError):
            pass
        stop_pid(self.pid, timeout=timeout)


_CREATE_ROLE_AND_DB = f"""\
SELECT 'CREATE ROLE {PG_USER} LOGIN PASSWORD ''{PG_PASSWORD}'''
 WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{PG_USER}') \\gexec
SELECT 'CREATE DATABASE {PG_DB} OWNER {PG_USER}'
 WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = '{PG_DB}') \\gexec
"""


def start_postgres(base_dir: Path, port: int | None = None, timeout: float = 60) -> PostgresServer:
    """Start (initialising once) a PostgreSQL server with its state in `base_dir`, with role and database
    `werkkloket`; re-uses a server that already runs on that data dir."""
    bin_dir = _pg_bin()
    user = _pg_user()
    base_dir = base_dir.resolve()
    base_dir.mkdir(parents=True, exist_ok=True)
    data_dir, sock_dir, log_file = base_dir / "data", base_dir / "sock", base_dir / "server.log"
    sock_dir.mkdir(exist_ok=True)
    if user is not None:
        _check_traversable(base_dir, user)
        account = pwd.getpwnam(user)
        for path in (base_dir, sock_dir):
            os.chown(path, account.pw_uid, account.pw_gid)
        if log_file.exists():
            os.chown(log_file, account.pw_uid, account.pw_gid)

    running = _postmaster(data_dir)
    if running is not None:
        pid, running_port = running
        if port is not None and port != running_port:
            raise ProvisionError(f"PostgreSQL already runs on {data_dir} at port {running_port}, not {port}")
        port = running_port
    else:
        if not (data_dir / "PG_VERSION").exists():
            shutil.rmtree(data_dir, ignore_errors=True)  # a half-made data dir from an interrupted initdb
            initdb = [str(bin_dir / "initdb"), "-D", str(data_dir), "-U", "postgres", "-A", "trust"]
            initdb += ["-E", "UTF8", "--no-locale"]
            _run(_as_user(user, initdb), "initdb", base_dir, timeout)
        else:
            bin_dir = _pg_bin_for(data_dir)
            _remove_stale_pid_file(data_dir)
        port = port if port is not None else free_port()
        if len(str(sock_dir / f".s.PGSQL.{port}").encode()) > 107:
            raise ProvisionError(f"socket path under {sock_dir} is too long for a Unix socket; use a shorter base_dir")
        options = f"-p {port} -c listen_addresses=127.0.0.1 -k {sock_dir} -c max_connections=200 -c fsync=on"
        pg_ctl = [str(bin_dir / "pg_ctl"), "-D", str(data_dir), "-l", str(log_file), "-w", "-t", str(int(timeout))]
        try:
            _run(_as_user(user, [*pg_ctl, "-o", options, "start"]), "pg_ctl start", base_dir, timeout + 10)
        except ProvisionError as exc:
            raise ProvisionError(f"{exc}\nserver log {log_file}:\n{_tail(log_file)}") from exc
        started = _postmaster(data_dir)
        if started is None:
            raise ProvisionError(f"PostgreSQL did not stay up; server log {log_file}:\n{_tail(log_file)}")
        pid = started[0]

    psql = [str(bin_dir / "psql"), "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", str(sock_dir), "-p", str(port)]
    psql += ["-U", "postgres", "-d", "postgres", "-f", "-"]
    server = PostgresServer(
        url=f"postgresql+asyncpg://{PG_USER}:{PG_PASSWORD}@127.0.0.1:{port}/{PG_DB}",
        port=port,
        pid=pid,
        data_dir=data_dir,
    )
    try:
        _run(_as_user(user, psql), "creating role and database werkkloket", base_dir, timeout, _CREATE_ROLE_AND_DB)
    except BaseException:
        if running is None:
            server.stop(timeout=10)
        raise
    return server


__all__ = [
    "REPO_ROOT",
    "RUN_DIR",
    "KafkaServer",
    "PostgresServer",
    "ProvisionError",
    "ensure_kafka_jars",
    "free_port",
    "pid_alive",
    "start_kafka",
    "start_postgres",
    "stop_pid",
    "wait_for_port",
]
