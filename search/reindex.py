"""Rebuild the index from the archive alone, then switch the alias atomically.

`reindex` streams every sidecar into a NEW versioned index (`{prefix}-documents-v{N}-{ts}`)
while searches keep reading the old one through the alias; one `update_aliases` call then
removes the alias from the old index and adds it to the new one, so no search ever sees a
missing or half-built index. By default the newest previous index is kept (`keep=1`) as a
rollback point and older ones are deleted. `reindex_pending` only indexes records archived
while Elasticsearch was down (`index_state: "pending"`) into the current alias.

Writes that land in the old index while a rebuild runs are caught up after the switch:
every sidecar written since the rebuild started is indexed again through the alias.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from elasticsearch import Elasticsearch, helpers

from pipeline.archive import RECORD_ID, Archive
from pipeline.config import Settings
from pipeline.errors import ConfigError, InputError
from search.client import es_errors
from search.indexer import BULK_RETRIES, index_records, to_es_doc
from search.mapping import alias_name, ensure_template, index_pattern, new_index_name

log = logging.getLogger(__name__)

BULK_CHUNK = 1000
BULK_THREADS = 2  # the node indexes one chunk while Python converts the next
PENDING_BATCH = 2000
DEFAULT_KEEP = 1

Progress = Callable[[int, int], None]


@dataclass
class ReindexReport:
    """Outcome of a rebuild or a pending run."""

    index: str = ""
    alias: str = ""
    indexed: int = 0
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (path or id, why)
    failed: list[tuple[str, str]] = field(default_factory=list)  # (id, why)
    previous: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    caught_up: int = 0
    seconds: float = 0.0

    def as_json(self) -> dict[str, Any]:
        """Plain JSON shape for `dossier reindex --json` and the flow's result."""
        return {
            "index": self.index,
            "alias": self.alias,
            "indexed": self.indexed,
            "skipped": [{"path": p, "reason": r} for p, r in self.skipped],
            "failed": [{"id": i, "reason": r} for i, r in self.failed],
            "previous": self.previous,
            "deleted": self.deleted,
            "caught_up": self.caught_up,
            "seconds": round(self.seconds, 2),
        }


def _docs(
    records: Iterable[Mapping[str, Any]], index: str, report: ReindexReport
) -> Iterator[dict[str, Any]]:
    """Bulk actions for a concrete index; records without a usable id go to `failed`."""
    for record in records:
        try:
            doc = to_es_doc(record)
        except InputError as e:
            report.failed.append((str(record.get("id") or "<missing id>"), e.message))
            log.warning("record %s not indexed: %s", str(record.get("id"))[:12], e.message)
            continue
        except (TypeError, ValueError, AttributeError) as e:
            # A sidecar shaped in a way nobody foresaw must not stop the whole rebuild.
            report.failed.append((str(record.get("id") or "<missing id>"), f"malformed: {e}"))
            log.warning("record %s not indexed: malformed: %s", str(record.get("id"))[:12], e)
            continue
        yield {"_op_type": "index", "_index": index, "_id": doc["id"], "_source": doc}


def bulk_load(
    es: Elasticsearch,
    index: str,
    records: Iterable[Mapping[str, Any]],
    report: ReindexReport,
    progress: Callable[[int], None] | None = None,
) -> None:
    """Write records into a concrete index with parallel bulk requests."""
    done = 0
    with es_errors(f"bulk loading {index}"):
        for ok, item in helpers.parallel_bulk(
            es.options(max_retries=BULK_RETRIES, retry_on_timeout=True),
            _docs(records, index, report),
            thread_count=BULK_THREADS,
            chunk_size=BULK_CHUNK,
            raise_on_error=False,
        ):
            done += 1
            if ok:
                report.indexed += 1
            else:
                result = next(iter(item.values()))
                report.failed.append((str(result.get("_id")), str(result.get("error"))[:300]))
            if progress is not None and done % 200 == 0:
                progress(done)
    if progress is not None:
        progress(done)


def _create_loading_index(es: Elasticsearch, settings: Settings) -> str:
    """A new concrete index with refresh off (fast loading); the template sets the mapping."""
    ensure_template(es, settings)
    index = new_index_name(settings.index_prefix)
    with es_errors(f"creating index {index}"):
        es.indices.create(index=index, settings={"refresh_interval": "-1"})
    return index


def _finish_loading(es: Elasticsearch, index: str) -> None:
    """Turn refresh back on and make everything searchable."""
    with es_errors(f"finishing index {index}"):
        es.indices.put_settings(index=index, settings={"refresh_interval": None})
        es.indices.refresh(index=index)


def current_indices(es: Elasticsearch, settings: Settings) -> list[str]:
    """Concrete indices behind the alias (empty when the alias does not exist)."""
    alias = alias_name(settings.index_prefix)
    with es_errors(f"reading alias {alias}"):
        if es.indices.exists_alias(name=alias):
            return sorted(es.indices.get_alias(name=alias))
        if es.indices.exists(index=alias):
            raise ConfigError(
                f"{alias} exists as a concrete index, not as an alias",
                hint=f"delete index {alias} and run `dossier reindex`",
            )
    return []


def switch_alias(es: Elasticsearch, settings: Settings, index: str) -> list[str]:
    """Point the alias at `index` only, in one atomic `update_aliases`; returns the old ones."""
    alias = alias_name(settings.index_prefix)
    old = current_indices(es, settings)
    actions: list[dict[str, Any]] = [
        {"remove": {"index": name, "alias": alias}} for name in old if name != index
    ]
    actions.append({"add": {"index": index, "alias": alias, "is_write_index": True}})
    with es_errors(f"switching alias {alias} to {index}"):
        es.indices.update_aliases(actions=actions)
    log.info("alias %s now points at %s (was %s)", alias, index, ",".join(old) or "nothing")
    return [name for name in old if name != index]


def prune(es: Elasticsearch, settings: Settings, keep: int) -> list[str]:
    """Delete concrete indices not behind the alias, except the `keep` newest; returns them."""
    live = set(current_indices(es, settings))
    with es_errors("listing indices"):
        found = es.indices.get(index=index_pattern(settings.index_prefix), expand_wildcards="all")
    created = {
        name: int(body["settings"]["index"].get("creation_date", 0))
        for name, body in found.items()
        if name not in live
    }
    old = sorted(created, key=lambda name: created[name], reverse=True)[max(keep, 0) :]
    with es_errors("deleting old indices"):
        for name in old:
            es.options(ignore_status=404).indices.delete(index=name)
            log.info("deleted old index %s", name)
    return old


def build_index(
    es: Elasticsearch,
    settings: Settings,
    records: Iterable[Mapping[str, Any]],
    *,
    keep: int = DEFAULT_KEEP,
    progress: Callable[[int], None] | None = None,
) -> ReindexReport:
    """Load records into a new index, switch the alias to it, prune older indices."""
    started = time.monotonic()
    report = ReindexReport(alias=alias_name(settings.index_prefix))
    current_indices(es, settings)  # refuse a concrete index named like the alias up front
    report.index = _create_loading_index(es, settings)
    try:
        bulk_load(es, report.index, records, report, progress)
        _finish_loading(es, report.index)
        report.previous = switch_alias(es, settings, report.index)
    except BaseException:
        log.warning("rebuild failed: deleting the half-built index %s", report.index)
        es.options(ignore_status=404).indices.delete(index=report.index)
        raise
    report.deleted = prune(es, settings, keep)
    report.seconds = time.monotonic() - started
    return report


def reindex(
    es: Elasticsearch,
    settings: Settings,
    archive: Archive,
    *,
    keep: int = DEFAULT_KEEP,
    progress: Progress | None = None,
) -> ReindexReport:
    """Rebuild the whole index from the archive's sidecars (corrupt ones are skipped)."""
    started_wall = time.time()
    total = sum(1 for _ in archive.sidecar_paths())
    skipped: list[tuple[str, str]] = []
    pending: list[dict[str, Any]] = []

    def stream() -> Iterator[dict[str, Any]]:
        for record in archive.iter_records(on_skip=lambda p, why: skipped.append((str(p), why))):
            if record.get("index_state") == "pending":
                pending.append(record)
            yield record

    def tick(done: int) -> None:
        if progress is not None:
            progress(done + len(skipped), total)

    report = build_index(es, settings, stream(), keep=keep, progress=tick)
    report.skipped = skipped
    report.caught_up = _catch_up(es, settings, archive, started_wall)
    failed = {doc_id for doc_id, _ in report.failed}
    _mark_indexed(archive, [r for r in pending if r.get("id") not in failed])
    log.info(
        "rebuilt %s from the archive: %d indexed, %d skipped, %d failed, %d caught up",
        report.index, report.indexed, len(report.skipped), len(report.failed), report.caught_up,
    )  # fmt: skip
    return report


def _catch_up(es: Elasticsearch, settings: Settings, archive: Archive, since: float) -> int:
    """Index, through the alias, sidecars written while the rebuild was running."""
    recent = []
    for path in archive.sidecar_paths():
        try:
            if path.stat().st_mtime >= since:
                recent.append(_read(path))
        except (OSError, ValueError) as e:
            log.warning("catch-up: skipping %s: %s", path, e)
    recent = [r for r in recent if isinstance(r, dict)]
    if not recent:
        return 0
    return index_records(es, settings, recent).indexed


def _read(path: Path) -> Any:
    """A sidecar's parsed JSON."""
    return json.loads(path.read_text(encoding="utf-8"))


def _mark_indexed(archive: Archive, records: list[dict[str, Any]]) -> None:
    """Set `index_state: indexed` on well-formed records (others cannot be located)."""
    good = [r for r in records if RECORD_ID.fullmatch(str(r.get("id") or ""))]
    good = [r for r in good if r.get("sha256") and isinstance(r.get("doc_index"), int)]
    archive.set_index_state(good, "indexed")


def reindex_pending(
    es: Elasticsearch, settings: Settings, archive: Archive, *, progress: Progress | None = None
) -> ReindexReport:
    """Index only the records archived while Elasticsearch was down, then mark them indexed."""
    started = time.monotonic()
    report = ReindexReport(alias=alias_name(settings.index_prefix))
    skipped = report.skipped
    pending = [
        r
        for r in archive.iter_records(on_skip=lambda p, why: skipped.append((str(p), why)))
        if r.get("index_state") == "pending"
    ]
    for start in range(0, len(pending), PENDING_BATCH):
        batch = pending[start : start + PENDING_BATCH]
        result = index_records(es, settings, batch, refresh=False)
        failed = {doc_id for doc_id, _ in result.failed}
        report.indexed += result.indexed
        report.failed.extend(result.failed)
        _mark_indexed(archive, [r for r in batch if r.get("id") not in failed])
        if progress is not None:
            progress(min(start + PENDING_BATCH, len(pending)), len(pending))
    with es_errors(f"refreshing {report.alias}"):
        es.indices.refresh(index=report.alias, ignore_unavailable=True)
    report.index = ",".join(current_indices(es, settings))
    report.seconds = time.monotonic() - started
    return report
