"""Elasticsearch side of dossier: mapping, indexer, queries, reindex (the only ES client code)."""

from __future__ import annotations

from search.client import as_dossier_error, connect, es_errors, is_transient
from search.indexer import IndexReport, count, delete_records, index_records, to_es_doc
from search.mapping import MAPPING_VERSION, alias_name, ensure_index
from search.queries import reuse, search
from search.refine import SearchFilters

__all__ = [
    "MAPPING_VERSION",
    "IndexReport",
    "SearchFilters",
    "alias_name",
    "as_dossier_error",
    "connect",
    "count",
    "delete_records",
    "ensure_index",
    "es_errors",
    "index_records",
    "is_transient",
    "reuse",
    "search",
    "to_es_doc",
]
