"""The review queue: documents flagged `needs_review`, and officers' approvals and fixes.

A correction rewrites the sidecar (atomically) and keeps the history of who changed what;
the corrected records are also what `dossier train` learns from.
"""

from __future__ import annotations

import getpass
import json
from pathlib import Path
from typing import Any

from pipeline.archive import Archive, atomic_write_json, now_iso
from pipeline.errors import InputError
from pipeline.models import DATE_FIELDS, DOC_TYPES, FIELD_NAMES
from pipeline.normalize import parse_date

REVIEW_CONFIDENCE = 1.0


def current_user() -> str:
    """Who is acting: the login name (the web app will pass its own user)."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def pending_reviews(archive: Archive) -> list[dict[str, Any]]:
    """Records that still need an officer's look, oldest first."""
    records = [r for r in archive.iter_records() if r.get("needs_review")]
    return sorted(records, key=lambda r: (r.get("ingested_at", ""), r["id"]))


def sidecar_path(archive: Archive, record_id: str) -> Path:
    """Path of one record's sidecar from its id (`<sha256>-<n>`)."""
    sha, _, n = record_id.rpartition("-")
    if len(sha) != 64 or not n.isdigit() or any(c not in "0123456789abcdef" for c in sha):
        raise InputError(f"{record_id!r} is not a record id", hint="ids look like <sha256>-1")
    return archive.record_dir(sha) / f"doc-{n}.json"


def load(archive: Archive, record_id: str) -> dict[str, Any]:
    """One record by id; InputError when it does not exist."""
    path = sidecar_path(archive, record_id)
    if not path.exists():
        raise InputError(f"no record {record_id}", hint="see `dossier review list`")
    return json.loads(path.read_text(encoding="utf-8"))


def _save(archive: Archive, record: dict[str, Any]) -> dict[str, Any]:
    record["index_state"] = "pending"  # the index must catch up with the correction
    atomic_write_json(sidecar_path(archive, record["id"]), record)
    return record


def approve(archive: Archive, record_id: str, user: str | None = None) -> dict[str, Any]:
    """Accept a record as it is: it leaves the review queue."""
    record = load(archive, record_id)
    record["needs_review"] = False
    record["review"] = {"action": "approved", "by": user or current_user(), "at": now_iso()}
    return _save(archive, record)


def correct(
    archive: Archive,
    record_id: str,
    *,
    doc_type: str | None = None,
    fields: dict[str, str | None] | None = None,
    user: str | None = None,
) -> dict[str, Any]:
    """Fix the type and/or fields (None removes a field); history is kept in `corrections`."""
    record = load(archive, record_id)
    who, when = user or current_user(), now_iso()
    history: list[dict[str, Any]] = record.setdefault("corrections", [])
    if doc_type is not None and doc_type != record["doc_type"]:
        if doc_type not in DOC_TYPES:
            raise InputError(f"unknown document type {doc_type!r}", hint=", ".join(DOC_TYPES))
        history.append({"at": when, "by": who, "what": "doc_type",
                        "old": record["doc_type"], "new": doc_type})  # fmt: skip
        record["doc_type"], record["doc_type_confidence"] = doc_type, REVIEW_CONFIDENCE
    for name, value in (fields or {}).items():
        _correct_field(record, name, value, who, when, history)
    record["needs_review"] = False
    record["review"] = {"action": "corrected", "by": who, "at": when}
    return _save(archive, record)


def _correct_field(
    record: dict[str, Any], name: str, value: str | None, who: str, when: str,
    history: list[dict[str, Any]],
) -> None:  # fmt: skip
    if name not in FIELD_NAMES:
        raise InputError(f"unknown field {name!r}", hint="field names are listed in DOMAIN.md")
    if value is not None and name in DATE_FIELDS:
        iso = parse_date(value)
        if iso is None:
            raise InputError(f"{name}={value!r} is not a date", hint="use YYYY-MM-DD or dd/mm/yyyy")
        value = iso
    old = record["fields"].get(name, {}).get("value")
    if old == value:
        return
    history.append({"at": when, "by": who, "what": f"fields.{name}", "old": old, "new": value})
    if value is None:
        record["fields"].pop(name, None)
    else:
        record["fields"][name] = {
            "value": value,
            "confidence": REVIEW_CONFIDENCE,
            "source": "review",
        }
