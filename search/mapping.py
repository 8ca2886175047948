"""Index names, the composable index template with its strict mapping, and `ensure_index`.

Folding (strip diacritics, đ→d) is done in Python because the node has no analysis-common
plugin: every `*_folded` field receives text that is already folded.
"""

from __future__ import annotations

import hashlib
import json
import logging
from datetime import UTC, datetime
from typing import Any

from elasticsearch import ApiError, Elasticsearch, NotFoundError

from pipeline.config import Settings
from pipeline.errors import ConfigError
from pipeline.models import DATE_FIELDS, FIELD_NAMES
from search.client import as_dossier_error, es_errors

log = logging.getLogger(__name__)

# v2: `reuse` (validity window) for the reusable-only filter.
MAPPING_VERSION = 2
# Above the built-in `logs-*-*`/`metrics-*-*` templates (100) so a prefix never collides.
TEMPLATE_PRIORITY = 200
KEYWORD_FIELDS = frozenset(
    {"id_number", "business_code", "certificate_serial", "dossier_code", "document_number",
     "book_number", "land_parcel_number", "map_sheet_number", "gender"}
)  # fmt: skip
NUMBER_FIELDS = frozenset({"land_area_m2"})
TEXT_FIELDS: tuple[str, ...] = tuple(
    name for name in FIELD_NAMES if name not in KEYWORD_FIELDS | DATE_FIELDS | NUMBER_FIELDS
)
# Longer keyword values (OCR garbage) are kept in _source but not indexed.
IGNORE_ABOVE = 256

_KEYWORD: dict[str, Any] = {"type": "keyword", "ignore_above": IGNORE_ABOVE}
_CODE: dict[str, Any] = {**_KEYWORD, "normalizer": "dossier_lowercase"}
_TEXT: dict[str, Any] = {"type": "text", "analyzer": "standard"}
_DATE: dict[str, Any] = {"type": "date", "format": "strict_date"}


def alias_name(prefix: str) -> str:
    """The alias every reader and writer uses."""
    return f"{prefix}-documents"


def template_name(prefix: str) -> str:
    """The composable index template that shapes every concrete index."""
    return f"{prefix}-documents"


def index_pattern(prefix: str) -> str:
    """Pattern matching the concrete, versioned indices behind the alias."""
    return f"{prefix}-documents-*"


def new_index_name(prefix: str, now: datetime | None = None) -> str:
    """A fresh concrete index name: `{prefix}-documents-v{MAPPING_VERSION}-{utc timestamp}`."""
    stamp = (now or datetime.now(UTC)).astimezone(UTC).strftime("%Y%m%d%H%M%S%f")
    return f"{prefix}-documents-v{MAPPING_VERSION}-{stamp}"


def _field_mapping(name: str) -> dict[str, Any]:
    """Mapping of one extracted field under `fields`."""
    if name in KEYWORD_FIELDS:
        return dict(_CODE)
    if name in DATE_FIELDS:
        return dict(_DATE)
    if name in NUMBER_FIELDS:
        return {"type": "float"}
    return {**_TEXT, "fields": {"keyword": dict(_KEYWORD)}}


def _person_mapping() -> dict[str, Any]:
    """The main person of a paper, for per-person linkage (ID, or folded name + birth date)."""
    return {
        "properties": {
            "id_number": dict(_KEYWORD),
            "name": dict(_TEXT),
            "name_folded": dict(_TEXT),
            "name_exact": dict(_KEYWORD),
            "name_folded_exact": dict(_KEYWORD),
            "date_of_birth": dict(_DATE),
            "key": dict(_KEYWORD),
        }
    }


def reuse_mapping() -> dict[str, Any]:
    """When a paper may be reused (`pipeline.reuse.validity`): filterable without scripts.

    Reusable on day D when `void` is false, `valid_from` (issue date) is absent or <= D,
    and `valid_until` (last reusable day) is absent (no expiry) or >= D.
    """
    return {
        "properties": {
            "valid_from": dict(_DATE),
            "valid_until": dict(_DATE),
            "void": {"type": "boolean"},
        }
    }


def document_mapping() -> dict[str, Any]:
    """The strict mapping of one indexed document (a sidecar record plus derived fields)."""
    keyword = dict(_KEYWORD)
    properties: dict[str, Any] = {
        **{name: dict(keyword) for name in ("id", "sha256", "doc_type", "source_file",
                                             "media_type", "original_path", "pipeline_version",
                                             "warnings", "codes")},
        "dossier_code": dict(_CODE),
        "ingested_at": {"type": "date"},
        **{name: {"type": "integer"} for name in ("schema_version", "doc_index", "page_start",
                                                   "page_end", "page_count")},
        "text": dict(_TEXT),
        "text_folded": dict(_TEXT),
        "fields_folded": dict(_TEXT),
        **{name: {"type": "float"} for name in ("ocr_confidence", "doc_type_confidence")},
        "needs_review": {"type": "boolean"},
        "fields": {"properties": {name: _field_mapping(name) for name in FIELD_NAMES}},
        "field_confidence": {
            "properties": {name: {"type": "float"} for name in FIELD_NAMES}
        },
        "person": _person_mapping(),
        "reuse": reuse_mapping(),
        "invalid_fields": {"properties": {"name": dict(keyword), "value": dict(keyword)}},
        # Hash of everything else: lets the indexer skip re-writing identical documents.
        "content_hash": {"type": "keyword", "index": False, "doc_values": False},
    }  # fmt: skip
    return {
        "dynamic": "strict",
        "_meta": {"mapping_version": MAPPING_VERSION},
        "properties": properties,
    }


def template_body(settings: Settings) -> dict[str, Any]:
    """Keyword arguments for `put_index_template`, fingerprinted in `meta`."""
    body: dict[str, Any] = {
        "index_patterns": [index_pattern(settings.index_prefix)],
        "priority": TEMPLATE_PRIORITY,
        "template": {
            "settings": {
                "number_of_shards": settings.es_shards,
                "number_of_replicas": settings.es_replicas,
                "analysis": {
                    "normalizer": {"dossier_lowercase": {"type": "custom", "filter": ["lowercase"]}}
                },
            },
            "mappings": document_mapping(),
        },
    }
    digest = hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()[:16]
    body["meta"] = {"mapping_version": MAPPING_VERSION, "fingerprint": digest}
    return body


def ensure_template(es: Elasticsearch, settings: Settings) -> None:
    """Create or update the index template unless the stored one has the same fingerprint."""
    name = template_name(settings.index_prefix)
    body = template_body(settings)
    with es_errors(f"reading index template {name}"):
        try:
            stored = es.indices.get_index_template(name=name)["index_templates"]
        except NotFoundError:
            stored = []
    if stored and stored[0]["index_template"].get("_meta") == body["meta"]:
        return
    with es_errors(f"writing index template {name}"):
        es.indices.put_index_template(name=name, **body)
    log.info("index template %s written (mapping v%d)", name, MAPPING_VERSION)


def ensure_index(es: Elasticsearch, settings: Settings) -> str:
    """Create template, first concrete index and alias when absent (idempotent); return alias."""
    prefix = settings.index_prefix
    alias = alias_name(prefix)
    ensure_template(es, settings)
    if _alias_exists(es, alias):
        return alias
    with es_errors(f"checking for an index named {alias}"):
        clash = es.indices.exists(index=alias)
    if clash:
        raise ConfigError(
            f"{alias} exists as a concrete index, not as an alias",
            hint=f"delete index {alias} and re-index from the archive, or change "
            "DOSSIER_INDEX_PREFIX",
        )
    index = new_index_name(prefix)
    # The alias goes on only once the shard is up: searches through it never meet an index
    # whose shard is still starting (HTTP 503 during an installation's first ingest).
    with es_errors(f"creating index {index}"):
        es.indices.create(index=index, wait_for_active_shards="1")
        es.cluster.health(index=index, wait_for_status="yellow", timeout="30s")
    try:
        es.indices.update_aliases(
            actions=[{"add": {"index": index, "alias": alias, "is_write_index": True}}]
        )
    except ApiError as e:
        # Another process won the race (its index owns the write alias): use that one.
        if _alias_exists(es, alias):
            log.info("index %s not used: %s appeared concurrently", index, alias)
            with es_errors(f"removing unused index {index}"):
                es.indices.delete(index=index, ignore_unavailable=True)
            return alias
        raise as_dossier_error(e, f"adding alias {alias} to {index}") from e
    log.info("created index %s behind alias %s", index, alias)
    return alias


def _alias_exists(es: Elasticsearch, alias: str) -> bool:
    """True when `alias` is an alias (not a concrete index); warns on an older mapping."""
    with es_errors(f"checking alias {alias}"):
        if not es.indices.exists_alias(name=alias):
            return False
        indices = list(es.indices.get_alias(name=alias))
    current = f"-v{MAPPING_VERSION}-"
    if not any(current in index for index in indices):
        log.warning(
            "alias %s points at %s, not at a mapping v%d index: re-index from the archive",
            alias,
            ",".join(indices),
            MAPPING_VERSION,
        )
        _add_new_properties(es, alias)
    return True


def _add_new_properties(es: Elasticsearch, alias: str) -> None:
    """Add properties newer than an index's mapping (additive), so new writes still fit it.

    Documents indexed before stay without them (e.g. no `reuse`, so a reusable-only search
    leaves them out) until `dossier reindex` rebuilds the index from the archive.
    """
    with es_errors(f"adding new properties to {alias}"):
        es.indices.put_mapping(index=alias, properties={"reuse": reuse_mapping()})
