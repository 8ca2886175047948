"""Turn rendered pages into one scan file per degradation kind and report its resolution."""

from __future__ import annotations

import random
from collections.abc import Callable
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw

from pipeline.samples import degrade, writers
from pipeline.samples.render import A4, Page, rasterize

EXTENSIONS = {
    "clean": "png",
    "scan200": "jpg",
    "fax": "tif",
    "photocopy": "png",
    "phone": "jpg",
    "lowres": "jpg",
    "pdf_scan": "pdf",
    "pdf_text": "pdf",
    "tiff_multi": "tif",
}
SINGLE_IMAGE = frozenset({"clean", "scan200", "fax", "photocopy", "phone", "lowres"})


def extension(degradation: str, rng: random.Random) -> str:
    """File extension for a kind; photocopies come as PNG or TIFF."""
    if degradation == "photocopy" and rng.random() < 0.5:
        return "tif"
    return EXTENSIONS[degradation]


def _raster(page: Page) -> np.ndarray:
    return np.asarray(rasterize(page))


def _turns(rng: random.Random, chance: float = 0.15) -> int:
    """Sometimes a sheet goes through sideways or upside down."""
    return rng.choice((1, 2, 2, 3)) if rng.random() < chance else 0


def capture(
    degradation: str, pages: list[Page], path: Path, rng: random.Random, np_rng: np.random.Generator
) -> int:
    """Degrade and write `pages` (None-free; blank pages flagged) to `path`; returns the dpi."""
    handler = _HANDLERS[degradation]
    return handler(pages, path, rng, np_rng)


def _clean(pages: list[Page], path: Path, rng: random.Random, np_rng: np.random.Generator) -> int:
    writers.write_png(_raster(pages[0]), path, 300)
    return 300


def _scan200(pages: list[Page], path: Path, rng: random.Random, np_rng: np.random.Generator) -> int:
    img = degrade.quarter_turns(degrade.scan200(_raster(pages[0]), np_rng), _turns(rng))
    writers.write_jpeg(img, path, rng.randint(70, 80), 200)
    return 200


def _fax(pages: list[Page], path: Path, rng: random.Random, np_rng: np.random.Generator) -> int:
    img = degrade.quarter_turns(degrade.fax(_raster(pages[0]), np_rng), _turns(rng))
    writers.write_tiff([img], path, 200, bilevel=True)
    return 200


def _photocopy(
    pages: list[Page], path: Path, rng: random.Random, np_rng: np.random.Generator
) -> int:
    img = degrade.quarter_turns(degrade.photocopy(_raster(pages[0]), np_rng), _turns(rng))
    if path.suffix == ".tif":
        writers.write_tiff([img], path, 300, bilevel=False)
    else:
        writers.write_png(img, path, 300)
    return 300


def _phone(pages: list[Page], path: Path, rng: random.Random, np_rng: np.random.Generator) -> int:
    page = pages[0]
    if page.size == A4:
        dpi = rng.randint(150, 200)
        img = degrade.phone(_raster(page), 300, dpi, np_rng)
    else:  # a card photographed close up
        dpi = rng.randint(380, 480)
        card = np.asarray(rasterize(page, 600))
        h, w = card.shape[:2]
        outline = Image.new("L", (w, h), 0)
        ImageDraw.Draw(outline).rounded_rectangle([0, 0, w - 1, h - 1], radius=h * 0.06, fill=255)
        alpha = np.asarray(outline, dtype=np.float32) / 255
        img = degrade.phone(card, 600, dpi, np_rng, margin=(1.3, 1.7), alpha=alpha)
    img = degrade.quarter_turns(img, _turns(rng, 0.2))
    writers.write_jpeg(img, path, rng.randint(82, 90), None)
    return dpi


def _lowres(pages: list[Page], path: Path, rng: random.Random, np_rng: np.random.Generator) -> int:
    img = degrade.quarter_turns(degrade.lowres(_raster(pages[0]), np_rng), _turns(rng))
    writers.write_jpeg(img, path, rng.randint(35, 45), 150)
    return 150


def _sheets(
    pages: list[Page], np_rng: np.random.Generator, scan: Callable[[np.ndarray], np.ndarray]
) -> list[np.ndarray]:
    """Scan every page; a blank page shows through faintly from the sheet before it."""
    out: list[np.ndarray] = []
    previous: np.ndarray | None = None
    for page in pages:
        clean = _raster(page)
        if page.blank:
            clean = degrade.blank_back(clean.shape, np_rng, previous)
        previous = clean
        out.append(scan(clean))
    return out


def _pdf_scan(
    pages: list[Page], path: Path, rng: random.Random, np_rng: np.random.Generator
) -> int:
    images = _sheets(pages, np_rng, lambda img: degrade.scan200(img, np_rng))
    images = [degrade.quarter_turns(img, 2 if rng.random() < 0.1 else 0) for img in images]
    writers.write_pdf_images(images, path, 200, rng.randint(70, 82))
    return 200


def _pdf_text(
    pages: list[Page], path: Path, rng: random.Random, np_rng: np.random.Generator
) -> int:
    writers.write_pdf_text(pages, path)
    return 300  # nominal: layout unit and the resolution its images were drawn for


def _tiff_multi(
    pages: list[Page], path: Path, rng: random.Random, np_rng: np.random.Generator
) -> int:
    if rng.random() < 0.5:
        images = _sheets(pages, np_rng, lambda img: degrade.fax(img, np_rng))
        writers.write_tiff(images, path, 200, bilevel=True)
        return 200
    dpi = rng.choice((200, 300))
    images = _sheets(
        pages, np_rng, lambda img: degrade.resample(degrade.photocopy(img, np_rng), 300, dpi)
    )
    writers.write_tiff(images, path, dpi, bilevel=False)
    return dpi


_HANDLERS: dict[str, Callable[[list[Page], Path, random.Random, np.random.Generator], int]] = {
    "clean": _clean,
    "scan200": _scan200,
    "fax": _fax,
    "photocopy": _photocopy,
    "phone": _phone,
    "lowres": _lowres,
    "pdf_scan": _pdf_scan,
    "pdf_text": _pdf_text,
    "tiff_multi": _tiff_multi,
}
DEGRADATIONS: tuple[str, ...] = tuple(_HANDLERS)
