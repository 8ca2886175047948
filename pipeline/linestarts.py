"""List numbers Tesseract left out at the start of a line, found in the ink and read again.

In a numbered list ("1. Họ, chữ đệm và tên: …", "2. Ngày, tháng, năm sinh: …") Tesseract's
layout analysis can drop a one-digit number at the left edge of a block and keep only its
full stop, or nothing (a residence confirmation photographed upside down lost "1." to
"8." and kept "9." to "13."). Read alone with the line's first word, the number comes
back. Ink no word box covers, of letter size, just left of a line's first word is read
again with that word and the next (psm 7); what the reading puts before them is kept only
when it is a list marker ("2.", "b)", "IV.", "(3)"), so a speck, a seal's edge or a
signature's tail left of a line adds nothing.
"""

from __future__ import annotations

import logging
import re
from dataclasses import replace

import cv2
import numpy as np

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
from ocr_models.vietnamese import fold
from pipeline.lostlines import ReadRegion, ink_threshold, word_overlap
from pipeline.marklines import MARGIN_PX
from pipeline.preprocess import components

log = logging.getLogger(__name__)

_LINE_PSM = 7
# Uncovered ink up to this many letter heights left of the line's first word ...
_REACH = 3.0
# ... ending at most this many letter heights before it (a marker's gap to its text) ...
_GAP = 1.5
# ... in blobs this tall for the letter height (a digit or a letter, not a speck, not a
# seal ring or a signature) ...
_BLOB_HEIGHT = (0.5, 1.4)
# ... is read again, with the band widened by this share of the letter height (its marks).
_BAND = 0.35
# The crop ends this share of a letter height past a word (short of the next).
_END = 0.1
# A list marker: a number, a letter or a Roman numeral with its full stop or bracket.
# (A number's full stop read as a comma, "5, Dân tộc", is a full stop: no line of a
# Vietnamese paper starts with a number and a comma.)
_MARKER = re.compile(r"^(\d{1,3}[.),]|[a-zđ][.)]|[IVXL]{1,5}[.)]|\(\d{1,3}\)|\([a-zđ]\))$")
_MARKER_CONF = 0.6
# A word read down a column that covers this share of a marker read again is that marker.
_SAME_WORD = 0.5
_PUNCTUATION = re.compile(r"^\W+$")


def recover_line_starts(
    out: OcrOutput, image: np.ndarray, dpi: int, engine: OcrEngine, read: ReadRegion
) -> OcrOutput:
    """The region's reading with a list number left out at a line's start put back.

    `image` is the padded region the word boxes refer to; `read` reads a crop as
    `read_region` does (word boxes refer to the crop padded by MARGIN_PX).
    """
    if not out.words:
        return out
    threshold = ink_threshold(image)
    lines = word_lines(out.words)
    # Tesseract reads a column of list numbers it took for a block apart as a "line" down
    # the page ("r>", "CƠI", "Œ" over "4.", "5.", "6."): such words cover no line's start.
    down = [_read_down(line) for line in lines]
    across = [w for line, d in zip(lines, down, strict=True) if not d for w in line]
    markers: list[OcrWord] = []
    for n, line in enumerate(lines):
        box = None if down[n] else _lost_start(line, across, image, threshold)
        marker = None if box is None else _read_marker(line, box, image, dpi, engine, read)
        if marker is not None:
            first = marker.left + marker.width
            # A full stop read alone where the number was belongs to the number.
            kept = [w for w in line if not (_PUNCTUATION.match(w.text) and w.left < first)]
            lines[n] = [marker, *kept]
            markers.append(marker)
    if not markers:
        return out
    lines = [
        [w for w in line if not any(word_overlap(w, m) > _SAME_WORD for m in markers)]
        if d
        else line
        for line, d in zip(lines, down, strict=True)
    ]
    return join_words([w for ws in lines for w in ws])


def _read_down(line: list[OcrWord]) -> bool:
    """True when a line's words lie one under another, not side by side."""
    middles = [w.top + w.height / 2 for w in line]
    return max(middles) - min(middles) > max(w.height for w in line)


def _letters(text: str) -> str:
    """A word's letters and digits without their marks, in lower case."""
    return re.sub(r"\W", "", fold(text).lower())


def _first_word(line: list[OcrWord]) -> OcrWord | None:
    """The line's first word of letters or digits (a full stop read alone is none)."""
    return next((w for w in line if not _PUNCTUATION.match(w.text)), None)


def _lost_start(
    line: list[OcrWord], words: list[OcrWord], image: np.ndarray, threshold: float
) -> tuple[int, int, int, int] | None:
    """Box (x0, y0, x1, y1) from uncovered ink left of the line to its second word's end."""
    first = _first_word(line)
    if first is None:
        return None
    h = first.height
    pad = int(_BAND * h)
    y0, y1 = max(0, first.top - pad), min(image.shape[0], first.top + first.height + pad)
    x0 = max(0, first.left - int(_REACH * h))
    window = np.where(image[y0:y1, x0 : first.left] < threshold, 255, 0).astype(np.uint8)
    if not window.size or not window.any():
        return None
    for w in words:  # ink read already, this line's full stop among it, is no lost start
        cv2.rectangle(
            window, (w.left - x0, w.top - y0), (w.left + w.width - x0, w.top + w.height - y0),
            0, -1,
        )  # fmt: skip
    _n, _labels, stats, _ = components(window)
    heights = stats[1:, cv2.CC_STAT_HEIGHT]
    letters = stats[1:][(heights >= _BLOB_HEIGHT[0] * h) & (heights <= _BLOB_HEIGHT[1] * h)]
    if not len(letters):
        return None
    left = int(letters[:, cv2.CC_STAT_LEFT].min())
    right = int((letters[:, cv2.CC_STAT_LEFT] + letters[:, cv2.CC_STAT_WIDTH]).max())
    if first.left - (x0 + right) > _GAP * h:
        return None
    # The crop takes in the word after the first too: a short word read alone with a
    # number before it reads poorly ("1. Họ," read "1, HỤ," at 0.0).
    last = line[min(line.index(first) + 1, len(line) - 1)]
    end = last.left + last.width + max(2, int(_END * h))
    return max(0, x0 + left - pad), y0, min(image.shape[1], end), y1


def _read_marker(
    line: list[OcrWord],
    box: tuple[int, int, int, int],
    image: np.ndarray,
    dpi: int,
    engine: OcrEngine,
    read: ReadRegion,
) -> OcrWord | None:
    """The list marker read before the line's first word in `box`, on the page; else None."""
    first = _first_word(line)
    assert first is not None
    x0, y0, x1, y1 = box
    try:
        again = read(image[y0:y1, x0:x1], dpi, engine, _LINE_PSM)
    except (EngineTimeout, EngineFailure) as e:
        log.info("reading a line's start again failed: %s", e)
        return None
    texts = [_letters(w.text) for w in again.words]
    if not 2 <= len(texts) <= 3 or texts[1] != _letters(first.text):
        return None  # not the lost marker and the word read before
    marker = again.words[0]
    if not _MARKER.match(marker.text) or marker.confidence < _MARKER_CONF:
        return None
    if marker.text.endswith(","):
        marker = replace(marker, text=marker.text[:-1] + ".")
    return moved([marker], x0 - MARGIN_PX, y0 - MARGIN_PX, first.line)[0]
