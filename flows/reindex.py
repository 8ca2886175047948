"""The reindex flow: rebuild the search index from the archive (or index pending records).

A thin Prefect wrapper over `search.reindex`, for schedules and run reports; the CLI calls
the same plain functions directly so `dossier reindex` works without a Prefect server.
"""

from __future__ import annotations

from typing import Any

from prefect import flow

from flows.artifacts import publish_markdown
from pipeline.archive import Archive
from pipeline.config import Settings


@flow(name="reindex", log_prints=True)
def reindex(
    pending: bool = False, keep: int = 1, settings: Settings | None = None
) -> dict[str, Any]:
    """Rebuild the index from the archive and switch the alias, or index pending records."""
    from search.client import connect
    from search.reindex import reindex as rebuild
    from search.reindex import reindex_pending

    settings = settings or Settings()
    es = connect(settings)
    archive = Archive(settings.archive_path)
    if pending:
        report = reindex_pending(es, settings, archive)
    else:
        report = rebuild(es, settings, archive, keep=keep)
    result = report.as_json()
    _publish(result, pending)
    return result


def _publish(result: dict[str, Any], pending: bool) -> None:
    """A markdown run report as a Prefect artifact (never fails the run)."""
    lines = [
        f"**{'Pending records' if pending else 'Rebuild'}** into `{result['index']}`",
        "",
        f"- indexed: {result['indexed']}",
        f"- skipped (unreadable sidecars): {len(result['skipped'])}",
        f"- failed: {len(result['failed'])}",
        f"- deleted old indices: {', '.join(result['deleted']) or 'none'}",
        f"- {result['seconds']} s",
    ]
    publish_markdown(lines, key="reindex-report", description="Reindex")
