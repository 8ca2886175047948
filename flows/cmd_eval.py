"""`dossier eval`: score the pipeline (and optionally raw Tesseract) on generated scans."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer


def register(app: typer.Typer) -> None:
    """Add the `eval` command to the `dossier` app."""
    app.command("eval")(eval_command)


def eval_command(
    folder: Annotated[
        Path, typer.Argument(help="Folder of generated scans with *.truth.json beside them.")
    ],
    baseline: Annotated[
        bool,
        typer.Option("--baseline", help="Also run raw `tesseract IMG - -l vie` on the same pages."),
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
) -> None:
    """Per degradation kind: CER, word recall, type and field accuracy, confusion matrix."""
    from pipeline.config import get_settings
    from pipeline.errors import InputError
    from pipeline.evaluate import evaluate, evaluate_text, iter_truth
    from pipeline.intake import open_input
    from pipeline.process import make_engine, process_file

    if not any(iter_truth(folder)):
        raise InputError(
            f"{folder}: no *.truth.json scans",
            hint="make some: python -m pipeline.samples OUT_DIR --count 30",
        )
    settings = get_settings()
    engine = make_engine(settings)
    progress = _progress(as_json)
    report = evaluate(
        folder,
        lambda p: process_file(open_input(p, max_bytes=settings.max_file_bytes), settings, engine),
        progress,
    ).as_json()
    if baseline:
        from pipeline.baseline import raw_tesseract_file

        raw = evaluate_text(folder, lambda p: raw_tesseract_file(p, settings), progress)
        report["baseline_raw_tesseract"] = {k: v.as_json() for k, v in sorted(raw.items())}
    if as_json:
        typer.echo(json.dumps(report, ensure_ascii=False))
    else:
        typer.echo(format_report(report))


def _progress(quiet: bool) -> Any:
    def show(i: int, n: int) -> None:
        if not quiet and sys.stderr.isatty():
            typer.echo(f"\r{i}/{n}", err=True, nl=i == n)

    return show


def format_report(report: dict[str, Any]) -> str:
    """A plain-text table: one row per degradation kind, baseline columns when present."""
    raw = report.get("baseline_raw_tesseract", {})
    head = f"{'kind':<16} {'files':>5} {'CER':>8} {'recall':>7} {'type':>6} {'fields':>7}"
    if raw:
        head += f" | {'raw CER':>8} {'raw rec':>7}"
    pct = lambda v: f"{v * 100:>7.2f}%"  # noqa: E731
    lines = [head]
    rows = {**report["by_degradation"], "total": report["total"]}
    for kind, t in rows.items():
        fields = t["field_accuracy"]
        line = (
            f"{kind:<16} {t['files']:>5} {pct(t['cer'])} {t['word_recall']:>7.4f} "
            f"{t['type_accuracy']:>6.3f} {'-' if fields is None else f'{fields:.3f}':>7}"
        )
        if kind in raw:
            line += f" | {pct(raw[kind]['cer'])} {raw[kind]['word_recall']:>7.4f}"
        lines.append(line)
    wrong = [c for c in report["confusion"] if c["truth"] != c["predicted"]]
    if wrong:
        lines.append("misclassified:")
        lines += [f"  {c['truth']} → {c['predicted']}: {c['count']}" for c in wrong]
    return "\n".join(lines)
