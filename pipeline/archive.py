"""The archive on disk: the system of record.

Originals are stored content-addressed and read-only; each document found in a file gets a
sidecar JSON record; every write is atomic (temp file + rename) so a crash never leaves a
half-written record. Elasticsearch is only an index of what is here.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import re
import shutil
import tempfile
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from pipeline import __version__
from pipeline.atomic import atomic_write_json
from pipeline.errors import TransientError
from pipeline.intake import MEDIA_SUFFIX, InputFile, sha256_file
from pipeline.models import RECORD_SCHEMA_VERSION, DocumentResult, FileResult
from pipeline.record_files import (
    OCR_OUTPUT,
    ocr_output,
    write_document_pdf,
    write_thumbnails,
)

log = logging.getLogger(__name__)
LOCAL_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
RECORD_ID = re.compile(r"([0-9a-f]{64})-(\d{1,6})")


def now_iso() -> str:
    """Current time in Vietnam, ISO 8601 with offset."""
    return datetime.now(LOCAL_TZ).isoformat(timespec="seconds")


class Archive:
    """Content-addressed originals, per-document sidecars, and a quarantine."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def original_path(self, sha256: str, media_type: str) -> Path:
        """Where an original with this hash is (or will be) stored."""
        return self.root / "originals" / sha256[:2] / f"{sha256}{MEDIA_SUFFIX[media_type]}"

    def record_dir(self, sha256: str) -> Path:
        """Folder holding the file state and document sidecars of one original."""
        return self.root / "records" / sha256[:2] / sha256

    def store_original(self, item: InputFile) -> Path:
        """Copy the original in (never move or alter the source); idempotent by hash."""
        dest = self.original_path(item.sha256, item.media_type)
        if dest.exists():
            return dest
        dest.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".orig.", dir=dest.parent)
        os.close(fd)
        try:
            shutil.copyfile(item.path, tmp)
            if sha256_file(Path(tmp)) != item.sha256:
                raise TransientError(f"{item.given}: file changed while being archived")
            Path(tmp).chmod(0o444)
            Path(tmp).replace(dest)
        except OSError as e:
            raise TransientError(
                f"cannot archive {item.given}: {e}", hint="check disk space"
            ) from e
        finally:
            with contextlib.suppress(OSError):
                Path(tmp).unlink()
        log.info("%s: original archived at %s", item.short, dest)
        return dest

    def file_state(self, sha256: str) -> dict[str, Any] | None:
        """The file-level state record, or None when this content was never processed."""
        path = self.record_dir(sha256) / "file.json"
        if not path.exists():
            return None
        try:
            return json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            log.warning("%s: unreadable file state %s", sha256[:12], path)
            return None

    def write_result(
        self,
        item: InputFile,
        result: FileResult,
        *,
        dossier_code: str | None = None,
        page_images: Path | None = None,
    ) -> list[dict[str, Any]]:
        """Write the record files, one sidecar per document, then the file state (last).

        `page_images` is the folder where OCR kept the corrected page images; with it, each
        document also gets its searchable PDF and the file its OCR output and thumbnails.
        """
        ingested_at = now_iso()
        stored = self.store_original(item)
        original = stored.relative_to(self.root).as_posix()
        files: dict[int, dict[str, Any]] = {}
        if page_images is not None:
            files = write_record_files(self.record_dir(item.sha256), result, page_images, stored)
        # A whole dossier scanned as one file: its receipt's code groups every paper in it.
        filed_with = dossier_code or _receipt_code(result)
        records = []
        for n, doc in enumerate(result.documents, start=1):
            record = {
                "schema_version": RECORD_SCHEMA_VERSION,
                "id": f"{item.sha256}-{n}",
                "sha256": item.sha256,
                "doc_index": n,
                "source_file": Path(item.given).name,
                "original_path": original,
                "media_type": item.media_type,
                "ingested_at": ingested_at,
                "pipeline_version": __version__,
                "page_count": result.page_count,
                **doc.as_json(),
                "dossier_code": filed_with or _field_value(doc, "dossier_code"),
                "index_state": "pending",
                **files.get(n, {}),
            }
            atomic_write_json(self.record_dir(item.sha256) / f"doc-{n}.json", record)
            records.append(record)
        self._write_state(item, result, [r["id"] for r in records], ingested_at)
        return records

    def _write_state(
        self, item: InputFile, result: FileResult, ids: list[str], ingested_at: str
    ) -> None:
        state = {
            "schema_version": RECORD_SCHEMA_VERSION,
            "sha256": item.sha256,
            "state": "done",
            "source_names": [Path(item.given).name],
            "media_type": item.media_type,
            "size": item.size,
            "page_count": result.page_count,
            "pages": [
                {"number": p.number, "source": p.source, "confidence": round(p.confidence, 3)}
                for p in result.pages
            ],
            "documents": ids,
            "ingested_at": ingested_at,
        }
        atomic_write_json(self.record_dir(item.sha256) / "file.json", state)

    def add_source_name(self, sha256: str, name: str) -> None:
        """Remember another name the same content arrived under."""
        state = self.file_state(sha256)
        if state is not None and name not in state["source_names"]:
            state["source_names"].append(name)
            atomic_write_json(self.record_dir(sha256) / "file.json", state)

    def load_records(self, sha256: str) -> list[dict[str, Any]]:
        """Document sidecars of one original, in document order."""
        folder = self.record_dir(sha256)
        paths = sorted(folder.glob("doc-*.json"), key=lambda p: int(p.stem.split("-")[1]))
        return [json.loads(p.read_text(encoding="utf-8")) for p in paths]

    def iter_records(
        self, on_skip: Callable[[Path, str], None] | None = None
    ) -> Iterator[dict[str, Any]]:
        """Every document sidecar in the archive (unreadable ones are logged and skipped)."""
        for path in self.sidecar_paths():
            try:
                record = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError) as e:
                log.warning("skipping unreadable record %s: %s", path, e)
                if on_skip is not None:
                    on_skip(path, f"unreadable: {e}")
                continue
            if not isinstance(record, dict):
                log.warning("skipping record %s: not a JSON object", path)
                if on_skip is not None:
                    on_skip(path, "not a JSON object")
                continue
            yield record

    def sidecar_paths(self) -> Iterator[Path]:
        """Paths of the committed document sidecars (those beside a `file.json`), in order."""
        for state_path in sorted((self.root / "records").glob("*/*/file.json")):
            yield from sorted(state_path.parent.glob("doc-*.json"), key=_doc_number)

    def sidecar_path(self, record_id: str) -> Path | None:
        """Where the sidecar of `<sha256>-<n>` lives, or None when the id is malformed."""
        match = RECORD_ID.fullmatch(record_id.strip().lower())
        if match is None:
            return None
        return self.record_dir(match[1]) / f"doc-{int(match[2])}.json"

    def set_index_state(self, records: list[dict[str, Any]], state: str) -> None:
        """Mark sidecars as indexed or pending (for `reindex --pending`)."""
        for record in records:
            if record.get("index_state") == state:
                continue
            record["index_state"] = state
            sha, n = record["sha256"], record["doc_index"]
            atomic_write_json(self.record_dir(sha) / f"doc-{n}.json", record)

    def quarantine(self, path: Path, given: str, reason: str, message: str) -> Path:
        """Copy a rejected file (when readable) beside a reason file; the source is untouched."""
        key = hashlib.sha256(given.encode("utf-8", "surrogateescape")).hexdigest()[:16]
        folder = self.root / "quarantine" / key
        folder.mkdir(parents=True, exist_ok=True)
        info: dict[str, Any] = {
            "file": given,
            "reason": reason,
            "message": message,
            "at": now_iso(),
        }
        if path.is_file() and not path.is_symlink():
            with contextlib.suppress(OSError):
                shutil.copyfile(path, folder / "original.bin")
                info["copied"] = True
        atomic_write_json(folder / "reason.json", info)
        log.warning("quarantined %s: %s", given, message)
        return folder


def write_record_files(
    folder: Path, result: FileResult, work: Path, original: Path
) -> dict[int, dict[str, Any]]:
    """OCR output, thumbnails and per-document searchable PDFs; the sidecar keys per document."""
    atomic_write_json(folder / OCR_OUTPUT, ocr_output(result.sha256, result.pages))
    source = original if result.media_type == "application/pdf" else None
    thumbs = write_thumbnails(folder, result.pages, work, source)
    keys: dict[int, dict[str, Any]] = {}
    for n, doc in enumerate(result.documents, start=1):
        pages = [p for p in result.pages if doc.page_start <= p.number <= doc.page_end]
        entry: dict[str, Any] = {"ocr_output": OCR_OUTPUT}
        if write_document_pdf(folder / f"doc-{n}.pdf", pages, work, source):
            entry["searchable_pdf"] = f"doc-{n}.pdf"
        entry["thumbnails"] = [thumbs[p.number] for p in pages if p.number in thumbs]
        keys[n] = entry
    log.info("%s: searchable PDFs, OCR output and thumbnails written", result.sha256[:12])
    return keys


def _doc_number(path: Path) -> int:
    """`doc-12.json` → 12 (non-numeric names sort first)."""
    suffix = path.stem.partition("-")[2]
    return int(suffix) if suffix.isdigit() else -1


def _receipt_code(result: FileResult) -> str | None:
    """The dossier code printed on (or in the QR of) the one receipt in a file, if exactly one."""
    codes = {
        code
        for doc in result.documents
        if doc.doc_type == "dossier_receipt" and (code := _field_value(doc, "dossier_code"))
    }
    return codes.pop() if len(codes) == 1 else None


def _field_value(doc: DocumentResult, name: str) -> str | None:
    value = doc.fields.get(name)
    return value.value if value is not None else None
