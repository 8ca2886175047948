"""Terminal output of the CLI: progress bar, summary tables, search and reuse tables."""

from __future__ import annotations

import time
from collections import Counter
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn
from rich.table import Table

from flows.dates import dmy
from flows.report import BatchReport, ProgressHook
from pipeline.ingest import IngestOutcome
from pipeline.labels import DOC_TYPE_VI
from pipeline.models import FileResult, PageText

console = Console()
err_console = Console(stderr=True)


class IngestProgress:
    """A files progress bar with a live pages/s figure, fed by the flow's hook."""

    def __init__(self, *, enabled: bool) -> None:
        self.enabled = enabled
        self.pages = 0
        self.started = time.monotonic()
        self._bar = Progress(
            TextColumn("[bold]{task.description}"), BarColumn(),
            TextColumn("{task.completed}/{task.total} files"),
            TextColumn("{task.fields[rate]}"), TimeElapsedColumn(), TimeRemainingColumn(),
            console=err_console, transient=True, disable=not enabled,
        )  # fmt: skip
        self._job = self._bar.add_task("ingest", total=None, rate="")
        self.hook = ProgressHook(self._total, self._start, self._page, self._done)

    def __enter__(self) -> IngestProgress:
        self._bar.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        self._bar.__exit__(*exc)  # type: ignore[arg-type]

    def _total(self, total: int) -> None:
        self._bar.update(self._job, total=total)

    def _start(self, name: str) -> None:
        self._bar.update(self._job, description=name[-40:])

    def _page(self, page: PageText) -> None:
        self.pages += 1
        rate = self.pages / max(1e-6, time.monotonic() - self.started)
        self._bar.update(self._job, rate=f"{self.pages} pages, {rate:.2f} pages/s")

    def _done(self, outcome: IngestOutcome) -> None:
        self._bar.advance(self._job)


def print_ingest_report(report: BatchReport) -> None:
    """Summary table: one row per file, then totals."""
    table = Table(title="Ingest summary", show_lines=False)
    for col in ("file", "status", "pages", "documents", "needs review"):
        table.add_column(col)
    for o in report.outcomes:
        docs = ", ".join(r["doc_type"] for r in o.records) if o.records else (o.message or "")
        review = sum(1 for r in o.records if r.get("needs_review"))
        style = {"quarantined": "red", "duplicate": "yellow"}.get(o.status, "")
        table.add_row(
            Path(o.file).name or o.file,
            f"[{style}]{o.status}[/]" if style else o.status,
            str(o.pages),
            docs,
            str(review or ""),
        )
    console.print(table)
    counts = Counter(o.status for o in report.outcomes)
    console.print(
        f"{len(report.outcomes)} files: {counts['processed']} processed, "
        f"{counts['duplicate']} already archived, {counts['quarantined']} quarantined; "
        f"{report.indexed} records indexed"
        f"{f', {report.pending} pending' if report.pending else ''} in {report.seconds:.1f} s"
    )
    if report.index_error:
        err_console.print(
            f"[yellow]warning:[/] {report.index_error}; records are archived and will be indexed "
            "by `dossier reindex --pending` or the next run"
        )


def report_json(report: BatchReport) -> dict[str, Any]:
    """The batch report as plain JSON."""
    return {
        "files": [
            {
                "file": o.file,
                "status": o.status,
                "sha256": o.sha256,
                "pages": o.pages,
                "records": [r["id"] for r in o.records],
                "error": o.error_code,
                "message": o.message,
            }
            for o in report.outcomes
        ],  # fmt: skip
        "indexed": report.indexed,
        "pending": report.pending,
        "index_error": report.index_error,
        "seconds": round(report.seconds, 2),
    }


def print_process_result(result: FileResult) -> None:
    """Human-readable result of `dossier process` for one file."""
    console.print(
        f"[bold]{result.file}[/]  sha256 {result.sha256[:12]}…  {result.page_count} pages"
    )
    for doc in result.documents:
        console.print(
            f"  pages {doc.page_start}-{doc.page_end}: [cyan]{doc.doc_type}[/] "
            f"({doc.doc_type_confidence:.2f}), OCR confidence {doc.ocr_confidence:.2f}"
            + ("  [yellow]needs review[/]" if doc.needs_review else "")
        )
        for name, value in doc.fields.items():
            console.print(f"    {name}: {value.value}  [dim]({value.confidence:.2f})[/]")
        for w in doc.warnings:
            console.print(f"    [yellow]warning:[/] {w}")


def print_search(query: str, result: dict[str, Any]) -> None:
    """Search hits as a table with Vietnamese column labels, then facets and suggestions."""
    total, page, size = result["total"], result.get("page", 1), result.get("size", 10)
    pages = max(1, -(-total // size)) if size else 1
    table = Table(title=f"Kết quả cho “{query}”: {total} hồ sơ (trang {page}/{pages})")
    for col in ("Loại giấy tờ", "Họ và tên", "Số định danh", "Ngày sinh", "Ngày cấp", "Tệp gốc",
                "Mã bản ghi", "Điểm"):  # fmt: skip
        table.add_column(col)
    for hit in result["hits"]:
        f = hit.get("fields", {})
        table.add_row(
            DOC_TYPE_VI.get(hit["doc_type"], hit["doc_type"]), f.get("full_name", ""),
            f.get("id_number", ""), dmy(f.get("date_of_birth")), dmy(f.get("issue_date")),
            hit["source_file"], hit["id"][:12] + "…",
            f"{hit['score']:.1f}" if hit.get("score") is not None else "",
        )  # fmt: skip
    console.print(table)
    _print_facets(result.get("facets") or {})
    for s in result.get("suggestions") or []:
        console.print(f"Gợi ý: “{s['query']}” ({s['total']} hồ sơ) — {s['reason']}")


def _print_facets(facets: dict[str, list[dict[str, Any]]]) -> None:
    """Print one line per facet with each value and its count."""
    labels = {"doc_type": "Loại giấy tờ", "issuing_authority": "Cơ quan cấp",
              "issue_year": "Năm cấp"}  # fmt: skip
    for name, buckets in facets.items():
        if not buckets:
            continue
        shown = ", ".join(
            f"{DOC_TYPE_VI.get(b['value'], b['value']) if name == 'doc_type' else b['value']} "
            f"({b['count']})"
            for b in buckets
        )
        console.print(f"[bold]{labels.get(name, name)}:[/] {shown}")


_LINKED_VI = {"id_number": "số định danh", "name+dob": "họ tên + ngày sinh"}


def _reuse_title(result: dict[str, Any]) -> str:
    """Who the papers belong to: ID number, name and date of birth as far as known."""
    parts = []
    if result.get("id_number"):
        parts.append(f"số định danh {result['id_number']}")
    if result.get("name"):
        parts.append(str(result["name"]))
    if result.get("date_of_birth"):
        parts.append(f"sinh ngày {dmy(result['date_of_birth'])}")
    return "Giấy tờ của " + (", ".join(parts) or "?")


def _link(doc: dict[str, Any]) -> str:
    """How a paper was linked to the person; the paper's own ID when found by name + dob."""
    label = _LINKED_VI.get(doc.get("linked_by") or "", doc.get("linked_by") or "")
    if doc.get("linked_by") == "name+dob" and doc.get("id_number"):
        label += f" (số {doc['id_number']})"
    return label


def _by_type(documents: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """Documents grouped by doc_type; groups in order of their newest paper, newest first."""
    groups: dict[str, list[dict[str, Any]]] = {}
    for doc in documents:
        groups.setdefault(str(doc.get("doc_type")), []).append(doc)
    return list(groups.values())


def print_reuse(result: dict[str, Any]) -> None:
    """A person's papers grouped by type (newest first) and whether each can be reused."""
    table = Table(title=_reuse_title(result))
    for col in ("Loại giấy tờ", "Ngày cấp", "Hết hạn", "Dùng lại", "Lý do", "Liên kết", "Tệp gốc"):
        table.add_column(col)
    for group in _by_type(result["documents"]):
        for n, d in enumerate(group):
            label = DOC_TYPE_VI.get(d["doc_type"], d["doc_type"]) if n == 0 else ""
            table.add_row(
                label, dmy(d.get("issue_date")), dmy(d.get("expiry_date")),
                "[green]có[/]" if d["reusable"] else "[red]không[/]", d.get("reason", ""),
                _link(d),
                d["source_file"],
            )  # fmt: skip
        table.add_section()
    console.print(table)
    if not result["documents"]:
        console.print("No archived papers for this person.")
