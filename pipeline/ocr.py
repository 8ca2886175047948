"""OCR stage: one decoded page in, its text with words and confidence out.

A degraded page is a result, not an exception: a timeout or engine crash gives a page with
source "failed" and a warning, and the document flows on to review.
"""

from __future__ import annotations

import logging

import numpy as np

from ocr_models.engines import EngineFailure, EngineTimeout, OcrEngine, OcrOutput
from ocr_models.vietnamese import canonicalize
from pipeline.decode import PageInput
from pipeline.models import PageText, Word
from pipeline.preprocess import is_blank, normalize_resolution, rotate_upright, to_gray

log = logging.getLogger(__name__)

# Below this mean word confidence a page may be sideways or upside down: ask OSD.
_ORIENTATION_RETRY_CONF = 0.70


def ocr_page(page: PageInput, engine: OcrEngine, *, short: str = "-") -> PageText:
    """Text of one page: its PDF text layer when good, else OCR of its image."""
    if page.text_layer is not None:
        text = canonicalize(page.text_layer)
        return PageText(page.number, text, 1.0, "text-layer")
    assert page.image is not None
    gray = to_gray(page.image)
    if is_blank(gray):
        log.info("%s: page %d is blank", short, page.number)
        return PageText(page.number, "", 1.0, "blank", width=gray.shape[1], height=gray.shape[0])
    gray, dpi = normalize_resolution(gray, page.dpi)
    try:
        out = _recognize_upright(gray, dpi, engine, short, page.number)
    except (EngineTimeout, EngineFailure) as e:
        log.warning("%s: page %d OCR failed: %s", short, page.number, e)
        return PageText(
            page.number, "", 0.0, "failed", width=gray.shape[1], height=gray.shape[0],
            warnings=[f"page {page.number}: {e}"],
        )  # fmt: skip
    words = [Word(w.text, w.left, w.top, w.width, w.height, w.confidence) for w in out.words]
    return PageText(
        page.number, canonicalize(out.text), out.confidence, "ocr", words,
        width=gray.shape[1], height=gray.shape[0],
    )  # fmt: skip


def _recognize_upright(
    gray: np.ndarray, dpi: int, engine: OcrEngine, short: str, number: int
) -> OcrOutput:
    """OCR; when confidence is low, try the orientation OSD suggests and keep the better."""
    out = engine.recognize(gray, dpi=dpi)
    if out.confidence >= _ORIENTATION_RETRY_CONF and len(out.words) > 20:
        return out
    rotate = engine.orientation(gray)
    if not rotate:
        return out
    log.info("%s: page %d rotated %d° for OCR", short, number, rotate)
    turned = engine.recognize(rotate_upright(gray, rotate), dpi=dpi)
    return turned if turned.confidence > out.confidence else out
