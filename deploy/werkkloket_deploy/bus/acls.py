"""Who may do what on the bus: principals and their ACLs, derived from the topic registry in `contracts/`.

Pure data: the provisioning applies it to the broker (`bus.admin`), the Strimzi generator writes it as
`KafkaUser` resources. A service writes only the topics it owns (and the dead-letter topic), reads only the topics
it consumes, and uses only its own consumer group; everything not granted here is refused
(`allow.everyone.if.no.acl.found=false`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from werkkloket_contracts import (
    AANMELDINGEN,
    ALL_TOPICS,
    DEAD_LETTERS,
    PLAATSINGEN,
    TOEWIJZINGEN,
    VACATURES,
    WERK_NAAR_WERK,
)

SERVICES: tuple[str, ...] = ("intake", "matching", "plaatsing", "rapportage")
# Super users: the broker (inter-broker, SCRAM), the controller quorum (PLAIN) and the provisioning admin.
BROKER = "broker"
CONTROLLER = "controller"
ADMIN = "admin"
SUPER_USERS: tuple[str, ...] = (BROKER, CONTROLLER, ADMIN)
# `werkkloket dlq replay`: reads the dead letters and re-publishes them to the topic they came from.
BEHEER = "beheer"
DLQ_REPLAY_GROUP = "werkkloket-dlq-replay"
# The tests' observer: reads every topic, writes nothing, joins no group.
WAARNEMER = "waarnemer"
# What a mobility team may read: the pseudonymous topics it follows (never matches or dead letters).
MOBILITEITSTEAM_TOPICS = (AANMELDINGEN, TOEWIJZINGEN, PLAATSINGEN, VACATURES, WERK_NAAR_WERK)
MOBILITEITSTEAM_PREFIX = "mobiliteitsteam-"

ResourceType = Literal["topic", "group"]
PatternType = Literal["literal", "prefix"]
Operation = Literal["Read", "Write", "Describe"]


@dataclass(frozen=True, order=True)
class Acl:
    principal: str  # the user name, without "User:"
    resource: ResourceType
    name: str
    pattern: PatternType
    operation: Operation


def group_of(service: str) -> str:
    """The consumer group of a service (see `ServiceRuntime.group_id`)."""
    return f"werkkloket-{service}"


def _topic(principal: str, name: str, *operations: Operation) -> list[Acl]:
    return [Acl(principal, "topic", name, "literal", op) for op in operations]


def service_acls(service: str) -> list[Acl]:
    if service not in SERVICES:
        raise ValueError(f"unknown service {service!r}")
    acls: list[Acl] = []
    for topic in ALL_TOPICS:
        if topic.producer == service:
            acls += _topic(service, topic.name, "Write", "Describe")
        if service in topic.consumers:
            acls += _topic(service, topic.name, "Read", "Describe")
    acls += _topic(service, DEAD_LETTERS.name, "Write", "Describe")
    acls.append(Acl(service, "group", group_of(service), "literal", "Read"))
    return sorted(set(acls))


def beheer_acls() -> list[Acl]:
    acls = _topic(BEHEER, DEAD_LETTERS.name, "Read", "Describe")
    for topic in ALL_TOPICS:
        if topic is not DEAD_LETTERS:
            acls += _topic(BEHEER, topic.name, "Write", "Describe")
    acls += [Acl(BEHEER, "group", DLQ_REPLAY_GROUP, "literal", op) for op in ("Read", "Describe")]
    return sorted(set(acls))


def waarnemer_acls() -> list[Acl]:
    return sorted({a for t in ALL_TOPICS for a in _topic(WAARNEMER, t.name, "Read", "Describe")})


def mobiliteitsteam_principal(team: str) -> str:
    """`rijnmond` -> `mobiliteitsteam-rijnmond`; a team's principal and its consumer groups share that prefix."""
    name = team.removeprefix(MOBILITEITSTEAM_PREFIX)
    if not name or not all(c.isalnum() or c in "-_" for c in name) or len(name) > 60:
        raise ValueError(f"a team name has letters, digits, '-' or '_' (at most 60): {team!r}")
    return f"{MOBILITEITSTEAM_PREFIX}{name.lower()}"


def mobiliteitsteam_acls(team: str) -> list[Acl]:
    principal = mobiliteitsteam_principal(team)
    acls = [a for t in MOBILITEITSTEAM_TOPICS for a in _topic(principal, t.name, "Read", "Describe")]
    acls.append(Acl(principal, "group", principal, "prefix", "Read"))
    return sorted(set(acls))


def platform_acls() -> dict[str, list[Acl]]:
    """Every principal the platform itself runs, with its ACLs (mobility teams are added one by one)."""
    acls = {service: service_acls(service) for service in SERVICES}
    acls[BEHEER] = beheer_acls()
    acls[WAARNEMER] = waarnemer_acls()
    return acls
