"""Specks and dotted leaders: small ink that Tesseract reads as punctuation or junk.

Toner and fax noise between words and leader dots ("Họ và tên: ........") are whitened
before OCR; pale or small print that the threshold breaks into bits as small (an ID
card's labels) is told apart from them and kept.
"""

from __future__ import annotations

import cv2
import numpy as np

from pipeline.preprocess import TARGET_DPI, component_mask, components, paint_paper, paper_tone


def remove_dot_leaders(gray: np.ndarray, dpi: int = TARGET_DPI) -> np.ndarray:
    """White out dotted leader lines ("Họ và tên: ........") that Tesseract reads as junk.

    A leader is a long horizontal run of tiny blobs with nothing else between them, so the
    dot of an "i" or a full stop (lone small blobs) is left alone. Found at half
    resolution (plenty for dots, 4× less work).
    """
    half = cv2.resize(gray, None, fx=0.5, fy=0.5, interpolation=cv2.INTER_AREA)
    _, bw = cv2.threshold(half, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    _, labels, stats, centres = components(bw)
    max_dim = max(2, dpi // 60)  # at half size: a leader dot is under ~0.8 mm across
    small = (stats[:, cv2.CC_STAT_WIDTH] <= max_dim) & (stats[:, cv2.CC_STAT_HEIGHT] <= max_dim)
    small[0] = False
    if small.sum() < 5:
        return gray
    dots = component_mask(labels, small)
    gap = max(2, dpi // 40)  # dots sit ~1.3 mm apart
    runs = cv2.dilate(dots, np.ones((1, gap), np.uint8))
    n, rlabels, rstats, _ = components(runs)
    widths, heights = rstats[:, cv2.CC_STAT_WIDTH], rstats[:, cv2.CC_STAT_HEIGHT]
    long_run = (widths >= 5 * gap) & (widths >= 6 * heights)
    # A leader's dots sit on one baseline, or at least evenly spaced. Thin or small print
    # broken into bits by the threshold makes rows of bits too, but they rise and fall with
    # the letters and lie unevenly: an ID card copy lost most of its labels to this.
    one_line = heights < max_dim
    long_run &= one_line | (_spacing_spread(centres[small], rlabels, n) <= _EVEN_SPACING)
    long_run[0] = False
    if not long_run.any():
        return gray
    erase = cv2.bitwise_and(dots, component_mask(rlabels, long_run))
    erase = cv2.resize(erase, (gray.shape[1], gray.shape[0]), interpolation=cv2.INTER_NEAREST)
    return paint_paper(gray, cv2.dilate(erase, np.ones((3, 3), np.uint8)))


# Spread of the gaps between a row's dots over their mean: 0.00-0.07 for printed leaders,
# scanned or photocopied (0.13 on a fax, where they sit on one line anyway); 0.32-0.72 for
# the bits of a broken line of print.
_EVEN_SPACING = 0.12


def _spacing_spread(centres: np.ndarray, run_labels: np.ndarray, runs: int) -> np.ndarray:
    """Per run: standard deviation of the gaps between its dots over their mean (inf if <3)."""
    h, w = run_labels.shape
    xs, ys = centres[:, 0], centres[:, 1]
    run = run_labels[ys.round().astype(int).clip(0, h - 1), xs.round().astype(int).clip(0, w - 1)]
    order = np.lexsort((xs, run))
    run, xs = run[order], xs[order]
    same = run[1:] == run[:-1]
    gaps, owner = np.diff(xs)[same], run[1:][same]
    count = np.bincount(owner, minlength=runs)
    mean = np.bincount(owner, gaps, runs) / np.maximum(count, 1)
    square = np.bincount(owner, gaps * gaps, runs) / np.maximum(count, 1)
    spread = np.sqrt(np.maximum(square - mean * mean, 0)) / np.maximum(mean, 1e-6)
    spread[count < 2] = np.inf
    return spread


def ink_runs(bw: np.ndarray) -> np.ndarray:
    """The lengths of the horizontal runs of ink along every row (bw: ink > 0)."""
    ink = (bw > 0).astype(np.int8)
    edges = np.diff(np.pad(ink, ((0, 0), (1, 1))), axis=1)
    return np.flatnonzero(edges.ravel() == -1) - np.flatnonzero(edges.ravel() == 1)


# Bold print's stems are 1.5-2 times as thick as the plain print's: a peak of the run
# histogram this much thinner than the commonest run, at least this share as common and
# parted from it by a valley under half its height, is the plain print's stem. (Broken
# print on a fax makes a shoulder of short runs, not a peak with a valley.)
_BOLD_RATIO = (0.4, 0.75)
_STEM_PEAK_SHARE = 0.5
_STEM_VALLEY = 0.5


def stroke_width(bw: np.ndarray) -> int:
    """Typical stem width of the page's plain print in pixels (bw: ink > 0).

    The most common horizontal run of ink, unless a run about half as thick is a peak
    nearly as common: a form's values in bold have stems twice as thick as its labels,
    and on a page of many values theirs were the commonest runs (a birth certificate copy:
    2,728 of 10 px, 2,569 of 5), so the labels' colons and full stops looked thinner than a
    stem and were erased as specks.
    """
    runs = ink_runs(bw)
    counts = np.bincount(runs[(runs > 0) & (runs < 64)], minlength=3)
    counts[0] = 0
    if not counts.any():
        return 1
    mode = int(np.argmax(counts))
    for width in range(int(np.ceil(_BOLD_RATIO[0] * mode)), int(_BOLD_RATIO[1] * mode) + 1):
        tall = counts[width]
        if (
            0 < width < mode - 1
            and tall >= _STEM_PEAK_SHARE * counts[mode]
            and tall >= max(counts[width - 1], counts[width + 1])
            and counts[width + 1 : mode].min() <= _STEM_VALLEY * tall
        ):
            return width
    return mode


_SPECK_DIV = 60  # blobs under 1/60 in (5 px at 300 dpi) across are left out of the stem count


def despeckle(gray: np.ndarray, dpi: int = TARGET_DPI) -> np.ndarray:
    """White out specks (photocopy toner, fax noise) that OCR reads as punctuation.

    Two kinds go: blobs thinner than the print's own strokes (a full stop, a comma is at
    least a stem wide; fax noise between words is not) unless a letter is right above or
    below them (a tone dot "ạ", the dot of "i" on a thin fax); and small blobs with no letter
    within about a line height (toner in the margins).
    """
    _, full = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    n, labels, stats, _ = components(full)
    x, y = stats[:, cv2.CC_STAT_LEFT], stats[:, cv2.CC_STAT_TOP]
    w, h = stats[:, cv2.CC_STAT_WIDTH], stats[:, cv2.CC_STAT_HEIGHT]
    # The stems are measured on print only: on a page salted with specks (an archive
    # TIFF, a fax) the specks' own 2-4 px runs outnumber the stems, the stem came out at
    # 2 px and no speck was thin enough to go. Marks and dots stay in the count.
    print_sized = np.maximum(w, h) >= dpi / _SPECK_DIV
    print_sized[0] = False
    rows = labels[::4]  # every 4th row is plenty for a histogram
    stem = stroke_width(component_mask(rows, print_sized))
    tiny = np.maximum(w, h) < 0.85 * stem
    tiny[0] = False
    out = gray
    if tiny.any():
        heights = h[1:][~tiny[1:]]
        reach = int(np.clip(0.3 * np.median(heights), 2, dpi // 20)) if heights.size else 4
        tone = paper_tone(gray)
        for i in np.flatnonzero(tiny):
            x0, y0, x1, y1 = x[i], y[i], x[i] + w[i], y[i] + h[i]
            above = full[max(0, y0 - reach) : y0, x0:x1]
            below = full[y1 : y1 + reach, x0:x1]
            if above.any() or below.any():
                continue  # a letter right above or below: a tone dot or the dot of an "i"
            if out is gray:
                out = gray.copy()
            box = out[y0:y1, x0:x1]
            box[labels[y0:y1, x0:x1] == i] = tone
    return _despeckle_isolated(out, dpi)


# A row of at least this many bits, over four specks wide and no taller than a line of
# small print, is print broken up by the threshold (`_in_rows_of_bits`). Fewer or shorter
# (the bits left of a signature whose ink was dropped) stay specks.
_ROW_BITS = 8


def _in_rows_of_bits(
    centres: np.ndarray, bits: np.ndarray, shape: tuple[int, ...], dpi: int
) -> np.ndarray:
    """Which of the `bits` (a flag per component) lie in a row of them: print, not specks.

    Thin or small print (an ID card's 6-point labels, a pale copy) falls apart into bits
    under the threshold, each as small as a speck; with no whole letter near, a line of it
    was erased as toner (an ID card copy lost "Họ và tên / Full name" and most of its
    labels). The bits' centres (at half size) up to 7 px apart along a line and 3 px
    across are joined into rows. Salt on an archive scan (a speck every 20 px) seldom
    chains that far.
    """
    limit = max(2, dpi // 50)
    cx = centres[:, 0].astype(int).clip(0, shape[1] - 1)
    cy = centres[:, 1].astype(int).clip(0, shape[0] - 1)
    points = np.zeros(shape[:2], np.uint8)
    points[cy[bits], cx[bits]] = 255
    joined = cv2.dilate(points, np.ones((3, 7), np.uint8))
    n, labels, stats, _ = components(joined)
    group = labels[cy, cx]
    members = np.bincount(group[bits], minlength=n)
    rows = (
        (members >= _ROW_BITS)
        & (stats[:, cv2.CC_STAT_WIDTH] > 4 * limit)
        & (stats[:, cv2.CC_STAT_HEIGHT] <= 3 * limit)
    )
    rows[0] = False
    in_rows: np.ndarray = bits & rows[group]
    return in_rows


def _despeckle_isolated(gray: np.ndarray, dpi: int) -> np.ndarray:
    """Small blobs with no letter within about a line height; full stops stay."""
    half = cv2.resize(gray, None, fx=0.5, fy=0.5, interpolation=cv2.INTER_AREA)
    _, bw = cv2.threshold(half, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    n, labels, stats, centres = components(bw)
    limit = max(2, dpi // 50)  # at half size: ≤ ~1.7 mm across
    small = (stats[:, cv2.CC_STAT_WIDTH] <= limit) & (stats[:, cv2.CC_STAT_HEIGHT] <= limit)
    small[0] = False
    if not small.any():
        return gray
    # "Near" scales with the print (median blob height): a letter height up or down, two
    # along the line, so the last dot of an ellipsis ("sinh...") is near its word.
    heights = stats[~small, cv2.CC_STAT_HEIGHT][1:]
    small &= ~_in_rows_of_bits(centres, small, bw.shape, dpi)  # broken print counts as letters
    on_small = component_mask(labels, small)
    letter = ~small
    letter[0] = False  # the paper
    letters = component_mask(labels, letter)
    letter_h = float(np.median(heights)) if heights.size else dpi / 25
    reach = int(np.clip(2 * letter_h, 3, dpi // 4))
    near = cv2.dilate(letters, np.ones((reach, 2 * reach), np.uint8))
    specks = cv2.bitwise_and(on_small, cv2.bitwise_not(near))  # both 0/255
    if not cv2.countNonZero(specks):
        return gray
    specks = cv2.resize(specks, (gray.shape[1], gray.shape[0]), interpolation=cv2.INTER_NEAREST)
    return paint_paper(gray, cv2.dilate(specks, np.ones((3, 3), np.uint8)))
