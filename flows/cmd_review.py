"""`dossier review list|show|approve|correct`: the officers' review queue."""

from __future__ import annotations

import json
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from pipeline.archive import Archive
from pipeline.config import Settings, get_settings
from pipeline.errors import DependencyError, InputError, TransientError

review_app = typer.Typer(help="List, approve and correct documents that need review.")
console = Console()


def _archive() -> tuple[Settings, Archive]:
    settings = get_settings()
    return settings, Archive(settings.archive_path)


def _reindex(settings: Settings, archive: Archive, record: dict[str, Any]) -> None:
    """Push the corrected record to the index; if it is down the record stays pending."""
    from search.client import connect
    from search.indexer import index_records

    try:
        index_records(connect(settings), settings, [record], refresh=True)
    except (DependencyError, TransientError) as e:
        console.print(f"[yellow]saved; not indexed yet ({e}); `dossier reindex --pending` will[/]")
        return
    archive.set_index_state([record], "indexed")


@review_app.command("list")
def list_cmd(as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """Documents flagged needs_review, oldest first."""
    from pipeline.review import pending_reviews

    _, archive = _archive()
    items = [
        {"id": r["id"], "doc_type": r["doc_type"], "source_file": r["source_file"],
         "warnings": r.get("warnings", []) or _low_confidence(r),
         "ocr_confidence": r.get("ocr_confidence")}
        for r in pending_reviews(archive)
    ]  # fmt: skip
    if as_json:
        typer.echo(json.dumps({"total": len(items), "items": items}, ensure_ascii=False))
        return
    table = Table(title=f"{len(items)} documents need review")
    for col in ("id", "type", "file", "OCR", "why"):
        table.add_column(col)
    for it in items:
        short_id = it["id"][:16] + "…" + it["id"][-2:]
        why = "; ".join(it["warnings"])[:80]
        table.add_row(
            short_id, it["doc_type"], it["source_file"], f"{it['ocr_confidence'] or 0:.2f}", why
        )
    console.print(table)


def _low_confidence(record: dict[str, Any]) -> list[str]:
    """Why a record without warnings is in the queue: a low confidence."""
    reasons = []
    if record.get("doc_type_confidence", 1) < 0.6:
        reasons.append(f"type confidence {record['doc_type_confidence']:.2f}")
    if record.get("ocr_confidence", 1) < 0.6:
        reasons.append(f"OCR confidence {record['ocr_confidence']:.2f}")
    return reasons or ["flagged"]


def _resolve(archive: Archive, prefix: str) -> str:
    """A full record id from an id or a unique prefix of one (as `review list` prints)."""
    prefix = prefix.replace("…", "")
    matches = [r["id"] for r in archive.iter_records() if r["id"].startswith(prefix)]
    if len(matches) != 1:
        raise InputError(f"{prefix!r} matches {len(matches)} records", hint="give more of the id")
    return matches[0]


@review_app.command("show")
def show_cmd(record_id: str, as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """One record with its fields, warnings and correction history."""
    from pipeline.review import load

    _, archive = _archive()
    record = load(archive, _resolve(archive, record_id))
    if as_json:
        typer.echo(json.dumps(record, ensure_ascii=False))
        return
    console.print(f"[bold]{record['id']}[/] {record['doc_type']} ({record['source_file']})")
    for name, f in record["fields"].items():
        console.print(f"  {name}: {f['value']}  [dim]({f['confidence']})[/]")
    for w in record.get("warnings", []):
        console.print(f"  [yellow]warning:[/] {w}")
    for c in record.get("corrections", []):
        console.print(f"  [dim]{c['at']} {c['by']}: {c['what']} {c['old']!r} → {c['new']!r}[/]")


@review_app.command("approve")
def approve_cmd(record_id: str) -> None:
    """Accept a record as it is."""
    from pipeline.review import approve

    settings, archive = _archive()
    record = approve(archive, _resolve(archive, record_id))
    _reindex(settings, archive, record)
    console.print(f"approved {record['id']}")


@review_app.command("correct")
def correct_cmd(
    record_id: str,
    doc_type: Annotated[str | None, typer.Option("--type", help="The right doc_type.")] = None,
    set_: Annotated[
        list[str] | None, typer.Option("--set", help="field=value (repeatable).")
    ] = None,
    unset: Annotated[list[str] | None, typer.Option("--unset", help="Remove a field.")] = None,
) -> None:
    """Fix the type and fields of a record; the history keeps who changed what."""
    from pipeline.review import correct

    settings, archive = _archive()
    fields: dict[str, str | None] = {name: None for name in unset or []}
    for item in set_ or []:
        name, sep, value = item.partition("=")
        if not sep:
            raise InputError(f"--set {item!r} is not field=value")
        fields[name.strip()] = value.strip()
    record = correct(archive, _resolve(archive, record_id), doc_type=doc_type, fields=fields)
    _reindex(settings, archive, record)
    console.print(f"corrected {record['id']}: {len(record.get('corrections', []))} changes so far")
