"""The bus admin: creates the topics, the principals and their ACLs (confluent-kafka's AdminClient; aiokafka's
admin has no ACL or SCRAM operations). Idempotent: run at every provisioning, it adds what is missing and aligns
topic configurations with the registry."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from confluent_kafka import KafkaException
from confluent_kafka.admin import (
    AclBinding,
    AclBindingFilter,
    AclOperation,
    AclPermissionType,
    AdminClient,
    AlterConfigOpType,
    ConfigEntry,
    ConfigResource,
    NewTopic,
    ResourcePatternType,
    ResourceType,
    ScramCredentialInfo,
    ScramMechanism,
    UserScramCredentialAlteration,
    UserScramCredentialUpsertion,
)
from tenacity import Retrying, stop_after_delay, wait_fixed
from werkkloket_contracts import ALL_TOPICS, Topic
from werkkloket_runtime.kafka import SASL_MECHANISM, SECURITY_PROTOCOL, KafkaConnection

from .acls import Acl

TIMEOUT = 30.0
SCRAM_ITERATIONS = 8192

_RESOURCE = {"topic": ResourceType.TOPIC, "group": ResourceType.GROUP}
_PATTERN = {"literal": ResourcePatternType.LITERAL, "prefix": ResourcePatternType.PREFIXED}
_OPERATION = {"Read": AclOperation.READ, "Write": AclOperation.WRITE, "Describe": AclOperation.DESCRIBE}


def admin_client(admin: KafkaConnection) -> AdminClient:
    return AdminClient(
        {
            "bootstrap.servers": admin.bootstrap_servers,
            "security.protocol": SECURITY_PROTOCOL,
            "sasl.mechanisms": SASL_MECHANISM,
            "sasl.username": admin.username,
            "sasl.password": admin.password,
            "ssl.ca.location": str(admin.ca_file),
            "client.id": f"{admin.username}-provisioning",
            "log_level": 0,  # failures surface as exceptions; librdkafka would also print them
        }
    )


def _wait(futures: Mapping[Any, Any], *, ignore: tuple[str, ...] = ()) -> None:
    for key, future in futures.items():
        try:
            future.result(timeout=TIMEOUT)
        except KafkaException as exc:
            if exc.args[0].name() not in ignore:
                raise RuntimeError(f"{key}: {exc.args[0].str()}") from exc


def create_topics(client: AdminClient, topics: Iterable[Topic] = ALL_TOPICS) -> list[str]:
    """Create the missing topics with their partitions and configuration; align the configuration of the others."""
    wanted = list(topics)
    existing = set(client.list_topics(timeout=TIMEOUT).topics)
    new = [NewTopic(t.name, t.partitions, 1, config=dict(t.config)) for t in wanted if t.name not in existing]
    if new:
        _wait(client.create_topics(new, operation_timeout=TIMEOUT), ignore=("TOPIC_ALREADY_EXISTS",))
    _align_configs(client, [t for t in wanted if t.name in existing and t.config])
    return [t.topic for t in new]


def _align_configs(client: AdminClient, topics: list[Topic]) -> None:
    """Topics made earlier (or by hand) get the configuration the registry asks for, e.g. unlimited retention."""
    if not topics:
        return
    resources = [ConfigResource(ConfigResource.Type.TOPIC, t.name) for t in topics]
    current = {
        r.name: {k: e.value for k, e in f.result(timeout=TIMEOUT).items()} for r, f in _described(client, resources)
    }
    changes = []
    for topic in topics:
        wrong = {k: v for k, v in topic.config.items() if current.get(topic.name, {}).get(k) != v}
        if wrong:
            entries = [ConfigEntry(k, v, incremental_operation=AlterConfigOpType.SET) for k, v in wrong.items()]
            changes.append(ConfigResource(ConfigResource.Type.TOPIC, topic.name, incremental_configs=entries))
    if changes:
        _wait(client.incremental_alter_configs(changes))


def _described(client: AdminClient, resources: list[ConfigResource]) -> list[tuple[ConfigResource, Any]]:
    return list(client.describe_configs(resources).items())


def upsert_users(client: AdminClient, passwords: Mapping[str, str]) -> None:
    """Create (or reset) the SCRAM-SHA-512 credentials of these principals."""
    if not passwords:
        return
    info = ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, SCRAM_ITERATIONS)
    upserts: list[UserScramCredentialAlteration] = [
        UserScramCredentialUpsertion(user, info, pw.encode()) for user, pw in passwords.items()
    ]
    _wait(client.alter_user_scram_credentials(upserts))


def wait_usable(connection: KafkaConnection, timeout: float = 20.0) -> None:
    """Wait until the broker accepts this principal's credentials (an upsert reaches it through the metadata log)."""
    for attempt in Retrying(stop=stop_after_delay(timeout), wait=wait_fixed(0.2), reraise=True):
        with attempt:
            admin_client(connection).list_topics(timeout=5)


def binding(acl: Acl) -> AclBinding:
    return AclBinding(
        _RESOURCE[acl.resource],
        acl.name,
        _PATTERN[acl.pattern],
        f"User:{acl.principal}",
        "*",
        _OPERATION[acl.operation],
        AclPermissionType.ALLOW,
    )


def _principal_filter(principal: str | None) -> AclBindingFilter:
    """Every ACL of the principal, or of everyone (None matches any resource name, principal and host)."""
    return AclBindingFilter(
        ResourceType.ANY,
        None,  # type: ignore[arg-type]
        ResourcePatternType.ANY,
        None if principal is None else f"User:{principal}",  # type: ignore[arg-type]
        None,  # type: ignore[arg-type]
        AclOperation.ANY,
        AclPermissionType.ANY,
    )


def _exact_filter(b: AclBinding) -> AclBindingFilter:
    return AclBindingFilter(
        b.restype, b.name, b.resource_pattern_type, b.principal, b.host, b.operation, b.permission_type
    )


def acls_of(client: AdminClient, principal: str | None = None) -> set[AclBinding]:
    found: list[AclBinding] = client.describe_acls(_principal_filter(principal)).result(timeout=TIMEOUT)
    return set(found)


def set_acls(client: AdminClient, acls: Mapping[str, Iterable[Acl]]) -> None:
    """Make each principal's ACLs exactly these: add the missing, then remove the others (no window without
    access); principals not named keep theirs."""
    wanted = {binding(a) for grants in acls.values() for a in grants}
    principals = {f"User:{name}" for name in acls}
    current = {b for b in acls_of(client) if b.principal in principals}
    if wanted - current:
        _wait(client.create_acls(list(wanted - current)))
    if current - wanted:
        _wait(client.delete_acls([_exact_filter(b) for b in current - wanted]))


def existing_users(client: AdminClient) -> set[str]:
    every = client.describe_user_scram_credentials()  # all users: one future (a list of names gives a dict)
    assert not isinstance(every, dict)
    described: dict[str, Any] = every.result(timeout=TIMEOUT)
    return set(described)


def provision(
    admin: KafkaConnection, principals: Mapping[str, tuple[str, list[Acl]]], *, topics: bool = True
) -> list[str]:
    """Topics (unless `topics` is false), the principals that do not exist yet, and exactly these ACLs per
    principal (name -> (password, ACLs)); returns the topics created. An existing principal keeps its password."""
    client = admin_client(admin)
    created = create_topics(client) if topics else []
    new = {name: pw for name, (pw, _) in principals.items() if name not in existing_users(client)}
    upsert_users(client, new)
    set_acls(client, {name: grants for name, (_, grants) in principals.items()})
    if new:
        name = next(iter(new))
        wait_usable(KafkaConnection(admin.bootstrap_servers, name, new[name], admin.ca_file))
    return created
