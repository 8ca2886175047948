"""The reuse look-up: a person's papers, linked by ID number or by exact name plus birth date.

DOMAIN: never merge two people on name alone. A paper belongs to a person when it carries
their ID number, or (for papers without any ID number, such as a birth certificate) when
its main person has the same canonical name and the same date of birth. A name without
diacritics is matched folded (people type without accents); a name with diacritics only
matches the same accents, case-insensitively.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, datetime, timedelta, timezone
from typing import Any

from elasticsearch import Elasticsearch

from ocr_models.vietnamese import normalize_spaces
from pipeline.config import Settings
from pipeline.errors import InputError
from pipeline.reuse import assess
from search.client import es_errors
from search.folding import canonicalize
from search.indexer import fold_text, name_key
from search.mapping import alias_name

REUSE_PAGE_SIZE = 500
VIETNAM_TZ = timezone(timedelta(hours=7))  # no daylight saving time
# How many distinct name + birth-date pairs of one ID number are followed (OCR variants).
MAX_LINKED_PAIRS = 10
MAX_NAME_CHARS = 128
BY_ID = "id_number"
BY_NAME_DOB = "name+dob"

_DMY = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
_YMD = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_SOURCE = ["id", "doc_type", "source_file", "fields", "person"]
_NO_ID: list[dict[str, Any]] = [
    {"exists": {"field": "person.id_number"}},
    {"exists": {"field": "fields.id_number"}},
]


def id_number_of(value: str) -> str:
    """Digits of a personal ID (spaces and dots allowed); InputError otherwise."""
    number = re.sub(r"[\s.]", "", value or "")
    if not number.isdigit() or len(number) not in (9, 12):
        raise InputError(
            f"{value!r} is not an ID number", hint="give the 12-digit personal ID or 9-digit CMND"
        )
    return number


def birth_date_of(value: str | date) -> date:
    """`1990-03-05` or `05/03/1990` (also `5/3/1990`) → date; InputError otherwise."""
    if isinstance(value, date):
        return value
    text = (value or "").strip()
    if m := _DMY.match(text):
        day, month, year = int(m[1]), int(m[2]), int(m[3])
    elif m := _YMD.match(text):
        year, month, day = int(m[1]), int(m[2]), int(m[3])
    else:
        raise InputError(f"{value!r} is not a date of birth", hint="use YYYY-MM-DD or dd/mm/yyyy")
    try:
        return date(year, month, day)
    except ValueError as e:
        raise InputError(f"{value!r} is not a real date", hint="check day and month") from e


def name_of(value: str) -> str:
    """The canonical lowercase name to match; InputError for an empty or absurd name."""
    key = name_key("".join(ch if ch.isprintable() else " " for ch in value or ""))
    if not any(ch.isalpha() for ch in key) or len(key) > MAX_NAME_CHARS:
        raise InputError(f"{value!r} is not a person's name", hint="give the full name as printed")
    return key


def _name_dob_clause(name: str, born: str) -> dict[str, Any]:
    """Exact canonical name (folded when the name has no diacritics) and the same birth date."""
    if fold_text(name) == name:
        name_term = {"term": {"person.name_folded_exact": name}}
    else:
        name_term = {"term": {"person.name_exact": name}}
    return {"bool": {"filter": [name_term, {"term": {"person.date_of_birth": born}}]}}


def _id_clause(number: str) -> dict[str, Any]:
    """Papers whose main person carries this ID number."""
    return {
        "bool": {
            "should": [
                {"term": {"fields.id_number": number}},
                {"term": {"person.id_number": number}},
            ],
            "minimum_should_match": 1,
        }
    }


def _linked_pairs(es: Elasticsearch, alias: str, number: str) -> list[tuple[str, str]]:
    """(canonical name, birth date) pairs on this ID's papers, most frequent first."""
    aggs = {
        "names": {
            "terms": {"field": "person.name_exact", "size": MAX_LINKED_PAIRS},
            "aggs": {"born": {"terms": {"field": "person.date_of_birth", "size": 3}}},
        }
    }
    with es_errors(f"looking up names of ID {number[-4:]} in {alias}"):
        response = es.search(
            index=alias, query={"constant_score": {"filter": _id_clause(number)}}, size=0,
            aggregations=aggs, ignore_unavailable=True,
        )  # fmt: skip
    buckets = (response.get("aggregations") or {}).get("names", {}).get("buckets", [])
    pairs = [
        (str(name["key"]), str(born["key_as_string"]), int(born["doc_count"]))
        for name in buckets
        for born in name["born"]["buckets"]
    ]
    pairs.sort(key=lambda p: -p[2])
    return [(name, born) for name, born, _ in pairs[:MAX_LINKED_PAIRS]]


def _all_documents(es: Elasticsearch, alias: str, query: dict[str, Any]) -> list[dict[str, Any]]:
    """Every matching document, newest issue date first (all pages, via search_after)."""
    sort: list[Any] = [{"fields.issue_date": {"order": "desc", "missing": "_last"}}, {"id": "asc"}]
    found: list[dict[str, Any]] = []
    after: list[Any] | None = None
    while True:
        with es_errors(f"looking up a person's documents in {alias}"):
            response = es.search(
                index=alias, query={"constant_score": {"filter": query}}, sort=sort,
                size=REUSE_PAGE_SIZE, search_after=after, track_total_hits=False,
                source_includes=_SOURCE, ignore_unavailable=True,
            )  # fmt: skip
        hits = response["hits"]["hits"]
        found.extend(h["_source"] for h in hits)
        if len(hits) < REUSE_PAGE_SIZE:
            return found
        after = hits[-1]["sort"]


def _entry(source: Mapping[str, Any], linked_by: str, day: date) -> dict[str, Any]:
    """One document of the result: the contract keys plus `id_number` and `linked_by`."""
    fields = {k: str(v) for k, v in (source.get("fields") or {}).items()}
    reusable, reason = assess(str(source.get("doc_type") or "other"), fields, day)
    return {
        "id": source.get("id"),
        "doc_type": source.get("doc_type"),
        "source_file": source.get("source_file"),
        "issue_date": fields.get("issue_date"),
        "expiry_date": fields.get("expiry_date"),
        "reusable": reusable,
        "reason": reason,
        "id_number": fields.get("id_number"),
        "linked_by": linked_by,
    }


def _today(as_of: date | None) -> date:
    return as_of or datetime.now(VIETNAM_TZ).date()


def reuse(
    es: Elasticsearch, settings: Settings, id_number: str, *, as_of: date | None = None
) -> dict[str, Any]:
    """Every paper of the person with this ID, newest first, each with its reuse verdict.

    Papers without any ID number whose main person has the same canonical name and birth
    date as on this ID's papers are included with `linked_by: "name+dob"`.
    """
    number = id_number_of(id_number)
    alias = alias_name(settings.index_prefix)
    pairs = _linked_pairs(es, alias, number)
    query: dict[str, Any] = _id_clause(number)
    if pairs:
        linked = {
            "bool": {
                "should": [_name_dob_clause(name, born) for name, born in pairs],
                "minimum_should_match": 1,
                "must_not": _NO_ID,
            }
        }
        query = {"bool": {"should": [query, linked], "minimum_should_match": 1}}
    day = _today(as_of)
    sources = _all_documents(es, alias, query)
    documents = []
    for source in sources:
        person = source.get("person") or {}
        own = str((source.get("fields") or {}).get("id_number") or person.get("id_number") or "")
        documents.append(_entry(source, BY_ID if own == number else BY_NAME_DOB, day))
    name, born = (_printed_name(sources, pairs[0][0]), pairs[0][1]) if pairs else (None, None)
    return {"id_number": number, "name": name, "date_of_birth": born, "documents": documents}


def _printed_name(sources: list[dict[str, Any]], key: str) -> str:
    """The name as printed on the newest paper whose canonical name is `key`."""
    for source in sources:
        person = source.get("person") or {}
        if person.get("name_exact") == key and person.get("name"):
            return str(person["name"])
    return key


def reuse_by_name(
    es: Elasticsearch,
    settings: Settings,
    name: str,
    date_of_birth: str | date,
    *,
    as_of: date | None = None,
) -> dict[str, Any]:
    """Every paper whose main person has this exact name and birth date, newest first.

    Never by name alone. `id_number` is the ID the matched papers carry when they agree on
    one, else None (no ID on any of them, or namesakes born the same day).
    """
    key, born = name_of(name), birth_date_of(date_of_birth).isoformat()
    alias = alias_name(settings.index_prefix)
    sources = _all_documents(es, alias, _name_dob_clause(key, born))
    day = _today(as_of)
    documents = [_entry(source, BY_NAME_DOB, day) for source in sources]
    numbers = {d["id_number"] for d in documents if d["id_number"]}
    return {
        "id_number": numbers.pop() if len(numbers) == 1 else None,
        "name": normalize_spaces(canonicalize(name)),
        "date_of_birth": born,
        "documents": documents,
    }
