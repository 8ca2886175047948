"""Seal and signature ink lifted off a page before binarisation, in colour and in gray.

A seal stamped over the signer's title ("CHỦ TỊCH", "TM. ỦY BAN NHÂN DÂN") blots its
letters. On a colour scan the seal is told apart by its hue (`drop_colour_ink`); on a
gray scan (archive TIFFs, photocopies, gray JPEGs) by its tone: red ink turns mid-gray,
printed text stays near black (`drop_gray_seals`).
"""

from __future__ import annotations

import cv2
import numpy as np

from pipeline.preprocess import component_mask, components, paint_paper, paper_tone, to_gray

# Seals are found at this resolution: a 3-5 cm ring is 90-150 px across, plenty for a
# circle, and the search costs a few milliseconds.
SEAL_DPI = 75
RADIUS_CM = (1.0, 3.0)  # round seals of offices and officials: 2-6 cm across
_RING_COVER = 0.75  # share of the circle the ring's ink must cover
_CLEAR_OUTSIDE = 0.35  # ... and at most this much of circles just outside it


def drop_ink(image: np.ndarray, dpi: int, gray: np.ndarray | None = None) -> np.ndarray:
    """Gray page with seals (and, in colour, blue signatures) lifted to the paper tone.

    `gray`, the colour image already converted (`to_gray`), saves converting it again.
    """
    return drop_gray_seals(image, dpi) if image.ndim == 2 else drop_colour_ink(image, dpi, gray)


def drop_colour_ink(image: np.ndarray, dpi: int, gray: np.ndarray | None = None) -> np.ndarray:
    """Gray page with red seals and blue signatures washed out, black print kept.

    Seal-shaped red marks and all saturated blue ink are lifted to the paper tone before
    binarisation, so a seal or signature over a name no longer blots its letters. Red
    text (the titles of land certificates) is kept: it is wide, a seal is round. A colour
    that is the page's print (little black ink beside it: a page typed in navy, black text
    photographed under a blue cast) is kept too; lifted, it left the page blank. Within a
    seal's box (up to `_SEAL_MAX_CM`: a red frame round a whole certificate is no seal)
    its paler red goes too and the print under it stays (`_whole_seal`).
    """
    if image.ndim == 2:
        return image
    gray = to_gray(image) if gray is None else gray
    hsv = cv2.cvtColor(image, cv2.COLOR_RGB2HSV)
    # Black is dark and unsaturated; counted once, on every 4th pixel both ways.
    black = cv2.countNonZero(
        cv2.inRange(np.ascontiguousarray(hsv[::_STEP, ::_STEP]), (0, 0, 0), (179, _PRINT_SAT, 100))
    )
    inks = [ink for ink in (_blue(hsv),) if not _is_print(ink, black)]
    seal, discs = _seal_only(_red(hsv))
    if not _is_print(seal, black):  # judged on the saturated red alone
        for x, y, w, h in discs:
            if max(w, h) <= _SEAL_MAX_CM * dpi / 2.54:  # not a red frame round the page
                box = np.s_[y : y + h, x : x + w]
                seal[box] = _whole_seal(hsv[box], seal[box])
        inks.append(seal)
    if not inks:
        return gray
    return paint_paper(gray, inks[0] | inks[1] if len(inks) == 2 else inks[0])


# OpenCV hue runs 0-179: red wraps around 0, ink blue sits near 120.
def _red(hsv: np.ndarray, saturation: int = 71, value: int = 61) -> np.ndarray:
    """Red ink at least this saturated and this bright (HSV, 0-255)."""
    red: np.ndarray = cv2.inRange(hsv, (0, saturation, value), (11, 255, 255))
    return red | cv2.inRange(hsv, (161, saturation, value), (179, 255, 255))


def _blue(hsv: np.ndarray) -> np.ndarray:
    blue: np.ndarray = cv2.inRange(hsv, (96, 71, 61), (134, 255, 255))
    return blue


# A coloured ink whose strokes outnumber the page's black ink twice over is the page's
# print, not a signature or seal on it.
_BLACK_SHARE = 0.5
_STEP = 4  # the counts are taken on every 4th pixel both ways
_PRINT_SAT = 70  # black print: dark, and no more saturated than this
# Ink is at least this much darker than the paper (gray levels).
_INK_BELOW_PAPER = 40


def _is_print(ink: np.ndarray, black: int) -> bool:
    """True when `black` (black pixels on every 4th pixel) is under half `ink`'s strokes.

    Strokes, not areas: a blue table around a photographed page is no print.
    """
    sample = np.ascontiguousarray(ink[::_STEP, ::_STEP])
    solid = cv2.morphologyEx(sample, cv2.MORPH_OPEN, np.ones((5, 5), np.uint8))
    strokes = cv2.countNonZero(sample) - cv2.countNonZero(solid)
    return strokes > 0 and black < _BLACK_SHARE * strokes


def _seal_only(red: np.ndarray) -> tuple[np.ndarray, list[tuple[int, int, int, int]]]:
    """The parts of a red-ink mask that form round blobs at least ~6% of the page wide.

    Also each blob's box (left, top, width, height) on the page.
    """
    if not cv2.countNonZero(red):
        return red, []
    h, w = red.shape
    scale = 600 / max(h, w)
    small = cv2.resize(red, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    small = cv2.dilate((small > 0).astype(np.uint8), np.ones((5, 5), np.uint8))
    n, labels, stats, _ = components(small)
    keep = np.zeros(n, bool)
    for i in range(1, n):
        bw, bh = stats[i, cv2.CC_STAT_WIDTH], stats[i, cv2.CC_STAT_HEIGHT]
        keep[i] = min(bw, bh) >= 0.06 * small.shape[1] and 0.6 <= bw / bh <= 1.6
    if not keep.any():
        return np.zeros_like(red), []
    seals = component_mask(labels, keep)
    seals = cv2.resize(seals, (w, h), interpolation=cv2.INTER_NEAREST)
    boxes = []
    for left, top, width, height in stats[keep, :4].tolist():
        x0, y0 = int(left / scale), int(top / scale)
        x1, y1 = min(w, int((left + width) / scale) + 1), min(h, int((top + height) / scale) + 1)
        boxes.append((x0, y0, x1 - x0, y1 - y0))
    return red & seals, boxes


# `_whole_seal`: a seal's paler ink (a ring over a card's gray guilloche, the lettering
# around it) is red of little saturation; print under the seal is dark.
_PALE_RED_SAT = 25
_SEAL_MAX_CM = 2 * RADIUS_CM[1] + 1  # a seal's box, with the ink's spread


def _whole_seal(hsv: np.ndarray, seal: np.ndarray) -> np.ndarray:
    """A seal's ink within its box: its saturated red, its paler red, not the print under it.

    The saturated red alone (`_red`) leaves a seal's paler parts on the page, and takes
    the letters it crosses with it: black print under red ink turns dark red, and its
    anti-aliased edges red. Here the paler red inside the seal's disc goes too, and every
    dark stroke joined to black print outside the red stays (with a pixel around it),
    while a dark red star, joined to no black, still goes. "Dark" is a third of the way
    from the box's darkest ink (its 10th percentile) to its paper.

    On the twelve eval sets' colour pages, a chip ID card's issuing office under the seal
    (`CỤC TRƯỞNG CỤC CẢNH SÁT / QUẢN LÝ HÀNH CHÍNH …`) and the signers' names read whole
    where they had lost words: 30 files read better, 7 worse (docs/QUALITY.md, "The whole
    of a colour seal, and page numbers").
    """
    h, w = seal.shape
    disc = np.zeros_like(seal)
    cv2.ellipse(disc, (w // 2, h // 2), (w // 2, h // 2), 0, 0, 360, 255, -1)
    value = hsv[:, :, 2]
    paper = int(np.percentile(value[::3, ::3], 90))
    ink = value[value < paper - _INK_BELOW_PAPER]
    core = int(np.percentile(ink, 10)) if ink.size else 0
    dark_level = core + (paper - core) // 3
    pale = _red(hsv, _PALE_RED_SAT, dark_level + 1)
    dark = (value <= dark_level).astype(np.uint8)
    n, labels, _, _ = components(dark)
    black = (dark > 0) & (hsv[:, :, 1] <= _PRINT_SAT)
    printed = np.zeros(n, bool)
    printed[labels[black]] = True
    printed[0] = False
    under: np.ndarray = cv2.dilate(component_mask(labels, printed), np.ones((3, 3), np.uint8))
    return (seal | (pale & disc)) & ~under


def drop_gray_seals(gray: np.ndarray, dpi: int) -> np.ndarray:
    """Gray page with round mid-gray seals lifted to the paper tone, black print kept.

    Only ink clearly lighter than the text (a quarter of the way from the text's tone to
    the paper's, and beyond) and not touching it is a candidate, so the letters a seal
    crosses keep every dark pixel. Candidates are erased only inside a ring found by a
    circle search, well covered by them and with clear paper around it: a card's gray
    guilloche or a gray table shading makes no such ring. Measured on 54 gray forms
    (150-200 dpi, six seeds): word recall 0.955 → 0.962, no file worse by more than 0.003.
    """
    candidates = _gray_seal_ink(gray, dpi)
    if candidates is None:
        return gray
    seal = np.zeros_like(candidates)
    h, w = gray.shape
    for cx, cy, r in seal_rings(candidates, dpi):
        reach = 1.1 * r
        x0, x1 = max(0, int(cx - reach)), min(w, int(cx + reach) + 1)
        y0, y1 = max(0, int(cy - reach)), min(h, int(cy + reach) + 1)
        yy, xx = np.ogrid[y0:y1, x0:x1]
        inside = (xx - cx) ** 2 + (yy - cy) ** 2 <= reach**2
        seal[y0:y1, x0:x1][inside & (candidates[y0:y1, x0:x1] > 0)] = 1
    return paint_paper(gray, seal)


def _gray_seal_ink(gray: np.ndarray, dpi: int) -> np.ndarray | None:
    """Mask of mid-gray ink away from dark strokes; None when there is none to speak of."""
    paper = paper_tone(gray)
    sample = gray[::3, ::3]
    ink = sample[sample < int(paper) - _INK_BELOW_PAPER]
    if ink.size < 500:
        return None
    core = int(np.percentile(ink, 10))  # the text's own tone
    span = int(paper) - core
    if span < 120:  # faint print all over: no contrast left to tell a seal by
        return None
    dark_level, light_level = core + span // 4, int(paper) - span // 5
    mid = (sample > dark_level) & (sample < light_level)
    if mid.mean() < 0.002:  # bilevel (fax) pages and pages with no gray ink
        return None
    dark = (gray <= dark_level).astype(np.uint8)
    k = 2 * int(np.ceil(dpi / 100)) + 1  # a stroke's anti-aliased edge: 1-2 px
    near_dark = cv2.dilate(dark, np.ones((k, k), np.uint8))
    candidates = ((gray > dark_level) & (gray < light_level) & (near_dark == 0)).astype(np.uint8)
    return candidates if int(candidates.sum()) >= 1000 else None


def seal_rings(candidates: np.ndarray, dpi: int) -> list[tuple[float, float, float]]:
    """Centre and outer radius (page pixels) of each seal ring in the candidate mask."""
    scale = SEAL_DPI / dpi
    small = cv2.resize(candidates * 255, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    small = cv2.GaussianBlur(small, (5, 5), 0)
    cm = SEAL_DPI / 2.54
    circles = cv2.HoughCircles(
        small, cv2.HOUGH_GRADIENT, dp=1, minDist=int(2 * cm), param1=80, param2=25,
        minRadius=int(RADIUS_CM[0] * cm), maxRadius=int(RADIUS_CM[1] * cm),
    )  # fmt: skip
    if circles is None:
        return []
    inked = ((small > 30) * 255).astype(np.uint8)
    rings = []
    for cx, cy, r in circles[0]:
        # Radii up to 1.3 × the widest outer ring looked for (2.2 r), for the clear-paper test.
        cover = _cover_by_radius(inked, (float(cx), float(cy)), int(3 * r) + 3)
        if cover[round(r)] < _RING_COVER:
            continue
        # Hough finds the strongest of a seal's concentric rings: widen to the outermost.
        outer = max(
            (q for q in range(round(r), int(2.2 * r)) if cover[q] >= _RING_COVER), default=round(r)
        )
        if max(cover[round(outer * f)] for f in (1.12, 1.2, 1.3)) > _CLEAR_OUTSIDE:
            continue  # ink all around: a card's guilloche, a shaded box
        rings.append((cx / scale, cy / scale, outer / scale))
    return rings


def _cover_by_radius(inked: np.ndarray, centre: tuple[float, float], reach: int) -> np.ndarray:
    """Share of 96 directions in which a circle about `centre` meets ink (within 1 px).

    One value per whole radius below `reach`.
    """
    polar = cv2.warpPolar(
        inked, (reach, 96), centre, reach, cv2.INTER_NEAREST + cv2.WARP_POLAR_LINEAR
    )  # rows: directions, columns: radius; off the image counts as no ink
    polar = cv2.dilate(polar, np.ones((1, 3), np.uint8))
    cover: np.ndarray = (polar > 0).mean(axis=0)
    return cover
