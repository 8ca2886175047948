"""The dossier view: one dossier's receipt details, the papers filed with it and its results.

A document belongs to dossier CODE when it was filed under that code (`dossier_code`, set
at ingest with `--dossier-code`) or carries it as the printed `Mã hồ sơ` (a receipt's
`fields.dossier_code`); codes match case-insensitively. The header (procedure, applicant,
received and appointment dates) comes from the dossier's receipt, else from the other
papers (an application form also names the procedure and the applicant).

A result is a paper the authority issued for the dossier: a decision or a certificate
(`RESULT_TYPES`) issued on or after the day the dossier was received. Such a paper issued
before that day was filed as evidence, so it is listed among the papers. The received day
is the receipt's `received_date`, else the latest issue date of an application form; when
neither is known, every paper of a result type is listed as a result.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from elasticsearch import Elasticsearch

from ocr_models.vietnamese import normalize_spaces
from pipeline.config import Settings
from pipeline.errors import InputError
from pipeline.reuse import parse_iso_date
from search.client import es_errors
from search.mapping import alias_name
from search.person import VIETNAM_TZ

log = logging.getLogger(__name__)

MAX_CODE_CHARS = 64
MAX_DOSSIER_DOCUMENTS = 1000
RESULT_TYPES = frozenset(
    {"administrative_decision", "birth_certificate", "marriage_certificate",
     "marital_status_certificate", "death_extract", "residence_confirmation",
     "land_use_certificate", "business_registration"}
)  # fmt: skip
# Status of a dossier, from its results and the receipt's appointment date.
STATUSES = ("result_issued", "overdue", "in_progress", "unknown")
_SOURCE = ["id", "doc_type", "source_file", "fields", "dossier_code", "page_start", "page_end",
           "ingested_at"]  # fmt: skip
_HEADER_FIELDS = ("procedure_name", "received_date", "appointment_date")
_APPLICANT_FIELDS = ("full_name", "id_number", "date_of_birth")


def dossier_code_of(value: str) -> str:
    """The dossier code as typed, spaces normalised; InputError for an empty or absurd one."""
    code = normalize_spaces("".join(ch if ch.isprintable() else " " for ch in value or ""))
    if not code or len(code) > MAX_CODE_CHARS:
        raise InputError(
            f"{value!r} is not a dossier code", hint="give the Mã hồ sơ printed on the receipt"
        )
    return code


def _membership(code: str) -> dict[str, Any]:
    """Documents filed under the code or printing it (the keyword normaliser lowercases)."""
    return {
        "bool": {
            "should": [{"term": {"dossier_code": code}}, {"term": {"fields.dossier_code": code}}],
            "minimum_should_match": 1,
        }
    }


def _documents(es: Elasticsearch, alias: str, code: str) -> tuple[int, list[dict[str, Any]]]:
    """(total, sources) of the dossier's documents, oldest issue first."""
    sort: list[Any] = [
        {"fields.issue_date": {"order": "asc", "missing": "_last"}},
        {"ingested_at": {"order": "asc", "missing": "_last"}},
        {"id": "asc"},
    ]
    with es_errors(f"looking up dossier {code} in {alias}"):
        response = es.search(
            index=alias, query={"constant_score": {"filter": _membership(code)}}, sort=sort,
            size=MAX_DOSSIER_DOCUMENTS, track_total_hits=True, source_includes=_SOURCE,
            ignore_unavailable=True,
        )  # fmt: skip
    total = int(response["hits"]["total"]["value"])
    return total, [hit["_source"] for hit in response["hits"]["hits"]]


def _fields(source: Mapping[str, Any]) -> dict[str, str]:
    return {str(k): str(v) for k, v in (source.get("fields") or {}).items()}


def _first(sources: list[dict[str, Any]], name: str) -> str | None:
    """The first value of a field among the documents given (in order of preference)."""
    for source in sources:
        if value := _fields(source).get(name):
            return value
    return None


def _received_day(receipts: list[dict[str, Any]], forms: list[dict[str, Any]]) -> date | None:
    """The day the dossier was received: the receipt's date, else the latest form's."""
    day = parse_iso_date(_first(receipts, "received_date"))
    if day is not None:
        return day
    dates = [parse_iso_date(_fields(f).get("issue_date")) for f in forms]
    known = [d for d in dates if d is not None]
    return max(known) if known else None


def is_result(source: Mapping[str, Any], received: date | None) -> bool:
    """True for a decision or certificate issued on or after the day the dossier came in."""
    if source.get("doc_type") not in RESULT_TYPES:
        return False
    if received is None:
        return True
    issued = parse_iso_date(_fields(source).get("issue_date"))
    return issued is not None and issued >= received


def _entry(source: Mapping[str, Any]) -> dict[str, Any]:
    """One document of the view."""
    fields = _fields(source)
    return {
        "id": source.get("id"),
        "doc_type": source.get("doc_type"),
        "source_file": source.get("source_file"),
        "issue_date": fields.get("issue_date"),
        "full_name": fields.get("full_name"),
        "document_number": fields.get("document_number"),
        "page_start": source.get("page_start"),
        "page_end": source.get("page_end"),
    }


def _status(results: list[dict[str, Any]], appointment: str | None, today: date) -> str:
    """`result_issued`, `overdue` (appointment passed), `in_progress`, or `unknown`."""
    if results:
        return "result_issued"
    due = parse_iso_date(appointment)
    if due is None:
        return "unknown"
    return "overdue" if today > due else "in_progress"


def dossier_view(
    es: Elasticsearch, settings: Settings, code: str, *, today: date | None = None
) -> dict[str, Any]:
    """The dossier's header, papers and results; `total` 0 when nothing carries the code."""
    wanted = dossier_code_of(code)
    alias = alias_name(settings.index_prefix)
    total, sources = _documents(es, alias, wanted)
    receipts = [s for s in sources if s.get("doc_type") == "dossier_receipt"]
    forms = [s for s in sources if s.get("doc_type") == "application_form"]
    received = _received_day(receipts, forms)
    results = [_entry(s) for s in sources if is_result(s, received)]
    papers = [_entry(s) for s in sources if not is_result(s, received)]
    preferred = [*receipts, *forms]
    header = {name: _first(preferred, name) for name in _HEADER_FIELDS}
    if header["received_date"] is None and received is not None:
        header["received_date"] = received.isoformat()
    day = today or datetime.now(VIETNAM_TZ).date()
    if len(sources) < total:
        log.warning("dossier %s: %d documents, listing the first %d", wanted, total, len(sources))
    return {
        "dossier_code": _printed_code(sources, wanted),
        **header,
        "applicant": {name: _first(preferred, name) for name in _APPLICANT_FIELDS},
        "status": _status(results, header["appointment_date"], day),
        "receipt_id": receipts[0].get("id") if receipts else None,
        "total": total,
        "papers": papers,
        "results": results,
    }


def _printed_code(sources: list[dict[str, Any]], wanted: str) -> str:
    """The code as printed on the receipt or given at ingest (case may differ from `wanted`)."""
    for source in sources:
        for value in (_fields(source).get("dossier_code"), source.get("dossier_code")):
            if value and str(value).lower() == wanted.lower():
                return str(value)
    return wanted
