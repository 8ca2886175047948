"""The ingest flow: archive and process each file, then index what was archived."""

from __future__ import annotations

import logging
import time
from pathlib import Path
from typing import Any

from prefect import flow, task
from prefect.artifacts import (
    create_progress_artifact,
    update_progress_artifact,
)
from prefect.cache_policies import NO_CACHE

from flows.artifacts import publish_markdown
from flows.notify import notify_failures
from flows.report import BatchReport, ProgressHook
from pipeline.archive import Archive
from pipeline.config import Settings
from pipeline.errors import DependencyError, TransientError
from pipeline.ingest import IngestOutcome, ingest_file
from pipeline.intake import collect_paths
from pipeline.process import make_engine

log = logging.getLogger(__name__)


def _is_transient(task: Any, task_run: Any, state: Any) -> bool:
    """Retry only what is transient (index down, storage busy)."""
    exc = state.result(raise_on_failure=False)
    return isinstance(exc, TransientError)


@task(
    name="process-file",
    retries=2,
    retry_delay_seconds=2,
    retry_condition_fn=_is_transient,
    cache_policy=NO_CACHE,  # idempotency comes from the archive, keyed by content hash
)
def process_file_task(
    path: str, given: str, settings: Settings, dossier_code: str | None, hook: ProgressHook
) -> IngestOutcome:
    """Archive, OCR, classify and extract one file (all its pages in one task)."""
    hook.on_file_start(given)
    engine = make_engine(settings)
    outcome = ingest_file(
        Path(path), given, settings, engine, dossier_code=dossier_code, on_page=hook.on_page
    )
    hook.on_file_done(outcome)
    return outcome


@task(
    name="index-records",
    retries=2,
    retry_delay_seconds=3,
    retry_condition_fn=_is_transient,
    cache_policy=NO_CACHE,
)
def index_records_task(records: list[dict[str, Any]], settings: Settings) -> int:
    """Index archived records into Elasticsearch (one refresh at the end)."""
    from search.client import connect
    from search.indexer import index_records

    es = connect(settings)
    report = index_records(es, settings, records, refresh=True)
    if report.failed:
        log.warning("%d records failed to index: %s", len(report.failed), report.failed[:3])
    return report.indexed


@flow(name="ingest-batch", log_prints=True)
def ingest_batch(
    paths: list[str],
    dossier_code: str | None = None,
    settings: Settings | None = None,
    hook: ProgressHook | None = None,
    parallel: bool = False,
) -> BatchReport:
    """Ingest files and folders: quarantine bad input, never stop the batch for one file.

    Files go one at a time (their pages in parallel on the page pool) unless `parallel`,
    which submits every file to the flow's task runner: see `ingest_batch_on_dask`.
    """
    settings = settings or Settings()
    hook = hook or ProgressHook()
    started = time.monotonic()
    report = BatchReport()
    pairs, errors = collect_paths(paths)
    hook.on_batch(len(pairs) + len(errors))
    archive = Archive(settings.archive_path)
    for err in errors:
        report.outcomes.append(
            IngestOutcome(
                err.message.split(":")[0], "quarantined", error_code=err.reason, message=str(err)
            )
        )
    make_engine(settings)  # fail fast on a missing Tesseract, before touching any file
    progress = BatchProgress(len(pairs))
    if parallel:
        # Files in parallel on the flow's task runner (Dask: one process per worker); the
        # CLI's callbacks cannot reach other processes, so progress is counted per file here.
        quiet = ProgressHook()
        futures = [
            (process_file_task.submit(str(p), g, settings, dossier_code, quiet), p, g)
            for p, g in pairs
        ]
        for future, path, given in futures:
            future.wait()
            outcome = outcome_of(future.state, path, given, archive, hook)
            if future.state.is_completed():
                hook.on_file_done(outcome)
            report.outcomes.append(outcome)
            progress.advance()
    else:
        for path, given in pairs:
            state = process_file_task(
                str(path), given, settings, dossier_code, hook, return_state=True
            )
            report.outcomes.append(outcome_of(state, path, given, archive, hook))
            progress.advance()
    to_index = [r for r in report.records if r.get("index_state") != "indexed"]
    index_pending(report, to_index, settings, archive)
    report.seconds = time.monotonic() - started
    publish_report(report)
    notify_failures("ingest-batch", report, settings.notify_webhook_url)
    return report


def ingest_batch_on_dask(
    paths: list[str],
    dossier_code: str | None = None,
    settings: Settings | None = None,
    hook: ProgressHook | None = None,
    workers: int = 2,
) -> BatchReport:
    """One big batch spread over a local Dask cluster: `workers` processes, a file each.

    Each Dask worker OCRs its file's pages itself (`DOSSIER_PAGE_WORKERS=1`), so the
    machine runs `workers` Tesseract processes. Needs the `dask` extra (prefect-dask).
    """
    try:
        from prefect_dask import DaskTaskRunner
    except ImportError as e:
        raise DependencyError(
            "the Dask task runner is not installed", hint="pip install 'dossier[dask]'"
        ) from e
    env = {"DOSSIER_PAGE_WORKERS": "1", "OMP_THREAD_LIMIT": "1"}
    runner = DaskTaskRunner(
        cluster_kwargs={
            "n_workers": workers, "threads_per_worker": 1, "processes": True, "env": env,
            "dashboard_address": None,
        }
    )  # fmt: skip
    flow_on_dask = ingest_batch.with_options(task_runner=runner)
    return flow_on_dask(paths, dossier_code, settings, hook, parallel=True)


def outcome_of(
    state: Any, path: Path, given: str, archive: Archive, hook: ProgressHook
) -> IngestOutcome:
    """The task's outcome; a task that failed on good input is recorded, not fatal."""
    if state.is_completed():
        return state.result()
    exc = state.result(raise_on_failure=False)
    message = f"{given}: processing failed: {exc}"
    folder = archive.quarantine(path, given, "processing-error", message)
    outcome = IngestOutcome(
        given, "quarantined", error_code="processing-error", message=message,
        quarantine_dir=str(folder),
    )  # fmt: skip
    hook.on_file_done(outcome)
    return outcome


def index_pending(
    report: BatchReport, records: list[dict[str, Any]], settings: Settings, archive: Archive
) -> None:
    """Index records; when Elasticsearch is down they stay archived and marked pending."""
    if not records:
        return
    try:
        report.indexed = index_records_task(records, settings)
        archive.set_index_state(records, "indexed")
    except (DependencyError, TransientError) as e:
        report.pending = len(records)
        report.index_error = str(e)
        log.warning(
            "Elasticsearch unavailable: %d records archived and pending: %s", len(records), e
        )


class BatchProgress:
    """A Prefect progress artifact (percent of files done) for runs watched in the UI."""

    def __init__(self, total: int) -> None:
        self.total, self.done = total, 0
        self.artifact_id = None
        try:
            self.artifact_id = create_progress_artifact(0.0, description="Files processed")
        except Exception as e:  # progress is a nicety: never fail the batch over it
            log.debug("progress artifact not created: %s", e)

    def advance(self) -> None:
        """One more file done."""
        self.done += 1
        if self.artifact_id is None or not self.total:
            return
        try:
            update_progress_artifact(self.artifact_id, 100.0 * self.done / self.total)
        except Exception as e:
            log.debug("progress artifact not updated: %s", e)


def publish_report(report: BatchReport, key: str = "ingest-report") -> None:
    """A markdown run report as a Prefect artifact."""
    lines = [
        "| file | status | pages | documents |",
        "|---|---|---|---|",
        *(
            f"| {o.file} | {o.status} | {o.pages} | "
            f"{', '.join(r['doc_type'] for r in o.records) or (o.message or '')} |"
            for o in report.outcomes
        ),
        "",
        f"Indexed {report.indexed}, pending {report.pending}, {report.seconds:.1f} s.",
    ]
    publish_markdown(lines, key=key, description="Batch report")
