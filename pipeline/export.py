"""A hand-over ZIP of one person's reusable papers: a PDF (or the original) per paper + manifest.

The caller decides which papers belong to the person and which are reusable (the reuse
look-up in `search.person`); this module only reads the archive and writes the ZIP. Each
paper is its searchable `doc-N.pdf` when the pipeline made one, else the archived
original. The ZIP is written to a temp file beside the target and renamed into place, so a
crash never leaves a half-written hand-over.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import unicodedata
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline.archive import Archive, now_iso
from pipeline.atomic import atomic_path
from pipeline.errors import InputError

log = logging.getLogger(__name__)

MANIFEST = "manifest.json"
MAX_NAME_CHARS = 80
_UNSAFE = re.compile(r"[^\w.-]+")


@dataclass
class ExportReport:
    """What went into the ZIP, and which papers could not be found in the archive."""

    path: Path
    files: list[str] = field(default_factory=list)
    missing: list[dict[str, str]] = field(default_factory=list)


def zip_name(n: int, doc_type: str, source_file: str, suffix: str) -> str:
    """A safe, unique member name: `01-citizen_id_card-scan.pdf` (no folders, no dot-files)."""
    stem = unicodedata.normalize("NFC", source_file).replace("\\", "/").rsplit("/", 1)[-1]
    stem = stem.rsplit(".", 1)[0] if "." in stem else stem
    stem = _UNSAFE.sub("_", "".join(ch for ch in stem if ch.isprintable())).strip("._")
    kind = _UNSAFE.sub("_", doc_type)[:40] or "other"
    return f"{n:02d}-{kind}-{stem[:MAX_NAME_CHARS] or 'document'}{suffix}"


def _paper_file(archive: Archive, record: Mapping[str, Any]) -> tuple[Path, str] | None:
    """(path, kind) of the searchable PDF of a record, else of its original; None if neither."""
    folder = archive.record_dir(str(record.get("sha256", "")))
    pdf = folder / f"doc-{int(record.get('doc_index') or 1)}.pdf"
    if pdf.is_file():
        return pdf, "searchable_pdf"
    original = str(record.get("original_path") or "")
    path = (archive.root / original).resolve()
    if original and path.is_relative_to(archive.root.resolve()) and path.is_file():
        return path, "original"
    return None


def _field_values(record: Mapping[str, Any]) -> dict[str, Any]:
    """`fields` of a sidecar as plain values (confidences dropped)."""
    fields = record.get("fields") or {}
    return {
        str(name): entry.get("value") if isinstance(entry, Mapping) else entry
        for name, entry in fields.items()
    }


def _load(archive: Archive, record_id: str) -> dict[str, Any] | None:
    """The sidecar of a record id, or None when it is not (or no longer) in the archive."""
    path = archive.sidecar_path(record_id)
    if path is None or not path.is_file():
        return None
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return record if isinstance(record, dict) else None


def _entry(
    paper: Mapping[str, Any], record: Mapping[str, Any], name: str, digest: str, kind: str
) -> dict[str, Any]:
    """The manifest entry of one exported paper: its metadata, verdict and file checksum."""
    return {
        "id": record.get("id"), "doc_type": record.get("doc_type"),
        "source_file": record.get("source_file"), "file": name, "file_kind": kind,
        "sha256": digest, "original_sha256": record.get("sha256"),
        "issue_date": paper.get("issue_date"), "expiry_date": paper.get("expiry_date"),
        "reusable": paper.get("reusable"), "reason": paper.get("reason"),
        "linked_by": paper.get("linked_by"), "fields": _field_values(record),
    }  # fmt: skip


def _write_zip(tmp: Path, archive: Archive, person: Mapping[str, Any], report: ExportReport,
               papers: Sequence[Mapping[str, Any]]) -> None:  # fmt: skip
    """Members first (streamed from disk), the manifest last."""
    entries: list[dict[str, Any]] = []
    with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for paper in papers:
            record = _load(archive, str(paper.get("id") or ""))
            found = _paper_file(archive, record) if record else None
            if record is None or found is None:
                why = "record not in the archive" if record is None else "no file in the archive"
                report.missing.append({"id": str(paper.get("id")), "reason": why})
                log.warning("%s: not exported: %s", str(paper.get("id"))[:12], why)
                continue
            path, kind = found
            doc_type = str(record.get("doc_type") or "other")
            source = str(record.get("source_file") or "document")
            name = zip_name(len(entries) + 1, doc_type, source, path.suffix.lower())
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
            zf.write(path, name)
            entries.append(_entry(paper, record, name, digest, kind))
            report.files.append(name)
        manifest = {
            "id_number": person.get("id_number"), "name": person.get("name"),
            "date_of_birth": person.get("date_of_birth"), "as_of": person.get("as_of"),
            "exported_at": now_iso(), "documents": entries, "missing": report.missing,
        }  # fmt: skip
        zf.writestr(MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=2) + "\n")


def export_papers(archive: Archive, person: Mapping[str, Any], out: Path) -> ExportReport:
    """Write the hand-over ZIP of the reusable papers in a reuse result (`person`) to `out`."""
    papers = [d for d in person.get("documents") or [] if d.get("reusable")]
    if not papers:
        raise InputError(
            "no reusable papers to export", reason="not-found",
            hint="check the ID number, or the date with --as-of",
        )  # fmt: skip
    out.parent.mkdir(parents=True, exist_ok=True)
    report = ExportReport(out)
    with atomic_path(out) as tmp:
        _write_zip(tmp, archive, person, report, papers)
    log.info("exported %d papers to %s (%d missing)", len(report.files), out, len(report.missing))
    return report
