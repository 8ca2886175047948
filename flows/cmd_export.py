"""`dossier export --person ID`: a ZIP of a person's reusable papers for hand-over."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path
from typing import Annotated, Any

import typer

from flows.dates import option_date


def export_person(
    settings: Any, id_number: str, out: Path | None, as_of: date | None
) -> dict[str, Any]:
    """Look the person up, then write the ZIP of their reusable papers; a JSON summary."""
    from pipeline.archive import Archive
    from pipeline.export import export_papers
    from search.client import connect
    from search.person import VIETNAM_TZ, reuse

    day = as_of or datetime.now(VIETNAM_TZ).date()
    result = reuse(connect(settings), settings, id_number, as_of=day)
    person = {**result, "as_of": day.isoformat()}
    target = out or Path(f"{result['id_number']}-papers.zip")
    report = export_papers(Archive(settings.archive_path), person, target)
    return {"zip": str(report.path), "files": report.files, "missing": report.missing}


def export_command(
    person: Annotated[
        str, typer.Option("--person", help="12-digit personal ID (or 9-digit CMND).")
    ],
    out: Annotated[
        Path | None, typer.Option("--out", help="ZIP to write (default: <ID>-papers.zip).")
    ] = None,
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="Judge validity on this date (YYYY-MM-DD).")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the summary as JSON.")] = False,
) -> None:
    """Write a ZIP of a person's reusable papers (PDFs + manifest.json) for hand-over."""
    from pipeline.config import get_settings

    summary = export_person(get_settings(), person, out, option_date("--as-of", as_of))
    if as_json:
        typer.echo(json.dumps(summary, ensure_ascii=False))
        return
    typer.echo(f"wrote {len(summary['files'])} papers to {summary['zip']}")
    for missing in summary["missing"]:
        typer.echo(f"not exported: {missing['id']}: {missing['reason']}", err=True)


def register(app: typer.Typer) -> None:
    """Add `export` to the `dossier` app."""
    app.command("export")(export_command)
