"""pytesseract vs tesserocr on the same page images, one process, OMP_THREAD_LIMIT=1.

    OMP_THREAD_LIMIT=1 .venv/bin/python bench/engine_bench.py --files 6

Both engines run Tesseract 5 with Debian's `vie` model and psm 3; the difference is the
~80 ms process spawn and model load per call that pytesseract pays and tesserocr does not.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from PIL import Image

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from ocr_models.engines import TesseractEngine, TesserocrEngine  # noqa: E402
from pipeline.preprocess import to_gray  # noqa: E402

sys.path.insert(0, str(ROOT / "bench"))
from ocr_bench import make_pages  # noqa: E402


def main() -> None:
    """Time both engines page by page and print medians."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--files", type=int, default=6)
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="engine-bench-") as tmp:
        pages, _ = make_pages(Path(tmp), args.files, args.seed)
        images = [(to_gray(np.asarray(Image.open(p.path))), p.dpi) for p in pages]
    report = {}
    for engine in (TesseractEngine(), TesserocrEngine()):
        engine.recognize(images[0][0], dpi=images[0][1])  # warm-up (model load, caches)
        times = []
        for img, dpi in images:
            start = time.perf_counter()
            engine.recognize(img, dpi=dpi)
            times.append(time.perf_counter() - start)
        report[engine.name] = {
            "pages": len(times),
            "median_s": round(statistics.median(times), 3),
            "total_s": round(sum(times), 2),
        }
    print(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
