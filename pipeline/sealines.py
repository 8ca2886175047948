"""Lines a seal ring runs into, read again alone.

A round seal is stamped over the left of the signature, and its ring often reaches the
signer's name under it or the title over it. Tesseract then takes the ring's arc and the
letters it touches for one word of junk, and the family name goes with it ("và mang Toàn"
for "Võ Trọng Toàn", "Nà Tuấn" for "Bùi Quang Tuấn", fax pages, where a seal cannot be
lifted by its tone). Read alone, in a crop only as tall as the line's sure words, most of
the ring is left out and the name comes back; read once more with the ring's line cut out
(`ringcut`: traced, strokes across it mended, the seal's own lettering dropped), a letter
the ring only touches is freed of it. A new reading replaces the line only when it holds
more readable words (`readable_weight`) and no fewer letters, so a line that reads no
better stays. Measured in docs/QUALITY.md ("Names under a seal's ring", "Seal rings
traced, not banded").
"""

from __future__ import annotations

import logging

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
from pipeline.ringcut import (
    Ring,
    cut_rings,
    drop_seal_lettering,
    rings_near,
    touches,
    trace,
)
from pipeline.wordcheck import alnum_count, readable_weight

log = logging.getLogger(__name__)

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
    rings = rings_near(list(boxes.values()), image, dpi)
    changed = False
    for i, box in boxes.items():
        near = [ring for ring in rings if touches(box, ring, _NEAR)]
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
    cut = cut_rings(crop, left, top, [trace(image, ring) for ring in rings])
    cut = drop_seal_lettering(cut, crop, left, top, rings, height)
    for candidate in (crop, cut):
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
