"""Shared helpers for tests that index hand-made records into a private index."""

from __future__ import annotations

from typing import Any

from elasticsearch import Elasticsearch

from pipeline.config import Settings
from search.indexer import index_records


def private_index(settings: Settings, name: str) -> Settings:
    """Settings for an index of its own, under the session prefix (so the session cleans it)."""
    return Settings(
        es_url=settings.es_url, index_prefix=f"{settings.index_prefix}-{name}", es_shards=1,
        es_replicas=0,
    )  # fmt: skip


def index_all(
    es: Elasticsearch, settings: Settings, records: dict[str, dict[str, Any]]
) -> dict[str, dict[str, Any]]:
    """Index every record (refreshed, no failure allowed) and hand the dict back."""
    report = index_records(es, settings, records.values())
    assert report.failed == []
    return records
