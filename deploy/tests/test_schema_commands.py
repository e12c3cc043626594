"""`werkkloket schemas` and `werkkloket asyncapi`: the committed files are current; a stale directory exits 1."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner
from werkkloket_deploy.cli import app

runner = CliRunner()


def test_committed_schemas_and_documents_are_current() -> None:
    for command in (["schemas", "check"], ["asyncapi", "check"]):
        result = runner.invoke(app, command)
        assert result.exit_code == 0, result.output


def test_schemas_write_then_check_a_directory(tmp_path: Path) -> None:
    stale = runner.invoke(app, ["schemas", "check", str(tmp_path)])
    assert stale.exit_code == 1
    assert "schema file(s) differ; run: werkkloket schemas write" in stale.output
    written = runner.invoke(app, ["schemas", "write", str(tmp_path)])
    assert written.exit_code == 0 and "wrote " in written.output
    assert runner.invoke(app, ["schemas", "check", str(tmp_path)]).exit_code == 0


def test_a_command_is_required() -> None:
    assert runner.invoke(app, ["schemas"]).exit_code == 2
