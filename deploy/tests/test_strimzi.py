"""The committed Strimzi manifests are what the generator writes now, and say what the local bus enforces."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from typer.testing import CliRunner
from werkkloket_contracts import ALL_TOPICS
from werkkloket_deploy.bus import acls
from werkkloket_deploy.cli import app
from werkkloket_deploy.strimzi import (
    API_VERSION,
    CLUSTER,
    STRIMZI_DIR,
    acls_of_rules,
    files,
    load,
    manifests,
)

runner = CliRunner()


def _committed(kind: str) -> dict[str, dict[str, Any]]:
    found = [r for path in sorted(STRIMZI_DIR.glob("*.yaml")) for r in load(path) if r.get("kind") == kind]
    by_name = {r["metadata"]["name"]: r for r in found}
    assert len(by_name) == len(found), f"a {kind} name occurs twice"
    return by_name


def test_committed_manifests_are_current() -> None:
    for name, text in files().items():
        committed = STRIMZI_DIR / name
        assert committed.exists(), f"run `werkkloket strimzi write` ({name})"
        assert committed.read_text() == text, f"{committed} is out of date: run `werkkloket strimzi write`"
    assert {p.name for p in STRIMZI_DIR.glob("*.yaml")} == set(files()), "a file there is not generated"
    result = runner.invoke(app, ["strimzi", "check"])
    assert result.exit_code == 0, result.output


def test_check_fails_on_a_stale_directory_and_write_repairs_it(tmp_path: Path) -> None:
    assert runner.invoke(app, ["strimzi", "check", str(tmp_path)]).exit_code == 1
    assert runner.invoke(app, ["strimzi", "write", str(tmp_path)]).exit_code == 0
    assert runner.invoke(app, ["strimzi", "check", str(tmp_path)]).exit_code == 0
    users = tmp_path / "users.yaml"
    users.write_text(users.read_text().replace("- Read\n", "- Write\n", 1))
    stale = runner.invoke(app, ["strimzi", "check", str(tmp_path)])
    assert stale.exit_code == 1 and "users.yaml" in stale.output
    (tmp_path / "extra.yaml").write_text("kind: KafkaUser\n")
    runner.invoke(app, ["strimzi", "write", str(tmp_path)])
    assert "extra.yaml" in runner.invoke(app, ["strimzi", "check", str(tmp_path)]).output


def test_every_resource_uses_the_current_api_and_names_the_cluster() -> None:
    for resources in manifests().values():
        for resource in resources:
            assert resource["apiVersion"] == API_VERSION
            if resource["kind"] != "Kafka":
                assert resource["metadata"]["labels"] == {"strimzi.io/cluster": CLUSTER}


def test_the_cluster_is_closed_like_the_local_bus() -> None:
    (cluster,) = _committed("Kafka").values()
    kafka = cluster["spec"]["kafka"]
    for listener in kafka["listeners"]:
        assert listener["tls"] is True
        assert listener["authentication"] == {"type": "scram-sha-512"}
    assert kafka["authorization"] == {"type": "simple", "superUsers": [acls.ADMIN]}
    assert kafka["config"]["allow.everyone.if.no.acl.found"] is False
    assert kafka["config"]["auto.create.topics.enable"] is False
    # Strimzi manages security, listeners and the authorizer itself and refuses these in `config`
    forbidden = ("advertised.", "authorizer.", "broker.", "controller", "listener", "sasl.", "security.", "ssl.")
    assert not [key for key in kafka["config"] if key.startswith((*forbidden, "super.user", "inter.broker"))]
    (pool,) = _committed("KafkaNodePool").values()
    assert sorted(pool["spec"]["roles"]) == ["broker", "controller"]


def test_one_kafka_topic_per_registry_topic() -> None:
    topics = _committed("KafkaTopic")
    assert set(topics) == {t.name for t in ALL_TOPICS}
    for topic in ALL_TOPICS:
        spec = topics[topic.name]["spec"]
        assert spec["topicName"] == topic.name
        assert spec["partitions"] == topic.partitions
        assert {k: str(v) for k, v in spec.get("config", {}).items()} == topic.config


def test_every_kafka_user_has_exactly_the_platform_acls() -> None:
    users = _committed("KafkaUser")
    platform = acls.platform_acls()
    # Strimzi runs the broker and the controller itself; admin is the super user of the Kafka resource.
    assert set(users) == {acls.ADMIN, *platform}
    assert acls.BROKER not in users and acls.CONTROLLER not in users
    for principal, grants in platform.items():
        spec = users[principal]["spec"]
        assert spec["authentication"] == {"type": "scram-sha-512"}
        assert spec["authorization"]["type"] == "simple"
        assert acls_of_rules(principal, spec["authorization"]["acls"]) == sorted(grants), principal
    assert "authorization" not in users[acls.ADMIN]["spec"]


def test_a_service_may_write_only_the_topics_it_produces() -> None:
    users = _committed("KafkaUser")
    for service in acls.SERVICES:
        granted = acls_of_rules(service, users[service]["spec"]["authorization"]["acls"])
        written = {a.name for a in granted if a.operation == "Write"}
        owned = {t.name for t in ALL_TOPICS if t.producer == service}
        assert written == owned | {"werkkloket.dead-letters"}, service
