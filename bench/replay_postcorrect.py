"""Page texts as OCR read them before post-correction, and the post-correction scored on them.

`dossier eval` reads every page again (minutes); a change to `ocr_models` alone needs only
the text OCR read. `dump` keeps each page's text from just before page post-correction
(`pipeline.ocr.ocr_page`, with `postcorrect` watched) for every scan with ground truth;
`score` post-corrects those texts with the code checked out now and prints word recall
and CER per capture kind, and `--texts` writes the corrected texts for a word-level diff.
Run `score` at two commits on one dump to see what a rule change does, including the
repairs a new guard stops. `fields` gives the dumped texts, post-corrected now, to
`dossier eval`'s own document step (split, classify, extract; no OCR, no word boxes) and
prints field accuracy per folder: run it at two commits and compare `--misses` to see
what a change to field extraction does, in seconds. Its figures run lower than `dossier
eval`'s (the fields that word boxes help find are missed): compare commits, not tools.

    .venv/bin/python bench/replay_postcorrect.py dump /tmp/eval-s7 --out /tmp/raw-s7.json
    .venv/bin/python bench/replay_postcorrect.py score /tmp/raw-s7.json
    .venv/bin/python bench/replay_postcorrect.py fields /tmp/raw-*.json --misses /tmp/m.json
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
from collections import defaultdict
from pathlib import Path
from typing import Any


def dump(folders: list[Path], out: Path) -> None:
    """Write {scan: {kind, pages: [raw page text], truth}} for the scans in `folders`."""
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    import pipeline.ocr as ocr
    from ocr_models import postcorrect as pc
    from pipeline.config import Settings
    from pipeline.decode import iter_pages
    from pipeline.evaluate import sample_kind
    from pipeline.intake import open_input
    from pipeline.process import make_engine

    pages: list[str] = []
    real = pc.postcorrect

    def watched(text: str, *args: Any, **kwargs: Any) -> str:
        if not args and not kwargs:  # the page text, not a word box
            pages.append(text)
        return real(text, *args, **kwargs)

    ocr.postcorrect = watched  # type: ignore[assignment]
    settings = Settings()
    engine = make_engine(settings)
    found: dict[str, dict[str, Any]] = {}
    for truth_file in sorted(p for f in folders for p in f.glob("*.truth.json")):
        scan = truth_file.with_name(truth_file.name.removesuffix(".truth.json"))
        truth = json.loads(truth_file.read_text("utf-8"))
        pages.clear()
        item = open_input(scan, max_bytes=settings.max_file_bytes)
        for page in iter_pages(item, settings):
            ocr.ocr_page(page, engine)
        found[str(scan)] = {
            "kind": sample_kind(truth),
            "pages": list(pages),
            "truth": "\n".join(d["text"] for d in truth["documents"]),
        }
        print(f"{scan.name}: {len(pages)} page(s)", flush=True)
    out.write_text(json.dumps(found, ensure_ascii=False), "utf-8")


def score(dumped: Path, texts: Path | None) -> None:
    """Print word recall and CER per kind of the dumped pages post-corrected now."""
    from ocr_models.postcorrect import postcorrect
    from pipeline.evaluate import cer, word_recall

    by_kind: dict[str, list[tuple[float, float]]] = defaultdict(list)
    corrected = {}
    for scan, entry in json.loads(dumped.read_text("utf-8")).items():
        text = "\n".join(postcorrect(page) for page in entry["pages"])
        corrected[scan] = text
        by_kind[entry["kind"]].append(
            (word_recall(text, entry["truth"]), cer(text, entry["truth"]))
        )
    for kind, rows in sorted(by_kind.items()):
        recall = statistics.mean(r for r, _ in rows)
        error = statistics.mean(c for _, c in rows)
        print(f"{kind:20s} files {len(rows):3d}  recall {recall:.4f}  CER {100 * error:.3f} %")
    if texts:
        texts.write_text(json.dumps(corrected, ensure_ascii=False), "utf-8")


def fields(dumps: list[Path], misses: Path | None) -> None:
    """Print field accuracy per folder with the dumped pages as each scan's page texts.

    A scan in none of the dumps is read as `dossier eval` reads it (OCR and all).
    """
    import pipeline.process as process
    from ocr_models.postcorrect import postcorrect
    from pipeline.config import Settings
    from pipeline.evaluate import evaluate
    from pipeline.intake import open_input
    from pipeline.models import PageText

    entries = {k: v for d in dumps for k, v in json.loads(d.read_text("utf-8")).items()}
    read_pages = process._ocr_pages

    def replayed(item: Any, *args: Any) -> Any:
        entry = entries.get(str(item.path))
        # Not dumped, or a born-digital PDF (its text-layer pages are not in the dump, only
        # a page it had to OCR): read it.
        if entry is None or not entry["pages"] or entry["kind"] == "pdf_text":
            yield from read_pages(item, *args)
            return
        for n, page in enumerate(entry["pages"], start=1):
            yield PageText(n, postcorrect(page), 1.0, "ocr")

    process._ocr_pages = replayed  # type: ignore[assignment]
    settings = Settings()
    engine = process.make_engine(settings)
    report = {}
    for folder in sorted({Path(scan).parent for scan in entries}):
        result = evaluate(
            folder,
            lambda p: process.process_file(
                open_input(p, max_bytes=settings.max_file_bytes), settings, engine
            ),
        ).as_json()
        report[str(folder)] = result.get("field_misses", [])
        print(f"{folder}: fields {result['total']['field_accuracy']}", flush=True)
    if misses:
        misses.write_text(json.dumps(report, ensure_ascii=False, indent=1), "utf-8")


def main() -> None:
    """`dump` folders of scans, or `score` a dump."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = ap.add_subparsers(dest="command", required=True)
    d = sub.add_parser("dump", help="OCR the scans, keep page texts before post-correction")
    d.add_argument("folders", nargs="+", type=Path)
    d.add_argument("--out", type=Path, required=True)
    s = sub.add_parser("score", help="post-correct a dump with the code checked out now")
    s.add_argument("dump", type=Path)
    s.add_argument("--texts", type=Path, help="also write the corrected texts (JSON)")
    f = sub.add_parser("fields", help="field accuracy of a dump's texts with the code now")
    f.add_argument("dumps", nargs="+", type=Path)
    f.add_argument("--misses", type=Path, help="also write the fields missed (JSON)")
    args = ap.parse_args()
    if args.command == "dump":
        dump(args.folders, args.out)
    elif args.command == "fields":
        fields(args.dumps, args.misses)
    else:
        score(args.dump, args.texts)


if __name__ == "__main__":
    main()
