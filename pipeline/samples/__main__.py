"""`python -m pipeline.samples OUT_DIR --count N --seed S`: write sample scans for manual checks."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from pipeline.errors import DossierError
from pipeline.samples import DEGRADATIONS, DOC_TYPES, EXTRA_KINDS, generate


def main(argv: list[str] | None = None) -> int:
    """Parse arguments, generate, print one line per file."""
    parser = argparse.ArgumentParser(
        prog="python -m pipeline.samples", description="Render synthetic Vietnamese dossier scans."
    )
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--count", type=int, default=12)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--kind",
        action="append",
        dest="kinds",
        metavar="KIND",
        help=f"repeatable; one of {', '.join(DOC_TYPES + tuple(EXTRA_KINDS) + DEGRADATIONS)}",
    )
    parser.add_argument(
        "--font",
        action="append",
        dest="fonts",
        metavar="FAMILY",
        help="repeatable; set every paper in these font families (default: the usual mix)",
    )
    args = parser.parse_args(argv)
    start = time.perf_counter()
    try:
        paths = generate(
            args.out_dir,
            args.count,
            args.seed,
            kinds=args.kinds,
            fonts=args.fonts,
            progress=lambda done, total: print(
                f"\r{done}/{total}", end="", file=sys.stderr, flush=True
            ),
        )
    except DossierError as e:
        print(f"\nerror: {e}", file=sys.stderr)
        return e.exit_code
    print(file=sys.stderr)
    for path in paths:
        print(path)
    print(f"{len(paths)} samples in {time.perf_counter() - start:.1f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
