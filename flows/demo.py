"""`dossier demo`: generate sample scans, ingest them, then show searches and a reuse look-up."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rich.console import Console

from flows.render import IngestProgress, print_ingest_report, print_reuse, print_search
from flows.runtime import configure_prefect
from ocr_models.vietnamese import fold
from pipeline.config import Settings

console = Console()
DEMO_COUNT = 14  # one paper of every doc_type
DEMO_SEED = 2025


def pick_person(records: list[dict[str, Any]]) -> dict[str, str] | None:
    """A person the pipeline found with a name and an ID number (ID cards first)."""
    ranked = sorted(records, key=lambda r: r["doc_type"] != "citizen_id_card")
    for record in ranked:
        f = record.get("fields", {})
        if "full_name" in f and "id_number" in f:
            return {"full_name": f["full_name"]["value"], "id_number": f["id_number"]["value"]}
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
    _searches(settings, pick_person(report.records))
    if mode == "server":
        ui = settings.prefect_api_url.removesuffix("/api")
        console.print(f"\nPrefect UI with this run: {ui}")


def _searches(settings: Settings, person: dict[str, str] | None) -> None:
    from search.client import connect
    from search.queries import reuse, search

    es = connect(settings)
    name = person["full_name"] if person else "Nguyễn"
    console.rule(f"3. Search with diacritics: {name}")
    print_search(name, search(es, settings, name, size=5))
    folded = fold(name).lower()
    console.rule(f"4. Search without diacritics: {folded}")
    print_search(folded, search(es, settings, folded, size=5))
    if person:
        console.rule(f"5. Reuse look-up by ID number {person['id_number']}")
        print_reuse(reuse(es, settings, person["id_number"]))
