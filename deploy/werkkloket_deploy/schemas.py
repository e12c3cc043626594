"""`werkkloket schemas`: write or check the committed JSON Schemas of the events."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from werkkloket_contracts.schemas import SCHEMA_DIR, check, generate, load, write

app = typer.Typer(help="The JSON Schemas of the events.", no_args_is_help=True)
Directory = Annotated[Path, typer.Argument(metavar="DIR", help=f"default: {SCHEMA_DIR}", show_default=False)]


@app.command("write")
def write_command(directory: Directory = SCHEMA_DIR) -> None:
    """Write every schema to DIR/<ce_type>.json."""
    for path in write(directory):
        typer.echo(f"wrote {path}")
    stale = sorted(set(load(directory)) - set(generate()))
    for ce_type in stale:
        typer.echo(f"note: {directory / ce_type}.json has no event type any more; delete it deliberately")


@app.command("check")
def check_command(directory: Directory = SCHEMA_DIR) -> None:
    """Exit 1 when DIR differs from the generated schemas; says whether the changes are compatible."""
    differences, breaking = check(directory)
    if not differences:
        typer.echo(f"{len(generate())} schemas in {directory} are up to date")
        return
    typer.echo(f"{len(differences)} schema file(s) differ; run: werkkloket schemas write\n")
    for difference in differences:
        typer.echo(difference + "\n")
    if breaking:
        typer.echo("Incompatible changes (these need a new version of the event type, e.g. .v2):")
        for problem in breaking:
            typer.echo(f"  - {problem}")
    else:
        typer.echo("All changes are backward compatible.")
    raise typer.Exit(1)
