"""OCR speed and accuracy on the same generated pages: this pipeline vs raw Tesseract vs OCRmyPDF.

    OMP_THREAD_LIMIT=1 .venv/bin/python bench/ocr_bench.py --files 12 --runs 3 [--ocrmypdf PATH]

Every engine gets the same decoded page images (PNG at the decoded resolution; the pipeline
reads them as `dossier process` reads files: checked here, decoded in its workers). Times are
wall-clock medians over --runs; peak memory is the largest summed RSS of this process and
its children, sampled every 50 ms in one more run per engine, not timed (the sampler's
polling of /proc took CPU from the runs it watched). OCRmyPDF is not a project
dependency: install it in any venv (`pip install 'ocrmypdf>=17'`; 17.x needs no
Ghostscript for this) and pass --ocrmypdf PATH, or have `ocrmypdf` on PATH; otherwise it
is skipped.

The pipeline is timed twice: `pipeline` starts its worker pool (forkserver, one model load
per worker) inside every run, as one `dossier process` call on these pages would;
`pipeline-warm-pool` reuses a pool already running, as a batch does after its first pages.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path

import psutil
from PIL import Image

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

# Only light imports at module level. Every pool worker imports the script that started it
# again (multiprocessing does so for `__main__`; a forkserver preload of `__main__` never
# happens on Python 3.11), so what this module imports at the top is paid by each worker
# of each pool: the sample generator and pydantic settings took 0.17 s there, counted in
# the cold pipeline's time though `dossier process`, whose script imports in 16 ms, never
# pays it.
from pipeline.pagepool import EngineSpec, PagePool, default_workers  # noqa: E402


@dataclass
class Page:
    file: str
    path: Path
    dpi: int


class PeakMemory:
    """Largest summed RSS of this process tree while the block runs."""

    def __init__(self) -> None:
        self.peak = 0
        self._stop = threading.Event()

    def _sample(self) -> None:
        me = psutil.Process()
        while not self._stop.is_set():
            total = 0
            for p in [me, *me.children(recursive=True)]:
                with contextlib.suppress(psutil.Error):  # a child that just exited
                    total += p.memory_info().rss
            self.peak = max(self.peak, total)
            self._stop.wait(0.05)

    def __enter__(self) -> PeakMemory:
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def make_pages(work: Path, files: int, seed: int) -> tuple[list[Page], dict[str, str]]:
    """Generate scans, decode their image pages to PNG; truth text per file."""
    from pipeline.config import Settings
    from pipeline.decode import iter_pages
    from pipeline.evaluate import iter_truth
    from pipeline.intake import open_input
    from pipeline.samples import generate

    scans = work / "scans"
    generate(scans, files, seed)
    settings = Settings()
    pages: list[Page] = []
    truths: dict[str, str] = {}
    for scan, truth in iter_truth(scans):
        item = open_input(scan, max_bytes=settings.max_file_bytes)
        decoded = [p for p in iter_pages(item, settings) if p.image is not None]
        if not decoded:
            continue  # born-digital PDF: nothing to OCR
        truths[scan.name] = "\n".join(d["text"] for d in truth["documents"])
        for p in decoded:
            path = work / f"{scan.name}.p{p.number}.png"
            Image.fromarray(p.image).save(path, dpi=(p.dpi, p.dpi))
            pages.append(Page(scan.name, path, p.dpi))
    return pages, truths


_SPEC = EngineSpec("tesserocr", "vie", 120.0)  # a page timeout no benchmark page nears


def run_pipeline(pages: list[Page], workers: int, pool: PagePool | None = None) -> dict[str, str]:
    """Preprocess + block OCR + post-correction, pages across `workers` processes.

    Without `pool`, a new one is started (and stopped) inside the timing, as one
    `dossier process` run of these pages would; with it, the running pool is used, as a
    long batch or the nightly job does after its first pages.
    """
    from pipeline.config import Settings
    from pipeline.decode import iter_pages
    from pipeline.intake import open_input

    own = pool is None
    pool = pool or PagePool(_SPEC, workers)
    settings = Settings()
    inputs = (
        replace(page, number=i)
        for i, p in enumerate(pages, 1)
        for page in iter_pages(open_input(p.path, max_bytes=settings.max_file_bytes), settings,
                               lazy=True)
    )  # fmt: skip
    try:
        texts = [t.text for t in pool.map(inputs, "bench")]
    finally:
        if own:
            pool.close()
    return _by_file(pages, texts)


def warm_pool(pages: list[Page], workers: int) -> PagePool:
    """A pool whose workers have started and loaded their model (one page each)."""
    pool = PagePool(_SPEC, workers)
    run_pipeline(pages[:workers], workers, pool)
    return pool


def run_raw(pages: list[Page], workers: int) -> dict[str, str]:
    """`tesseract IMG - -l vie`, one process per core at a time."""
    from pipeline.baseline import raw_tesseract_page

    with ThreadPoolExecutor(workers) as ex:
        texts = list(ex.map(lambda p: raw_tesseract_page(p.path), pages))
    return _by_file(pages, texts)


def run_ocrmypdf(pages: list[Page], workers: int, work: Path, exe: str) -> dict[str, str]:
    """OCRmyPDF (sandwich renderer) on a PDF of the same pages; text read back with pdfium."""
    import pypdfium2 as pdfium

    src, out = work / "in.pdf", work / "out.pdf"
    images = [Image.open(p.path).convert("RGB") for p in pages]
    images[0].save(src, save_all=True, append_images=images[1:], resolution=pages[0].dpi)
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    subprocess.run(
        [exe, "--jobs", str(workers), "--pdf-renderer", "sandwich", "-l", "vie",
         "--force-ocr", "--output-type", "pdf", "--quiet", str(src), str(out)],
        check=True, env=env,
    )  # fmt: skip
    pdf = pdfium.PdfDocument(str(out))
    texts = [pdf[i].get_textpage().get_text_range() for i in range(len(pdf))]
    return _by_file(pages, texts)


def _by_file(pages: list[Page], texts: list[str]) -> dict[str, str]:
    out: dict[str, list[str]] = {}
    for page, text in zip(pages, texts, strict=True):
        out.setdefault(page.file, []).append(text)
    return {k: "\n".join(v) for k, v in out.items()}


def measure(
    name: str, fn: Callable[[], dict[str, str]], runs: int, n_pages: int, truths: dict[str, str]
) -> dict[str, object]:
    """Median time, pages/s, peak memory and mean CER / recall of one engine."""
    from pipeline.evaluate import cer, word_recall

    times, texts = [], {}
    for _ in range(runs):
        start = time.perf_counter()
        texts = fn()
        times.append(time.perf_counter() - start)
    with PeakMemory() as mem:  # one more run, untimed: polling /proc slows what it watches
        fn()
    median = statistics.median(times)
    result = {
        "engine": name,
        "seconds_median": round(median, 2),
        "seconds_runs": [round(t, 2) for t in times],
        "pages_per_s": round(n_pages / median, 3),
        "peak_rss_mb": round(mem.peak / 2**20),
        "cer": round(statistics.mean(cer(texts[f], t) for f, t in truths.items()), 4),
        "word_recall": round(
            statistics.mean(word_recall(texts[f], t) for f, t in truths.items()), 4
        ),
    }
    print(json.dumps(result), file=sys.stderr, flush=True)
    return result


def main() -> None:
    """Run the benchmark and print a JSON report."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--files", type=int, default=12, help="generated scans (default 12)")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--runs", type=int, default=3, help="runs per engine; median reported")
    ap.add_argument("--workers", type=int, default=default_workers())
    ap.add_argument(
        "--ocrmypdf",
        default=shutil.which("ocrmypdf"),
        help="OCRmyPDF command (pip install 'ocrmypdf>=17' in any venv); default: on PATH",
    )
    args = ap.parse_args()
    os.environ["OMP_THREAD_LIMIT"] = "1"
    with tempfile.TemporaryDirectory(prefix="ocr-bench-") as tmp:
        work = Path(tmp)
        pages, truths = make_pages(work, args.files, args.seed)
        n = len(pages)
        results = [
            measure("pipeline", lambda: run_pipeline(pages, args.workers), args.runs, n, truths),
            measure("raw-tesseract", lambda: run_raw(pages, args.workers), args.runs, n, truths),
        ]
        warm = warm_pool(pages, args.workers)  # started only now: its idle workers hold memory
        try:
            results.append(
                measure("pipeline-warm-pool", lambda: run_pipeline(pages, args.workers, warm),
                        args.runs, n, truths)
            )  # fmt: skip
        finally:
            warm.close()
        if args.ocrmypdf:
            results.append(
                measure("ocrmypdf", lambda: run_ocrmypdf(pages, args.workers, work, args.ocrmypdf),
                        args.runs, n, truths)
            )  # fmt: skip
        else:
            results.append({"engine": "ocrmypdf", "skipped": "ocrmypdf command not installed"})
    raw = results[1]["seconds_median"]
    for r in results:
        if "seconds_median" in r:
            r["time_vs_raw"] = round(float(r["seconds_median"]) / float(raw), 2)  # type: ignore[arg-type]
    report = {
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "machine": f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
        f"{round(psutil.virtual_memory().total / 2**30, 1)} GiB, {platform.platform()}",
        "command": " ".join(["bench/ocr_bench.py", *sys.argv[1:]]),
        "pages": n,
        "files": len(truths),
        "workers": args.workers,
        "results": results,
    }
    print(json.dumps(report, indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main()
