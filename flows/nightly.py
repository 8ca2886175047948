"""The nightly digitisation flow: take settled inbox files, ingest them, report the run."""

from __future__ import annotations

import logging
import time
from dataclasses import asdict
from pathlib import Path
from typing import Any

from prefect import flow

from flows.ingest import (
    BatchProgress,
    index_pending,
    outcome_of,
    process_file_task,
    publish_report,
)
from flows.notify import notify_failures
from flows.report import BatchReport, ProgressHook
from pipeline.archive import Archive, atomic_write_json, now_iso
from pipeline.config import Settings
from pipeline.inbox import release, stable_files, symlinks_outside, unchanged
from pipeline.ingest import IngestOutcome
from pipeline.intake import display_name
from pipeline.process import make_engine

log = logging.getLogger(__name__)

DEFAULT_SETTLE_S = 120.0


def _archived_copy(archive: Archive, outcome: IngestOutcome) -> Path | None:
    """Where the archive holds this file: its content-addressed original or quarantine copy."""
    if outcome.quarantine_dir:
        return Path(outcome.quarantine_dir) / "original.bin"
    if outcome.records:
        return archive.root / outcome.records[0]["original_path"]
    return None


@flow(name="nightly-digitisation", log_prints=True)
def nightly_digitisation(
    settle_seconds: float = DEFAULT_SETTLE_S, settings: Settings | None = None
) -> dict[str, Any]:
    """Digitise what the counters dropped in the inbox; originals move into the archive."""
    settings = settings or Settings()
    started = time.monotonic()
    archive = Archive(settings.archive_path)
    report = BatchReport()
    moves: dict[str, str] = {}
    for link in symlinks_outside(settings.inbox_path):
        moves[display_name(str(link))] = "skipped: symbolic link (never followed)"
    snaps = stable_files(settings.inbox_path, settle_seconds)
    if snaps:
        make_engine(settings)
    hook = ProgressHook()
    progress = BatchProgress(len(snaps))
    for snap in snaps:
        given = display_name(str(snap.path))
        if not unchanged(snap):
            moves[given] = "kept: changed before processing"
            continue
        state = process_file_task(str(snap.path), given, settings, None, hook, return_state=True)
        outcome = outcome_of(state, snap.path, given, archive, hook)
        report.outcomes.append(outcome)
        moves[given] = release(snap, _archived_copy(archive, outcome))
        progress.advance()
    to_index = [r for r in report.records if r.get("index_state") != "indexed"]
    to_index += [r for r in archive.iter_records() if r.get("index_state") == "pending"
                 and r["id"] not in {x["id"] for x in to_index}]  # fmt: skip
    index_pending(report, to_index, settings, archive)
    report.seconds = time.monotonic() - started
    summary = run_summary(report, moves)
    atomic_write_json(archive.root / "reports" / f"nightly-{summary['finished_at']}.json", summary)
    publish_report(report, key="nightly-report")
    notify_failures("nightly-digitisation", report, settings.notify_webhook_url)
    return summary


def run_summary(report: BatchReport, moves: dict[str, str]) -> dict[str, Any]:
    """The run report: files, pages, types, review items, failures, throughput."""
    pages = sum(o.pages for o in report.outcomes if o.status == "processed")
    types: dict[str, int] = {}
    for record in report.records:
        types[record["doc_type"]] = types.get(record["doc_type"], 0) + 1
    return {
        "finished_at": now_iso().replace(":", ""),
        "files": len(report.outcomes),
        "processed": sum(o.status == "processed" for o in report.outcomes),
        "duplicates": sum(o.status == "duplicate" for o in report.outcomes),
        "pages": pages,
        "types": types,
        "needs_review": [r["id"] for r in report.records if r.get("needs_review")],
        "failures": [
            {"file": o.file, "reason": o.error_code, "message": o.message} for o in report.failed
        ],
        "indexed": report.indexed,
        "pending": report.pending,
        "index_error": report.index_error,
        "seconds": round(report.seconds, 2),
        "pages_per_second": round(pages / report.seconds, 3) if report.seconds else 0.0,
        "inbox": moves,
        "outcomes": [
            asdict(o) | {"records": [r["id"] for r in o.records]} for o in report.outcomes
        ],
    }
