"""Page preprocessing with OpenCV: gray, resolution, blank detection, orientation."""

from __future__ import annotations

import cv2
import numpy as np

# Tesseract's LSTM models were trained on ~300 dpi text; x-heights far off that hurt.
TARGET_DPI = 300
# 200 dpi scans are upscaled too: reading them as is was measured worse on fax pages
# (CER 0.090 → 0.131 on 16 samples), for no clear speed gain.
_MIN_NATIVE_DPI = 270
_BLANK_INK_RATIO = 0.0015


def components(bw: np.ndarray) -> tuple[int, np.ndarray, np.ndarray, np.ndarray]:
    """8-connected components with stats (count, labels, stats, centroids).

    Grana's block-based labelling: the same labels as OpenCV's default (Spaghetti) here,
    in half the time on a 300 dpi page (19 vs 40 ms); labelling was 10 % of a page's CPU.
    Labels are 16-bit while there are fewer than 65,535 components (every page but a
    heavily salted one): the same labels in ~60 % of the time (17 vs 30 ms on a 300 dpi
    page). OpenCV stops with an error when they would overflow; the page is then
    labelled again in 32 bits.
    """
    try:
        return cv2.connectedComponentsWithStatsWithAlgorithm(bw, 8, cv2.CV_16U, cv2.CCL_GRANA)
    except cv2.error:
        return cv2.connectedComponentsWithStatsWithAlgorithm(bw, 8, cv2.CV_32S, cv2.CCL_GRANA)


def component_mask(labels: np.ndarray, chosen: np.ndarray) -> np.ndarray:
    """A 0/255 mask of the components flagged in `chosen` (one flag per label).

    One table look-up per pixel: 1.1 ms on a half-size page, against 4 ms for the
    boolean index, `np.where` and cast it replaces (each made a full-page array).
    """
    table: np.ndarray = np.where(chosen, 255, 0).astype(np.uint8)
    return table.take(labels)


def to_gray(image: np.ndarray) -> np.ndarray:
    """Gray uint8 image from RGB or gray input."""
    if image.ndim == 2:
        return image
    return cv2.cvtColor(image, cv2.COLOR_RGB2GRAY)


def normalize_resolution(gray: np.ndarray, dpi: int) -> tuple[np.ndarray, int]:
    """Resample to about 300 dpi (upscale low-res scans, downscale huge ones)."""
    if _MIN_NATIVE_DPI <= dpi <= 400:
        return gray, dpi
    scale = TARGET_DPI / dpi
    interp = cv2.INTER_CUBIC if scale > 1 else cv2.INTER_AREA
    out = cv2.resize(gray, None, fx=scale, fy=scale, interpolation=interp)
    return out, TARGET_DPI


def ink_ratio(gray: np.ndarray) -> float:
    """Fraction of dark pixels after Otsu, ignoring a 3% border (scanner edges)."""
    h, w = gray.shape
    my, mx = max(1, h * 3 // 100), max(1, w * 3 // 100)
    inner = gray[my : h - my, mx : w - mx]
    if inner.size == 0:
        return 0.0
    blur = cv2.GaussianBlur(inner, (3, 3), 0)
    if int(blur.max()) - int(blur.min()) < 40:
        return 0.0
    _, bw = cv2.threshold(blur, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    opened = cv2.morphologyEx(bw, cv2.MORPH_OPEN, np.ones((2, 2), np.uint8))
    return float(np.count_nonzero(opened)) / opened.size


def is_blank(gray: np.ndarray) -> bool:
    """True for a page with (almost) no ink: blank backs from a duplex feeder."""
    return ink_ratio(gray) < _BLANK_INK_RATIO


def rotate_upright(gray: np.ndarray, rotate_cw: int) -> np.ndarray:
    """Rotate clockwise by 0/90/180/270 degrees."""
    codes = {
        90: cv2.ROTATE_90_CLOCKWISE,
        180: cv2.ROTATE_180,
        270: cv2.ROTATE_90_COUNTERCLOCKWISE,
    }
    code = codes.get(rotate_cw % 360)
    return gray if code is None else cv2.rotate(gray, code)


def line_direction_score(gray: np.ndarray) -> float:
    """How much more the ink alternates down the rows than across the columns.

    Horizontal text lines make the row profile jump line/gap/line; a page turned 90° makes
    the column profile jump instead. > 1 means upright or upside down, < 1 means sideways.
    """
    h, w = gray.shape
    scale = min(1.0, 800 / max(h, w))
    small = cv2.resize(gray, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    _, bw = cv2.threshold(small, 0, 1, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    ys, xs = np.nonzero(bw)
    if ys.size == 0:
        return 1.0
    bw = bw[ys.min() : ys.max() + 1, xs.min() : xs.max() + 1]  # margins carry no signal
    rows = bw.sum(axis=1).astype(float)
    cols = bw.sum(axis=0).astype(float)
    jump = lambda p: float(np.abs(np.diff(p)).mean()) / (float(p.mean()) + 1e-6)  # noqa: E731
    return jump(rows) / (jump(cols) + 1e-6)


def marks_above_ratio(gray: np.ndarray) -> float | None:
    """Text lines with their marks mostly above the x-height band over those mostly below.

    Vietnamese tone marks, circumflexes and ascenders sit above the band; only descenders
    and the dot of "ạ" hang below. Each line votes (a bold title or a table would outweigh
    the rest in a sum of ink): an upright page scores over 1, a page upside down under 1.
    Measured on 100 generated pages at ~300 dpi: upside down 0.17-0.67 (5 pages), upright
    0.67-22, only 3 of 95 under 1 (two ID cards, a photocopy). None when fewer than three
    lines stand apart (tight line spacing merges them): no telling.
    """
    half = cv2.resize(gray, None, fx=0.5, fy=0.5, interpolation=cv2.INTER_AREA)
    _, bw = cv2.threshold(half, 0, 1, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    rows = bw.sum(axis=1, dtype=np.int64)
    # Bands of inked rows: one text line each, with its marks.
    edges = np.flatnonzero(np.diff(np.concatenate(([0], rows > 0, [0])).astype(np.int8)))
    up = down = 0
    for start, end in zip(edges[::2], edges[1::2], strict=True):
        if not _LINE_ROWS[0] <= end - start <= _LINE_ROWS[1]:
            continue  # a rule, a speck row, a photo or a seal
        band = rows[start:end]
        core = np.flatnonzero(band >= band.max() / 2)  # the x-height rows are the densest
        above, below = band[: core[0]].sum(), band[core[-1] + 1 :].sum()
        up += bool(above > _CLEAR_SIDE * below)
        down += bool(below > _CLEAR_SIDE * above)
    if up + down < _MIN_VOTES:
        return None
    return (up + 1) / (down + 1)


_CLEAR_SIDE = 1.2
_MIN_VOTES = 3
# Height of one text line at half of 300 dpi: 6 pt to ~30 pt type with its marks.
_LINE_ROWS = (6, 80)


def densest_band(gray: np.ndarray, share: float) -> np.ndarray:
    """The full-width strip of `share` of the page height holding the most ink."""
    h = gray.shape[0]
    small = cv2.resize(gray, None, fx=0.25, fy=0.25, interpolation=cv2.INTER_AREA)
    _, bw = cv2.threshold(small, 0, 1, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    rows = np.concatenate(([0], np.cumsum(bw.sum(axis=1, dtype=np.int64))))
    k = max(1, round(len(rows) * share))
    if k >= len(rows) - 1:
        return gray
    start = int(np.argmax(rows[k:] - rows[:-k])) * h // small.shape[0]
    return gray[start : start + k * h // small.shape[0]]


def flatten_page(gray: np.ndarray, outline: np.ndarray | None = None) -> np.ndarray:
    """Crop and flatten a photographed page: find the bright paper quadrilateral, warp it.

    Scans (paper fills the frame) and pages without a clear four-cornered outline come back
    unchanged. `outline`, the same page before its coloured ink was lifted, is where the
    paper's edge is looked for: the ink dropout also lifts a blue or brown table under the
    page to the paper's tone, and the edge is gone (22 of 54 generated phone photos).
    """
    quad = page_quad(gray if outline is None else outline)
    return gray if quad is None else _warp_quad(gray, quad)


def page_quad(gray: np.ndarray) -> np.ndarray | None:
    """Corners of the photographed paper in `gray`, or None when it fills the frame."""
    h, w = gray.shape
    scale = min(1.0, 800 / max(h, w))
    small = cv2.resize(gray, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    blur = cv2.GaussianBlur(small, (9, 9), 0)
    _, bw = cv2.threshold(blur, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    bw = cv2.morphologyEx(bw, cv2.MORPH_CLOSE, np.ones((15, 15), np.uint8))
    contours, _ = cv2.findContours(bw, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    if not contours:
        return None
    page = max(contours, key=cv2.contourArea)
    area = cv2.contourArea(page) / (small.shape[0] * small.shape[1])
    if not _PAGE_AREA[0] <= area <= _PAGE_AREA[1]:
        return None
    quad = cv2.approxPolyDP(page, 0.02 * cv2.arcLength(page, True), True)
    # No quadrilateral: the light fell off across the sheet, or the frame holds no sheet.
    found = quad if len(quad) == 4 and cv2.isContourConvex(quad) else _edge_quad(blur)
    if found is None:
        return None
    corners: np.ndarray = found.reshape(4, 2).astype(np.float32) / scale
    return corners


# A photographed page covers this share of the frame; outside it, trust the frame.
_PAGE_AREA = (0.2, 0.92)
# A sheet's edge: its margin, just inside, this much brighter than what lies just outside.
_EDGE_STEP = 20
_EDGE_BAND = 6  # px at the 800 px working size


def _edge_quad(blur: np.ndarray) -> np.ndarray | None:
    """The paper's outline from its edges, for a photo whose bright part is no quadrilateral.

    Light falling off across the sheet (a lamp to one side, a shadow) darkens part of the
    paper to the table's tone, so one threshold cuts a bite out of it (7 of 37 generated
    photos), or joins it to a table as bright near the lamp. The paper's edge is still a
    sharp step where the light's fall is a slow slope: the outline of the strongest edges
    is taken when it is a quadrilateral whose inner band (the paper's margin) is brighter
    than its outer band (the table). A text block's outline, inside the paper, is darker
    inside than out.
    """
    edges = cv2.dilate(cv2.Canny(blur, 20, 60), np.ones((3, 3), np.uint8))
    contours, _ = cv2.findContours(edges, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    frame = blur.shape[0] * blur.shape[1]
    band = np.ones((2 * _EDGE_BAND + 1, 2 * _EDGE_BAND + 1), np.uint8)
    for contour in sorted(contours, key=cv2.contourArea, reverse=True)[:3]:
        hull = cv2.convexHull(contour)
        if not _PAGE_AREA[0] <= cv2.contourArea(hull) / frame <= _PAGE_AREA[1]:
            continue
        quad = cv2.approxPolyDP(hull, 0.02 * cv2.arcLength(hull, True), True)
        if len(quad) != 4 or not cv2.isContourConvex(quad):
            continue
        paper = np.zeros(blur.shape, np.uint8)
        cv2.fillConvexPoly(paper, quad, 255)
        inner = cv2.subtract(paper, cv2.erode(paper, band))
        outer = cv2.subtract(cv2.dilate(paper, band), paper)
        if cv2.mean(blur, inner)[0] - cv2.mean(blur, outer)[0] >= _EDGE_STEP:
            return quad
    return None


def _warp_quad(gray: np.ndarray, quad: np.ndarray) -> np.ndarray:
    """Warp the quadrilateral (any corner order) to an upright rectangle."""
    s, d = quad.sum(axis=1), np.diff(quad, axis=1).ravel()
    tl, br = quad[np.argmin(s)], quad[np.argmax(s)]
    tr, bl = quad[np.argmin(d)], quad[np.argmax(d)]
    width = int(max(np.linalg.norm(tr - tl), np.linalg.norm(br - bl)))
    height = int(max(np.linalg.norm(bl - tl), np.linalg.norm(br - tr)))
    src = np.array([tl, tr, br, bl], np.float32)
    dst = np.array([[0, 0], [width - 1, 0], [width - 1, height - 1], [0, height - 1]], np.float32)
    matrix = cv2.getPerspectiveTransform(src, dst)
    return cv2.warpPerspective(gray, matrix, (width, height), flags=cv2.INTER_CUBIC,
                               borderMode=cv2.BORDER_REPLICATE)  # fmt: skip


# A sheet fed crooked or a photo held at an angle with no page edge in view: at 10° a
# household book read nothing and a form 0.31 of its words with a ±5° search; with ±15° both
# read as when straight. Past the usual ±5° the sweep takes 2° steps (a line drifts less
# than its pitch across the thumbnail at 1° off), then 1° around the best: 2-3 ms a page.
_USUAL_SKEW = 5
_MAX_SKEW = 15


def estimate_skew(gray: np.ndarray, max_degrees: int = _MAX_SKEW) -> float:
    """Angle (degrees, counter-clockwise) that makes text lines horizontal.

    Picks the rotation whose row profile is sharpest (lines and gaps most distinct): a
    sweep in 1° steps over ±5° and 2° steps on to ±`max_degrees`, then 0.2° steps around
    the best.
    """
    h, w = gray.shape
    scale = min(1.0, 640 / max(h, w))
    small = cv2.resize(gray, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    _, bw = cv2.threshold(small, 0, 1, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    usual = min(_USUAL_SKEW, max_degrees)
    wide = np.arange(usual + 2, max_degrees + 1, 2, dtype=float)
    coarse = _sharpest(bw, np.concatenate([-wide[::-1], np.arange(-usual, usual + 1.0), wide]))
    if abs(coarse) > usual:
        coarse = _sharpest(bw, np.array([coarse - 1, coarse, coarse + 1]))
    return _sharpest(bw, np.arange(coarse - 0.8, coarse + 0.9, 0.2))


def _sharpest(bw: np.ndarray, angles: np.ndarray) -> float:
    centre = (bw.shape[1] / 2, bw.shape[0] / 2)
    best, best_score = 0.0, -1.0
    for angle in angles:
        m = cv2.getRotationMatrix2D(centre, float(angle), 1.0)
        rot = cv2.warpAffine(bw, m, (bw.shape[1], bw.shape[0]), flags=cv2.INTER_NEAREST)
        rows = rot.sum(axis=1, dtype=np.int64)
        score = float(np.square(np.diff(rows)).sum())
        if score > best_score:
            best, best_score = round(float(angle), 2), score
    return best


def upright_at_resolution(
    gray: np.ndarray, dpi: int, min_degrees: float = 0.3
) -> tuple[np.ndarray, int]:
    """Deskew and bring to ~300 dpi in one resampling; returns the image and its dpi.

    Upscaling then rotating interpolates twice and blurs the small marks that tell Vietnamese
    tones apart (hook vs acute, "ể" vs "ế"): measured on 200 dpi prose scans, CER 0.06 %
    read straight vs 0.11 % upscaled then rotated; one warp keeps 0.06 %.
    """
    if dpi > 400:  # shrink first, with area averaging (warpAffine has none)
        gray, dpi = normalize_resolution(gray, dpi)
    angle = estimate_skew(gray)
    if abs(angle) < min_degrees:
        return normalize_resolution(gray, dpi)
    scale = 1.0 if _MIN_NATIVE_DPI <= dpi <= 400 else TARGET_DPI / dpi
    h, w = gray.shape
    out_w, out_h = round(w * scale), round(h * scale)
    # Pixel centres line up as in cv2.resize: x' = s·x + (s - 1) / 2 before the rotation.
    m = cv2.getRotationMatrix2D(((w - 1) / 2, (h - 1) / 2), angle, scale)
    m[0, 2] += (out_w - w) / 2
    m[1, 2] += (out_h - h) / 2
    out = cv2.warpAffine(gray, m, (out_w, out_h), flags=cv2.INTER_CUBIC, borderValue=255)
    return out, (TARGET_DPI if scale != 1.0 else dpi)


def paper_tone(gray: np.ndarray) -> np.uint8:
    """The paper's gray level (90th percentile), from a sparse sample for speed."""
    return np.uint8(np.percentile(gray[::7, ::7], 90))


def paint_paper(gray: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """A copy of the page with the mask's pixels at the paper tone (the page if none are)."""
    if not cv2.countNonZero(mask):
        return gray
    out = gray.copy()
    # OpenCV's masked copy: 2.4 ms on a 300 dpi page, against 5.7 for numpy's mask > 0.
    cv2.copyTo(np.full_like(gray, paper_tone(gray)), mask, out)
    return out


def even_illumination(gray: np.ndarray) -> np.ndarray:
    """Divide out shadows and uneven light: the page over its blurred background.

    The background (a closing that erases text, then a blur) is estimated at a quarter of
    the resolution: light varies slowly, and full-size closing costs more than OCR.
    """
    h, w = gray.shape
    small = cv2.resize(gray, (max(1, w // 4), max(1, h // 4)), interpolation=cv2.INTER_AREA)
    k = max(5, (min(small.shape) // 40) | 1)
    background = cv2.morphologyEx(small, cv2.MORPH_CLOSE, np.ones((k, k), np.uint8))
    background = cv2.GaussianBlur(background, (k, k), 0)
    background = cv2.resize(background, (w, h), interpolation=cv2.INTER_LINEAR)
    return cv2.divide(gray, background, scale=255)


def find_rules(gray: np.ndarray, dpi: int = TARGET_DPI) -> tuple[np.ndarray, np.ndarray]:
    """Masks of horizontal and vertical rules: straight strokes over 1 cm.

    No letter is that long: a 20 pt capital is 7 mm tall. Found at half resolution (a rule
    survives halving; the long openings cost 4x less) and returned at full size, with the
    thin rules a fax broke into dots (`thin_rules`, at full size: halving erases them).
    """
    h, w = gray.shape
    half = cv2.resize(gray, (max(1, w // 2), max(1, h // 2)), interpolation=cv2.INTER_AREA)
    length = max(5, round(dpi / 2.54 / 2))
    _, bw = cv2.threshold(half, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    horizontal = cv2.morphologyEx(bw, cv2.MORPH_OPEN, np.ones((1, length), np.uint8))
    vertical = cv2.morphologyEx(bw, cv2.MORPH_OPEN, np.ones((length, 1), np.uint8))
    full = lambda m: cv2.resize(m, (w, h), interpolation=cv2.INTER_NEAREST)  # noqa: E731
    # Thin rules a fax or a light scan broke into dots: the opening above misses them.
    _, ink = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    return full(horizontal) | thin_rules(ink, 0), full(vertical) | thin_rules(ink, 1)


# A thin rule, solid or broken into dots: in a strip of the page this wide (px at ~300 dpi),
# one to three rows (columns) inked over _RULE_COVER of it with nearly empty rows 3-7 px to
# each side (text has no such line), going on into the strip beside it (over 2 cm long).
_RULE_STRIP = 248
_RULE_COVER = 0.8  # fax-broken rules: 0.9-0.99 in their best strips; text stems ≤ 0.5
_RULE_PART = 0.15  # where the rule only partly crosses a strip (a table's ends)
_RULE_CLEAR = 0.15
_RULE_GAP = (3, 7)
_RULE_BRIDGE = 9  # px between the dots of a broken rule
_RULE_RUN = 80  # px of unbroken line (dots bridged): longer than any digit or letter is tall


def thin_rules(ink: np.ndarray, axis: int) -> np.ndarray:
    """Mask of thin horizontal (axis 0) or vertical (axis 1) rules in a full-size ink mask."""
    h, w = ink.shape
    n = (w if axis == 0 else h) // _RULE_STRIP
    if n < 2:
        return np.zeros_like(ink)
    span = n * _RULE_STRIP
    # Ink share of each row (column) in each strip: an exact mean, as the strips divide span.
    if axis == 0:
        share = cv2.resize(ink[:, :span], (n, h), interpolation=cv2.INTER_AREA)
    else:
        share = cv2.resize(ink[:span], (w, n), interpolation=cv2.INTER_AREA).T
    count = share.astype(np.float32) / 255  # lines × strips, 0-1
    clear = count < _RULE_CLEAR
    thin = np.ones_like(clear)
    for d in range(_RULE_GAP[0], _RULE_GAP[1] + 1):
        thin[d:] &= clear[:-d]
        thin[:d] = False
        thin[:-d] &= clear[d:]
        thin[-d:] = False
    part = thin & (count >= _RULE_PART)
    # A strip the line crosses, with the same line going on in a strip next to it ...
    rule = thin & (count >= _RULE_COVER) & _beside(part)
    for _ in range(2):  # ... and the strips it only partly crosses
        rule |= _beside(rule) & part
    if not rule.any():
        return np.zeros_like(ink)
    band = _grow_rows(_grow_rows(rule))  # the rule's 1-3 lines and one more either side
    # Work on those lines only: they are few, and each is cleaned along itself.
    lines = np.flatnonzero(band.any(axis=1))
    on = np.repeat(band[lines], _RULE_STRIP, axis=1).astype(np.uint8) * np.uint8(255)
    seen = (ink[lines, :span] if axis == 0 else ink[:span, lines].T) & on
    # Only ink that runs along the line (dots bridged) is the rule: where a strip holds the
    # end of a rule, a digit's stem or a letter in line with it stays.
    seen = cv2.morphologyEx(seen, cv2.MORPH_CLOSE, np.ones((1, _RULE_BRIDGE), np.uint8))
    seen = cv2.morphologyEx(seen, cv2.MORPH_OPEN, np.ones((1, _RULE_RUN), np.uint8))
    mask = np.zeros_like(ink)
    if axis == 0:
        mask[lines, :span] = seen
    else:
        mask[:span, lines] = seen.T
    return mask & ink


def _beside(mask: np.ndarray) -> np.ndarray:
    """Cells of a rows × strips mask with a true cell in the strip to either side.

    In the same row or the row above or below: a rule may step a row between strips.
    """
    near = _grow_rows(mask)
    out = np.zeros_like(mask)
    out[:, 1:] |= near[:, :-1]
    out[:, :-1] |= near[:, 1:]
    return out


def _grow_rows(mask: np.ndarray) -> np.ndarray:
    """Boolean rows × strips mask, each true cell also marking the rows above and below."""
    out = mask.copy()
    out[1:] |= mask[:-1]
    out[:-1] |= mask[1:]
    return out


def remove_rules(
    gray: np.ndarray, rules: tuple[np.ndarray, np.ndarray] | None = None
) -> np.ndarray:
    """White out table borders and underlines.

    Tesseract reads a cell border as "|" or "_" and a ruled table as one block; without the
    rules, the layout step and Tesseract see text lines and columns.
    """
    return paint_paper(gray, _rule_mask(gray, rules if rules is not None else find_rules(gray)))


def _rule_mask(gray: np.ndarray, rules: tuple[np.ndarray, np.ndarray]) -> np.ndarray:
    """The pixels to paint over for rules: each rule and its fringe, less the crossings."""
    horizontal, vertical = rules
    rule = cv2.dilate(cv2.bitwise_or(horizontal, vertical), np.ones((3, 3), np.uint8))
    if not cv2.countNonZero(rule):
        return rule
    # The page's ink level, from a sample: only the bands around the rules are looked at.
    level, _ = cv2.threshold(gray[::4, ::4], 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    kept = []  # all crossings are found on the whole rule before any is taken out of it
    for lines, upright in ((horizontal, False), (vertical, True)):
        for band in _bands(lines, upright):
            kept.append((band, _crossings(gray[band], level, rule[band], lines[band], upright)))
    for band, keep in kept:
        rule[band] = cv2.subtract(rule[band], keep)
    return rule


# A letter stroke crosses a rule where there is ink on both sides of it within this many
# px of each rule pixel: a rule up to 5 px thick, its fringe and a pixel of slack.
_CROSS_REACH = 7


def _bands(lines: np.ndarray, vertical: bool) -> list[tuple[slice, slice]]:
    """The runs of rows (columns) that hold a line, widened to see past it either side."""
    reach = _CROSS_REACH + 2
    sums = cv2.reduce(lines, 0 if vertical else 1, cv2.REDUCE_SUM, dtype=cv2.CV_32S)
    held = np.concatenate(([False], sums.ravel() > 0, [False]))  # (a max reduction: ~40x slower)
    edges = np.flatnonzero(np.diff(held))
    runs: list[list[int]] = []
    for first, end in zip(edges[::2] - reach, edges[1::2] + reach, strict=True):
        if runs and first <= runs[-1][1]:
            runs[-1][1] = end  # it overlaps the run before
        else:
            runs.append([max(0, first), end])
    return [_band(start, stop, vertical) for start, stop in runs]


def _band(start: int, stop: int, vertical: bool) -> tuple[slice, slice]:
    return (slice(None), slice(start, stop)) if vertical else (slice(start, stop), slice(None))


def _crossings(
    gray: np.ndarray, level: float, rule: np.ndarray, lines: np.ndarray, vertical: bool
) -> np.ndarray:
    """The pixels of a rule where a letter's stroke crosses it, to be kept (in one band).

    A fold or a scanner streak runs through a line of text, and a descender through an
    underline: painting the whole rule white cut the letters in two and they read as junk.
    Where ink other than the rule lies just above and just below a horizontal rule (left
    and right of a vertical one), that part of the rule is a stroke.
    """
    n = _CROSS_REACH + 1
    # Ink to the right and left of a vertical rule; below and above a horizontal one.
    side = np.ones((1, n) if vertical else (n, 1), np.uint8)
    ends = ((0, 0), (n - 1, 0)) if vertical else ((0, 0), (0, n - 1))
    _, ink = cv2.threshold(gray, level, 255, cv2.THRESH_BINARY_INV)
    off = cv2.subtract(ink, rule)
    one, other = (cv2.dilate(off, side, anchor=end) for end in ends)
    stroke = cv2.bitwise_and(one, other)
    return cv2.bitwise_and(cv2.dilate(lines, np.ones((3, 3), np.uint8)), stroke)


def clear_border(gray: np.ndarray) -> np.ndarray:
    """White out dark marks that touch the image edge: scanner shadows, copier edges.

    A photocopy's dark edge spans every row, which hides the gaps between lines and
    columns from layout analysis; page text never touches the edge of a full-page scan.
    A thin line that runs to the edge (a fold, a scanner streak, a copier's edge line) is
    taken alone, and the strokes that cross it stay: labelled with the letters it crosses,
    it took them all with it (a fold through a line of text erased that line).
    """
    half = cv2.resize(gray, None, fx=0.5, fy=0.5, interpolation=cv2.INTER_AREA)
    _, bw = cv2.threshold(half, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    blobs, longest = _touching_edge(bw)  # (when nothing touches the edge, no labelling)
    lines: np.ndarray = np.zeros_like(bw)
    horizontal, vertical = lines, lines
    if longest >= min(bw.shape) // 10:  # it may hold a line: take the lines out and look again
        horizontal, vertical = _thin_long_lines(bw)
        both = cv2.bitwise_or(horizontal, vertical)
        if cv2.countNonZero(cv2.bitwise_and(blobs, both)):
            blobs, _ = _touching_edge(cv2.subtract(bw, both))
            # A copier's edge line may stand a few px in, where the paper's edge was.
            lines, _ = _touching_edge(both, _THIN_LINE)
    if not (cv2.countNonZero(blobs) or cv2.countNonZero(lines)):
        return gray
    size = (gray.shape[1], gray.shape[0])
    full = lambda m: cv2.resize(m, size, interpolation=cv2.INTER_NEAREST)  # noqa: E731
    mask = full(cv2.dilate(blobs, np.ones((3, 3), np.uint8)))
    if cv2.countNonZero(lines):
        edge_lines = (full(horizontal & lines), full(vertical & lines))
        mask = cv2.bitwise_or(mask, _rule_mask(gray, edge_lines))
    return paint_paper(gray, mask)


# A line in `clear_border` (half resolution): over a tenth of the page long, thinner than
# this (px; 1.5 mm at 300 dpi). A copier's dark edge or a shadow is thicker.
_THIN_LINE = 9


def _thin_long_lines(bw: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Masks of the thin horizontal and vertical lines over a tenth of the page long."""
    h, w = bw.shape
    out = []
    for along, across in (((1, max(1, w // 10)), (_THIN_LINE, 1)),
                          ((max(1, h // 10), 1), (1, _THIN_LINE))):  # fmt: skip
        line = cv2.morphologyEx(bw, cv2.MORPH_OPEN, np.ones(along, np.uint8))
        thick = cv2.morphologyEx(line, cv2.MORPH_OPEN, np.ones(across, np.uint8))
        out.append(cv2.subtract(line, cv2.dilate(thick, np.ones((3, 3), np.uint8))))
    return out[0], out[1]


def _touching_edge(bw: np.ndarray, margin: int = 0) -> tuple[np.ndarray, int]:
    """The ink pieces of a 0/255 mask within `margin` px of its edge.

    Returned as a 0/255 mask, with the longest side of their boxes.
    """
    h, w = bw.shape
    m = margin + 1
    if not (bw[:m].any() or bw[-m:].any() or bw[:, :m].any() or bw[:, -m:].any()):
        return np.zeros_like(bw), 0
    n, labels, stats, _ = components(bw)
    x, y = stats[:, cv2.CC_STAT_LEFT], stats[:, cv2.CC_STAT_TOP]
    right = x + stats[:, cv2.CC_STAT_WIDTH]
    bottom = y + stats[:, cv2.CC_STAT_HEIGHT]
    touching = (x <= margin) | (y <= margin) | (right >= w - margin) | (bottom >= h - margin)
    touching[0] = False
    sides = np.maximum(stats[:, cv2.CC_STAT_WIDTH], stats[:, cv2.CC_STAT_HEIGHT])
    longest = int(sides[touching].max()) if touching.any() else 0
    return component_mask(labels, touching), longest
