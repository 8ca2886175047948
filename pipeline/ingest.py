"""Ingest one file into the archive: check, process, archive original and sidecars.

Exactly once by content: a file whose hash the archive already holds is not processed
again; its records are returned as they are. Bad input is quarantined with its reason.
"""

from __future__ import annotations

import contextlib
import logging
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from ocr_models.engines import OcrEngine
from pipeline.archive import Archive
from pipeline.config import Settings
from pipeline.errors import InputError
from pipeline.intake import open_input
from pipeline.process import PageCallback, process_file

log = logging.getLogger(__name__)

Status = Literal["processed", "duplicate", "quarantined"]


@dataclass
class IngestOutcome:
    """What happened to one input file."""

    file: str
    status: Status
    sha256: str | None = None
    pages: int = 0
    records: list[dict[str, Any]] = field(default_factory=list)
    error_code: str | None = None
    message: str | None = None
    quarantine_dir: str | None = None


def ingest_file(
    path: Path,
    given: str,
    settings: Settings,
    engine: OcrEngine,
    *,
    dossier_code: str | None = None,
    on_page: PageCallback | None = None,
) -> IngestOutcome:
    """Archive and process one file; InputError becomes a quarantined outcome."""
    archive = Archive(settings.archive_path)
    try:
        item = open_input(path, given=given, max_bytes=settings.max_file_bytes)
        state = archive.file_state(item.sha256)
        if state is not None and state.get("state") == "done":
            archive.add_source_name(item.sha256, Path(given).name)
            records = archive.load_records(item.sha256)
            log.info(
                "%s: already archived (%d records), not processed again", item.short, len(records)
            )
            return IngestOutcome(
                given, "duplicate", item.sha256, state.get("page_count", 0), records
            )
        with _page_image_folder(archive.record_dir(item.sha256)) as keep:
            result = process_file(item, settings, engine, on_page=on_page, keep=keep)
            records = archive.write_result(
                item, result, dossier_code=dossier_code, page_images=keep
            )
        return IngestOutcome(given, "processed", item.sha256, result.page_count, records)
    except InputError as e:
        folder = archive.quarantine(path, given, e.reason, str(e))
        return IngestOutcome(
            given, "quarantined", error_code=e.reason, message=str(e), quarantine_dir=str(folder)
        )


@contextlib.contextmanager
def _page_image_folder(record_dir: Path) -> Iterator[Path]:
    """A hidden work folder inside the record folder for corrected page images, removed after.

    It lives in the record folder so nothing is written outside it; a crash leaves it as a
    `stray_temp_file` for `dossier verify`, and an empty record folder is removed again.
    """
    record_dir.mkdir(parents=True, exist_ok=True)
    keep = Path(tempfile.mkdtemp(prefix=".pages-", dir=record_dir))
    try:
        yield keep
    finally:
        shutil.rmtree(keep, ignore_errors=True)
        with contextlib.suppress(OSError):
            record_dir.rmdir()  # only succeeds when nothing was archived
