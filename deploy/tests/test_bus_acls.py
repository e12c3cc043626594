"""The bus's ACLs follow the topic registry, and the registry follows the services' subscribers."""

from __future__ import annotations

import importlib

import pytest
from werkkloket_contracts import ALL_TOPICS, DEAD_LETTERS, MATCHES, SLEUTELS
from werkkloket_deploy.bus import acls
from werkkloket_runtime.subscribers import EventRouter

ROUTERS = {
    "intake": "werkkloket_intake.entrypoints.events",
    "matching": "werkkloket_matching.toewijzing.entrypoints.events",
    "plaatsing": "werkkloket_plaatsing.entrypoints.events",
    "rapportage": "werkkloket_rapportage.entrypoints.events",
}


def _topics(grants: list[acls.Acl], operation: str) -> set[str]:
    return {a.name for a in grants if a.resource == "topic" and a.operation == operation}


@pytest.mark.parametrize("service", acls.SERVICES)
def test_a_service_may_read_exactly_the_topics_it_subscribes_to(service: str) -> None:
    router: EventRouter = importlib.import_module(ROUTERS[service]).events
    subscribed = {t.name for t in router.topics}
    if service in SLEUTELS.consumers:
        subscribed.add(SLEUTELS.name)  # read by the service's key ring (werkkloket_runtime.sleutelring)
    declared = {t.name for t in ALL_TOPICS if service in t.consumers}
    assert subscribed == declared, "contracts' Topic.consumers and the service's subscribers disagree"
    assert _topics(acls.service_acls(service), "Read") == subscribed


@pytest.mark.parametrize("service", acls.SERVICES)
def test_a_service_writes_only_its_own_topics_and_the_dead_letters(service: str) -> None:
    owned = {t.name for t in ALL_TOPICS if t.producer == service}
    assert _topics(acls.service_acls(service), "Write") == owned | {DEAD_LETTERS.name}
    groups = {(a.name, a.pattern) for a in acls.service_acls(service) if a.resource == "group"}
    assert groups == {(f"werkkloket-{service}", "literal")}


def test_observers_and_teams_never_write_and_teams_see_no_matches_or_dead_letters() -> None:
    assert not _topics(acls.waarnemer_acls(), "Write")
    team = acls.mobiliteitsteam_acls("Rijnmond")
    assert {a.principal for a in team} == {"mobiliteitsteam-rijnmond"}
    assert not _topics(team, "Write")
    assert not _topics(team, "Read") & {MATCHES.name, DEAD_LETTERS.name}
    assert [(a.name, a.pattern) for a in team if a.resource == "group"] == [("mobiliteitsteam-rijnmond", "prefix")]


@pytest.mark.parametrize("name", ["", "a b", "x" * 61, "rijnmond;User:admin"])
def test_a_team_name_is_a_plain_name(name: str) -> None:
    with pytest.raises(ValueError):
        acls.mobiliteitsteam_principal(name)
