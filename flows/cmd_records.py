"""Record-keeping commands: `dossier reindex`, `dossier verify` and `dossier show`."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Annotated, Any

import typer
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn
from rich.table import Table

from flows.dates import dmy
from pipeline.errors import InputError
from pipeline.labels import FIELD_VI
from pipeline.models import DATE_FIELDS as _DATE_FIELDS


def _settings() -> Any:
    from pipeline.config import get_settings

    return get_settings()


def _print_json(obj: Any) -> None:
    typer.echo(json.dumps(obj, ensure_ascii=False))


@contextmanager
def _progress(label: str, *, enabled: bool) -> Iterator[Callable[[int, int], None]]:
    """A rich progress bar on stderr (silent when disabled); yields an update(done, total)."""
    from flows.render import err_console

    bar = Progress(
        TextColumn(f"[bold]{label}"), BarColumn(), TextColumn("{task.completed}/{task.total}"),
        TimeElapsedColumn(), TimeRemainingColumn(), console=err_console, transient=True,
        disable=not enabled,
    )  # fmt: skip
    job = bar.add_task(label, total=None)
    with bar:
        yield lambda done, total: bar.update(job, completed=done, total=total)


def reindex_command(
    pending: Annotated[
        bool, typer.Option("--pending", help="Only index records archived while ES was down.")
    ] = False,
    keep: Annotated[
        int, typer.Option(min=0, help="Previous indices to keep for rollback after a rebuild.")
    ] = 1,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
) -> None:
    """Rebuild the search index from the archive and switch to it without downtime."""
    from pipeline.archive import Archive
    from search.client import connect
    from search.reindex import reindex, reindex_pending

    settings = _settings()
    es = connect(settings)
    archive = Archive(settings.archive_path)
    show_bar = not as_json and sys.stderr.isatty()
    with _progress("pending" if pending else "reindex", enabled=show_bar) as update:
        if pending:
            report = reindex_pending(es, settings, archive, progress=update)
        else:
            report = reindex(es, settings, archive, keep=keep, progress=update)
    result = report.as_json()
    if as_json:
        _print_json(result)
    else:
        _print_reindex(result, pending)
    if report.failed or report.skipped:
        raise typer.Exit(1)


def _print_reindex(result: dict[str, Any], pending: bool) -> None:
    from flows.render import console, err_console

    what = "pending records indexed" if pending else "records indexed"
    console.print(
        f"{result['indexed']} {what} into {result['index'] or result['alias']} "
        f"in {result['seconds']} s"
    )
    if result["previous"]:
        console.print(f"alias {result['alias']} moved from {', '.join(result['previous'])}")
    if result["deleted"]:
        console.print(f"deleted old indices: {', '.join(result['deleted'])}")
    for item in result["skipped"]:
        err_console.print(f"[yellow]skipped:[/] {item['path']}: {item['reason']}")
    for item in result["failed"]:
        err_console.print(f"[red]failed:[/] {item['id']}: {item['reason']}")


def verify_command(
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
) -> None:
    """Re-check every original's hash and every sidecar; exit 1 when anything drifted."""
    from pipeline.archive import Archive
    from pipeline.verify import verify_archive

    settings = _settings()
    archive = Archive(settings.archive_path)
    with _progress("hashing originals", enabled=not as_json and sys.stderr.isatty()) as update:
        report = verify_archive(archive, progress=update)
    if as_json:
        _print_json(report.as_json())
    else:
        _print_verify(report.as_json())
    if not report.ok:
        raise typer.Exit(1)


def _print_verify(result: dict[str, Any]) -> None:
    from flows.render import console

    console.print(
        f"archive {result['root']}: {result['originals']} originals, "
        f"{result['sidecars']} sidecars checked"
    )
    if result["ok"]:
        console.print("[green]no drift found[/]")
        return
    table = Table(title=f"{len(result['problems'])} problems")
    for col in ("kind", "path", "message"):
        table.add_column(col)
    for p in result["problems"]:
        table.add_row(f"[red]{p['kind']}[/]", p["path"], p["message"])
    console.print(table)


def show_command(
    record_id: Annotated[str, typer.Argument(help="Record id: <sha256>-<n> (from search).")],
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output.")] = False,
) -> None:
    """Show one archived record with Vietnamese labels and where its files are."""
    from pipeline.archive import Archive

    settings = _settings()
    archive = Archive(settings.archive_path)
    path = archive.sidecar_path(record_id)
    if path is None:
        raise InputError(f"{record_id!r} is not a record id", hint="use <sha256>-<n> from search")
    if not path.is_file():
        raise InputError(
            f"no record {record_id} in the archive at {archive.root}", reason="missing"
        )
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        raise InputError(
            f"record {record_id} is unreadable: {e}", hint="run `dossier verify`"
        ) from e
    original = archive.root / str(record.get("original_path") or "")
    files = {
        "sidecar": str(path),
        "original": str(original),
        "original_exists": original.is_file() and bool(record.get("original_path")),
    }
    if as_json:
        _print_json({"record": record, "files": files})
    else:
        _print_record(record, files)


def _print_record(record: dict[str, Any], files: dict[str, Any]) -> None:
    from flows.render import DOC_TYPE_VI, console

    doc_type = str(record.get("doc_type") or "other")
    table = Table(title=f"{DOC_TYPE_VI.get(doc_type, doc_type)} — {record.get('id')}")
    table.add_column("Trường")
    table.add_column("Giá trị")
    table.add_column("Độ tin cậy", justify="right")
    for name, entry in (record.get("fields") or {}).items():
        value = entry.get("value") if isinstance(entry, dict) else entry
        conf = entry.get("confidence") if isinstance(entry, dict) else None
        shown = dmy(value) if name in _DATE_FIELDS else str(value or "")
        table.add_row(FIELD_VI.get(name, name), shown, f"{conf:.2f}" if conf is not None else "")
    console.print(table)
    console.print(
        f"Tệp gốc: {record.get('source_file')}  •  trang {record.get('page_start')}–"
        f"{record.get('page_end')}  •  nhận lúc {record.get('ingested_at')}  •  "
        f"chỉ mục: {record.get('index_state')}"
    )
    if record.get("needs_review"):
        console.print("[yellow]Cần kiểm tra lại[/]: " + "; ".join(record.get("warnings") or []))
    console.print(f"Bản gốc: {files['original']}" + ("" if files["original_exists"] else
                  " [red](không tìm thấy)[/]"))  # fmt: skip
    console.print(f"Hồ sơ JSON: {files['sidecar']}")


def register(app: typer.Typer) -> None:
    """Add `reindex`, `verify` and `show` to the `dossier` app."""
    app.command("reindex")(reindex_command)
    app.command("verify")(verify_command)
    app.command("show")(show_command)
