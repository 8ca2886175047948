"""Curled pages: text lines bent into bows straightened before OCR.

A phone photo of a household book or of a sheet lifted off the desk, and a bound register
on a flatbed, bend the lines of text: flattening the paper's outline and deskewing leave
them bowed. Tesseract reads a mildly bent line, but the layout step sees the bend as a
column gap and cuts the lines, and a line that drifts into the next one is read with it.
Six clean forms bent by up to 28 px (2.4 mm at 300 dpi) read 0.88-0.99 of their words
(0.98-1.00 flat).

Each long text line is found (ink smeared along the line) and its centre traced across
the page. Where the long lines bow by more than a quarter of a line height, each line is
fitted with a cubic and the page remapped so that the lines run level at their mean
heights, the shift between lines interpolated down each column. A flat page is left as
it is, pixel for pixel.
"""

from __future__ import annotations

import cv2
import numpy as np

from pipeline.preprocess import components, paper_tone

# Work at a quarter of the resolution (75 dpi at the OCR resolution): lines are ~11 px
# tall, and the check costs 7-10 ms a flat page.
_SCALE = 0.25
# Ink is smeared along the line over word gaps (px at that resolution, ~5 mm).
_SMEAR = 15
# A line traced: at least this share of the page wide, and at most this many times the
# median line's thickness (a seal or a photo merged into a line is left out).
_MIN_LINE_SHARE = 0.3
_MAX_THICKNESS = 2.0
# The bow is measured on at least this many lines over half the page wide, of text
# (lines 1.4 to 8 mm thick).
_LONG_LINE = 0.5
_MIN_LINES = 3
_LINE_HEIGHT = (4, 24)
# Columns sampled along a line (px), and how many of them a line's centre is a running
# median of (a tall letter or a tone mark moves one column's centre), ~6 mm.
_STEP = 2
_MEDIAN_SPAN = 9
# Straightened only when the long lines bow, at the median, by more than this share of the
# line height beyond a straight line through each (deskew has taken out any slope).
# Measured: flat pages 0.03-0.08, pages bent by 14 px 0.16-0.29, by 28 px 0.35-0.51.
_MIN_BOW = 0.25


def straighten_lines(gray: np.ndarray) -> np.ndarray:
    """The page with bowed text lines made level (the page itself when they are straight)."""
    h, w = gray.shape
    small = cv2.resize(gray, None, fx=_SCALE, fy=_SCALE, interpolation=cv2.INTER_AREA)
    _, ink = cv2.threshold(small, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    lines = _traced_lines(ink)
    # The bow is judged on lines across most of the page: over a short one, a bend is
    # nearly straight and the fit's noise is as large.
    long = [(xs, ys) for xs, ys, _ in lines if xs[-1] - xs[0] >= _LONG_LINE * ink.shape[1]]
    if len(long) < _MIN_LINES:
        return gray
    height = float(np.median([thick for _, _, thick in lines]))
    if not _LINE_HEIGHT[0] <= height <= _LINE_HEIGHT[1]:
        return gray  # no lines of text: drawings, a photo, the ghost of a page's back
    # A curl bends every long line; a few lines read as bowed (a stamp on one, a word set
    # higher) do not count.
    if float(np.median([_bow(xs, ys) for xs, ys in long])) < _MIN_BOW * height:
        return gray
    fitted = [(xs, fit) for xs, ys, _ in lines if (fit := _robust_cubic(xs, ys)) is not None]
    if len(fitted) < _MIN_LINES:
        return gray
    shift = _shift_field(fitted, small.shape)
    full = cv2.resize(shift, (w, h), interpolation=cv2.INTER_LINEAR) * np.float32(1 / _SCALE)
    cols, rows = np.meshgrid(np.arange(w, dtype=np.float32), np.arange(h, dtype=np.float32))
    source = (rows + full).astype(np.float32)
    paper = int(paper_tone(gray))
    out: np.ndarray = cv2.remap(gray, cols, source, cv2.INTER_LINEAR, borderValue=paper)
    return out


def _traced_lines(ink: np.ndarray) -> list[tuple[np.ndarray, np.ndarray, float]]:
    """Long text lines, each as its sampled columns, its centre there and its thickness.

    The centre is a running median along the line.
    """
    h, w = ink.shape
    # A table's vertical rules would join its rows into one block.
    upright = cv2.morphologyEx(ink, cv2.MORPH_OPEN, np.ones((max(3, h // 30), 1), np.uint8))
    smear = cv2.morphologyEx(
        cv2.subtract(ink, upright), cv2.MORPH_CLOSE, np.ones((1, _SMEAR), np.uint8)
    )
    # Tone marks and descenders that touch the next line would join two lines: trim them.
    smear = cv2.morphologyEx(smear, cv2.MORPH_OPEN, np.ones((2, 5), np.uint8))
    n, labels, stats, _ = components(smear)
    found = []
    for k in range(1, n):
        x, y, bw, bh = (int(v) for v in stats[k, :4])
        if bw < _MIN_LINE_SHARE * w:
            continue
        piece = labels[y : y + bh, x : x + bw] == k
        cols = np.arange(0, bw, _STEP)
        filled = piece[:, cols]
        has = filled.any(axis=0)
        if has.sum() < 8:
            continue
        top = np.argmax(filled, axis=0)
        bottom = bh - 1 - np.argmax(filled[::-1], axis=0)
        thick = float(np.median((bottom - top + 1)[has]))
        centre = (top + bottom) / 2.0 + y
        xs = (cols[has] + x).astype(np.float64)
        found.append((xs, _running_median(centre[has], _MEDIAN_SPAN), thick))
    if not found:
        return []
    median = float(np.median([t for _, _, t in found]))
    return [line for line in found if line[2] <= _MAX_THICKNESS * median]


def _running_median(values: np.ndarray, span: int) -> np.ndarray:
    """Each value replaced by the median of the `span` around it (fewer at the ends)."""
    half = span // 2
    padded = np.pad(values, half, mode="edge")
    windows = np.lib.stride_tricks.sliding_window_view(padded, span)
    out: np.ndarray = np.median(windows, axis=1)
    return out


def _robust_cubic(xs: np.ndarray, ys: np.ndarray) -> np.ndarray | None:
    """A cubic through the samples, refitted without those far off it; its values at xs."""
    keep = np.ones(len(xs), bool)
    for _ in range(3):
        if keep.sum() < 8:
            return None
        coef = np.polyfit(xs[keep], ys[keep], 3)
        resid = np.abs(np.polyval(coef, xs) - ys)
        limit = max(1.0, 2.5 * float(np.median(resid[keep])))
        keep = resid <= limit
    fitted: np.ndarray = np.polyval(coef, xs)
    return fitted


def _bow(xs: np.ndarray, ys: np.ndarray) -> float:
    """How far a line's smooth course (a cubic) strays from the straight line through it."""
    curve = np.polyval(np.polyfit(xs, ys, 3), xs)
    return float(np.abs(curve - np.polyval(np.polyfit(xs, ys, 1), xs)).max())


def _shift_field(lines: list[tuple[np.ndarray, np.ndarray]], shape: tuple[int, int]) -> np.ndarray:
    """Per pixel (working resolution), how far down its source lies.

    Each line is moved to its mean height; between lines the shift is interpolated down
    the column.
    """
    h, w = shape
    grid = np.arange(0, w, _STEP)
    # For each sampled column: (level, shift) of every line that crosses it.
    per_col: list[list[tuple[float, float]]] = [[] for _ in grid]
    for xs, ys in lines:
        level = float(ys.mean())
        for x, y in zip(xs, ys, strict=True):
            per_col[int(x) // _STEP].append((level, float(y) - level))
    field = np.full((h, len(grid)), np.nan, np.float32)
    rows = np.arange(h, dtype=np.float64)
    for j, points in enumerate(per_col):
        if len(points) >= 2:
            points.sort()
            levels, shifts = zip(*points, strict=True)
            field[:, j] = np.interp(rows, levels, shifts)
        elif points:
            field[:, j] = points[0][1]
    # Columns no line crosses (margins, gutters) take their neighbours' shift.
    empty = np.isnan(field[0])
    if empty.all():
        return np.zeros(shape, np.float32)
    known = np.flatnonzero(~empty)
    for col in np.flatnonzero(empty):
        right = int(np.searchsorted(known, col))
        left_col = int(known[max(right - 1, 0)])
        right_col = int(known[min(right, len(known) - 1)])
        t = 0.0 if right_col == left_col else (col - left_col) / (right_col - left_col)
        field[:, col] = (1 - t) * field[:, left_col] + t * field[:, right_col]
    smooth = cv2.GaussianBlur(field, (0, 0), sigmaX=3, sigmaY=3)
    out: np.ndarray = cv2.resize(smooth, (w, h), interpolation=cv2.INTER_LINEAR)
    return out
