"""Refinements around the ranked query: structured filters, facet counts, diversification.

Filters restrict hits without scoring them and take no query syntax (terms, ranges and
phrases only). Facets count document types, issuing authorities and years of issue.
Diversification reorders the top of a ranked list so that namesakes' first papers come
before one person's repeats.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from datetime import date
from typing import Any

from ocr_models.vietnamese import canonicalize, normalize_spaces
from pipeline.errors import InputError
from pipeline.models import DOC_TYPES
from search.indexer import fold_text

FACET_SIZE = 10
MAX_FILTER_CHARS = 256
# A person's second and later papers on a page yield to another person's first paper when
# their scores are this close: namesakes born the same year score within ~2% of each other,
# while a matching birth year or accent is worth 10% or more, so only near-ties move.
REPEAT_PERSON_PENALTY = 0.97
DIVERSIFY_WINDOW = 10


@dataclass(frozen=True)
class SearchFilters:
    """Structured filters beside the search box; they restrict hits without scoring them."""

    issued_from: date | None = None
    issued_to: date | None = None
    born_from: date | None = None
    born_to: date | None = None
    authority: str | None = None
    dossier_code: str | None = None

    def check(self) -> None:
        """InputError for an empty range (from after to) or an over-long text filter."""
        for label, low, high in (("issue date", self.issued_from, self.issued_to),
                                 ("birth date", self.born_from, self.born_to)):  # fmt: skip
            if low is not None and high is not None and low > high:
                raise InputError(f"{label} range is empty: {low} is after {high}")
        for value in (self.authority, self.dossier_code):
            if value is not None and len(value) > MAX_FILTER_CHARS:
                raise InputError(f"filter value longer than {MAX_FILTER_CHARS} characters")

    def as_json(self) -> dict[str, str]:
        """The filters that are set, as strings (echoed in the result)."""
        out = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if value is not None:
                out[f.name] = value.isoformat() if isinstance(value, date) else str(value)
        return out

    def clauses(self) -> list[dict[str, Any]]:
        """ES filter clauses (exact terms, ranges and phrases only: no query syntax)."""
        out: list[dict[str, Any]] = []
        ranges = (
            ("fields.issue_date", self.issued_from, self.issued_to),
            ("fields.date_of_birth", self.born_from, self.born_to),
        )
        for name, low, high in ranges:
            span = {k: v.isoformat() for k, v in (("gte", low), ("lte", high)) if v is not None}
            if span:
                out.append({"range": {name: span}})
        if self.authority and (authority := normalize_spaces(canonicalize(self.authority))):
            out.append({"bool": {"should": [
                {"term": {"fields.issuing_authority.keyword": authority}},
                {"match_phrase": {"fields.issuing_authority": authority}},
            ], "minimum_should_match": 1}})  # fmt: skip
        if self.dossier_code and (code := normalize_spaces(self.dossier_code)):
            out.append({"bool": {"should": [
                {"term": {"dossier_code": code}}, {"term": {"fields.dossier_code": code}},
            ], "minimum_should_match": 1}})  # fmt: skip
        return out


def filtered(query: dict[str, Any], filters: SearchFilters | None) -> dict[str, Any]:
    """`query` restricted by the structured filters (unchanged when there are none)."""
    clauses = filters.clauses() if filters else []
    return {"bool": {"must": [query], "filter": clauses}} if clauses else query


def aggregations() -> dict[str, Any]:
    """Facet counts: document type, issuing authority and year of issue."""
    return {
        "doc_type": {"terms": {"field": "doc_type", "size": len(DOC_TYPES)}},
        "issuing_authority": {
            "terms": {"field": "fields.issuing_authority.keyword", "size": FACET_SIZE}
        },
        "issue_year": {
            "date_histogram": {"field": "fields.issue_date", "calendar_interval": "year",
                               "format": "yyyy", "min_doc_count": 1, "order": {"_key": "desc"}},
        },
    }  # fmt: skip


def facets_of(aggregations: Mapping[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """`{facet: [{"value", "count"}]}` from the aggregation response."""
    return {
        name: [
            {"value": str(b.get("key_as_string", b["key"])), "count": int(b["doc_count"])}
            for b in body.get("buckets", [])
        ]
        for name, body in aggregations.items()
    }


def diversified(hits: list[Any]) -> list[Any]:
    """Reorder the top hits so namesakes' first papers come before a person's repeats.

    Used for relevance ranking only; a hit's reported score is unchanged.
    """
    seen: set[str] = set()
    keyed = []
    for position, hit in enumerate(hits):
        key = _person_of(hit.get("_source") or {})
        score = float(hit.get("_score") or 0.0)
        repeat = key is not None and key in seen
        if key is not None:
            seen.add(key)
        keyed.append((-(score * REPEAT_PERSON_PENALTY if repeat else score), position, hit))
    return [hit for *_, hit in sorted(keyed, key=lambda t: (t[0], t[1]))]


def _person_of(source: Mapping[str, Any]) -> str | None:
    """Who a hit is about: folded name + birth date, else the indexed linkage key."""
    fields_ = source.get("fields") or {}
    name, born = fields_.get("full_name"), fields_.get("date_of_birth")
    if name and born:
        return f"{fold_text(str(name)).lower()}|{born}"
    key = (source.get("person") or {}).get("key")
    return str(key) if key else None
