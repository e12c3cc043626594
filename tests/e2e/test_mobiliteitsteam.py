"""A regional mobility team subscribes with its own consumer, and nothing in the four services changes."""

from __future__ import annotations

import ast
import json
import os
import shutil
import signal
import stat
import subprocess
import sys
import uuid
from pathlib import Path
from typing import Any

import httpx
import pytest
from typer.testing import CliRunner
from werkkloket_contracts import AANMELDINGEN
from werkkloket_deploy.bus.acls import WAARNEMER
from werkkloket_deploy.bus.platform import SECRETS_ENV
from werkkloket_deploy.cli import app
from werkkloket_deploy.provision import REPO_ROOT, RUN_DIR, stop_pid

from ..conftest import Stack
from .helpers import BusReader, ce_type_is, data_of, profiel, wait_for

pytestmark = pytest.mark.integration

EXAMPLE = REPO_ROOT / "examples" / "mobiliteitsteam"


def team_settings(stack: Stack, team: str, out: Path) -> dict[str, str]:
    """What `werkkloket mobiliteitsteam toevoegen` gives a team: its principal's connection settings."""
    env = {
        "KAFKA_BOOTSTRAP_SERVERS": stack.infra.bus.bootstrap_servers,
        SECRETS_ENV: str(stack.infra.bus.secrets.directory),
    }
    done = CliRunner().invoke(app, ["mobiliteitsteam", "toevoegen", team, "--uit", str(out)], env=env)
    assert done.exit_code == 0, done.output
    env_file = out / f"mobiliteitsteam-{team}.env"
    assert str(env_file.resolve()) in done.output and "SASL_SSL" in done.output
    properties = out / f"mobiliteitsteam-{team}.properties"
    for secret in (env_file, properties):
        assert stat.S_IMODE(secret.stat().st_mode) == 0o600
    assert "security.protocol=SASL_SSL" in properties.read_text()
    return dict(line.split("=", 1) for line in env_file.read_text().splitlines())


def start_team(stack: Stack, regio: str, out: Path) -> subprocess.Popen[bytes]:
    settings = team_settings(stack, regio, out.parent / "teams")
    env = {**os.environ, **settings, "PYTHONPATH": str(EXAMPLE)}
    log = (out.parent / f"{regio}.log").open("wb")
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "mobiliteitsteam",
            "--regio",
            regio,
            "--group",
            f"mobiliteitsteam-{regio}-{uuid.uuid4().hex[:8]}",
            "--uitvoer",
            str(out),
        ],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )


def overzicht(path: Path) -> dict[str, Any] | None:
    try:
        data: dict[str, Any] = json.loads(path.read_text())
    except (FileNotFoundError, json.JSONDecodeError):
        return None
    return data


async def test_team_sees_exactly_its_own_region(stack: Stack) -> None:
    work = RUN_DIR / f"mobiliteitsteam-{uuid.uuid4().hex[:8]}"
    work.mkdir(parents=True)
    groningen, haaglanden = work / "groningen.json", work / "haaglanden.json"
    teams = [start_team(stack, "groningen", groningen), start_team(stack, "haaglanden", haaglanden)]
    try:
        async with httpx.AsyncClient(timeout=10) as client:
            # A region new to the system: Groningen has no participating agency yet.
            nieuw = []
            for _ in range(3):
                r = await client.post(
                    f"{stack.url('intake')}/api/v1/aanmeldingen",
                    json=profiel(gemeente="GM0014", postcode="9711 AA"),
                    headers=stack.auth("gemeente-groningen"),
                )
                assert r.status_code == 201, r.text
                nieuw.append(r.json()["kandidaat_id"])
            haags = []
            for _ in range(2):
                r = await client.post(
                    f"{stack.url('intake')}/api/v1/aanmeldingen",
                    json=profiel(),
                    headers=stack.auth("gemeente-den-haag"),
                )
                assert r.status_code == 201, r.text
                haags.append(r.json()["kandidaat_id"])

        # Ground truth from the log itself: every aanmelding ever registered in Groningen.
        log = await BusReader(stack.infra.kafka(WAARNEMER), [AANMELDINGEN.name]).start(from_beginning=True)
        await log.until(lambda r: r.key == nieuw[-1].encode())
        await log.poll()
        await log.stop()
        in_regio = {
            data_of(r)["kandidaat_id"]
            for r in log.records
            if ce_type_is("AanmeldingOntvangen")(r) and data_of(r)["arbeidsmarktregio"] == "groningen"
        }
        assert set(nieuw) <= in_regio

        # The team reads three topics in no fixed order: wait until it has folded in every aanmelding and outcome.
        async def groningen_complete() -> dict[str, Any] | None:
            o = overzicht(groningen)
            if not o or not in_regio <= set(o["kandidaten"]):
                return None
            return o if min(o["totaal"]["aangemeld"], o["totaal"]["niet_toegewezen"]) >= len(in_regio) else None

        g = await wait_for(groningen_complete, timeout=60, what="the Groningen team's overview")
        # Exactly its region: registered and not assigned (no agency there), nothing of any other region.
        assert set(g["kandidaten"]) == in_regio
        assert g["totaal"] == {
            "aangemeld": len(in_regio),
            "toegewezen": 0,
            "niet_toegewezen": len(in_regio),
            "geplaatst": 0,
        }

        async def haaglanden_has_both() -> dict[str, Any] | None:
            o = overzicht(haaglanden)
            return o if o and set(haags) <= set(o["kandidaten"]) and o["totaal"]["aangemeld"] >= 2 else None

        h = await wait_for(haaglanden_has_both, timeout=60, what="the Haaglanden team's overview")
        assert not set(nieuw) & set(h["kandidaten"])
        assert h["totaal"]["aangemeld"] >= 2
    finally:
        for team in teams:
            stop_pid(team.pid, timeout=15, sig=signal.SIGTERM)
            team.wait()
        shutil.rmtree(work, ignore_errors=True)  # the teams' settings hold their bus passwords


def test_example_depends_only_on_the_contracts_a_kafka_client_and_typer() -> None:
    allowed = {"werkkloket_contracts", "aiokafka", "typer", "mobiliteitsteam"}
    for source in (EXAMPLE / "mobiliteitsteam").glob("*.py"):
        for node in ast.walk(ast.parse(source.read_text())):
            names = (
                [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else [node.module or ""]
                if isinstance(node, ast.ImportFrom) and node.level == 0
                else []
            )
            for name in names:
                top = name.split(".")[0]
                assert top in allowed or top in sys.stdlib_module_names, f"{source.name} imports {name}"


def test_services_name_no_team() -> None:
    """No service names a team or depends on one: a team is a role in the token contract (the runtime's identity
    vocabulary, which an endpoint may allow, scoped by the token's `regio`) and a principal on the bus. A new
    team changes nothing in the services."""
    vocabulary = REPO_ROOT / "services" / "common" / "werkkloket_runtime" / "identity.py"
    assert '"mobiliteitsteam"' in vocabulary.read_text()
    for source in (REPO_ROOT / "services").rglob("*.py"):
        if source != vocabulary and "tests" not in source.relative_to(REPO_ROOT).parts:
            text = source.read_text()
            assert "mobiliteitsteam-" not in text and "mobiliteitsteam_" not in text, source
            assert "rijnmond" not in text.lower(), source
