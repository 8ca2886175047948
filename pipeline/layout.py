"""Page layout: cut a page into text regions in reading order for block-wise OCR.

Decree-30 papers put two columns side by side (issuing body | national motto, husband |
wife, "Nơi nhận" | signature). Tesseract's psm 6 reads straight across them and psm 3
drops paragraphs on degraded pages, so the page is cut here into horizontal sections: a
full-width section is one region, a two-column section is its left column then its right
column. Each region is then OCRed as one uniform block.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import cv2
import numpy as np

from pipeline.preprocess import component_mask, components

# Layout is found on a copy about 150 dpi wide (A4): plenty for gutters, 4× less work.
_WORK_WIDTH = 1240
# A gutter is an empty vertical strip at least this share of the text width ...
_MIN_GUTTER = 0.025
# ... whose centre lies in this part of the text width (a label/value gap sits further left).
_GUTTER_RANGE = (0.3, 0.72)
# A two-column section needs this much height, in median text lines.
_MIN_SECTION_LINES = 1.8
# A section ends where its gutter narrows below this share of its first line's gutter.
_GUTTER_KEEP = 0.5
_PAD = 8
_MIN_BLOB_AREA = 10


@dataclass(frozen=True)
class Region:
    """A rectangle of the page in pixels, read as one text block."""

    left: int
    top: int
    right: int
    bottom: int


@dataclass(frozen=True)
class _Band:
    top: int
    bottom: int
    cols: np.ndarray  # bool per column: ink somewhere in the band


def ink_mask(gray: np.ndarray) -> np.ndarray:
    """Binary ink (255) on white (0), specks removed: the input to layout analysis."""
    blur = cv2.GaussianBlur(gray, (3, 3), 0)
    _, bw = cv2.threshold(blur, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    # Photocopy and fax speckle would fill the gutters: drop blobs under ~4 px (≈0.7 mm).
    n, labels, stats, _ = components(bw)
    big = stats[:, cv2.CC_STAT_AREA] >= _MIN_BLOB_AREA
    big[0] = False
    return component_mask(labels, big)


def text_regions(gray: np.ndarray) -> list[Region]:
    """Regions of a gray page in reading order (top to bottom, left column first)."""
    h, w = gray.shape
    scale = min(1.0, _WORK_WIDTH / w)
    small = cv2.resize(gray, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    return regions_from_ink(ink_mask(small), (h, w))


def regions_from_ink(ink: np.ndarray, shape: tuple[int, int]) -> list[Region]:
    """Regions from a (small) ink mask, scaled to a page of `shape` (height, width)."""
    h, w = shape
    bands = _bands(ink)
    if not bands:
        return [Region(0, 0, w, h)]
    inv = w / ink.shape[1]
    regions: list[Region] = []
    for top, bottom, gutter in _sections(bands):
        y0 = max(0, int(top * inv) - _PAD)
        y1 = min(h, int((bottom + 1) * inv) + _PAD)
        if gutter is None:
            regions.append(Region(0, y0, w, y1))
        else:
            x = int(gutter * inv)
            regions.extend([Region(0, y0, x, y1), Region(x, y0, w, y1)])
    return regions


def order_words(
    words: list[tuple[float, float, float, float, str]],
    width: float,
    height: float,
    rules: Sequence[tuple[float, float, float, float]] = (),
) -> str:
    """Text of positioned words (x0, top, x1, bottom, text) in layout reading order.

    Used for PDF text layers, whose own order reads straight across two-column headers.
    Table rules (x0, top, x1, bottom) keep a ruled table one block, read row by row.
    """
    scale = _WORK_WIDTH / max(width, 1.0)
    ink = np.zeros((max(1, int(height * scale)), _WORK_WIDTH), np.uint8)
    for x0, top, x1, bottom in [*rules, *(w[:4] for w in words)]:
        cv2.rectangle(ink, (int(x0 * scale), int(top * scale)),
                      (int(x1 * scale), int(bottom * scale)), 255, -1)  # fmt: skip
    regions = regions_from_ink(ink, (int(height), int(width)))
    buckets: list[list[tuple[float, float, float, float, str]]] = [[] for _ in regions]
    for word in words:
        cx, cy = (word[0] + word[2]) / 2, (word[1] + word[3]) / 2
        index = next(
            (i for i, r in enumerate(regions)
             if r.left <= cx < r.right and r.top <= cy < r.bottom), len(regions) - 1
        )  # fmt: skip
        buckets[index].append(word)
    return "\n".join(_lines(b) for b in buckets if b)


def _lines(words: list[tuple[float, float, float, float, str]]) -> str:
    """Words of one region as lines: grouped by vertical overlap, left to right."""
    lines: list[list[tuple[float, float, float, float, str]]] = []
    for word in sorted(words, key=lambda w: (w[1], w[0])):
        mid = (word[1] + word[3]) / 2
        if lines and lines[-1][0][1] <= mid <= lines[-1][0][3]:
            lines[-1].append(word)
        else:
            lines.append([word])
    return "\n".join(" ".join(w[4] for w in sorted(line)) for line in lines)


def _bands(ink: np.ndarray) -> list[_Band]:
    """Runs of rows with ink (text lines, or interleaved lines of two columns); ink is 255 on 0."""
    joined = cv2.dilate(ink, np.ones((3, 1), np.uint8))  # close the gap under diacritics
    rows = cv2.reduce(joined, 1, cv2.REDUCE_SUM, dtype=cv2.CV_32S)[:, 0] > 255  # 2+ ink columns
    edges = np.flatnonzero(np.diff(np.concatenate(([False], rows, [False])).astype(np.int8)))
    return [
        _Band(int(start), int(end) - 1, np.any(ink[start:end], axis=0))
        for start, end in zip(edges[::2], edges[1::2], strict=True)
        if end - 1 - start >= 3  # drop rules and dust
    ]


def _sections(bands: list[_Band]) -> list[tuple[int, int, float | None]]:
    """Group bands into (top, bottom, gutter x or None) sections, top to bottom."""
    line_h = float(np.median([b.bottom - b.top + 1 for b in bands]))
    xs = np.flatnonzero(np.logical_or.reduce([b.cols for b in bands]))
    extent = (int(xs[0]), int(xs[-1]))
    out: list[tuple[int, int, float | None]] = []
    i = 0
    while i < len(bands):
        j, gutter = _grow_two_column(bands, i, line_h, extent)
        if gutter is None:
            top = bands[i].top
            if out and out[-1][2] is None:  # extend the running full-width section
                top = out.pop()[0]
            out.append((top, bands[i].bottom, None))
            i += 1
        else:
            out.append((bands[i].top, bands[j - 1].bottom, gutter))
            i = j
    return out


def _grow_two_column(
    bands: list[_Band], i: int, line_h: float, extent: tuple[int, int]
) -> tuple[int, float | None]:
    """Longest run of bands from i that shares a gutter; (end index, gutter x) or no gutter."""
    used = bands[i].cols.copy()
    best: tuple[int, float | None] = (i + 1, None)
    first_width, first_mid = 0, 0.0
    j = i
    while j < len(bands):
        trial = used | bands[j].cols if j > i else used
        found = _gutter(trial, extent)
        if found is None:
            break
        gutter, width = found
        if not first_width:
            first_width, first_mid = width, gutter
        if width < _GUTTER_KEEP * first_width or abs(gutter - first_mid) > first_width / 2:
            break  # a centred title or a table row closes the columns in all but name
        used = trial
        j += 1
        height = bands[j - 1].bottom - bands[i].top + 1
        if height >= _MIN_SECTION_LINES * line_h:
            best = (j, gutter)
    return best


def _gutter(cols: np.ndarray, extent: tuple[int, int]) -> tuple[float, int] | None:
    """(centre x, width) of the widest empty strip mid-text, with ink on both sides."""
    left, right = extent
    width = right - left + 1
    lo, hi = left + int(_GUTTER_RANGE[0] * width), left + int(_GUTTER_RANGE[1] * width)
    best_len, best_mid = 0, None
    x = lo
    while x <= hi:
        if cols[x]:
            x += 1
            continue
        start = x
        while x <= right and not cols[x]:
            x += 1
        if x - start > best_len:
            best_len, best_mid = x - start, (start + x) / 2
    if best_mid is None or best_len < _MIN_GUTTER * width:
        return None
    mid = int(best_mid)
    if not (cols[left:mid].any() and cols[mid : right + 1].any()):
        return None
    return best_mid, best_len
