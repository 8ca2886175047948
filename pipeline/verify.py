"""Re-check the archive on disk: original hashes, sidecar schema, orphan files.

Originals are checked against their content-addressed name, sidecars against the record
schema, and files that belong to nothing are reported. The archive is the system of record,
so drift (bit rot, a hand-edited or truncated sidecar, a deleted original) must be found
before Elasticsearch is rebuilt from it. `docs/record.schema.json` is the published JSON
Schema; `REQUIRED_KEYS` below must match its `required` list (a test checks that).
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline.archive import Archive
from pipeline.intake import MEDIA_SUFFIX, sha256_file
from pipeline.models import DOC_TYPES, RECORD_SCHEMA_VERSION
from pipeline.record_files import OCR_OUTPUT, THUMB_DIR

log = logging.getLogger(__name__)

_SHA = re.compile(r"[0-9a-f]{64}")
_SUFFIX_MEDIA = {suffix: media for media, suffix in MEDIA_SUFFIX.items()}
INDEX_STATES = ("pending", "indexed")
# Sidecar keys and the JSON types they must have (None allowed where the tuple says so).
REQUIRED_KEYS: dict[str, tuple[type, ...]] = {
    "schema_version": (int,),
    "id": (str,),
    "sha256": (str,),
    "doc_index": (int,),
    "source_file": (str,),
    "original_path": (str,),
    "media_type": (str,),
    "ingested_at": (str,),
    "doc_type": (str,),
    "text": (str,),
    "fields": (dict,),
    "index_state": (str,),
}
FILE_STATE_KEYS: dict[str, tuple[type, ...]] = {
    "sha256": (str,),
    "state": (str,),
    "media_type": (str,),
    "documents": (list,),
}

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class Problem:
    """One drift finding: a short machine `kind`, the path involved and what is wrong."""

    kind: str
    path: str
    message: str

    def as_json(self) -> dict[str, str]:
        """Plain JSON shape for `dossier verify --json`."""
        return {"kind": self.kind, "path": self.path, "message": self.message}


@dataclass
class VerifyReport:
    """What `verify_archive` looked at and what it found."""

    root: str
    originals: int = 0
    sidecars: int = 0
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when nothing drifted."""
        return not self.problems

    def add(self, kind: str, path: Path, message: str) -> None:
        """Record a finding (and log it with the file's short name)."""
        self.problems.append(Problem(kind, str(path), message))
        log.warning("verify: %s %s: %s", kind, path.name[:16], message)

    def as_json(self) -> dict[str, Any]:
        """Plain JSON shape for `dossier verify --json`."""
        kinds: dict[str, int] = {}
        for p in self.problems:
            kinds[p.kind] = kinds.get(p.kind, 0) + 1
        return {
            "ok": self.ok,
            "root": self.root,
            "originals": self.originals,
            "sidecars": self.sidecars,
            "counts": kinds,
            "problems": [p.as_json() for p in self.problems],
        }


def schema_errors(record: Any) -> list[str]:
    """Why a parsed sidecar does not satisfy the record schema (empty list: it does)."""
    if not isinstance(record, Mapping):
        return ["not a JSON object"]
    errors = []
    for key, types in REQUIRED_KEYS.items():
        value = record.get(key)
        if key not in record:
            errors.append(f"missing `{key}`")
        elif isinstance(value, bool) or not isinstance(value, types):
            errors.append(f"`{key}` has the wrong type ({type(value).__name__})")
    if errors:
        return errors
    if record["schema_version"] > RECORD_SCHEMA_VERSION:
        errors.append(f"schema_version {record['schema_version']} is newer than this program")
    if not _SHA.fullmatch(record["sha256"]):
        errors.append("`sha256` is not 64 lowercase hex digits")
    if record["id"] != f"{record['sha256']}-{record['doc_index']}":
        errors.append("`id` is not `<sha256>-<doc_index>`")
    if record["doc_type"] not in DOC_TYPES:
        errors.append(f"unknown doc_type {record['doc_type']!r}")
    if record["index_state"] not in INDEX_STATES:
        errors.append(f"index_state {record['index_state']!r} is not pending/indexed")
    return errors


def _read_json(path: Path) -> tuple[Any, str | None]:
    """(parsed JSON, None) or (None, why it could not be read)."""
    try:
        return json.loads(path.read_text(encoding="utf-8")), None
    except (OSError, UnicodeDecodeError, ValueError) as e:
        return None, f"unreadable: {type(e).__name__}: {e}"[:300]


def _check_originals(archive: Archive, report: VerifyReport, progress: Progress | None) -> set[str]:
    """Hash every stored original; returns the hashes whose file is present and intact."""
    intact: set[str] = set()
    paths = sorted(p for p in (archive.root / "originals").glob("*/*") if p.is_file())
    for done, path in enumerate(paths, start=1):
        if progress is not None:
            progress(done, len(paths))
        sha, suffix = path.name.partition(".")[0], path.suffix
        if path.name.startswith("."):
            report.add("stray_temp_file", path, "left over from an interrupted write")
            continue
        if not _SHA.fullmatch(sha) or suffix not in _SUFFIX_MEDIA or path.parent.name != sha[:2]:
            report.add("orphan_file", path, "not a content-addressed original")
            continue
        report.originals += 1
        try:
            actual = sha256_file(path)
        except OSError as e:
            report.add("unreadable_original", path, str(e))
            continue
        if actual != sha:
            report.add("hash_mismatch", path, f"content hash is {actual[:12]}…, not {sha[:12]}…")
            continue
        intact.add(sha)
    return intact


def _record_dirs(archive: Archive) -> Iterator[Path]:
    """Every `records/<xx>/<sha256>/` folder."""
    yield from sorted(p for p in (archive.root / "records").glob("*/*") if p.is_dir())


def _check_record_dir(archive: Archive, folder: Path, report: VerifyReport) -> str | None:
    """Check one original's state file and sidecars; returns its sha256 when well named."""
    sha = folder.name
    if not _SHA.fullmatch(sha) or folder.parent.name != sha[:2]:
        report.add("orphan_file", folder, "not a records/<xx>/<sha256> folder")
        return None
    state, error = _read_json(folder / "file.json")
    if not (folder / "file.json").exists():
        report.add("orphan_record", folder, "sidecars without file.json (an interrupted write?)")
        state = None
    elif error is not None or not isinstance(state, dict):
        report.add("corrupt_file_state", folder / "file.json", error or "not a JSON object")
        state = None
    elif missing := [k for k, t in FILE_STATE_KEYS.items() if not isinstance(state.get(k), t)]:
        report.add("corrupt_file_state", folder / "file.json", f"bad or missing {missing}")
        state = None
    if state is not None:
        original = _expected_original(archive, sha, state["media_type"])
        if original is None or not original.exists():
            report.add("missing_original", folder / "file.json", "its original is not stored")
    listed = {str(d) for d in state["documents"]} if state is not None else set()
    seen: set[str] = set()
    for path in sorted(folder.iterdir()):
        if path.name == "file.json":
            continue
        if path.name.startswith("."):
            report.add("stray_temp_file", path, "left over from an interrupted write")
            continue
        if _is_record_file(folder, path, report):
            continue
        if not re.fullmatch(r"doc-\d+\.json", path.name):
            report.add("orphan_file", path, "unexpected file in a record folder")
            continue
        report.sidecars += 1
        seen.add(f"{sha}-{_doc_number(path)}")  # present, even if unreadable
        record, error = _read_json(path)
        problems = [error] if error else schema_errors(record)
        if problems:
            report.add("corrupt_sidecar", path, "; ".join(problems))
            continue
        if record["sha256"] != sha or path.name != f"doc-{record['doc_index']}.json":
            report.add("misplaced_sidecar", path, f"holds record {record['id'][:16]}…")
        elif state is not None and record["id"] not in listed:
            report.add("orphan_sidecar", path, "not listed in file.json")
        expected = _expected_original(archive, sha, record["media_type"])
        if expected is None or record["original_path"] != _relative(archive, expected):
            report.add("bad_original_path", path, f"original_path {record['original_path']!r}")
    for doc_id in sorted(listed - seen):
        report.add("missing_sidecar", folder / "file.json", f"lists {doc_id[:16]}… with no file")
    return sha


def _is_record_file(folder: Path, path: Path, report: VerifyReport) -> bool:
    """True for the files written beside sidecars (OCR output, PDFs, thumbnails).

    A searchable PDF belongs to its sidecar; inside `pages/` only thumbnails belong.
    """
    if path.name == OCR_OUTPUT and path.is_file():
        return True
    if re.fullmatch(r"doc-\d+\.pdf", path.name) and path.is_file():
        if not path.with_suffix(".json").exists():
            report.add("orphan_file", path, "searchable PDF without its sidecar")
        return True
    if path.name != THUMB_DIR or not path.is_dir():
        return False
    for thumb in sorted(path.iterdir()):
        if thumb.name.startswith("."):
            report.add("stray_temp_file", thumb, "left over from an interrupted write")
        elif not (re.fullmatch(r"page-\d+\.jpg", thumb.name) and thumb.is_file()):
            report.add("orphan_file", thumb, "unexpected file among page thumbnails")
    return True


def _doc_number(path: Path) -> int:
    """`doc-12.json` → 12."""
    return int(path.stem.partition("-")[2])


def _expected_original(archive: Archive, sha: str, media_type: str) -> Path | None:
    """Where the original of `sha` must be, or None for an unknown media type."""
    return archive.original_path(sha, media_type) if media_type in MEDIA_SUFFIX else None


def _relative(archive: Archive, path: Path) -> str:
    """A path relative to the archive root, as sidecars store it."""
    return path.relative_to(archive.root).as_posix()


def verify_archive(archive: Archive, progress: Progress | None = None) -> VerifyReport:
    """Check every original's hash and every sidecar's readability and schema."""
    report = VerifyReport(root=str(archive.root))
    originals = _check_originals(archive, report, progress)
    recorded: set[str] = set()
    for folder in _record_dirs(archive):
        sha = _check_record_dir(archive, folder, report)
        if sha is not None:
            recorded.add(sha)
    for path in sorted((archive.root / "originals").glob("*/*")):
        sha = path.name.partition(".")[0]
        if sha in originals and sha not in recorded:
            report.add("orphan_original", path, "no record folder refers to it")
    return report
