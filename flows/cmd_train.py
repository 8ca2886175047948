"""`dossier train`: retrain the doc_type model from generated samples and officers' corrections."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer


def register(app: typer.Typer) -> None:
    """Add the `train` command to the `dossier` app."""
    app.command("train")(train)


def train(
    samples: Annotated[
        int, typer.Option("--samples", min=14, help="Generated papers to learn from.")
    ] = 700,
    seed: Annotated[
        int, typer.Option("--seed", help="Generator seed (same seed, same model).")
    ] = 1,
    from_archive: Annotated[
        bool,
        typer.Option(
            "--from-archive/--no-from-archive",
            help="Also learn from document types officers corrected in the archive.",
        ),
    ] = True,
    truth_dir: Annotated[
        list[Path] | None,
        typer.Option("--truth-dir", help="Folders of generated scans with *.truth.json."),
    ] = None,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Model file (default: the shipped one).")
    ] = None,
) -> None:
    """Train the doc_type classifier and save it atomically (deterministic per --seed)."""
    from ocr_models.classifier import DEFAULT_PATH, save
    from pipeline.config import get_settings
    from pipeline.errors import DependencyError
    from pipeline.training import train_model

    try:
        import sklearn  # noqa: F401
    except ImportError as e:
        raise DependencyError(
            "scikit-learn is needed to train", hint="pip install scikit-learn"
        ) from e
    archive_root = get_settings().archive_path if from_archive else None
    model, counts = train_model(
        samples, seed, archive_root=archive_root, truth_dirs=truth_dir or ()
    )
    path = output or DEFAULT_PATH
    save(model, path)
    size_kb = path.stat().st_size / 1024
    typer.echo(
        f"trained on {sum(counts.values())} examples {counts}; pooling rules "
        f"×{model.rule_weight:g}, model ×{model.model_weight:g}; wrote {path} ({size_kb:.0f} KB)"
    )
