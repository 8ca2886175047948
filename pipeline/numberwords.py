"""Numbers Tesseract read with little confidence, read again alone.

Inside a line, a date or a number can come out mangled while the words around it read
well: on a fax of a household book, "25/03/1974" read "25031974" (confidence 0.0),
"11/01/2010" read "1012010" (0.37), "13/09/1997" read "13991997" (0.47). Read alone on
one line (psm 7), the same ink reads "25/03/1974" at 0.94. Such numbers are the fields
officers search by (birth dates, ID numbers), so a doubtful one is read again, and the
new reading replaces it only when it is one number: a real date with the same digits but
one, or a confident number that keeps its separators. A word read worse, or a speck
beside it read as a letter, changes nothing; a date read well-formed is not read again.
"""

from __future__ import annotations

import logging
import re

import numpy as np
from rapidfuzz.distance import Levenshtein

from ocr_models.engines import (
    EngineFailure,
    EngineTimeout,
    OcrEngine,
    OcrOutput,
    OcrWord,
    join_words,
    moved,
    word_lines,
)
from pipeline.lostlines import ReadRegion, ink_threshold
from pipeline.marklines import MARGIN_PX

log = logging.getLogger(__name__)

_LINE_PSM = 7
# A word is doubtful below this confidence ...
_DOUBT = 0.5
# ... and a number when it has this many digits and they are most of its letters.
_MIN_DIGITS = 4
_DIGIT_SHARE = 0.6
# The crop reaches this share of the letter height around the word's box (a digit the box
# left out, the marks above) but stops halfway to the line's next and previous words.
_PAD = 0.5
# The new reading is kept when every word of it is this confident ...
_SURE = 0.8
# ... its pieces are this close (a date read "13/09/1 997" is one number) ...
_GAP = 0.6
# ... and it is a number: digits with the separators of dates, codes and amounts.
_NUMBER = re.compile(r"^\d[\d/.,:\-]*\d$")
# Tesseract's confidence in a date it reads right can be anything (0.0 for "25/03/1974"
# read alone): a well-formed date whose digits are the doubtful word's, but for one,
# is taken whatever its confidence.
_DATE = re.compile(r"^(\d{2})/(\d{2})/(\d{4})$")
_DATE_DIGITS_OFF = 1
_PARTS = re.compile(r"^(\W*)(.*?)(\W*)$", re.S)


def reread_numbers(
    out: OcrOutput, image: np.ndarray, dpi: int, engine: OcrEngine, read: ReadRegion
) -> OcrOutput:
    """The region's reading with its doubtful numbers read again one by one.

    `image` is the padded region the word boxes refer to; `read` reads a crop as
    `read_region` does (word boxes refer to the crop padded by MARGIN_PX).
    """
    if not any(_doubtful_number(w) for w in out.words):
        return out  # most regions: no threshold, no line cut
    changed = False
    threshold = ink_threshold(image)
    lines = word_lines(out.words)
    for line in lines:
        for i, w in enumerate(line):
            if not _doubtful_number(w):
                continue
            again = _read_alone(line, i, image, threshold, dpi, engine, read)
            if again is not None and again.text != w.text:
                log.debug("number read again: %r (%.2f) -> %r", w.text, w.confidence, again.text)
                line[i] = again
                changed = True
    return join_words([w for line in lines for w in line]) if changed else out


def _doubtful_number(w: OcrWord) -> bool:
    """A number read below _DOUBT, not already a well-formed date."""
    digits = sum(c.isdigit() for c in w.text)
    letters = sum(c.isalnum() for c in w.text)
    return (
        w.confidence < _DOUBT
        and digits >= _MIN_DIGITS
        and digits >= _DIGIT_SHARE * letters
        and not _DATE.match(_parts(w.text)[1])
    )


def _read_alone(
    line: list[OcrWord],
    i: int,
    image: np.ndarray,
    threshold: float,
    dpi: int,
    engine: OcrEngine,
    read: ReadRegion,
) -> OcrWord | None:
    """Line `line`'s word `i` read alone, when that reads as a better number."""
    w = line[i]
    pad = int(_PAD * w.height)
    x0, x1 = w.left - pad, w.left + w.width + pad
    if i > 0:
        prev = line[i - 1]
        x0 = max(x0, (prev.left + prev.width + w.left) // 2)
    if i + 1 < len(line):
        x1 = min(x1, (w.left + w.width + line[i + 1].left) // 2)
    x0, x1 = max(0, x0), min(image.shape[1], x1)
    y0, y1 = max(0, w.top - pad), min(image.shape[0], w.top + w.height + pad)
    crop = image[y0:y1, x0:x1]
    crop = np.where(crop < threshold, crop, 255).astype(np.uint8)
    try:
        again = read(crop, dpi, engine, _LINE_PSM).words
    except (EngineTimeout, EngineFailure) as e:
        log.info("reading a number again failed: %s", e)
        return None
    if not again:
        return None
    for a, b in zip(again, again[1:], strict=False):
        if b.left - (a.left + a.width) > _GAP * w.height:
            return None  # two things read, not one number
    text = "".join(a.text for a in again).replace("\u2044", "/")  # a fraction slash
    conf = min(a.confidence for a in again)
    # The number itself is compared; the word's own punctuation ("2015;") stays.
    core, (lead, was, trail) = _parts(text)[1], _parts(w.text)
    if not (conf >= _SURE and _number_for(core, was) or _date_for(core, was)):
        return None
    text = lead + core + trail
    placed = moved(again, x0 - MARGIN_PX, y0 - MARGIN_PX)  # back on the region
    left, top = min(a.left for a in placed), min(a.top for a in placed)
    right = max(a.left + a.width for a in placed)
    bottom = max(a.top + a.height for a in placed)
    return OcrWord(text, left, top, right - left, bottom - top, conf, w.line)


def _parts(text: str) -> tuple[str, str, str]:
    """A word's leading punctuation, its letters and digits, its trailing punctuation."""
    m = _PARTS.match(text)
    assert m is not None
    return m.group(1), m.group(2), m.group(3)


def _number_for(text: str, doubtful: str) -> bool:
    """True when `text` is a number that keeps as many separators as `doubtful` had.

    A letter in a doubtful number may be a separator read wrong ("24I45" for "24/45"):
    a reading that turns it into a digit ("24145") is not taken.
    """
    others = lambda s: sum(not c.isdigit() for c in s)  # noqa: E731
    return bool(_NUMBER.match(text)) and others(text) >= others(doubtful)


def real_date(text: str) -> bool:
    """True when `text` is a `dd/mm/yyyy` date that can be (day ≤ 31, month ≤ 12, 1800-2199)."""
    m = _DATE.match(text)
    if m is None:
        return False
    day, month, year = (int(g) for g in m.groups())
    return 1 <= day <= 31 and 1 <= month <= 12 and 1800 <= year <= 2199


def _date_for(text: str, doubtful: str) -> bool:
    """True when `text` is a real date with the digits of `doubtful`, but for one."""
    if not real_date(text) or _DATE.match(doubtful):
        return False
    digits = lambda s: "".join(c for c in s if c.isdigit())  # noqa: E731
    return Levenshtein.distance(digits(text), digits(doubtful)) <= _DATE_DIGITS_OFF
