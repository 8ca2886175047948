"""Born-digital PDF pages/s and peak memory on a 100-page scanned PDF (issue 3 speed targets).

    OMP_THREAD_LIMIT=1 .venv/bin/python bench/pdf_bench.py [--pages 200] [--runs 3]
        [--scan-pages 100] [--json]

Both inputs are built from generated samples (`python -m pipeline.samples`, run in a child
process so the generator's memory is not counted): a born-digital PDF of --pages pages made
by appending the pages of `pdf_text` samples over and over, and scanned PDFs of 25 and
--scan-pages pages made the same way from the non-blank pages of `pdf_scan` samples (200 dpi
JPEG, as the scanner writes them; pdfium copies the pages without re-encoding). Each input
goes through `pipeline.process.process_file` exactly as `dossier process` calls it: real
engine, the shared page pool with one worker per core.

Born-digital: wall-clock time of `open_input` + `process_file` per run, median of --runs;
the first run also starts the page pool (the file has several pages, so pages go through
it even when no page needs OCR). Pages are counted by `PageText.source`.
Scans (25 and --scan-pages pages): one run per size, each in a fresh Python process (as one
`dossier process FILE` would); peak memory is the largest summed RSS of that process and its
children (forkserver, workers) sampled every 50 ms, with the summed PSS and the RSS by
process at the peak; the tree's RSS is also read when pages 25, 50, … come back.
Born-digital memory (peak summed RSS and PSS, pool kept) is sampled in one more run, not
timed: the sampler's polling of /proc took CPU from the runs it watched.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

import psutil

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

# Only light imports at module level: forkserver workers import this module again.
from pipeline.config import Settings, get_settings  # noqa: E402
from pipeline.pagepool import EngineSpec, default_workers, shared_pool  # noqa: E402

MB = 2**20


def generate_samples(out: Path, count: int, seed: int, kind: str) -> list[Path]:
    """Sample PDFs of one degradation kind, made in a child process."""
    subprocess.run(
        [sys.executable, "-m", "pipeline.samples", str(out), "--count", str(count),
         "--seed", str(seed), "--kind", kind],
        check=True, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    return sorted(out.glob("*.pdf"))


def content_pages(sample: Path) -> list[int]:
    """0-based indices of the pages the sample's truth does not mark blank."""
    truth = json.loads(Path(f"{sample}.truth.json").read_text(encoding="utf-8"))
    return [p["number"] - 1 for p in truth["pages"] if not p["blank"]]


def concat_pdf(sources: list[tuple[Path, list[int]]], pages: int, out: Path) -> int:
    """Write a PDF of `pages` pages, appending the given pages of the sources in turn."""
    import pypdfium2 as pdfium

    dest = pdfium.PdfDocument.new()
    docs = [(pdfium.PdfDocument(str(path)), index) for path, index in sources if index]
    try:
        while len(dest) < pages:
            for src, index in docs:
                take = index[: pages - len(dest)]
                if take:
                    dest.import_pages(src, take)
        dest.save(str(out))
        return len(dest)
    finally:
        for src, _ in docs:
            src.close()
        dest.close()


def _close_pool(engine: object) -> None:
    """Stop the shared page pool's workers so the next file starts a fresh pool."""
    spec = EngineSpec.of(engine)  # type: ignore[arg-type]
    if spec is not None:
        shared_pool(spec, default_workers()).close()


def tree_rss() -> int:
    """Summed RSS of this process and its children now."""
    me = psutil.Process()
    total = 0
    for p in [me, *me.children(recursive=True)]:
        try:
            total += p.memory_info().rss
        except psutil.Error:  # a child that just exited
            continue
    return total


def _role(p: psutil.Process, me: psutil.Process) -> str:
    """main, forkserver, worker (forked by the forkserver) or other."""
    if p.pid == me.pid:
        return "main"
    cmd = " ".join(p.cmdline())
    if "forkserver" in cmd:
        return "forkserver" if p.ppid() == me.pid else "worker"
    return "other"


def tree_memory_class() -> type:
    """ocr_bench's PeakMemory (summed RSS, 50 ms) that also keeps PSS and a breakdown."""
    from ocr_bench import PeakMemory  # bench/ is sys.path[0] when run as a script

    class TreeMemory(PeakMemory):
        """Peak summed RSS and PSS of the process tree, with RSS by role at the RSS peak."""

        def __init__(self) -> None:
            super().__init__()
            self.peak_pss = 0
            self.at_peak: dict[str, list[int]] = {}

        def _sample(self) -> None:
            me = psutil.Process()
            while not self._stop.is_set():
                rss = pss = 0
                roles: dict[str, list[int]] = {}
                for p in [me, *me.children(recursive=True)]:
                    try:
                        info = p.memory_full_info()
                        role = _role(p, me)
                    except psutil.Error:  # a child that just exited
                        continue
                    rss += info.rss
                    pss += info.pss
                    roles.setdefault(role, []).append(round(info.rss / MB))
                if rss > self.peak:
                    self.peak, self.at_peak = rss, roles
                self.peak_pss = max(self.peak_pss, pss)
                self._stop.wait(0.05)

    return TreeMemory


def born_digital_rate(path: Path, settings: Settings, engine: Any, runs: int) -> dict[str, Any]:
    """Pages/s of the whole pipeline on a born-digital PDF; pages by source."""
    from pipeline.intake import open_input
    from pipeline.process import process_file

    _close_pool(engine)
    times: list[float] = []
    sources: Counter[str] = Counter()
    pages = 0
    for _ in range(runs):
        start = time.perf_counter()
        item = open_input(path, max_bytes=settings.max_file_bytes)
        result = process_file(item, settings, engine)
        times.append(time.perf_counter() - start)
        sources = Counter(p.source for p in result.pages)
        pages = result.page_count
    # Memory in one more run, not timed: sampling PSS every 50 ms cost ~12 % of the rate.
    with tree_memory_class()() as mem:
        process_file(open_input(path, max_bytes=settings.max_file_bytes), settings, engine)
    median = statistics.median(times)
    return {
        "measure": "born_digital",
        "pages": pages,
        "seconds_median": round(median, 2),
        "seconds_runs": [round(t, 2) for t in times],
        "pages_per_s": round(pages / median, 1),
        "pages_per_s_cold": round(pages / times[0], 1),
        "pages_by_source": dict(sources),
        "all_text_layer": sources.get("text-layer", 0) == pages,
        "peak_rss_mb": round(mem.peak / MB),
        "peak_pss_mb": round(mem.peak_pss / MB),
        "target_pages_per_s": 50,
    }


def scan_memory(path: Path, settings: Settings, engine: Any) -> dict[str, Any]:
    """Peak process-tree RSS and pages/s of the whole pipeline on a scanned PDF."""
    from pipeline.intake import open_input
    from pipeline.models import PageText
    from pipeline.process import process_file

    before = tree_rss()
    now: dict[int, int] = {}
    main: dict[int, int] = {}
    peak_so_far: dict[int, int] = {}
    with tree_memory_class()() as mem:

        def on_page(page: PageText) -> None:
            if page.number % 25 == 0:
                now[page.number] = round(tree_rss() / MB)
                main[page.number] = round(psutil.Process().memory_info().rss / MB)
                peak_so_far[page.number] = round(max(mem.peak, tree_rss()) / MB)

        start = time.perf_counter()
        item = open_input(path, max_bytes=settings.max_file_bytes)
        result = process_file(item, settings, engine, on_page=on_page)
        seconds = time.perf_counter() - start
    return {
        "measure": "scan_memory",
        "pages": result.page_count,
        "file_mb": round(path.stat().st_size / MB, 1),
        "seconds": round(seconds, 1),
        "pages_per_s": round(result.page_count / seconds, 2),
        "rss_before_mb": round(before / MB),
        "peak_rss_mb": round(mem.peak / MB),
        "peak_pss_mb": round(mem.peak_pss / MB),
        "rss_mb_by_process_at_peak": mem.at_peak,
        "rss_mb_at_page": now,
        "main_rss_mb_at_page": main,
        "peak_rss_so_far_mb_at_page": peak_so_far,
        "pages_by_source": dict(Counter(p.source for p in result.pages)),
        "workers": default_workers(),
        "target_peak_mb": 1024,
    }


def scan_in_child(path: Path) -> dict[str, Any]:
    """`scan_memory` in a fresh Python process, as one `dossier process FILE` would run."""
    out = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), "--scan-file", str(path)],
        check=True, cwd=ROOT, capture_output=True, text=True,
        env={**os.environ, "OMP_THREAD_LIMIT": "1"},
    )  # fmt: skip
    result: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def machine() -> dict[str, Any]:
    """Cores, CPU model, RAM and load, for the report."""
    model = next(
        (
            line.split(":", 1)[1].strip()
            for line in subprocess.run(
                ["lscpu"], capture_output=True, text=True, check=False
            ).stdout.splitlines()
            if line.startswith("Model name")
        ),
        "?",
    )
    return {
        "nproc": os.cpu_count(),
        "usable_cores": default_workers(),
        "cpu": model,
        "ram_gib": round(psutil.virtual_memory().total / 2**30, 1),
        "load_avg": [round(x, 2) for x in os.getloadavg()],
    }


def print_table(rows: list[dict[str, Any]]) -> None:
    """A short human summary of the measurements."""
    for r in rows:
        if r["measure"] == "born_digital":
            ok = "met" if r["pages_per_s"] >= r["target_pages_per_s"] else "MISSED"
            print(
                f"born-digital {r['pages']:>4} pages: {r['pages_per_s']:>6} pages/s median "
                f"(runs {r['seconds_runs']} s; cold {r['pages_per_s_cold']} pages/s), "
                f"sources {r['pages_by_source']}, peak RSS {r['peak_rss_mb']} MB "
                f"— target ≥ 50 pages/s {ok}"
            )
        elif r["measure"] == "scan_memory":
            ok = "met" if r["peak_rss_mb"] < r["target_peak_mb"] else "MISSED"
            print(
                f"scanned PDF  {r['pages']:>4} pages: peak RSS {r['peak_rss_mb']} MB "
                f"(PSS {r['peak_pss_mb']} MB), {r['pages_per_s']} pages/s, {r['seconds']} s "
                f"— target < 1 GB {ok}\n    RSS MB by process at peak "
                f"{r['rss_mb_by_process_at_peak']}; before {r['rss_before_mb']} MB; "
                f"at page {r['rss_mb_at_page']} (main {r['main_rss_mb_at_page']})"
            )


def main() -> None:
    """Build the inputs, measure, print one JSON line per measurement and a table."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pages", type=int, default=200, help="born-digital PDF pages (200)")
    ap.add_argument("--runs", type=int, default=3, help="born-digital runs; median (3)")
    ap.add_argument("--scan-pages", type=int, default=100, help="scanned PDF pages (100)")
    ap.add_argument("--small-scan-pages", type=int, default=25, help="comparison scan (25)")
    ap.add_argument("--text-samples", type=int, default=10, help="pdf_text samples (10)")
    ap.add_argument("--scan-samples", type=int, default=8, help="pdf_scan samples (8)")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--skip-born-digital", action="store_true")
    ap.add_argument("--skip-scan", action="store_true")
    ap.add_argument("--json", action="store_true", help="JSON lines only, no table")
    ap.add_argument("--scan-file", type=Path, help=argparse.SUPPRESS)  # the child's job
    args = ap.parse_args()
    os.environ["OMP_THREAD_LIMIT"] = "1"

    from pipeline.process import make_engine

    settings = get_settings()
    engine = make_engine(settings)
    if args.scan_file:
        print(json.dumps(scan_memory(args.scan_file, settings, engine)), flush=True)
        return
    header = {
        "measure": "machine",
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "command": " ".join(["bench/pdf_bench.py", *sys.argv[1:]]),
        "engine": engine.name,
        **machine(),
    }
    rows: list[dict[str, Any]] = []
    print(json.dumps(header), flush=True)
    with tempfile.TemporaryDirectory(prefix="pdf-bench-") as tmp:
        work = Path(tmp)
        if not args.skip_born_digital:
            texts = generate_samples(work / "text", args.text_samples, args.seed, "pdf_text")
            src = [(p, content_pages(p)) for p in texts]
            born = work / "born-digital.pdf"
            concat_pdf(src, args.pages, born)
            rows.append(born_digital_rate(born, settings, engine, args.runs))
            print(json.dumps(rows[-1]), flush=True)
        if not args.skip_scan:
            scans = generate_samples(work / "scan", args.scan_samples, args.seed, "pdf_scan")
            src = [(p, content_pages(p)) for p in scans]
            for n in sorted({args.small_scan_pages, args.scan_pages}):
                path = work / f"scan-{n}.pdf"
                concat_pdf(src, n, path)
                rows.append(scan_in_child(path))
                print(json.dumps(rows[-1]), flush=True)
    print(json.dumps({"measure": "end", "load_avg": machine()["load_avg"]}), flush=True)
    if not args.json:
        print_table(rows)


if __name__ == "__main__":
    main()
