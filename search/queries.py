"""Search-box queries and the reuse lookup, built as structured queries only.

User input never reaches a query parser (no `query_string`): it is canonicalised, split
into identifier, date and word tokens in Python, and sent as `term` / `match` /
`match_phrase` clauses, so Lucene syntax in the input is plain text. Filters, facets and
diversification live in `search.refine`, regional-variant suggestions in `search.suggest`.
"""

from __future__ import annotations

import html
import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from elasticsearch import Elasticsearch

from ocr_models.vietnamese import canonicalize, fold, normalize_spaces
from pipeline.config import Settings
from pipeline.errors import InputError
from pipeline.models import DATE_FIELDS, DOC_TYPES
from search.client import es_errors
from search.indexer import code_key, fold_text
from search.mapping import TEXT_FIELDS, alias_name
from search.person import VIETNAM_TZ
from search.person import reuse as reuse  # the reuse look-up lives in search.person
from search.refine import (
    DIVERSIFY_WINDOW,
    SearchFilters,
    aggregations,
    diversified,
    facets_of,
    filtered,
)
from search.suggest import variant_queries

log = logging.getLogger(__name__)

MAX_QUERY_CHARS = 256
MAX_QUERY_TERMS = 32
MAX_PAGE_SIZE = 100
MAX_RESULT_WINDOW = 10_000  # index.max_result_window default
SORTS = ("relevance", "newest", "ingested")

_EDGE_PUNCT = ".,;:!?()[]{}<>\"'`*~^+|&=\\"
_SERIAL_LETTERS = re.compile(r"^[A-ZĐ]{1,3}$", re.IGNORECASE)
_SERIAL_DIGITS = re.compile(r"^\d{6,8}$")
_YEAR = re.compile(r"^(19|20)\d{2}$")
_DMY = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
_YMD = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_OPERATOR_SUFFIX = re.compile(r"[~^][\d.]*$")
_WORD = re.compile(r"[^\W_]+")
_TAG = re.compile(r"(</?em>)")
_SOURCE = ["id", "doc_type", "source_file", "fields", "person.name", "person.key"]
_HIGHLIGHT: dict[str, Any] = {
    "encoder": "html",
    "fragment_size": 150,
    "number_of_fragments": 3,
    "max_analyzed_offset": 999_999,  # never fail on a huge OCR text (default limit 1e6)
    "fields": {
        "text": {},
        "text_folded": {},
        "person.name": {"number_of_fragments": 0},
        "person.name_folded": {"number_of_fragments": 0},
    },
}


@dataclass(frozen=True)
class ParsedQuery:
    """What the search box held: identifiers, dates, years and remaining words."""

    words: str = ""
    codes: tuple[str, ...] = ()
    dates: tuple[date, ...] = ()
    years: tuple[int, ...] = ()
    raw_dates: tuple[str, ...] = ()

    @property
    def empty(self) -> bool:
        """True when nothing searchable was typed (match everything, newest first)."""
        return not (self.words or self.codes or self.dates or self.years)


def _parse_date(token: str) -> date | None:
    """`05/03/1990`, `5-3-1990`, `05.03.1990` or `1990-03-05` → date."""
    if m := _DMY.match(token):
        day, month, year = int(m[1]), int(m[2]), int(m[3])
    elif m := _YMD.match(token):
        year, month, day = int(m[1]), int(m[2]), int(m[3])
    else:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _is_code(token: str) -> bool:
    """Identifier-like: digits with separators, or five digits or more."""
    digits = sum(ch.isdigit() for ch in token)
    if not digits or len(token) > 64:
        return False
    return digits >= 5 or any(sep in token for sep in "/-.")


def _tokens(query: str) -> list[str]:
    """Canonical, printable, length-limited tokens of a query."""
    text = canonicalize(query or "")
    text = "".join(ch if ch.isprintable() else " " for ch in text)
    text = normalize_spaces(text)[:MAX_QUERY_CHARS]
    return text.split()[:MAX_QUERY_TERMS]


def parse_query(query: str) -> ParsedQuery:
    """Split a search-box string into identifier, date, year and word tokens."""
    tokens = [t.strip(_EDGE_PUNCT) for t in _tokens(query)]
    words: list[str] = []
    codes: list[str] = []
    dates: list[date] = []
    years: list[int] = []
    raw_dates: list[str] = []
    i = 0
    while i < len(tokens):
        token, nxt = tokens[i], tokens[i + 1] if i + 1 < len(tokens) else ""
        i += 1
        if _SERIAL_LETTERS.match(token) and _SERIAL_DIGITS.match(nxt):
            codes.append(f"{token} {nxt}")  # a land certificate serial such as "CS 123456"
            i += 1
        elif day := _parse_date(token):
            dates.append(day)
            raw_dates.append(token)
        elif _YEAR.match(token):
            years.append(int(token))
            raw_dates.append(token)
        elif _is_code(token):
            codes.append(token)
        else:
            # "Lan~2", "Lan^10" are Lucene operators on a word: keep the word only.
            words.extend(_WORD.findall(_OPERATOR_SUFFIX.sub("", token)))
    return ParsedQuery(" ".join(words), tuple(codes), tuple(dates), tuple(years), tuple(raw_dates))


def _code_clause(code: str) -> dict[str, Any]:
    """Exact identifier lookup, plus the identifier as a phrase in the OCR text."""
    return {
        "bool": {
            "should": [
                {"term": {"codes": {"value": code_key(code), "boost": 50}}},
                {"match_phrase": {"text": {"query": code, "boost": 3}}},
                {"match_phrase": {"text_folded": {"query": fold_text(code), "boost": 2}}},
            ]
        }
    }


def _words_clause(words: str) -> dict[str, Any]:
    """Accented phrase > accented words > folded phrase > folded words > fuzzy folded name."""
    folded = fold(words)
    accented = ["person.name^3", *(f"fields.{n}^1.5" for n in TEXT_FIELDS), "text"]
    folded_fields = ["person.name_folded^3", "fields_folded^1.5", "text_folded"]
    fuzzy = {"query": folded, "fuzziness": "AUTO", "prefix_length": 1, "operator": "and"}
    return {
        "bool": {
            "should": [
                {"match_phrase": {"person.name": {"query": words, "boost": 12}}},
                {"multi_match": {"query": words, "type": "phrase", "fields": accented,
                                 "boost": 6}},
                {"multi_match": {"query": words, "fields": accented, "operator": "and",
                                 "boost": 4}},
                {"multi_match": {"query": folded, "type": "phrase", "fields": folded_fields,
                                 "boost": 1.5}},
                {"multi_match": {"query": folded, "fields": folded_fields, "operator": "and",
                                 "boost": 1}},
                {"match": {"person.name_folded": {**fuzzy, "boost": 0.2}}},
            ],
            "minimum_should_match": 1,
        }
    }  # fmt: skip


def _date_clauses(parsed: ParsedQuery) -> list[dict[str, Any]]:
    """Boosts for a birth date (strongest), any other date field, or a birth year."""
    clauses: list[dict[str, Any]] = []
    for day in parsed.dates:
        iso = day.isoformat()
        clauses.append({"term": {"person.date_of_birth": {"value": iso, "boost": 8}}})
        clauses.extend(
            {"term": {f"fields.{name}": {"value": iso, "boost": 2}}}
            for name in sorted(DATE_FIELDS - {"date_of_birth"})
        )
    for year in parsed.years:
        span = {"gte": f"{year}-01-01", "lte": f"{year}-12-31", "boost": 3}
        clauses.append({"range": {"person.date_of_birth": span}})
    clauses.extend({"match_phrase": {"text": {"query": raw}}} for raw in parsed.raw_dates)
    return clauses


def reusable_clause(as_of: date) -> dict[str, Any]:
    """Papers reusable on `as_of` by the indexed `reuse` window (`pipeline.reuse.validity`).

    A missing `valid_from` is no lower bound and a missing `valid_until` no expiry; a
    document without `reuse.void` (indexed before mapping v2) is left out.
    """
    day = as_of.isoformat()
    return {
        "bool": {
            "filter": [{"term": {"reuse.void": False}}],
            "must_not": [
                {"range": {"reuse.valid_from": {"gt": day}}},
                {"range": {"reuse.valid_until": {"lt": day}}},
            ],
        }
    }


def reuse_day(reusable_only: bool, as_of: date | None) -> date | None:
    """The day reusability is judged on (today in Vietnam by default), or None for no filter."""
    if not reusable_only:
        if as_of is not None:
            raise InputError(
                "a date to judge reuse on needs the reusable-only filter",
                hint="add --reusable-only (API: reusable_only=true)",
            )
        return None
    return as_of or datetime.now(VIETNAM_TZ).date()


def build_query(
    parsed: ParsedQuery, doc_type: str | None = None, *, reusable_on: date | None = None
) -> dict[str, Any]:
    """The ES query for a parsed search-box string (match_all when it holds nothing).

    With `reusable_on`, only papers that may be reused on that day are matched.
    """
    main = [_code_clause(code) for code in parsed.codes]
    if parsed.words:
        main.append(_words_clause(parsed.words))
    dates = _date_clauses(parsed)
    query: dict[str, Any]
    if main:
        must = {"bool": {"should": main, "minimum_should_match": 1}}
        query = {"bool": {"must": [must], "should": dates}}
    elif dates:
        query = {"bool": {"should": dates, "minimum_should_match": 1}}
    else:
        query = {"match_all": {}}
    restrictions = [{"term": {"doc_type": doc_type}}] if doc_type else []
    if reusable_on is not None:
        restrictions.append(reusable_clause(reusable_on))
    if restrictions:
        query = {"bool": {"must": [query], "filter": restrictions}}
    return query


def _sort(parsed: ParsedQuery, sort: str) -> list[Any]:
    """Sort keys: relevance (newest ingest first when nothing was typed), newest, ingested."""
    recency = {"ingested_at": {"order": "desc", "missing": "_last"}}
    if sort == "newest":
        issued = {"fields.issue_date": {"order": "desc", "missing": "_last"}}
        return [issued, recency, {"id": "asc"}]
    if sort == "ingested" or parsed.empty:
        return [recency, {"id": "asc"}]
    return ["_score", recency, {"id": "asc"}]


def _highlighting(parsed: ParsedQuery) -> dict[str, Any]:
    """Highlight options with a plain `highlight_query` of the typed words and identifiers.

    Highlighting with the ranking query itself re-runs its fuzzy and multi-field clauses on
    every hit, which cost 10x the search at 100k records; plain matches mark the same words.
    """
    should: list[dict[str, Any]] = []
    if parsed.words:
        folded = fold(parsed.words)
        should += [
            {"match": {"text": parsed.words}}, {"match": {"person.name": parsed.words}},
            {"match": {"text_folded": folded}}, {"match": {"person.name_folded": folded}},
        ]  # fmt: skip
    for phrase in (*parsed.codes, *parsed.raw_dates):
        should += [
            {"match_phrase": {"text": phrase}},
            {"match_phrase": {"text_folded": fold_text(phrase)}},
        ]
    return {**_HIGHLIGHT, "highlight_query": {"bool": {"should": should}}} if should else {}


def _check_arguments(doc_type: str | None, size: int, page: int, sort: str) -> None:
    """InputError for an unknown doc_type or sort, or an impossible page."""
    if sort not in SORTS:
        raise InputError(f"unknown sort {sort!r}", hint="one of " + ", ".join(SORTS))
    if doc_type is not None and doc_type not in DOC_TYPES:
        raise InputError(f"unknown doc_type {doc_type!r}", hint="one of " + ", ".join(DOC_TYPES))
    if not 1 <= size <= MAX_PAGE_SIZE:
        raise InputError(f"size must be between 1 and {MAX_PAGE_SIZE}, not {size}")
    if page < 1:
        raise InputError(f"page must be 1 or more, not {page}")


def search(
    es: Elasticsearch,
    settings: Settings,
    query: str,
    *,
    doc_type: str | None = None,
    size: int = 10,
    page: int = 1,
    filters: SearchFilters | None = None,
    sort: str = "relevance",
    facets: bool = False,
    suggest: bool = True,
    reusable_only: bool = False,
    as_of: date | None = None,
) -> dict[str, Any]:
    """Ranked documents for a search-box string: `{"total": N, "hits": [...], ...}`.

    `reusable_only` keeps the papers that may be reused on `as_of` (default: today in
    Vietnam), judged by the same rules as the reuse look-up.

    Besides the contract keys `total` and `hits`, the result echoes `page`, `size`, `sort`
    and the `filters` applied, and carries `facets` (when asked) and `suggestions`:
    regional name variants with their own hit counts, never mixed into `hits`. With
    relevance ranking, the first DIVERSIFY_WINDOW hits are reordered so namesakes' first
    papers come before one person's near-tied repeats (pages stay disjoint).
    """
    _check_arguments(doc_type, size, page, sort)
    if filters is not None:
        filters.check()
    parsed = parse_query(query)
    reusable_on = reuse_day(reusable_only, as_of)
    es_query = filtered(build_query(parsed, doc_type, reusable_on=reusable_on), filters)
    start, window = (page - 1) * size, size
    if start + size > MAX_RESULT_WINDOW:
        start, window = 0, 0  # beyond the result window: report the total only
    # Ranked pages inside the first DIVERSIFY_WINDOW hits are cut from one reordered list.
    diversify = sort == "relevance" and not parsed.empty and window > 0 and start < DIVERSIFY_WINDOW
    fetch_from, fetch_size = (0, max(DIVERSIFY_WINDOW, start + window)) if diversify else (
        start, window)  # fmt: skip
    alias = alias_name(settings.index_prefix)
    with es_errors(f"searching {alias}"):
        response = es.search(
            index=alias, query=es_query, sort=_sort(parsed, sort), from_=fetch_from,
            size=fetch_size, track_total_hits=True, source_includes=[*_SOURCE, "text"],
            highlight=_highlighting(parsed) if window else None, ignore_unavailable=True,
            aggregations=aggregations() if facets else None,
        )  # fmt: skip
    raw_hits = response["hits"]["hits"]
    if diversify:
        top = diversified(raw_hits[:DIVERSIFY_WINDOW])
        raw_hits = [*top, *raw_hits[DIVERSIFY_WINDOW:]][start : start + window]
    return {
        "total": int(response["hits"]["total"]["value"]),
        "hits": [_hit(h) for h in raw_hits],
        "page": page,
        "size": size,
        "sort": sort,
        "filters": {
            **({"doc_type": doc_type} if doc_type else {}),
            **(filters.as_json() if filters else {}),
            **({"reusable_on": reusable_on.isoformat()} if reusable_on else {}),
        },
        "facets": facets_of(response.get("aggregations") or {}) if facets else {},
        "suggestions": (
            _suggestions(es, alias, query, doc_type, filters, reusable_on) if suggest else []
        ),
    }


def _suggestions(
    es: Elasticsearch,
    alias: str,
    query: str,
    doc_type: str | None,
    filters: SearchFilters | None,
    reusable_on: date | None = None,
) -> list[dict[str, Any]]:
    """Regional-variant queries that have hits, with their counts (one msearch round trip)."""
    variants = list(variant_queries(query))
    if not variants:
        return []
    searches: list[dict[str, Any]] = []
    for alternative, _ in variants:
        built = build_query(parse_query(alternative), doc_type, reusable_on=reusable_on)
        body = {"query": filtered(built, filters), "size": 0, "track_total_hits": True}
        searches.extend([{"index": alias, "ignore_unavailable": True}, body])
    with es_errors(f"counting suggestions in {alias}"):
        responses = es.msearch(searches=searches)["responses"]
    out = []
    for (alternative, reason), response in zip(variants, responses, strict=True):
        total = int(((response.get("hits") or {}).get("total") or {}).get("value", 0))
        if total:
            out.append({"query": alternative, "total": total, "reason": reason})
    return out


def _hit(hit: Mapping[str, Any]) -> dict[str, Any]:
    """One result in the contract shape; `score` is None when listing without a query."""
    source = hit.get("_source") or {}
    return {
        "id": source.get("id", hit["_id"]),
        "doc_type": source.get("doc_type"),
        "source_file": source.get("source_file"),
        "score": None if hit.get("_score") is None else float(hit["_score"]),
        "fields": dict(source.get("fields") or {}),
        "highlight": _highlight(hit.get("highlight") or {}, source, str(source.get("text") or "")),
    }


def _highlight(
    raw: Mapping[str, list[str]], source: Mapping[str, Any], text: str
) -> dict[str, list[str]]:
    """HTML fragments (escaped text, `<em>` marks) on the accented text, even for folded hits."""
    out: dict[str, list[str]] = {}
    person = source.get("person") or {}
    for field, original in (("text", text), ("person.name", person.get("name"))):
        if raw.get(field):
            out[field] = [_render(_segments(f)) for f in raw[field]]
        elif raw.get(f"{field}_folded"):
            out[field] = [
                _render(_unfold(_segments(f), str(original or ""))) for f in raw[f"{field}_folded"]
            ]
    return out


def _segments(fragment: str) -> list[tuple[str, bool]]:
    """A highlighted fragment as (plain text, emphasised) pieces."""
    segments: list[tuple[str, bool]] = []
    emphasised = False
    for part in _TAG.split(fragment):
        if part in ("<em>", "</em>"):
            emphasised = part == "<em>"
        elif part:
            segments.append((html.unescape(part), emphasised))
    return segments


def _render(segments: list[tuple[str, bool]]) -> str:
    """HTML: escaped text with `<em>` around the matches."""
    pieces = (html.escape(text, quote=False) for text, _ in segments)
    return "".join(
        f"<em>{piece}</em>" if emph else piece
        for piece, (_, emph) in zip(pieces, segments, strict=True)
    )


def _unfold(segments: list[tuple[str, bool]], original: str) -> list[tuple[str, bool]]:
    """Re-cut segments of the folded text from the accented original (same offsets)."""
    folded = fold(original)
    start = folded.find("".join(text for text, _ in segments))
    if start < 0 or len(folded) != len(original):
        return segments  # folding changed offsets: keep the folded fragment
    out, pos = [], start
    for text, emph in segments:
        out.append((original[pos : pos + len(text)], emph))
        pos += len(text)
    return out
