"""Batch report and progress hook shared by the ingest flow and the CLI (no Prefect here)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from pipeline.ingest import IngestOutcome
from pipeline.models import PageText


@dataclass
class ProgressHook:
    """Callbacks the CLI passes in to draw its progress bar."""

    on_batch: Callable[[int], None] = lambda total: None
    on_file_start: Callable[[str], None] = lambda name: None
    on_page: Callable[[PageText], None] = lambda page: None
    on_file_done: Callable[[IngestOutcome], None] = lambda outcome: None


@dataclass
class BatchReport:
    """The outcome of one batch, for the summary table and the run artifact."""

    outcomes: list[IngestOutcome] = field(default_factory=list)
    indexed: int = 0
    pending: int = 0
    index_error: str | None = None
    seconds: float = 0.0

    @property
    def records(self) -> list[dict[str, Any]]:
        """Every record produced or found again in this batch."""
        return [r for o in self.outcomes for r in o.records]

    @property
    def failed(self) -> list[IngestOutcome]:
        """Files that were quarantined."""
        return [o for o in self.outcomes if o.status == "quarantined"]
