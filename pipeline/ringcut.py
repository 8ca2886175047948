"""A seal's ring found by the lines it runs into, traced along its line and cut out.

On a fax page or a bilevel copy a seal cannot be lifted by its tone: its ring runs through
the signer's title and name, and Tesseract takes the ring and the letters it touches for a
picture ("CHỦ TỊCH" lost, "Nguyễn" read "yến"). The ring is looked for around such lines
(`rings_near`), fitted to the page's ink (a circle), then traced direction by direction
(`trace`): a stamped ring is seldom a true circle on the page (a fax's uneven resampling, a
tilted stamp), and the band between the fitted circle's radii was 16 px where the ring's
line is 6. Cutting the traced line (`cut_rings`) frees the letters it touches, and a
stroke that crosses it (ink just beyond it on both sides) keeps its pixels on it. The
seal's own lettering inside the ring, smaller than the line's letters, is whited out with
it (`drop_seal_lettering`). Measured in docs/QUALITY.md ("Seal rings traced, not
banded").
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from pipeline.preprocess import components
from pipeline.seals import RADIUS_CM, SEAL_DPI, seal_rings

Ring = tuple[float, float, float, float]  # centre x, y; inner and outer radius (page px)
Box = tuple[int, int, int, int]  # left, top, right, bottom

_DPCM = 1 / 2.54
# Ink is what is darker than this (a photocopied ring is mid-gray).
_INK_LEVEL = 160
# Ink pieces narrower than this (either way) are print, not a ring's arc.
_ARC_CM = 0.5
# The circle found at 75 dpi is refined on the page's ink within this share of its radius.
_RING_BAND = 0.08
# ... when at least this many ink pixels lie there.
_FIT_PIXELS = 50
# The trace looks this many pixels beyond the fitted band for the ring's line ...
_TRACE_REACH = 8
# ... and needs it clear (no letter across) in this share of the directions.
_TRACE_SEEN = 0.3
# A direction's ink run longer than this many times the ring's usual run has a letter in it.
_CROSSED = 1.5
# The traced line is smoothed over this share of the directions (a median).
_SMOOTH = 1 / 60
# The cut reaches this many pixels past half the ring's line.
_CUT_SLACK = 1.5
# A stroke crosses the line where there is ink this many pixels past it on both sides.
_MEND_STEP = 3
# Seal lettering: ink wholly inside a ring and shorter than this share of the line's height.
_SEAL_LETTER = 0.45
_NEIGHBOURS = np.ones((3, 3), np.uint8)


def rings_near(boxes: list[Box], image: np.ndarray, dpi: int) -> list[Ring]:
    """Seal rings in the part of the image a ring touching one of the boxes can lie in.

    The circle search runs at SEAL_DPI on ink pieces at least _ARC_CM across both ways (a
    ring's arcs, a signature, a table), not on the print: on a whole page of print it
    took ~0.25 s, a fifth of the page's OCR.
    """
    if not boxes:
        return []
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

    The circle search works at 75 dpi: its centre can be 4 px off on the page. The ink
    within _RING_BAND of the rough circle is fitted with a circle (least squares); a band
    of width t has its ink at a mean distance t / 4 from its middle line.
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


def touches(box: Box, ring: Ring, near: float) -> bool:
    """True when the ring passes within `near` box heights of the box."""
    left, top, right, bottom = box
    cx, cy, _, outer = ring
    dx = max(left - cx, 0.0, cx - right)
    dy = max(top - cy, 0.0, cy - bottom)
    return bool(np.hypot(dx, dy) <= outer + near * (bottom - top))


@dataclass(frozen=True)
class RingLine:
    """Where a ring's line runs, and its half width.

    `radius[k]` is its distance from the centre in direction k of n, at angle 2πk/n
    (clockwise on the image, from the right).
    """

    cx: float
    cy: float
    radius: np.ndarray
    half: float


def fitted_band(ring: Ring, n: int = 360) -> RingLine:
    """The ring's line as the band between its fitted radii, the same in every direction."""
    cx, cy, inner, outer = ring
    return RingLine(cx, cy, np.full(n, (inner + outer) / 2), (outer - inner) / 2)


def trace(image: np.ndarray, ring: Ring) -> RingLine:
    """The ring's line followed round its centre on `image` (page coordinates).

    In a direction where the band holds one run of ink of the ring's usual width, that run
    is the ring's. Where a letter crosses or comes near it (a longer run, or two) or the
    ring is broken (none), the line is taken from the directions beside it. When too few
    directions show the ring clear, the fitted band is all there is.
    """
    cx, cy, inner, outer = ring
    n = max(64, int(2 * np.pi * outer))
    radii = np.arange(inner - _TRACE_REACH, outer + _TRACE_REACH + 1, dtype=np.float32)
    angle = 2 * np.pi * np.arange(n) / n
    map_x = (cx + np.cos(angle)[:, None] * radii).astype(np.float32)
    map_y = (cy + np.sin(angle)[:, None] * radii).astype(np.float32)
    polar = (
        cv2.remap(
            image, map_x, map_y, cv2.INTER_NEAREST, borderMode=cv2.BORDER_CONSTANT, borderValue=255
        )
        < _INK_LEVEL
    )  # rows: directions, columns: radius
    band = fitted_band(ring, n)
    edges = np.diff(np.pad(polar.astype(np.int8), ((0, 0), (1, 1))), axis=1)
    rows, starts = np.nonzero(edges == 1)
    _, ends = np.nonzero(edges == -1)  # in the same order: run by run, row by row
    if len(rows) < _TRACE_SEEN * n:
        return band
    centres = (starts + ends - 1) / 2 + radii[0]
    runs = ends - starts
    per_row = np.bincount(rows, minlength=n)
    alone = per_row[rows] == 1  # the only ink in its direction
    if alone.sum() < _TRACE_SEEN * n:
        return band
    usual = float(np.median(runs[alone]))
    clear = alone & (runs <= _CROSSED * usual)
    if clear.sum() < _TRACE_SEEN * n:
        return band
    line = np.interp(np.arange(n), rows[clear], centres[clear], period=n)
    w = max(1, int(n * _SMOOTH))
    smooth = np.median(sliding_window_view(np.r_[line[-w:], line, line[:w]], 2 * w + 1), axis=1)
    return RingLine(cx, cy, smooth, usual / 2)


def cut_rings(
    crop: np.ndarray, left: int, top: int, lines: list[RingLine], mend: bool = True
) -> np.ndarray:
    """The crop (its top left at `left`, `top` on the page) with the rings' lines whited out.

    A letter the ring only touches is freed of it. With `mend`, a stroke the line crosses
    (ink just beyond the line on both sides, along the radius) keeps its pixels on the
    line; without, it loses a sliver as wide as the line.
    """
    cut = crop.copy()
    h, w = crop.shape[:2]
    for ring in lines:
        reach = float(ring.radius.max()) + ring.half + _CUT_SLACK + 1
        x0, x1 = max(0, int(ring.cx - reach) - left), min(w, int(ring.cx + reach) + 1 - left)
        y0, y1 = max(0, int(ring.cy - reach) - top), min(h, int(ring.cy + reach) + 1 - top)
        if x0 >= x1 or y0 >= y1:
            continue
        yy, xx = np.ogrid[y0 + top : y1 + top, x0 + left : x1 + left]
        dx, dy = xx - ring.cx, yy - ring.cy
        n = len(ring.radius)
        k = np.rint(np.arctan2(dy, dx) * (n / (2 * np.pi))).astype(int) % n
        d = np.hypot(dx, dy)
        on = np.abs(d - ring.radius[k]) <= ring.half + _CUT_SLACK
        if mend:
            line = ring.radius[k]
            ux, uy = dx / np.maximum(d, 1.0), dy / np.maximum(d, 1.0)
            step = ring.half + _MEND_STEP
            inner = _ink_at(
                crop, ring.cx + ux * (line - step) - left, ring.cy + uy * (line - step) - top
            )
            outer = _ink_at(
                crop, ring.cx + ux * (line + step) - left, ring.cy + uy * (line + step) - top
            )
            on &= ~(inner & outer)
        cut[y0:y1, x0:x1][on] = 255
    return cut


def _ink_at(crop: np.ndarray, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Whether the crop is ink at the points (nearest pixel); off the crop is paper."""
    h, w = crop.shape[:2]
    xi, yi = np.rint(x).astype(int), np.rint(y).astype(int)
    inside = (xi >= 0) & (xi < w) & (yi >= 0) & (yi < h)
    ink = np.zeros(np.broadcast(xi, yi).shape, bool)
    ink[inside] = crop[yi[inside], xi[inside]] < _INK_LEVEL
    return ink


def drop_seal_lettering(
    cut: np.ndarray, before: np.ndarray, left: int, top: int, rings: list[Ring], line_height: int
) -> np.ndarray:
    """The crop `cut` (`before` before its rings were cut) without the seal's own lettering.

    A seal's name runs round inside its ring in letters about half the height of a title's
    capitals; read with the line, they turn it into junk. Its lettering is ink wholly inside
    a ring, smaller than the line's letters, that the ring did not run into: the pieces of
    the line's own letters the ring's cut left stay.
    """
    ink = (cut < _INK_LEVEL).astype(np.uint8)
    n, labels, stats, _ = components(ink)
    if n <= 1:
        return cut
    x = stats[:, cv2.CC_STAT_LEFT] + left
    y = stats[:, cv2.CC_STAT_TOP] + top
    w, h = stats[:, cv2.CC_STAT_WIDTH], stats[:, cv2.CC_STAT_HEIGHT]
    small = np.maximum(w, h) < _SEAL_LETTER * line_height
    inside = np.zeros(n, bool)
    for cx, cy, inner, _outer in rings:
        far = np.maximum(np.abs(x - cx), np.abs(x + w - cx)) ** 2
        far = far + np.maximum(np.abs(y - cy), np.abs(y + h - cy)) ** 2
        inside |= far < inner**2  # the box's farthest corner is inside
    taken = cv2.dilate(((before < _INK_LEVEL) & ~ink.astype(bool)).astype(np.uint8), _NEIGHBOURS)
    touched = np.zeros(n, bool)
    touched[np.unique(labels[taken > 0])] = True
    drop = small & inside & ~touched
    drop[0] = False
    if not drop.any():
        return cut
    out = cut.copy()
    out[drop[labels]] = 255
    return out
