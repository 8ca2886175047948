"""The retrain flow: refit the doc_type classifier from samples and officers' corrections.

A thin Prefect wrapper over `pipeline.training.train_model`, for schedules and run reports;
`dossier train` calls the same plain function without a Prefect server.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from prefect import flow

from flows.artifacts import publish_markdown
from pipeline.config import Settings
from pipeline.errors import DependencyError


@flow(name="retrain-classifier", log_prints=True)
def retrain_classifier(
    samples: int = 700,
    seed: int = 1,
    from_archive: bool = True,
    output: Path | None = None,
    settings: Settings | None = None,
) -> dict[str, Any]:
    """Train the classifier (with the archive's corrected doc_types), save it, summarise."""
    from ocr_models.classifier import DEFAULT_PATH, save
    from pipeline.training import train_model

    try:
        import sklearn  # noqa: F401
    except ImportError as e:
        raise DependencyError(
            "scikit-learn is needed to train", hint="pip install scikit-learn"
        ) from e
    settings = settings or Settings()
    started = time.monotonic()
    archive_root = settings.archive_path if from_archive else None
    model, counts = train_model(samples, seed, archive_root=archive_root)
    path = Path(output) if output is not None else DEFAULT_PATH
    save(model, path)
    summary = {
        "model": str(path), "samples": samples, "seed": seed, "examples": counts,
        "rule_weight": model.rule_weight, "model_weight": model.model_weight,
        "size_bytes": path.stat().st_size, "seconds": round(time.monotonic() - started, 1),
    }  # fmt: skip
    _publish(summary)
    return summary


def _publish(summary: dict[str, Any]) -> None:
    """A markdown run report as a Prefect artifact (never fails the run)."""
    examples = ", ".join(f"{k}: {v}" for k, v in sorted(summary["examples"].items()))
    lines = [
        f"**Classifier retrained** into `{summary['model']}`",
        "",
        f"- examples: {examples or 'none'}",
        f"- pooling: rules ×{summary['rule_weight']:g}, model ×{summary['model_weight']:g}",
        f"- {summary['seconds']} s",
    ]
    publish_markdown(lines, key="retrain-report", description="Retrain")
