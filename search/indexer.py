"""Turn sidecar records into index documents and write them with the bulk API.

Every `*_folded` value is `fold(canonicalize(...))` computed here, so that the query side
(`search.queries`) can apply exactly the same transformation to what people type.
"""

from __future__ import annotations

import hashlib
import json
import logging
import math
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from itertools import islice
from typing import Any

from elasticsearch import Elasticsearch, helpers

from ocr_models.vietnamese import normalize_spaces
from pipeline.config import Settings
from pipeline.errors import InputError
from pipeline.models import DATE_FIELDS, FIELD_NAMES
from pipeline.reuse import parse_iso_date, validity
from search.client import es_errors
from search.folding import canonicalize, fold
from search.mapping import (
    KEYWORD_FIELDS,
    MAPPING_VERSION,
    NUMBER_FIELDS,
    TEXT_FIELDS,
    alias_name,
    ensure_index,
)

log = logging.getLogger(__name__)

CHUNK_SIZE = 500
BULK_RETRIES = 4  # per-item retries on 429, with exponential backoff from 1 s up to 16 s
_DECIMAL = re.compile(r"^\d+(\.\d+)?$")
_COMPACT_FIELDS = frozenset({"id_number", "business_code"})
_FIELD_NAME_SET = frozenset(FIELD_NAMES)
_KEYWORD_TOP = ("sha256", "source_file", "original_path", "media_type", "pipeline_version")
_INT_TOP = ("schema_version", "doc_index", "page_start", "page_end", "page_count")


@dataclass
class IndexReport:
    """Outcome of one indexing run; `indexed` includes the `unchanged` documents."""

    indexed: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)
    unchanged: int = 0


def fold_text(text: str) -> str:
    """The folded form used for recall: canonical tones, then diacritics stripped."""
    return fold(canonicalize(text))


def code_key(value: str) -> str:
    """Normalised form of an identifier for exact lookup: folded, lowercase, no spaces."""
    return re.sub(r"\s+", "", fold_text(value)).lower()


def name_key(name: str) -> str:
    """Canonical lowercase name with single spaces (exact-name linkage)."""
    return normalize_spaces(canonicalize(name)).lower()


def _as_int(value: Any) -> int | None:
    """An integer, or None for anything that is not one."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value.strip())
    return None


def _as_float(value: Any) -> float | None:
    """A finite float, or None."""
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return None
    try:
        number = float(value)
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def _iso_datetime(value: Any) -> str | None:
    """ISO 8601 date-time re-emitted with a `T` (what ES parses), or None."""
    if not isinstance(value, str):
        return None
    try:
        return datetime.fromisoformat(value.strip()).isoformat()
    except ValueError:
        return None


def _raw_fields(record: Mapping[str, Any]) -> Iterator[tuple[str, str, float | None]]:
    """(name, value, confidence) for every non-empty field of a record."""
    fields = record.get("fields") or {}
    if not isinstance(fields, Mapping):
        return
    for name, entry in fields.items():
        value, confidence = entry, None
        if isinstance(entry, Mapping):
            value, confidence = entry.get("value"), _as_float(entry.get("confidence"))
        if value is None or isinstance(value, Mapping | list):
            continue
        text = normalize_spaces(canonicalize(str(value)))
        if text:
            yield str(name), text, confidence


def _clean_value(name: str, value: str) -> str | float | None:
    """The value as stored under `fields.<name>`, or None when the mapping would reject it."""
    if name in DATE_FIELDS:
        day = parse_iso_date(value)
        return day.isoformat() if day else None
    if name in NUMBER_FIELDS:
        return float(value) if _DECIMAL.match(value) else None
    if name in _COMPACT_FIELDS:
        return re.sub(r"\s+", "", value)
    return value


def _convert_fields(record: Mapping[str, Any]) -> dict[str, Any]:
    """`fields`, `field_confidence`, `fields_folded` and `invalid_fields` of a record."""
    values: dict[str, Any] = {}
    confidence: dict[str, float] = {}
    invalid: list[dict[str, str]] = []
    for name, raw, conf in _raw_fields(record):
        clean = _clean_value(name, raw) if name in _FIELD_NAME_SET else None
        if clean is None:
            invalid.append({"name": name, "value": raw})
            continue
        values[name] = clean
        if conf is not None:
            confidence[name] = conf
    folded = [fold_text(values[name]) for name in TEXT_FIELDS if name in values]
    return {
        "fields": values,
        "field_confidence": confidence,
        "fields_folded": folded,
        "invalid_fields": invalid,
    }


def _person(fields: Mapping[str, Any]) -> dict[str, Any]:
    """The main person: ID number, name forms, birth date and a linkage key."""
    person: dict[str, Any] = {}
    id_number, name = fields.get("id_number"), fields.get("full_name")
    birth = fields.get("date_of_birth")
    if id_number:
        person["id_number"] = id_number
    if name:
        person["name"] = name
        person["name_folded"] = fold_text(name)
        person["name_exact"] = name_key(name)
        person["name_folded_exact"] = fold_text(person["name_exact"])
    if birth:
        person["date_of_birth"] = birth
    if id_number:
        person["key"] = id_number
    elif name and birth:
        person["key"] = f"{person['name_folded_exact']}|{birth}"
    return person


def _reuse(doc_type: str, fields: Mapping[str, Any]) -> dict[str, Any]:
    """The paper's reuse window (`pipeline.reuse.validity`), as the mapping's `reuse` object."""
    window = validity(doc_type, {name: str(value) for name, value in fields.items()})
    out: dict[str, Any] = {"void": window.void}
    if window.valid_from is not None:
        out["valid_from"] = window.valid_from.isoformat()
    if (last := window.last_day) is not None:
        out["valid_until"] = last.isoformat()
    return out


def _codes(fields: Mapping[str, Any], dossier_code: str | None) -> list[str]:
    """Normalised identifiers of the document, for exact lookups from the search box."""
    values = [str(fields[name]) for name in sorted(KEYWORD_FIELDS - {"gender"}) if name in fields]
    if dossier_code:
        values.append(dossier_code)
    return sorted({code_key(v) for v in values if code_key(v)})


def _top_level(record: Mapping[str, Any], doc_id: str) -> dict[str, Any]:
    """Scalar top-level properties, each dropped when its type is wrong."""
    doc: dict[str, Any] = {"id": doc_id}
    for key in _KEYWORD_TOP:
        if isinstance(record.get(key), str):
            doc[key] = record[key]
    for key in _INT_TOP:
        doc[key] = _as_int(record.get(key))
    for key in ("ocr_confidence", "doc_type_confidence"):
        doc[key] = _as_float(record.get(key))
    doc["doc_type"] = str(record.get("doc_type") or "other")
    doc["ingested_at"] = _iso_datetime(record.get("ingested_at"))
    doc["needs_review"] = bool(record.get("needs_review", False))
    warnings = record.get("warnings")
    doc["warnings"] = [str(w) for w in warnings if w] if isinstance(warnings, list) else []
    dossier_code = record.get("dossier_code")
    doc["dossier_code"] = normalize_spaces(str(dossier_code)) if dossier_code else None
    return {k: v for k, v in doc.items() if v is not None}


def content_hash(doc: Mapping[str, Any]) -> str:
    """Stable hash of an index document (and the mapping version it was built for)."""
    payload = json.dumps(doc, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(f"v{MAPPING_VERSION}:{payload}".encode()).hexdigest()


def to_es_doc(record: Mapping[str, Any]) -> dict[str, Any]:
    """The index document for one sidecar record; InputError when it has no usable id."""
    if not isinstance(record, Mapping):
        raise InputError("record is not a JSON object", reason="record", hint="see docs/record.md")
    doc_id = record.get("id")
    if not isinstance(doc_id, str) or not doc_id.strip() or len(doc_id) > 512:
        raise InputError("record has no usable `id`", reason="record", hint="see docs/record.md")
    doc = _top_level(record, doc_id.strip())
    text = canonicalize(str(record.get("text") or ""))
    doc["text"], doc["text_folded"] = text, fold(text)
    doc.update(_convert_fields(record))
    doc["person"] = _person(doc["fields"])
    doc["reuse"] = _reuse(doc["doc_type"], doc["fields"])
    doc["codes"] = _codes(doc["fields"], doc.get("dossier_code"))
    doc["content_hash"] = content_hash(doc)
    return doc


def _chunks(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    """Consecutive lists of at most `size` items."""
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def _stored_hashes(es: Elasticsearch, alias: str, ids: list[str]) -> dict[str, str]:
    """`content_hash` of the documents already indexed under these ids (realtime get)."""
    if not ids:
        return {}
    response = es.mget(index=alias, ids=ids, source_includes=["content_hash"])
    return {
        d["_id"]: d["_source"].get("content_hash", "") for d in response["docs"] if d.get("found")
    }


def _actions(
    es: Elasticsearch, alias: str, records: Iterable[Mapping[str, Any]], report: IndexReport
) -> Iterator[dict[str, Any]]:
    """Bulk `index` actions for records whose document changed; bad records go to `failed`."""
    for chunk in _chunks(records, CHUNK_SIZE):
        docs = []
        for record in chunk:
            try:
                docs.append(to_es_doc(record))
            except InputError as e:
                doc_id = record.get("id") if isinstance(record, Mapping) else None
                report.failed.append((str(doc_id or "<missing id>"), e.message))
        stored = _stored_hashes(es, alias, list({d["id"] for d in docs}))
        for doc in docs:
            if stored.get(doc["id"]) == doc["content_hash"]:
                report.unchanged += 1
                report.indexed += 1
                continue
            yield {"_op_type": "index", "_index": alias, "_id": doc["id"], "_source": doc}


def _failure(item: Mapping[str, Any]) -> tuple[str, str]:
    """(id, reason) from a failed bulk item."""
    result = next(iter(item.values()))
    error = result.get("error") or {}
    if isinstance(error, Mapping):
        reason = f"{error.get('type', 'error')}: {error.get('reason', '')}".strip(": ")
    else:
        reason = str(error)
    return str(result.get("_id")), reason or f"HTTP {result.get('status')}"


def index_records(
    es: Elasticsearch,
    settings: Settings,
    records: Iterable[Mapping[str, Any]],
    *,
    refresh: bool = True,
) -> IndexReport:
    """Index (upsert by `id`) sidecar records; identical documents are not rewritten."""
    alias = ensure_index(es, settings)
    report = IndexReport()
    with es_errors(f"indexing into {alias}"):
        for ok, item in helpers.streaming_bulk(
            es,
            _actions(es, alias, records, report),
            chunk_size=CHUNK_SIZE,
            max_retries=BULK_RETRIES,
            initial_backoff=1,
            max_backoff=16,
            raise_on_error=False,
            require_alias=True,
        ):
            if ok:
                report.indexed += 1
            else:
                doc_id, reason = _failure(item)
                log.warning("%s: not indexed: %s", doc_id[:12], reason)
                report.failed.append((doc_id, reason))
        if refresh:
            es.indices.refresh(index=alias)
    log.info(
        "indexed %d documents into %s (%d unchanged, %d failed)",
        report.indexed, alias, report.unchanged, len(report.failed),
    )  # fmt: skip
    return report


def delete_records(
    es: Elasticsearch, settings: Settings, ids: Iterable[str], *, refresh: bool = True
) -> int:
    """Delete documents by id; returns how many existed. Missing ids are not an error."""
    alias = alias_name(settings.index_prefix)
    deleted = 0
    actions = ({"_op_type": "delete", "_index": alias, "_id": i} for i in ids)
    with es_errors(f"deleting from {alias}"):
        if not es.indices.exists_alias(name=alias):
            return 0
        for ok, item in helpers.streaming_bulk(
            es, actions, chunk_size=CHUNK_SIZE, max_retries=BULK_RETRIES, initial_backoff=1,
            max_backoff=16, raise_on_error=False, ignore_status=(404,),
        ):  # fmt: skip
            result = item.get("delete", {})
            if ok and result.get("result") == "deleted":
                deleted += 1
            elif result.get("status") != 404:
                log.warning("%s: not deleted: %s", str(result.get("_id"))[:12], _failure(item)[1])
        if refresh:
            es.indices.refresh(index=alias)
    return deleted


def count(es: Elasticsearch, settings: Settings, *, doc_type: str | None = None) -> int:
    """Number of indexed documents (of one doc_type when given); 0 before the first index."""
    alias = alias_name(settings.index_prefix)
    query = {"term": {"doc_type": doc_type}} if doc_type else {"match_all": {}}
    with es_errors(f"counting {alias}"):
        response = es.count(index=alias, query=query, ignore_unavailable=True)
    return int(response["count"])
