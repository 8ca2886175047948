"""`dossier dossier CODE`: one dossier's receipt details, the papers filed and its results."""

from __future__ import annotations

import json
from typing import Annotated, Any

import typer
from rich.table import Table

from flows.dates import dmy, option_date
from pipeline.errors import InputError

STATUS_VI = {
    "result_issued": "đã có kết quả",
    "overdue": "quá hạn trả kết quả",
    "in_progress": "đang giải quyết",
    "unknown": "chưa rõ",
}


def dossier_command(
    code: Annotated[
        str, typer.Argument(help="Dossier code (Mã hồ sơ), e.g. H10.22.15-240315-0042.")
    ],
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="Judge an overdue appointment on this date.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output.")] = False,
) -> None:
    """Show a dossier: procedure, applicant, dates and status, its papers and its results."""
    from pipeline.config import get_settings
    from search.client import connect
    from search.dossiers import dossier_view

    settings = get_settings()
    view = dossier_view(connect(settings), settings, code, today=option_date("--as-of", as_of))
    if as_json:
        typer.echo(json.dumps(view, ensure_ascii=False))
    else:
        _print_dossier(view)
    if not view["total"]:
        raise InputError(f"no archived document carries dossier code {code!r}", reason="missing")


def _print_dossier(view: dict[str, Any]) -> None:
    from flows.render import console

    if not view["total"]:
        return
    applicant = view["applicant"]
    person = " • ".join(
        part for part in (applicant.get("full_name"), applicant.get("id_number"),
                          dmy(applicant.get("date_of_birth"))) if part
    )  # fmt: skip
    lines = [
        ("Mã hồ sơ", view["dossier_code"]),
        ("Thủ tục", view.get("procedure_name") or ""),
        ("Người nộp", person),
        ("Ngày nhận", dmy(view.get("received_date"))),
        ("Hẹn trả", dmy(view.get("appointment_date"))),
        ("Trạng thái", STATUS_VI.get(view["status"], view["status"])),
    ]
    for label, value in lines:
        console.print(f"[bold]{label}:[/] {value or '—'}")
    _print_documents(f"Giấy tờ nộp ({len(view['papers'])})", view["papers"])
    _print_documents(f"Kết quả ({len(view['results'])})", view["results"])
    if view["total"] > len(view["papers"]) + len(view["results"]):
        console.print(f"[yellow]{view['total']} documents; only the first ones are listed[/]")


def _print_documents(title: str, documents: list[dict[str, Any]]) -> None:
    from flows.render import DOC_TYPE_VI, console

    table = Table(title=title)
    for col in ("Loại giấy tờ", "Số", "Ngày cấp", "Họ và tên", "Tệp gốc", "Mã bản ghi"):
        table.add_column(col)
    for d in documents:
        doc_type = str(d.get("doc_type") or "other")
        table.add_row(
            DOC_TYPE_VI.get(doc_type, doc_type), d.get("document_number") or "",
            dmy(d.get("issue_date")), d.get("full_name") or "", d.get("source_file") or "",
            str(d.get("id") or "")[:12],
        )  # fmt: skip
    console.print(table)


def register(app: typer.Typer) -> None:
    """Add `dossier` (the dossier view) to the `dossier` app."""
    app.command("dossier")(dossier_command)
