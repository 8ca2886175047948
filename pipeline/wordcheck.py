"""Word readings checked against the ink in their boxes.

Tesseract's language model fills in what the page does not show: a speck becomes "_" or
"ˆ", a full stop follows "TP", "III" in a serif face loses a stroke. Each check here looks
at the pixels of one word's box (in the image the words were read from) and changes the
reading only where the ink contradicts it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import replace

import cv2
import numpy as np

from ocr_models.engines import OcrWord
from ocr_models.postcorrect import default_corrector
from pipeline.preprocess import components
from pipeline.specks import ink_runs

# A word without a letter or digit, smaller than this share of its line's word height
# both ways, is a speck read as "_", ":", "ˆ" or "|" (3x3 px against 44 px words on fax).
# A hyphen (a third of an em wide) and an ellipsis are wider; a stray full stop goes too.
_SPECK_SHARE = 0.25
# A hyphen or dash is only as thick as a stroke: only a very short one is taken for a speck
# (a list bullet "- Công dân;" is 10x3 px on a line of 42 px words).
_DASH_SPECK_SHARE = 0.15
_DASHES = frozenset("-–—")
# Roman numerals of touching serif I's ("III" in Times-like faces, which Decree 30 asks
# for) come back a stroke short, sometimes confidently ("báo động II", 0.94 and 0.01 on
# two clean pages): the stems in the word's box are counted. Only a count above the
# reading is taken; noise can bridge two stems, it does not split one.
_NUMERAL = re.compile(r"^(I{1,3})([.,;:)]?)$")
_MAX_STEMS = 4
# A capitalised syllable whose one vowel is an i read with a hook or a tilde: the mark may
# be the i's own dot. Tesseract's language model likes "Nghỉ", "Chỉ", "Đỉnh", "Tỉnh" (to
# rest, to point, a summit, a province) and "Tĩnh" for the names "Nghi Lộc", "Phạm Thị
# Chi", "Đinh Văn Việt", "Sơn Tinh", even on clean print.
_MARKED_I = re.compile(
    r"^(Ngh|Ch|Gh|Kh|Ng|Nh|Ph|Th|Tr|[BCDĐGHKLMNPRSTVX])[ỉĩ](nh|ch|ng|n|m|p|t|c|u)?$"
)
_PLAIN_I = str.maketrans("ỉĩ", "ii")
# A dot is solid: the widest disc inside it spans nearly its narrow side (a hook's or a
# tilde's stroke spans half of it or less), its box is about square, it is about as wide
# as the letters' strokes or wider, and a letter's stem starts right under it (a leader
# dot of the line above, caught in a tall box, is none). Printed in Liberation Serif and
# Sans, regular and bold, at 30-56 px, dots span 0.93-1.33 of their narrow side and hooks
# 0.5-0.7; bold Sans prints its dots 4:3.
_DOT_ROUNDNESS = 0.85
_DOT_ASPECT = 1.4
_DOT_STROKE_SHARE = 0.75
_DOT_GAP = 2  # mark heights between the dot and the stem under it, at most
# Stripped from a token's ends before it is looked up as a syllable (`readable_weight`).
_EDGE_PUNCT = ".,;:!?()[]\"'“”‘’-–/"


def drop_specks(words: list[OcrWord]) -> list[OcrWord]:
    """Words without a letter or digit that are far smaller than the words of their line."""
    heights: dict[tuple[int, int, int], list[int]] = {}
    for w in words:
        if has_alnum(w.text):
            heights.setdefault(w.line, []).append(w.height)
    if not heights:
        return words
    region = float(np.median([h for line in heights.values() for h in line]))
    height = {key: float(np.median(line)) for key, line in heights.items()}

    def speck(w: OcrWord) -> bool:
        share = _DASH_SPECK_SHARE if set(w.text) <= _DASHES else _SPECK_SHARE
        return max(w.width, w.height) < share * height.get(w.line, region)

    return [w for w in words if has_alnum(w.text) or not speck(w)]


def drop_unseen_stops(words: list[OcrWord], image: np.ndarray) -> list[OcrWord]:
    """A full stop or colon after a word with no such mark printed there loses it.

    Tesseract's language model likes "TP." and "2026."; on a fax it makes a colon or a
    full stop of a speck beside a word ("của: gió", "giờ: sáng"). The ink says whether
    one follows: a small mark past the middle of the word's last letter, sitting on the
    word's baseline (the lower dot of a colon too). A speck halfway up the letters, or
    under the line, is none. A colon is only doubted before a lower-case word: a label's
    colon before a number or a name ("Số: 687/QĐ-UBND", its lower dot faded) stays. A line
    read down a page left sideways (Tesseract turns such lines itself) has no baseline in
    its boxes: its words are left as read.
    """
    out = []
    upright = _level_lines(words)
    for n, w in enumerate(words):
        if len(w.text) > 1 and w.text[-1] in ".:" and w.text[-2].isalnum() and w.line in upright:
            colon = w.text[-1] == ":"
            box = word_box(image, w)
            if (
                box.size
                and not (colon and not _lower_case_next(words, n))
                and not _stop_printed(box, colon)
            ):
                w = replace(w, text=w.text[:-1])
        out.append(w)
    return out


def _level_lines(words: list[OcrWord]) -> set[tuple[int, int, int]]:
    """The lines whose words lie wider than they stand tall (not read down the page)."""
    spans: dict[tuple[int, int, int], list[int]] = {}
    for w in words:
        box = spans.setdefault(w.line, [w.left, w.top, w.left + w.width, w.top + w.height])
        box[:] = [min(box[0], w.left), min(box[1], w.top),
                  max(box[2], w.left + w.width), max(box[3], w.top + w.height)]  # fmt: skip
    return {line for line, (x0, y0, x1, y1) in spans.items() if x1 - x0 >= y1 - y0}


def _lower_case_next(words: list[OcrWord], n: int) -> bool:
    """True when the word after word `n` on its line starts with a lower-case letter."""
    later = words[n + 1] if n + 1 < len(words) else None
    return later is not None and later.line == words[n].line and later.text[:1].islower()


# Two lower-case syllables joined by a hyphen ("nguy-cơ"): real text writes some so
# ("ki-lô-gam"), a fax speck between two words reads so too.
_HYPHENED = re.compile(r"^([^\W\d_]+)-([^\W\d_]+)([.,;:]?)$")
# A printed hyphen is at least 1.6 times as wide as it is thick (1.6-7 over the 34
# installed Liberation, DejaVu and Noto faces at 30 and 60 px; 1.6 is DejaVu Sans
# Condensed Bold Oblique); a speck of salt is about round.
_HYPHEN_ASPECT = 1.4


def speck_hyphens(
    words: list[OcrWord], image: np.ndarray, is_valid: Callable[[str], bool]
) -> list[OcrWord]:
    """Two syllables joined by a hyphen that is a speck on the page are two words again.

    Only where both halves are lower-case syllables and the word's box holds, between its
    baseline and the top of its small letters, a mark as small as a speck and none as
    wide as a hyphen (a hyphen worn into bits, or none found, keeps the reading).
    """
    out = []
    upright = _level_lines(words)
    for w in words:
        m = _HYPHENED.match(w.text)
        if (
            m
            and w.line in upright
            and all(part.islower() and is_valid(part) for part in m.group(1, 2))
            and _speck_not_hyphen(word_box(image, w))
        ):
            w = replace(w, text=f"{m[1]} {m[2]}{m[3]}")
        out.append(w)
    return out


def _speck_not_hyphen(box: np.ndarray) -> bool:
    """True when the box's only marks halfway up its small letters are speck-shaped."""
    found = _letters(box) if box.size else None
    if found is None:
        return False
    stats, tall, base, x_height = found
    if x_height < _STOP_MIN_X_HEIGHT:
        return False
    top, height = stats[:, cv2.CC_STAT_TOP], stats[:, cv2.CC_STAT_HEIGHT]
    rise = (base - top - height / 2) / x_height  # of each mark's middle
    middle = ~tall & (rise >= 0.2) & (rise <= 0.8) & (height <= 0.3 * x_height)
    if not middle.any():
        return False
    return not bool((middle & (stats[:, cv2.CC_STAT_WIDTH] >= _HYPHEN_ASPECT * height)).any())


def word_box(image: np.ndarray, w: OcrWord) -> np.ndarray:
    """The pixels of a word's box."""
    return image[w.top : w.top + w.height, w.left : w.left + w.width]


def box_ink(box: np.ndarray) -> np.ndarray:
    """A word box's ink (255) on white (0), at the box's own Otsu threshold."""
    _, ink = cv2.threshold(box, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    return ink


# How far from the baseline a full stop's (or a colon's lower dot's) bottom may sit, in
# heights of the letters standing on it: above it, and below it. On 108 prose pages (seeds
# 404-418, every capture kind) each of the 808 stops and colons the truth has had a mark
# within 0.15 above and 0.25 below; 14 of the 36 the truth lacks (fax and archive-TIFF
# specks) had none within 0.2 above and 0.3 below, the farthest 0.75 above, 0.91 below.
_STOP_ABOVE = 0.2
_STOP_BELOW = 0.3
# Judged only where those letters are 24 px tall or more (body text at ~300 dpi): on an
# ID card's small print (11-20 px) a colon's dots and the letters' bottoms wobble by as
# much as the tolerance (15 printed stops and colons of six form sets, card labels
# mostly, had none near the baseline); and only where the box stands 1.15 such heights
# or more (a letter reaches above or below the rest), or that height may be a capital's.
_STOP_MIN_X_HEIGHT = 24
_STOP_TALLER = 1.15


def _stop_printed(box: np.ndarray, colon: bool) -> bool:
    """True when a small mark past the last letter's middle could be the stop read there.

    It must lie in the lower half of the box; where the print is large enough to tell, its
    bottom must sit on the word's baseline (`_letters`). A colon on small print is kept.
    """
    found = _letters(box)
    if found is None:
        return True  # no letter to go by: keep the reading
    stats, tall, base, x_height = found
    top, height = stats[:, cv2.CC_STAT_TOP], stats[:, cv2.CC_STAT_HEIGHT]
    left = stats[:, cv2.CC_STAT_LEFT]
    right = left + stats[:, cv2.CC_STAT_WIDTH]
    last = np.flatnonzero(tall)[np.argmax(right[tall])]
    # Past the middle of the last letter: "V." and "T." overhang their full stop.
    low = ~tall & (top + height / 2 > box.shape[0] / 2) & (left >= (left[last] + right[last]) / 2)
    if x_height < _STOP_MIN_X_HEIGHT or box.shape[0] < _STOP_TALLER * x_height:
        return colon or bool(low.any())  # small print, or no letter taller: cannot tell
    rise = (base - top - height) / x_height
    return bool((low & (rise <= _STOP_ABOVE) & (rise >= -_STOP_BELOW)).any())


def _letters(box: np.ndarray) -> tuple[np.ndarray, np.ndarray, int, float] | None:
    """A word box's blobs, which are letters, its baseline and its letters' height.

    Blobs are `cv2` component stats rows (the paper left out); letters are those 0.4 of
    the box tall or more. The baseline is the highest bottom of the letters (descenders
    reach lower; a letter broken in two only raises it, keeping more marks); the height
    is the median of the letters whose bottom is within 2 px of it. None with no letter.
    """
    _, _, stats, _ = components(box_ink(box))
    stats = stats[1:]
    top, height = stats[:, cv2.CC_STAT_TOP], stats[:, cv2.CC_STAT_HEIGHT]
    tall = height >= 0.4 * box.shape[0]
    if not tall.any():
        return None
    bottom = top + height
    base = int(bottom[tall].min())
    return stats, tall, base, float(np.median(height[tall & (bottom - base <= 2)]))


def dots_read_as_hooks(words: list[OcrWord], image: np.ndarray) -> list[OcrWord]:
    """A capitalised syllable read with a hook or tilde over its i loses it over a dot.

    Only capitalised words: lower-case ones ("chỉ", "tỉnh") are left to the context repair,
    and on phone photos and 150 dpi scans a real hook blurs into a blob a dot's shape.
    """
    out = []
    for w in words:
        core = w.text.strip(_EDGE_PUNCT)
        if _MARKED_I.match(core) and _mark_is_dot(word_box(image, w)):
            w = replace(w, text=w.text.translate(_PLAIN_I))
        out.append(w)
    return out


def _mark_is_dot(box: np.ndarray) -> bool:
    """True when the one mark above the middle of a word box is a round dot."""
    if box.size == 0:
        return False
    ink = box_ink(box)
    _, labels, stats, _ = components(ink)
    bottom = stats[1:, cv2.CC_STAT_TOP] + stats[1:, cv2.CC_STAT_HEIGHT]
    marks = np.flatnonzero((bottom <= box.shape[0] / 2) & (stats[1:, cv2.CC_STAT_AREA] >= 2))
    if len(marks) != 1:
        return False  # no mark, or specks beside it: no telling
    label = int(marks[0]) + 1
    x, y, w, h = (int(v) for v in stats[label, :4])
    mark = np.pad((labels[y : y + h, x : x + w] == label).astype(np.uint8), 1)
    widest = 2 * float(cv2.distanceTransform(mark, cv2.DIST_L2, 5).max())
    below = labels[y + h :, x : x + w]
    rows = np.flatnonzero(((below > 0) & (below != label)).any(axis=1))
    return (
        widest >= _DOT_ROUNDNESS * min(w, h)
        and max(w, h) <= _DOT_ASPECT * min(w, h)
        and w >= _DOT_STROKE_SHARE * _stroke_width(ink)
        and rows.size > 0
        and rows[0] <= _DOT_GAP * h  # right over a letter: no leader dot of the line above
    )


def _stroke_width(ink: np.ndarray) -> float:
    """The median run of ink along the rows of a word box's lower middle (its stems)."""
    h = ink.shape[0]
    runs = ink_runs(ink[h // 2 : max(3 * h // 4, h // 2 + 1)])
    return float(np.median(runs)) if runs.size else 0.0


def recount_numerals(words: list[OcrWord], image: np.ndarray) -> list[OcrWord]:
    """I, II, III read with fewer I's than the box has stems get one I per stem."""
    out = []
    for w in words:
        m = _NUMERAL.match(w.text)
        if m:
            stems = count_stems(word_box(image, w))
            if len(m.group(1)) < stems <= _MAX_STEMS:
                w = replace(w, text="I" * stems + m.group(2))
        out.append(w)
    return out


def count_stems(box: np.ndarray) -> int:
    """Vertical strokes through the middle third of a word box (0 when empty).

    A stroke is a run of at least two columns inked over 80 % of that band: a speck or a
    ragged edge is none.
    """
    if box.size == 0:
        return 0
    ink = box_ink(box)
    h = ink.shape[0]
    band = ink[h // 3 : max(2 * h // 3, h // 3 + 1)] > 0
    solid = np.concatenate(([0], (band.mean(axis=0) >= 0.8).astype(np.int8), [0]))
    edges = np.flatnonzero(np.diff(solid))
    widths = edges[1::2] - edges[::2]
    return int(np.count_nonzero(widths >= 2))


def has_alnum(text: str) -> bool:
    """True when the text holds a letter or digit; a modifier letter ("ˆ") is a mark."""
    return any(is_alnum(c) for c in text)


def alnum_count(text: str) -> int:
    """How many letters and digits the text holds (marks and signs not counted)."""
    return sum(is_alnum(c) for c in text)


def is_alnum(char: str) -> bool:
    """True for a letter (not a modifier letter) or a digit."""
    return char.isdigit() or unicodedata.category(char) in ("Lu", "Ll", "Lt", "Lo")


def readable_weight(words: list[OcrWord]) -> float:
    """How much of a reading is words: confidences summed over syllables and numbers.

    Two readings of one page the right and the wrong way round are compared by this, not by
    their mean confidence: a blurred ID card read upright (96 words at 0.28, most of them
    real) lost to its reading turned over (23 junk words at 0.30) and its text to junk.
    Without the syllable list every word counts.
    """
    corrector = default_corrector()
    total = 0.0
    for w in words:
        for token in w.text.split():
            token = token.strip(_EDGE_PUNCT)
            if token.isdigit() or (
                token and (not corrector.syllables or corrector.is_valid(token))
            ):
                total += w.confidence
    return total
