"""Raw Tesseract, as a user would run it: the baseline the pipeline is measured against.

`tesseract IMG - -l vie` (default psm 3, no preprocessing) once per page, with
OMP_THREAD_LIMIT=1, on the same page images the pipeline decodes.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
from pathlib import Path

from PIL import Image

from pipeline.config import Settings
from pipeline.decode import iter_pages
from pipeline.errors import DependencyError
from pipeline.intake import open_input


def raw_tesseract_page(image_path: Path, lang: str = "vie", timeout_s: float = 120.0) -> str:
    """Text of one page image from the plain `tesseract` command line."""
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    try:
        done = subprocess.run(
            ["tesseract", str(image_path), "-", "-l", lang],
            capture_output=True, text=True, timeout=timeout_s, env=env, check=False,
        )  # fmt: skip
    except FileNotFoundError as e:
        raise DependencyError("tesseract is not installed", hint="run `make setup`") from e
    except subprocess.TimeoutExpired:
        return ""
    return done.stdout


def raw_tesseract_file(scan: Path, settings: Settings) -> str:
    """Whole text of a scan by raw Tesseract, page by page (PDF pages rendered first)."""
    item = open_input(scan, max_bytes=settings.max_file_bytes)
    texts: list[str] = []
    with tempfile.TemporaryDirectory(prefix="dossier-baseline-") as tmp:
        for page in iter_pages(item, settings):
            if page.image is None:  # a text-layer page: OCR its rendering like any other
                texts.append(page.text_layer or "")
                continue
            path = Path(tmp) / f"p{page.number}.png"
            Image.fromarray(page.image).save(path, dpi=(page.dpi, page.dpi))
            texts.append(raw_tesseract_page(path, settings.ocr_lang))
    return "\n".join(texts)
