"""Apache Kafka without Docker: a single KRaft node from the Maven Central jars, run with the machine's Java."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from ..paths import REPO_ROOT
from .processes import ProvisionError, free_port, pid_alive, port_free, stop_pid, wait_for_port

KAFKA_DIR: Path = REPO_ROOT / "deploy" / "kafka"
KAFKA_LIBS: Path = KAFKA_DIR / "libs"

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


def java() -> str:
    """The `java` to run Kafka and its tools with: JAVA_HOME's, else the one on PATH."""
    java_home = os.environ.get("JAVA_HOME")
    if java_home and (Path(java_home) / "bin" / "java").exists():
        return str(Path(java_home) / "bin" / "java")
    found = shutil.which("java")
    if found is None:
        raise ProvisionError("Kafka needs Java 17 or newer (`java` not found; set JAVA_HOME or install a JRE)")
    return found


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


def _choose_ports(props_file: Path, formatted: bool, port: int | None, controller_port: int | None) -> tuple[int, int]:
    """The ports asked for; else, for a formatted data dir, the previous ones while free; else free ones."""
    previous = _read_properties(props_file) if formatted else {}
    if port is None:
        old = _previous_port(previous, "PLAINTEXT")
        port = old if old is not None and port_free(old) else free_port()
    if controller_port is None:
        old = _previous_port(previous, "CONTROLLER")
        controller_port = old if old is not None and port_free(old) else free_port()
        while controller_port == port:
            controller_port = free_port()
    if port == controller_port:
        raise ProvisionError(f"Kafka's broker and controller ports must differ (both {port})")
    for p in (port, controller_port):
        if not port_free(p):
            raise ProvisionError(f"port 127.0.0.1:{p} for Kafka is already in use")
    return port, controller_port


def _format_storage(tool: list[str], props_file: Path, data_dir: Path) -> None:
    """Format the data dir once, with a fresh cluster id."""
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


def start_kafka(
    base_dir: Path,
    port: int | None = None,
    controller_port: int | None = None,
    heap: str = "512m",
    timeout: float = 90,
) -> KafkaServer:
    """Start a single-node KRaft broker+controller with its state in `base_dir`; return once clients can connect."""
    libs = ensure_kafka_jars()
    java_bin = java()
    base_dir = base_dir.resolve()
    base_dir.mkdir(parents=True, exist_ok=True)
    data_dir = base_dir / "data"
    props_file = base_dir / "server.properties"
    log4j_file = base_dir / "log4j2.properties"
    log_file = base_dir / "kafka.log"

    # A formatted data dir records the controller's address: keep the previous ports unless told otherwise.
    formatted = (data_dir / "meta.properties").exists()
    port, controller_port = _choose_ports(props_file, formatted, port, controller_port)
    props_file.write_text(_kafka_properties(port, controller_port, data_dir))
    log4j_file.write_text(LOG4J2_PROPERTIES)
    classpath = f"{libs}/*"
    log4j_opt = f"-Dlog4j2.configurationFile={log4j_file}"
    if not formatted:
        tool = [java_bin, "-Xmx256m", log4j_opt, "-cp", classpath, "kafka.tools.StorageTool"]
        _format_storage(tool, props_file, data_dir)

    cmd = [java_bin, f"-Xms{heap}", f"-Xmx{heap}", "-XX:+UseG1GC", "-Djava.awt.headless=true", log4j_opt]
    cmd += ["-cp", classpath, "kafka.Kafka", str(props_file)]
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
