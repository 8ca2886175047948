"""`dossier demo`: generate sample scans, ingest them, then show searches and a reuse look-up."""

from __future__ import annotations

import json
from pathlib import Path

from rich.console import Console

from flows.render import IngestProgress, print_ingest_report, print_reuse, print_search
from flows.runtime import configure_prefect
from ocr_models.vietnamese import fold
from pipeline.config import Settings

console = Console()
DEMO_COUNT = 12
DEMO_SEED = 2025


def _pick_person(folder: Path) -> dict[str, str] | None:
    """A person from the samples' ground truth with a name and an ID number."""
    for truth_path in sorted(folder.glob("*.truth.json")):
        truth = json.loads(truth_path.read_text(encoding="utf-8"))
        for doc in truth["documents"]:
            f = doc.get("fields", {})
            if f.get("full_name") and f.get("id_number"):
                return {"full_name": f["full_name"], "id_number": f["id_number"]}
    return None


def run_demo(settings: Settings, folder: Path | None, *, verbose: bool = False) -> None:
    """The main job on generated scans, end to end, with what an officer would see."""
    from search.client import connect

    connect(settings)  # fail fast with "start it with `dossier services up`"
    mode = configure_prefect(settings, quiet=not verbose)
    from flows.ingest import ingest_batch
    from pipeline.samples import generate

    folder = folder or settings.home_path / "demo-scans"
    console.rule("1. Generate sample scans")
    written = generate(folder, DEMO_COUNT, DEMO_SEED)
    console.print(f"{len(written)} scans with ground truth in {folder}")
    console.rule(f"2. Ingest them (Prefect flow, {mode} mode)")
    with IngestProgress(enabled=console.is_terminal) as progress:
        report = ingest_batch([str(p) for p in written], None, settings, progress.hook)
    print_ingest_report(report)
    _searches(settings, folder)
    if mode == "server":
        ui = settings.prefect_api_url.removesuffix("/api")
        console.print(f"\nPrefect UI with this run: {ui}")


def _searches(settings: Settings, folder: Path) -> None:
    from search.queries import reuse, search

    from search.client import connect

    es = connect(settings)
    person = _pick_person(folder)
    name = person["full_name"] if person else "Nguyễn"
    console.rule(f"3. Search with diacritics: {name}")
    print_search(name, search(es, settings, name, size=5))
    folded = fold(name).lower()
    console.rule(f"4. Search without diacritics: {folded}")
    print_search(folded, search(es, settings, folded, size=5))
    if person:
        console.rule(f"5. Reuse look-up by ID number {person['id_number']}")
        print_reuse(reuse(es, settings, person["id_number"]))
