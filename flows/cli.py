"""The `dossier` command line: one place that turns DossierError into exit codes."""

from __future__ import annotations

import json
import logging
import os
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from flows.dates import option_date
from pipeline import __version__
from pipeline.errors import DossierError, InputError

app = typer.Typer(
    name="dossier",
    help="Digitise dossier papers (OCR, classify, extract), archive them and search them.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
_state: dict[str, bool] = {"verbose": False}


def _version(value: bool) -> None:
    if value:
        typer.echo(f"dossier {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    verbose: Annotated[
        bool, typer.Option("--verbose", "-v", help="Debug logs and tracebacks.")
    ] = False,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version.")
    ] = False,
) -> None:
    """Digitise dossier papers (OCR, classify, extract), archive them and search them."""
    _state["verbose"] = verbose
    logging.basicConfig(
        level=logging.DEBUG if verbose else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )


def _settings() -> Any:
    from pipeline.config import get_settings

    return get_settings()


def _print_json(obj: Any) -> None:
    typer.echo(json.dumps(obj, ensure_ascii=False))


@app.command()
def process(
    files: Annotated[list[Path], typer.Argument(help="Scans: PDF, JPEG, PNG, TIFF, BMP, WebP.")],
    as_json: Annotated[
        bool, typer.Option("--json", help="One JSON object per file per line.")
    ] = False,
) -> None:
    """OCR, classify and extract fields of FILES without archiving or indexing them."""
    from flows.render import print_process_result
    from pipeline.intake import collect_paths, open_input
    from pipeline.process import make_engine, process_file

    settings = _settings()
    engine = make_engine(settings)
    pairs, errors = collect_paths([str(f) for f in files])
    failed = bool(errors)
    for err in errors:
        _emit_error(err.message.split(":")[0], err, as_json)
    for path, given in pairs:
        try:
            item = open_input(path, given=given, max_bytes=settings.max_file_bytes)
            result = process_file(item, settings, engine)
        except InputError as e:
            failed = True
            _emit_error(given, e, as_json)
            continue
        if as_json:
            _print_json(result.as_json())
        else:
            print_process_result(result)
    if failed:
        raise typer.Exit(InputError.exit_code)


def _emit_error(given: str, err: DossierError, as_json: bool) -> None:
    code = getattr(err, "reason", err.code)
    if as_json:
        _print_json({"file": given, "error": {"code": code, "message": str(err)}})
    else:
        typer.echo(f"error: {err}", err=True)


@app.command()
def ingest(
    paths: Annotated[list[Path], typer.Argument(help="Files or folders of scans.")],
    dossier_code: Annotated[
        str | None, typer.Option("--dossier-code", help="Dossier these papers were filed with.")
    ] = None,
    wait: Annotated[
        bool,
        typer.Option("--wait/--no-wait", help="Block until the batch is archived and indexed."),
    ] = True,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
    dask: Annotated[
        int,
        typer.Option(
            "--dask",
            min=0,
            max=64,
            metavar="WORKERS",
            help="Spread one big batch over a local Dask cluster of this many processes "
            "(needs the dask extra); 0 = files one at a time, pages in parallel.",
        ),
    ] = 0,
) -> None:
    """Archive, process and index scans through the Prefect ingest flow."""
    from flows.render import IngestProgress, print_ingest_report, report_json
    from flows.runtime import configure_prefect

    settings = _settings()
    configure_prefect(settings, quiet=not _state["verbose"])
    from flows.ingest import ingest_batch, ingest_batch_on_dask

    if not wait:
        typer.echo("note: without a deployed worker the batch runs here; waiting for it", err=True)
    with IngestProgress(enabled=not as_json and sys.stderr.isatty()) as progress:
        names = [str(p) for p in paths]
        if dask:
            report = ingest_batch_on_dask(names, dossier_code, settings, progress.hook, dask)
        else:
            report = ingest_batch(names, dossier_code, settings, progress.hook)
    if as_json:
        _print_json(report_json(report))
    else:
        print_ingest_report(report)
    if report.failed:
        raise typer.Exit(InputError.exit_code)


@app.command()
def search(
    query: Annotated[str, typer.Argument(help="ID number, name (with or without accents), words.")],
    doc_type: Annotated[str | None, typer.Option("--type", help="Only this doc_type.")] = None,
    issued_from: Annotated[
        str | None, typer.Option(help="Issued on or after (YYYY-MM-DD).")
    ] = None,
    issued_to: Annotated[str | None, typer.Option(help="Issued on or before (YYYY-MM-DD).")] = None,
    born_from: Annotated[str | None, typer.Option(help="Born on or after (YYYY-MM-DD).")] = None,
    born_to: Annotated[str | None, typer.Option(help="Born on or before (YYYY-MM-DD).")] = None,
    authority: Annotated[
        str | None, typer.Option(help="Issuing authority: a facet value, or words of it in order.")
    ] = None,
    dossier_code: Annotated[
        str | None, typer.Option("--dossier-code", help="Papers filed with this dossier.")
    ] = None,
    sort: Annotated[
        str, typer.Option(help="relevance, newest (issue date) or ingested.")
    ] = "relevance",
    facets: Annotated[
        bool, typer.Option("--facets", help="Counts by type, authority and year.")
    ] = False,
    reusable_only: Annotated[
        bool, typer.Option("--reusable-only", help="Only papers that may be reused (see reuse).")
    ] = False,
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="With --reusable-only: judge on this date.")
    ] = None,
    size: Annotated[int, typer.Option(min=1, max=100, help="Hits per page.")] = 10,
    page: Annotated[int, typer.Option(min=1, help="Page number.")] = 1,
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output.")] = False,
) -> None:
    """Search the records database."""
    from flows.render import print_search
    from search.client import connect
    from search.queries import SearchFilters
    from search.queries import search as run_search

    settings = _settings()
    _check_doc_type(doc_type)
    filters = SearchFilters(
        issued_from=option_date("--issued-from", issued_from),
        issued_to=option_date("--issued-to", issued_to),
        born_from=option_date("--born-from", born_from),
        born_to=option_date("--born-to", born_to),
        authority=authority,
        dossier_code=dossier_code,
    )
    result = run_search(
        connect(settings), settings, query, doc_type=doc_type, size=size, page=page,
        filters=filters, sort=sort, facets=facets, reusable_only=reusable_only,
        as_of=option_date("--as-of", as_of),
    )  # fmt: skip
    if as_json:
        _print_json(result)
    else:
        print_search(query, result)


def _check_doc_type(doc_type: str | None) -> None:
    from pipeline.models import DOC_TYPES

    if doc_type is not None and doc_type not in DOC_TYPES:
        raise DossierError(
            f"unknown document type {doc_type!r}", hint="one of: " + ", ".join(DOC_TYPES)
        )


@app.command()
def reuse(
    id_number: Annotated[
        str | None, typer.Argument(help="12-digit personal ID (or old 9-digit CMND).")
    ] = None,
    name: Annotated[
        str | None, typer.Option("--name", help="Full name as printed (with --dob).")
    ] = None,
    dob: Annotated[
        str | None, typer.Option("--dob", help="Date of birth: YYYY-MM-DD or dd/mm/yyyy.")
    ] = None,
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="Judge validity on this date (YYYY-MM-DD).")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output.")] = False,
) -> None:
    """List a person's archived papers (by ID, or by --name and --dob) and if each is reusable."""
    from flows.render import print_reuse
    from search.client import connect
    from search.person import reuse as run_reuse
    from search.person import reuse_by_name

    settings = _settings()
    when = option_date("--as-of", as_of)
    if id_number is not None and (name or dob):
        raise InputError("give either an ID number or --name with --dob, not both")
    if id_number is not None:
        digits = "".join(ch for ch in id_number if ch.isdigit())
        if len(digits) not in (9, 12):
            raise InputError(f"{id_number!r} is not a 12-digit ID number or a 9-digit CMND")
        result = run_reuse(connect(settings), settings, digits, as_of=when)
    elif name and dob:
        result = reuse_by_name(connect(settings), settings, name, dob, as_of=when)
    else:
        raise InputError(
            "give an ID number, or both --name and --dob",
            hint="a name alone never identifies a person",
        )
    if as_json:
        _print_json(result)
    else:
        print_reuse(result)


@app.command()
def samples(
    out_dir: Annotated[Path, typer.Argument(help="Folder to write scans and *.truth.json into.")],
    count: Annotated[int, typer.Option(min=1, max=10000, help="How many files.")] = 12,
    seed: Annotated[int, typer.Option(help="Random seed (same seed, same files).")] = 0,
    kind: Annotated[
        list[str] | None,
        typer.Option(
            help="Repeatable: a doc_type (or news_article, running prose) and/or a degradation "
            "(clean, scan200, fax, photocopy, phone, lowres, pdf_scan, pdf_text, tiff_multi)."
        ),
    ] = None,
    font: Annotated[
        list[str] | None,
        typer.Option(
            help="Repeatable: set every paper in these font families (e.g. 'Liberation Mono', "
            "'DejaVu Serif Condensed'; an unknown name lists the installed ones). Default: the "
            "usual mix of Liberation, Noto and DejaVu serif and sans."
        ),
    ] = None,
) -> None:
    """Generate realistic sample scans with ground truth (for demo, tests, benchmarks)."""
    from rich.progress import Progress

    from pipeline.samples import generate

    with Progress(transient=True) as bar:
        job = bar.add_task("rendering samples", total=count)
        written = generate(
            out_dir,
            count,
            seed,
            kinds=kind,
            fonts=font,
            progress=lambda done, total: bar.update(job, completed=done),
        )
    typer.echo(f"wrote {len(written)} sample scans with ground truth to {out_dir}")


@app.command()
def demo(
    folder: Annotated[Path | None, typer.Option(help="Where to write the demo scans.")] = None,
) -> None:
    """Generate sample scans, ingest them, and show searches and a reuse look-up."""
    from flows.demo import run_demo

    run_demo(_settings(), folder, verbose=_state["verbose"])


def _mount_subcommands() -> None:
    from flows import cmd_dossier, cmd_eval, cmd_export, cmd_records, cmd_train, cmd_web
    from flows.cmd_review import review_app
    from flows.cmd_schedule import schedule_app, worker_app

    cmd_train.register(app)
    cmd_eval.register(app)
    cmd_records.register(app)
    cmd_web.register(app)
    cmd_export.register(app)
    cmd_dossier.register(app)
    from flows.services_cli import app as services_app

    app.add_typer(services_app, name="services", help="Start, stop and check local services.")
    app.add_typer(schedule_app, name="schedule", help="Install and inspect the nightly schedule.")
    app.add_typer(worker_app, name="worker", help="Run a Prefect worker for scheduled runs.")
    app.add_typer(review_app, name="review", help="The review queue: list, approve, correct.")


def main() -> None:
    """Console entry point: run the CLI and map DossierError to its exit code."""
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")  # Tesseract: 1 thread per worker process
    _mount_subcommands()
    try:
        app()
    except DossierError as e:
        if _state["verbose"]:
            import traceback

            traceback.print_exc()
        typer.echo(f"error: {e}", err=True)
        sys.exit(e.exit_code)
    except KeyboardInterrupt:
        typer.echo("interrupted", err=True)
        sys.exit(130)


if __name__ == "__main__":
    main()
