"""Lines a seal ring runs into, read again alone.

A round seal is stamped over the left of the signature, and its ring often reaches the
signer's name under it or the title over it. Tesseract then takes the ring's arc and the
letters it touches for one word of junk, and the family name goes with it ("và mang Toàn"
for "Võ Trọng Toàn", "Nà Tuấn" for "Bùi Quang Tuấn", fax pages, where a seal cannot be
lifted by its tone). Read alone, in a crop only as tall as the line's sure words, most of
the ring is left out and the name comes back; read once more with the ring's band cut out,
a letter the ring only touches is freed of it. A new reading replaces the line only when
it holds more readable words (`readable_weight`) and no fewer letters, so a line that
reads no better stays. Measured in docs/QUALITY.md ("Names under a seal's ring").
"""

from __future__ import annotations

import logging

import cv2
import numpy as np

from ocr_models.engines import (
    EngineFailure,
    EngineTimeout,
    OcrEngine,
    OcrWord,
    moved,
    word_lines,
)
from pipeline.lostlines import ReadRegion
from pipeline.marklines import MARGIN_PX
from pipeline.preprocess import components
from pipeline.seals import RADIUS_CM, SEAL_DPI, seal_rings
from pipeline.wordcheck import alnum_count, readable_weight

log = logging.getLogger(__name__)

Ring = tuple[float, float, float, float]  # centre x, y; inner and outer radius (page px)

_LINE_PSM = 7
# A line is read again when a word of it is below _UNSURE and another, of two or more
# letters, at _SURE or above gives the line's height.
_UNSURE = 0.7
_SURE = 0.85
# Words read alone below this are dropped (the ring's leftovers read as "`." or "x*").
_KEEP_WORD = 0.5
# The crop reaches this share of the line height above (tone marks) and below its words,
# and up to this many line heights beyond its first and last word (a family name lost in
# the ring's junk may lie outside the junk's box).
_ABOVE, _BELOW, _SIDE = 0.35, 0.25, 1.5
# A line this close to a ring (share of its height) is touched by it.
_NEAR = 0.5
# A reading replaces the line when its readable words weigh this much more.
_MARGIN = 0.3
# The circle found at 75 dpi is refined on the page's ink within this share of its radius.
_RING_BAND = 0.08
# ... when at least this many ink pixels lie there.
_FIT_PIXELS = 50
# The band cut out reaches this many pixels past the ring's ink both ways.
_CUT_SLACK = 2
# Ink is what is darker than this (a photocopied ring is mid-gray).
_INK_LEVEL = 160
_DPCM = 1 / 2.54
# Ink pieces narrower than this (either way) are print, not a ring's arc.
_ARC_CM = 0.5


def reread_near_seals(
    words: list[OcrWord], image: np.ndarray, dpi: int, engine: OcrEngine, read: ReadRegion
) -> list[OcrWord]:
    """Words of the page with the lines a seal ring touches read again where that is better.

    `image` is the page the word boxes refer to; `read` reads a crop as `read_region` does.
    Only lines with an unsure word are looked at, and rings only looked for around them.
    Returns `words` itself when no line changed.
    """
    lines = word_lines(words)
    boxes = {i: box for i, line in enumerate(lines) if (box := _line_box(line)) is not None}
    if not boxes:
        return words
    rings = _rings_around(list(boxes.values()), image, dpi)
    changed = False
    for i, box in boxes.items():
        near = [ring for ring in rings if _touches(box, ring)]
        if not near:
            continue
        better = _read_alone(lines[i], box, lines, near, (image, dpi, engine, read))
        if better is not None:
            log.debug("line by a seal read again: %r → %r", _text(lines[i]), _text(better))
            lines[i], changed = better, True
    return [w for line in lines for w in line] if changed else words


def _line_box(line: list[OcrWord]) -> tuple[int, int, int, int] | None:
    """Left, top, right, bottom of a line with an unsure word; None when it has none.

    Top and bottom are its sure words' (a junk word's box takes in the ring's arc).
    """
    sure = [w for w in line if w.confidence >= _SURE and alnum_count(w.text) >= 2]
    if not sure or all(w.confidence >= _UNSURE for w in line):
        return None
    top = min(w.top for w in sure)
    bottom = max(w.top + w.height for w in sure)
    return min(w.left for w in line), top, max(w.left + w.width for w in line), bottom


def _rings_around(
    boxes: list[tuple[int, int, int, int]], image: np.ndarray, dpi: int
) -> list[Ring]:
    """Seal rings in the part of the page a ring touching one of the boxes can lie in.

    The circle search runs at SEAL_DPI on ink pieces at least _ARC_CM across both ways (a
    ring's arcs, a signature, a table), not on the print: on a whole page of print it
    took ~0.25 s, a fifth of the page's OCR.
    """
    reach = int(2 * RADIUS_CM[1] * _DPCM * dpi)  # a seal's diameter
    h, w = image.shape[:2]
    x0 = max(0, min(b[0] for b in boxes) - reach)
    y0 = max(0, min(b[1] for b in boxes) - reach)
    x1 = min(w, max(b[2] for b in boxes) + reach)
    y1 = min(h, max(b[3] for b in boxes) + reach)
    scale = SEAL_DPI / dpi
    ink = (image[y0:y1, x0:x1] < _INK_LEVEL).astype(np.uint8) * 255
    small = cv2.resize(ink, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA) > 30
    n, labels, stats, _ = components(small.astype(np.uint8))
    least = _ARC_CM * _DPCM * SEAL_DPI
    big = np.zeros(n, bool)
    big[1:] = np.minimum(stats[1:, cv2.CC_STAT_WIDTH], stats[1:, cv2.CC_STAT_HEIGHT]) >= least
    if not big.any():
        return []
    arcs = big[labels].astype(np.uint8)
    found = seal_rings(arcs, SEAL_DPI)
    return [_refined(image, cx / scale + x0, cy / scale + y0, r / scale) for cx, cy, r in found]


def _refined(image: np.ndarray, cx: float, cy: float, r: float) -> Ring:
    """The ring's centre and the radii its line runs between, fitted to the page's ink.

    The circle search works at 75 dpi: its centre can be 4 px off on the page, enough for
    a cut along the ring to miss the ring and take a letter's edge instead. The ink within
    _RING_BAND of the rough circle is fitted with a circle (least squares); a band of
    width t has its ink at a mean distance t / 4 from its middle line.
    """
    h, w = image.shape[:2]
    reach = r * (1 + _RING_BAND)
    x0, y0 = max(0, int(cx - reach)), max(0, int(cy - reach))
    x1, y1 = min(w, int(cx + reach) + 1), min(h, int(cy + reach) + 1)
    rows, cols = np.nonzero(image[y0:y1, x0:x1] < _INK_LEVEL)
    xs, ys = cols + float(x0), rows + float(y0)
    near = np.abs(np.hypot(xs - cx, ys - cy) - r * (1 - _RING_BAND / 2)) < r * _RING_BAND
    if near.sum() < _FIT_PIXELS:
        return cx, cy, r * (1 - _RING_BAND), r
    xs, ys = xs[near], ys[near]
    # x² + y² = 2ax + 2by + c, linear in a, b, c (Kåsa's fit)
    a = np.column_stack([2 * xs, 2 * ys, np.ones_like(xs)])
    (fx, fy, c), *_ = np.linalg.lstsq(a, xs**2 + ys**2, rcond=None)
    middle = float(np.sqrt(max(c + fx**2 + fy**2, 1.0)))
    half = 2 * float(np.mean(np.abs(np.hypot(xs - fx, ys - fy) - middle)))
    return float(fx), float(fy), middle - half, middle + half


def _touches(box: tuple[int, int, int, int], ring: Ring) -> bool:
    """True when the ring passes within _NEAR line heights of the box."""
    left, top, right, bottom = box
    cx, cy, _, outer = ring
    dx = max(left - cx, 0.0, cx - right)
    dy = max(top - cy, 0.0, cy - bottom)
    return bool(np.hypot(dx, dy) <= outer + _NEAR * (bottom - top))


def _read_alone(
    line: list[OcrWord],
    box: tuple[int, int, int, int],
    lines: list[list[OcrWord]],
    rings: list[Ring],
    page: tuple[np.ndarray, int, OcrEngine, ReadRegion],
) -> list[OcrWord] | None:
    """The line read alone, as it is and with the ring cut out; None when neither is better.

    Better: more readable words (`readable_weight`) and no fewer letters. A reading that
    only drops the junk is no better, nor one that has a short word for a long one read
    badly (`NgưYên Văn Đức` → `Nụ Văn Đức`, `NGƯỜI+<Ý` → `“Ý`).
    """
    image, dpi, engine, read = page
    left, top, right, bottom = box
    height = bottom - top
    top, bottom = max(0, int(top - _ABOVE * height)), int(bottom + _BELOW * height)
    left, right = _widened((left, top, right, bottom), height, line, lines, image.shape[1])
    crop = image[top:bottom, left:right]
    letters = sum(alnum_count(w.text) for w in line)
    best, score = None, readable_weight(line) + _MARGIN
    for candidate in (crop, _ring_cut(crop, left, top, rings)):
        try:
            out = read(candidate, dpi, engine, _LINE_PSM)
        except (EngineTimeout, EngineFailure) as e:
            log.info("reading a line by a seal again failed: %s", e)
            return best
        kept = [w for w in out.words if w.confidence >= _KEEP_WORD]
        weight = readable_weight(kept)
        if weight > score and sum(alnum_count(w.text) for w in kept) >= letters:
            best, score = moved(kept, left - MARGIN_PX, top - MARGIN_PX, line[0].line), weight
    return best


def _ring_cut(crop: np.ndarray, left: int, top: int, rings: list[Ring]) -> np.ndarray:
    """The crop with the rings' bands whited out.

    A letter the band crosses loses a sliver; one the ring only touches is freed of it.
    (Keeping the pixels of strokes that cross the band, where ink lies on both sides of it
    along the radius, was tried: it kept ring ink beside letters too and lost a name.)
    """
    yy, xx = np.ogrid[top : top + crop.shape[0], left : left + crop.shape[1]]
    cut = crop.copy()
    for cx, cy, inner, outer in rings:
        d = np.sqrt((xx - cx) ** 2 + (yy - cy) ** 2)
        cut[(d > inner - _CUT_SLACK) & (d < outer + _CUT_SLACK)] = 255
    return cut


def _widened(
    box: tuple[int, int, int, int],
    height: int,
    line: list[OcrWord],
    lines: list[list[OcrWord]],
    width: int,
) -> tuple[int, int]:
    """The crop's left and right: _SIDE heights beyond the line, short of others' words."""
    first, top, last, bottom = box
    left, right = max(0, int(first - _SIDE * height)), min(width, int(last + _SIDE * height))
    for other in lines:
        for w in other:
            if other is line or w.confidence < _KEEP_WORD or not alnum_count(w.text):
                continue
            if w.top >= bottom or w.top + w.height <= top:
                continue  # not beside the line
            if w.left + w.width <= first:
                left = max(left, w.left + w.width + 1)
            elif w.left >= last:
                right = min(right, w.left - 1)
    return left, right


def _text(line: list[OcrWord]) -> str:
    return " ".join(w.text for w in line)
