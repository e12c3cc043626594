"""Apache Kafka without Docker: a single KRaft node from the Maven Central jars, run with the machine's Java."""

from __future__ import annotations

import base64
import os
import re
import shutil
import subprocess
import sys
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from ..bus import acls
from ..bus.platform import Bus
from ..bus.secrets import BusSecrets, write_private
from ..paths import REPO_ROOT
from .processes import CLIENT_COMPILER_ONLY, ProvisionError, free_port, pid_alive, port_free, stop_pid, wait_for_port

KAFKA_DIR: Path = REPO_ROOT / "deploy" / "kafka"
KAFKA_LIBS: Path = KAFKA_DIR / "libs"
SCRAM_MODULE = "org.apache.kafka.common.security.scram.ScramLoginModule"
PLAIN_MODULE = "org.apache.kafka.common.security.plain.PlainLoginModule"

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


def _jaas(module: str, user: str, password: str, *, plain_users: dict[str, str] | None = None) -> str:
    extra = "".join(f' user_{name}="{pw}"' for name, pw in (plain_users or {}).items())
    return f'{module} required username="{user}" password="{password}"{extra};'


def _security_settings(secrets: BusSecrets) -> dict[str, str]:
    """SASL_SSL with SCRAM-SHA-512 for clients and the broker itself, SASL_SSL with PLAIN for the controller
    quorum (SCRAM credentials live in the metadata the controller serves), ACLs with nothing allowed by default."""
    broker_pw, controller_pw = secrets.password(acls.BROKER), secrets.password(acls.CONTROLLER)
    return {
        "listener.security.protocol.map": "CONTROLLER:SASL_SSL,SASL_SSL:SASL_SSL",
        "inter.broker.listener.name": "SASL_SSL",
        "sasl.enabled.mechanisms": "SCRAM-SHA-512",
        "sasl.mechanism.inter.broker.protocol": "SCRAM-SHA-512",
        "listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config": _jaas(SCRAM_MODULE, acls.BROKER, broker_pw),
        "sasl.mechanism.controller.protocol": "PLAIN",
        "listener.name.controller.sasl.enabled.mechanisms": "PLAIN",
        "listener.name.controller.plain.sasl.jaas.config": _jaas(
            PLAIN_MODULE, acls.CONTROLLER, controller_pw, plain_users={acls.CONTROLLER: controller_pw}
        ),
        "ssl.keystore.type": "PEM",
        "ssl.keystore.location": str(secrets.broker_pem),
        "ssl.truststore.type": "PEM",
        "ssl.truststore.location": str(secrets.ca_file),
        "ssl.client.auth": "none",
        "ssl.enabled.protocols": "TLSv1.3,TLSv1.2",
        "authorizer.class.name": "org.apache.kafka.metadata.authorizer.StandardAuthorizer",
        "super.users": ";".join(f"User:{name}" for name in acls.SUPER_USERS),
        "allow.everyone.if.no.acl.found": "false",
    }


def _kafka_properties(port: int, controller_port: int, data_dir: Path, secrets: BusSecrets) -> str:
    listeners = f"SASL_SSL://127.0.0.1:{port},CONTROLLER://127.0.0.1:{controller_port}"
    settings = {
        # KRaft, one node that is broker and controller
        "process.roles": "broker,controller",
        "node.id": "1",
        "controller.quorum.bootstrap.servers": f"127.0.0.1:{controller_port}",
        "listeners": listeners,
        "advertised.listeners": listeners,
        "controller.listener.names": "CONTROLLER",
        **_security_settings(secrets),
        "log.dirs": str(data_dir),
        # topics are created by the bus admin at provisioning, never by a client
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
    return "# Written by werkkloket_deploy.provision; holds secrets (mode 600)\n" + "".join(
        f"{k}={v}\n" for k, v in settings.items()
    )


@dataclass
class KafkaServer:
    bootstrap_servers: str
    pid: int
    data_dir: Path
    log_file: Path
    secrets: BusSecrets
    _proc: subprocess.Popen[bytes] | None = field(default=None, repr=False, compare=False)

    def alive(self) -> bool:
        return pid_alive(self.pid)

    @property
    def bus(self) -> Bus:
        return Bus(self.bootstrap_servers, self.secrets)

    def stop(self, timeout: float = 30) -> None:
        """Controlled shutdown by SIGTERM to this broker's pid; SIGKILL after `timeout`."""
        stop_pid(self.pid, timeout=timeout)
        if self._proc is not None:
            self._proc.poll()  # let Popen know its child is gone


def _choose_ports(props_file: Path, formatted: bool, port: int | None, controller_port: int | None) -> tuple[int, int]:
    """The ports asked for; else, for a formatted data dir, the previous ones while free; else free ones."""
    previous = _read_properties(props_file) if formatted else {}
    if port is None:
        old = _previous_port(previous, "SASL_SSL")
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


def _format_storage(tool: list[str], props_file: Path, data_dir: Path, secrets: BusSecrets) -> None:
    """Format the data dir once, with a fresh cluster id and the first SCRAM users: the broker and the admin."""
    cluster_id = new_cluster_id()
    fmt = subprocess.run(
        [*tool, "format", "--standalone", "--ignore-formatted", "-t", cluster_id, "-c", str(props_file)]
        + [a for user in (acls.BROKER, acls.ADMIN) for a in ("--add-scram", _scram(user, secrets.password(user)))],
        capture_output=True,
        text=True,
        check=False,
    )
    if fmt.returncode != 0:
        raise ProvisionError(f"kafka-storage format of {data_dir} failed:\n{(fmt.stdout + fmt.stderr)[-4000:]}")


def new_cluster_id() -> str:
    """What `kafka-storage random-uuid` prints (16 random bytes, base64url without padding), without starting a
    JVM for it. The ids Kafka reserves (all zeros, and one) are as likely as a collision of random UUIDs. Like
    Kafka's own, never one that starts with "-" (one in 64): the tool's argument parser takes it for an option."""
    while True:
        cluster_id = base64.urlsafe_b64encode(uuid.uuid4().bytes).decode().rstrip("=")
        if not cluster_id.startswith("-"):
            return cluster_id


def _scram(user: str, password: str) -> str:
    return f"SCRAM-SHA-512=[name={user},password={password}]"


def _prepare_secrets(base_dir: Path, data_dir: Path) -> BusSecrets:
    """The installation's secrets; made with a fresh data dir (SCRAM users live in the cluster metadata)."""
    secrets = BusSecrets(base_dir / "secrets")
    formatted = (data_dir / "meta.properties").exists()
    if formatted and secrets.exists():
        return secrets
    if formatted:
        # Formatted before the bus was closed (PLAINTEXT, no users): it holds only demo data.
        print(f"Kafka data in {data_dir} was made for an open bus; re-initialising it closed", file=sys.stderr)
        shutil.rmtree(data_dir)
    secrets.create([*acls.SUPER_USERS, *acls.platform_acls()])
    return secrets


def start_kafka(
    base_dir: Path,
    port: int | None = None,
    controller_port: int | None = None,
    heap: str = "512m",
    timeout: float = 90,
    short_lived: bool = False,
) -> KafkaServer:
    """Start a single-node KRaft broker+controller with its state in `base_dir`; return once clients can connect.
    `short_lived` (a test's broker): the client compiler only, which halves the broker's CPU over a few minutes."""
    libs = ensure_kafka_jars()
    java_bin = java()
    base_dir = base_dir.resolve()
    base_dir.mkdir(parents=True, exist_ok=True)
    data_dir = base_dir / "data"
    props_file = base_dir / "server.properties"
    log4j_file = base_dir / "log4j2.properties"
    log_file = base_dir / "kafka.log"

    secrets = _prepare_secrets(base_dir, data_dir)
    # A formatted data dir records the controller's address: keep the previous ports unless told otherwise.
    formatted = (data_dir / "meta.properties").exists()
    port, controller_port = _choose_ports(props_file, formatted, port, controller_port)
    write_private(props_file, _kafka_properties(port, controller_port, data_dir, secrets))
    log4j_file.write_text(LOG4J2_PROPERTIES)
    classpath = f"{libs}/*"
    log4j_opt = f"-Dlog4j2.configurationFile={log4j_file}"
    if not formatted:
        tool = [java_bin, "-Xmx256m", CLIENT_COMPILER_ONLY, log4j_opt, "-cp", classpath, "kafka.tools.StorageTool"]
        _format_storage(tool, props_file, data_dir, secrets)

    cmd = [java_bin, f"-Xms{heap}", f"-Xmx{heap}", "-XX:+UseG1GC", "-Djava.awt.headless=true", log4j_opt]
    if short_lived:
        cmd.append(CLIENT_COMPILER_ONLY)
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
    server = KafkaServer(f"127.0.0.1:{port}", proc.pid, data_dir, log_file, secrets, proc)
    try:
        # The client port opens only once the broker is unfenced; the controller port opens earlier.
        wait_for_port("127.0.0.1", port, timeout, proc=proc, log_file=log_file)
    except BaseException:
        server.stop(timeout=10)
        raise
    return server
