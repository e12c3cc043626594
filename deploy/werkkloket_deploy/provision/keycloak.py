"""Keycloak without Docker: the official distribution from Maven Central, run with a Java 21+ of the machine.

The distribution (`org.keycloak:keycloak-quarkus-dist`, a tar.gz of ~160 MB) is fetched once with Maven
(`deploy/keycloak/pom.xml`), unpacked into a cache OUTSIDE the clone (`cache_root()`, by default
`${XDG_CACHE_HOME:-$HOME/.cache}/werkkloket/keycloak-<version>`) and built there once for development mode, so a
fresh clone, every test run and `werkkloket up` start it without unpacking or building again.

Why not `kc.sh build`: it builds for the production profile only (it refuses `--profile=dev`), and `start-dev`
re-augments such a build on every start. The one-time build is therefore the re-augmentation that `start-dev`
itself does on a fresh distribution, stopped before the server would start (`_build`); later `start-dev`s with the
same build options (`BUILD_OPTIONS`) find it persisted and start at once ("Updating the configuration" is not in
their log).

Each server keeps its state in its own base directory: the dev-file (H2) database, the transaction log, the realms
to import at start (`import/`; a realm is imported only if it does not exist yet, so a fresh base is a fresh realm)
and the bootstrap admin's password (`admin.json`, mode 600). It binds 127.0.0.1, serves `/health/ready` on its
management port and is stopped by its pid (`kc.sh`, which passes SIGTERM on to its JVM).
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import re
import secrets
import shutil
import subprocess
import tarfile
import time
import zipfile
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from ..bus.secrets import write_private
from ..paths import REPO_ROOT
from .processes import CLIENT_COMPILER_ONLY, ProvisionError, free_port, log_tail, pid_alive, port_free, stop_pid

KEYCLOAK_DIR: Path = REPO_ROOT / "deploy" / "keycloak"
KEYCLOAK_POM: Path = KEYCLOAK_DIR / "pom.xml"
REALM = "werkkloket"
REALM_FILE: Path = KEYCLOAK_DIR / "realm-werkkloket.json"
# A second, minimal realm: tokens of another issuer, for the tests that they are refused.
OTHER_REALM = "werkkloket-anders"
OTHER_REALM_FILE: Path = KEYCLOAK_DIR / "realm-werkkloket-anders.json"

# Where the distribution is cached (the folder that holds keycloak-<version>/); default: see `cache_root`.
CACHE_ENV = "WERKKLOKET_KEYCLOAK_CACHE"
# Build options: persisted by the one-time build, and passed to every start-dev so that it does not build again.
BUILD_OPTIONS: tuple[str, ...] = ("--health-enabled=true",)
MIN_JAVA = 21
JVM_ROOT = Path("/usr/lib/jvm")
READY_MARKER = ".werkkloket-build.json"
REBUILD_LINE = "Updating the configuration and installing your custom providers"
ADMIN_USER = "werkkloket-admin"

# kc.sh starts the JVM a second time, with -Dkc.config.built=true first, once a build is done: the one-time build
# stops there instead of starting a server.
_BUILD_ONLY_JAVA = """#!/bin/sh
if [ "$1" = "-Dkc.config.built=true" ]; then exit 0; fi
exec '{java}' "$@"
"""


def keycloak_version() -> str:
    """The version in deploy/keycloak/pom.xml: one place to change it."""
    match = re.search(r"<keycloak\.version>([^<]+)</keycloak\.version>", KEYCLOAK_POM.read_text())
    if match is None:
        raise ProvisionError(f"no <keycloak.version> in {KEYCLOAK_POM}")
    return match.group(1).strip()


# --- Java 21+ -------------------------------------------------------------------------------------------------


def _java_major(java_home: Path) -> int | None:
    """The feature version of the JDK/JRE in `java_home` (its `release` file, else `java -version`)."""
    release = java_home / "release"
    if release.exists():
        match = re.search(r'^JAVA_VERSION="(\d+)(?:\.|")', release.read_text(), re.MULTILINE)
        if match:
            return int(match.group(1))
    java = java_home / "bin" / "java"
    if not java.exists():
        return None
    try:
        out = subprocess.run([str(java), "-version"], capture_output=True, text=True, timeout=30, check=False).stderr
    except (OSError, subprocess.TimeoutExpired):
        return None
    match = re.search(r'version "(\d+)(?:\.(\d+))?', out)
    if match is None:
        return None
    major = int(match.group(1))
    return int(match.group(2) or 0) if major == 1 else major


def _candidates() -> Iterator[tuple[str, Path]]:
    java_home = os.environ.get("JAVA_HOME")
    if java_home:
        yield "JAVA_HOME", Path(java_home)
    on_path = shutil.which("java")
    if on_path:
        yield "PATH", Path(os.path.realpath(on_path)).parent.parent
    if JVM_ROOT.is_dir():
        for home in sorted(JVM_ROOT.iterdir()):
            if home.is_dir() and not home.is_symlink() and (home / "bin" / "java").exists():
                yield str(JVM_ROOT), home


def keycloak_java_home() -> Path:
    """A Java home with Java 21 or newer for Keycloak: JAVA_HOME's if new enough, else the java on PATH, else the
    newest JDK under /usr/lib/jvm. Kafka keeps its own Java (`kafka.java`)."""
    seen: list[str] = []
    best: tuple[int, Path] | None = None
    for origin, home in _candidates():
        major = _java_major(home)
        seen.append(f"{home} ({origin}): {major if major is not None else 'not a Java home'}")
        if major is None or major < MIN_JAVA:
            continue
        if origin == "JAVA_HOME":
            return home
        if best is None or major > best[0]:
            best = (major, home)
    if best is None:
        raise ProvisionError(
            f"Keycloak needs Java {MIN_JAVA} or newer; found "
            + ("; ".join(seen) or "no Java at all")
            + f". Install a JDK {MIN_JAVA}+ (e.g. under {JVM_ROOT}) or point JAVA_HOME at one."
        )
    return best[1]


# --- the distribution, cached outside the clone --------------------------------------------------------------


def _writable_dir(path: Path) -> bool:
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError:
        return False
    return os.access(path, os.W_OK | os.X_OK)


def cache_root() -> Path:
    """The folder holding keycloak-<version>/: $WERKKLOKET_KEYCLOAK_CACHE, else ${XDG_CACHE_HOME:-$HOME/.cache}/
    werkkloket, else (no usable home) /var/tmp/werkkloket-<uid>. Keycloak runs as the user that fills it, so a
    home of mode 700 (root's) is fine."""
    configured = os.environ.get(CACHE_ENV)
    if configured:
        return Path(configured).expanduser().resolve()
    xdg = os.environ.get("XDG_CACHE_HOME")
    try:
        base = Path(xdg) if xdg and Path(xdg).is_absolute() else Path.home() / ".cache"
    except RuntimeError:  # no home directory at all
        base = None
    if base is not None and _writable_dir(base / "werkkloket"):
        return (base / "werkkloket").resolve()
    return Path("/var/tmp") / f"werkkloket-{os.getuid()}"


@dataclass(frozen=True)
class Distribution:
    """A built Keycloak distribution; `prepared` says whether this call fetched, unpacked and built it."""

    home: Path
    version: str
    prepared: bool
    seconds: dict[str, float] = field(default_factory=dict)

    @property
    def kc_sh(self) -> Path:
        return self.home / "bin" / "kc.sh"


def _marker(home: Path) -> dict[str, Any] | None:
    try:
        data: dict[str, Any] = json.loads((home / READY_MARKER).read_text())
    except (OSError, ValueError):
        return None
    return data


def _is_ready(home: Path, version: str) -> bool:
    marker = _marker(home)
    return (
        marker is not None
        and marker.get("version") == version
        and marker.get("build_options") == list(BUILD_OPTIONS)
        and (home / "bin" / "kc.sh").exists()
    )


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    """One process at a time prepares the cache (a test run and `werkkloket up` may start together)."""
    with path.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _fetch(version: str, download_dir: Path) -> Path:
    """keycloak-quarkus-dist-<version>.tar.gz from Maven Central (kept in ~/.m2 too), copied into download_dir."""
    mvn = shutil.which("mvn")
    if mvn is None:
        raise ProvisionError("Maven (`mvn`) is needed once to fetch Keycloak from Maven Central; install it")
    cmd = [mvn, "-q", "-B", "-f", str(KEYCLOAK_POM), f"-Dkeycloak.download={download_dir}", "dependency:copy"]
    result = subprocess.run(cmd, cwd=KEYCLOAK_DIR, capture_output=True, text=True, timeout=1800, check=False)
    tarball = download_dir / f"keycloak-quarkus-dist-{version}.tar.gz"
    if result.returncode != 0 or not tarball.exists():
        output = (result.stdout + result.stderr)[-4000:]
        raise ProvisionError(f"`{' '.join(cmd)}` failed (exit {result.returncode}):\n{output}")
    return tarball


def _unpack(tarball: Path, into: Path, version: str) -> Path:
    with tarfile.open(tarball) as archive:
        archive.extractall(into, filter="data")
    home = into / f"keycloak-{version}"
    if not (home / "bin" / "kc.sh").exists():
        raise ProvisionError(f"{tarball} did not unpack to {home}/bin/kc.sh")
    return home


def persisted_options(home: Path) -> dict[str, str]:
    """The build options the last build persisted (META-INF/keycloak-persisted.properties)."""
    jar = home / "lib" / "quarkus" / "generated-bytecode.jar"
    try:
        with zipfile.ZipFile(jar) as archive:
            text = archive.read("META-INF/keycloak-persisted.properties").decode()
    except (OSError, KeyError, zipfile.BadZipFile):
        return {}
    pairs = (line.split("=", 1) for line in text.splitlines() if "=" in line and not line.startswith("#"))
    return {key.strip(): value.strip() for key, value in pairs}


def _expected_persisted() -> dict[str, str]:
    expected = {"kc.profile": "dev"}
    for option in BUILD_OPTIONS:
        key, _, value = option.removeprefix("--").partition("=")
        expected[f"kc.{key}"] = value
    return expected


def _build(home: Path, java_home: Path, work: Path) -> None:
    """Build for development mode once: start-dev re-augments a fresh distribution, then relaunches its JVM; the
    relaunch is stopped (see _BUILD_ONLY_JAVA), so no server starts and nothing is written outside `home`."""
    wrapper = work / "java-build-only"
    wrapper.write_text(_BUILD_ONLY_JAVA.format(java=java_home / "bin" / "java"))
    wrapper.chmod(0o700)
    env = {**os.environ, "JAVA_HOME": str(java_home), "JAVA": str(wrapper)}
    cmd = [str(home / "bin" / "kc.sh"), "start-dev", *BUILD_OPTIONS, "--http-host=127.0.0.1", "--http-port=0"]
    try:
        result = subprocess.run(
            cmd, cwd=home, env=env, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=900, check=False
        )
    except subprocess.TimeoutExpired as exc:
        raise ProvisionError(f"building Keycloak in {home} timed out after 900s") from exc
    persisted = persisted_options(home)
    missing = {k: v for k, v in _expected_persisted().items() if persisted.get(k) != v}
    if result.returncode != 0 or missing:
        raise ProvisionError(
            f"building Keycloak in {home} failed (exit {result.returncode}; not persisted: {missing}):\n"
            f"{(result.stdout + result.stderr)[-4000:]}"
        )


def ensure_keycloak() -> Distribution:
    """The built distribution in the cache; fetched, unpacked and built the first time only."""
    version = keycloak_version()
    root = cache_root()
    root.mkdir(parents=True, exist_ok=True, mode=0o700)
    home = root / f"keycloak-{version}"
    if _is_ready(home, version):
        return Distribution(home, version, prepared=False)
    with _locked(root / f".keycloak-{version}.lock"):
        if _is_ready(home, version):  # another process prepared it meanwhile
            return Distribution(home, version, prepared=False)
        java_home = keycloak_java_home()
        work = root / f".keycloak-{version}.work-{os.getpid()}"
        shutil.rmtree(work, ignore_errors=True)
        work.mkdir(mode=0o700)
        seconds: dict[str, float] = {}
        try:
            t0 = time.monotonic()
            tarball = _fetch(version, work / "download")
            seconds["fetch"] = time.monotonic() - t0
            t0 = time.monotonic()
            staged = _unpack(tarball, work / "unpacked", version)
            tarball.unlink()
            seconds["unpack"] = time.monotonic() - t0
            t0 = time.monotonic()
            _build(staged, java_home, work)
            seconds["build"] = time.monotonic() - t0
            marker = {"version": version, "build_options": list(BUILD_OPTIONS), "built_with": str(java_home)}
            (staged / READY_MARKER).write_text(json.dumps(marker, indent=2) + "\n")
            if home.exists():  # an older, incomplete or differently built copy
                shutil.rmtree(home)
            staged.rename(home)
        finally:
            shutil.rmtree(work, ignore_errors=True)
    return Distribution(home, version, prepared=True, seconds=seconds)


# --- one server per base directory ----------------------------------------------------------------------------


@dataclass
class KeycloakServer:
    port: int
    management_port: int
    pid: int
    base_dir: Path
    started: float = field(default_factory=time.monotonic, compare=False)
    _proc: subprocess.Popen[bytes] | None = field(default=None, repr=False, compare=False)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def issuer(self, realm: str = REALM) -> str:
        return f"{self.url}/realms/{realm}"

    @property
    def log_file(self) -> Path:
        return self.base_dir / "keycloak.log"

    @property
    def admin_file(self) -> Path:
        return self.base_dir / "admin.json"

    def admin_credentials(self) -> tuple[str, str]:
        """The bootstrap admin of the master realm (for the admin REST API and console); its password is only in
        admin.json (mode 600)."""
        data = json.loads(self.admin_file.read_text())
        return data["username"], data["password"]

    def alive(self) -> bool:
        return pid_alive(self.pid)

    def ready(self) -> bool:
        try:
            return httpx.get(f"http://127.0.0.1:{self.management_port}/health/ready", timeout=2).status_code == 200
        except httpx.HTTPError:
            return False

    def wait_ready(self, timeout: float = 240) -> float:
        """Wait for /health/ready; fail fast, with the log's tail, if the process ends. Seconds since start."""
        deadline = time.monotonic() + timeout
        while not self.ready():
            exited = self._proc.poll() is not None if self._proc is not None else not self.alive()
            if exited:
                code = self._proc.returncode if self._proc is not None else "?"
                raise ProvisionError(
                    f"Keycloak (pid {self.pid}) exited with code {code} before it was ready;"
                    f" log {self.log_file}:\n{log_tail(self.log_file)}"
                )
            if time.monotonic() > deadline:
                raise ProvisionError(
                    f"Keycloak not ready after {timeout:.0f}s; log {self.log_file}:\n{log_tail(self.log_file)}"
                )
            time.sleep(0.25)
        return time.monotonic() - self.started

    def rebuilt_at_start(self) -> bool:
        """Whether this start built the distribution again (it should not: see BUILD_OPTIONS)."""
        return self.log_file.exists() and REBUILD_LINE in self.log_file.read_text(errors="replace")

    def state(self) -> dict[str, Any]:
        return {
            "pid": self.pid,
            "url": self.url,
            "port": self.port,
            "management_port": self.management_port,
            "base_dir": str(self.base_dir),
        }

    @classmethod
    def from_state(cls, state: dict[str, Any]) -> KeycloakServer:
        return cls(state["port"], state["management_port"], state["pid"], Path(state["base_dir"]))

    def stop(self, timeout: float = 30) -> None:
        stop_keycloak(self.pid, timeout=timeout)
        if self._proc is not None:
            self._proc.poll()


def _left_behind(pgid: int) -> list[int]:
    """Keycloak JVMs still in kc.sh's process group (after kc.sh itself was killed and could not pass SIGTERM on)."""
    found = []
    for stat_file in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat_file.read_text().rsplit(")", 1)[-1].split()
            cmdline = (stat_file.parent / "cmdline").read_bytes()
        except OSError:
            continue
        if int(fields[2]) == pgid and b"quarkus-run.jar" in cmdline:
            found.append(int(stat_file.parent.name))
    return found


def stop_keycloak(pid: int, timeout: float = 30) -> None:
    """SIGTERM to kc.sh (it passes it on to its JVM and waits for it); then any JVM of its own process group that
    is still there, by its pid."""
    stop_pid(pid, timeout=timeout)
    for jvm in _left_behind(pid):
        stop_pid(jvm, timeout=timeout)


def _admin_password(base_dir: Path) -> tuple[str, str]:
    admin_file = base_dir / "admin.json"
    if admin_file.exists():
        data = json.loads(admin_file.read_text())
        return data["username"], data["password"]
    password = secrets.token_urlsafe(24)
    write_private(admin_file, json.dumps({"username": ADMIN_USER, "password": password}, indent=2) + "\n")
    return ADMIN_USER, password


def _previous_ports(base_dir: Path) -> tuple[int, int] | None:
    try:
        data = json.loads((base_dir / "ports.json").read_text())
        return int(data["port"]), int(data["management_port"])
    except (OSError, ValueError, KeyError):
        return None


def _choose_ports(base_dir: Path, port: int | None, management_port: int | None) -> tuple[int, int]:
    """The ports asked for; else this base's previous ones while free (tokens name the issuer's port); else free
    ones."""
    previous = _previous_ports(base_dir)
    if port is None:
        port = previous[0] if previous and port_free(previous[0]) else free_port()
    if management_port is None:
        management_port = previous[1] if previous and port_free(previous[1]) else free_port()
        while management_port == port:
            management_port = free_port()
    if port == management_port:
        raise ProvisionError(f"Keycloak's HTTP and management ports must differ (both {port})")
    for p in (port, management_port):
        if not port_free(p):
            raise ProvisionError(f"port 127.0.0.1:{p} for Keycloak is already in use")
    (base_dir / "ports.json").write_text(json.dumps({"port": port, "management_port": management_port}) + "\n")
    return port, management_port


def start_keycloak(
    base_dir: Path,
    port: int | None = None,
    management_port: int | None = None,
    realms: Sequence[Path] = (REALM_FILE,),
    timeout: float = 240,
    wait: bool = True,
    short_lived: bool = False,
    hostname: str | None = None,
    environment: Mapping[str, str] | None = None,
) -> KeycloakServer:
    """Start Keycloak (start-dev) with its state in `base_dir`, importing `realms` unless they exist already.
    With wait=False it returns at once: `wait_ready()` later (to start other servers meanwhile).
    `short_lived` (a test's server): the client compiler only, a quarter less CPU to get ready.
    `hostname`: the issuer's base URL (default http://127.0.0.1:<port>); `environment`: more KC_* options, e.g.
    docker-compose's KC_HOSTNAME_BACKCHANNEL_DYNAMIC."""
    dist = ensure_keycloak()
    java_home = keycloak_java_home()
    base_dir = base_dir.resolve()
    base_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    os.chmod(base_dir, 0o700)
    import_dir = base_dir / "import"
    import_dir.mkdir(exist_ok=True)
    for realm_file in realms:
        shutil.copyfile(realm_file, import_dir / realm_file.name)
    port, management_port = _choose_ports(base_dir, port, management_port)
    username, password = _admin_password(base_dir)
    cmd = [
        str(dist.kc_sh),
        # not the distribution's data/import and data/transaction-logs, which every server would share
        f"-Dkeycloak.migration.dir={import_dir}",
        f"-Dquarkus.transaction-manager.object-store.directory={base_dir / 'transaction-logs'}",
        "start-dev",
        *BUILD_OPTIONS,
        f"--db-url=jdbc:h2:file:{base_dir / 'data' / 'h2' / 'keycloakdb'};NON_KEYWORDS=VALUE",
        "--http-host=127.0.0.1",
        f"--http-port={port}",
        f"--http-management-port={management_port}",
        # the issuer in every token, whatever host name a client used
        f"--hostname={hostname or f'http://127.0.0.1:{port}'}",
    ]
    env = {
        **os.environ,
        **(environment or {}),
        "JAVA_HOME": str(java_home),
        # creates the master realm's admin on the first start of this base only
        "KC_BOOTSTRAP_ADMIN_USERNAME": username,
        "KC_BOOTSTRAP_ADMIN_PASSWORD": password,
    }
    env.pop("JAVA", None)
    if short_lived:
        env["JAVA_OPTS_APPEND"] = f"{env.get('JAVA_OPTS_APPEND', '')} {CLIENT_COMPILER_ONLY}".strip()
    log_file = base_dir / "keycloak.log"
    started = time.monotonic()
    with log_file.open("ab") as log:
        proc = subprocess.Popen(
            cmd,
            cwd=base_dir,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    server = KeycloakServer(port, management_port, proc.pid, base_dir, started, proc)
    if wait:
        try:
            server.wait_ready(timeout)
        except BaseException:
            server.stop(timeout=10)
            raise
    return server


def remove_keycloak(base_dir: Path) -> None:
    """Delete a (stopped) server's base directory: its realms, users and keys."""
    shutil.rmtree(base_dir, ignore_errors=True)
