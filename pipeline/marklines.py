"""Lines read again when Tesseract left their tone marks out.

Two ways marks go missing on bold titles and capital headings:

- the marks are found as a "line" of their own, of debris ("Tế .ơ z ~" over "Xuât khâu
  gạo 10 thang"): the two are read again as one line; when that reads no better and the
  line below has its marks already (read right, the debris a second reading of them), the
  debris goes into the boxes of the words under it;
- capitals are read with no marks at all, the marks above them taken for the line above's
  descenders ("BÊN ỦY QUYỀN" → "BEN UY QUYEN", at 0.92 confidence): the line is read again
  with the band above it, and the marks found are put on the bare capitals.
"""

from __future__ import annotations

import logging
import unicodedata
from dataclasses import replace

import cv2
import numpy as np

from ocr_models.engines import (
    EngineFailure,
    EngineTimeout,
    OcrEngine,
    OcrOutput,
    OcrWord,
    moved,
    word_lines,
)
from ocr_models.postcorrect import default_corrector
from ocr_models.vietnamese import canonicalize, fold
from pipeline.preprocess import components
from pipeline.wordcheck import alnum_count

log = logging.getLogger(__name__)

MARGIN_PX = 32
# A "line" of words under this share of the next line's height that touches it from above
# is that line's tone marks, cut off by Tesseract's line finder.
_MARK_LINE_SHARE = 0.6
_MARK_LINE_LETTERS = 2
_SINGLE_LINE_PSM = 7
# Tone marks over capitals sit within this share of the cap height above them.
_CAP_MARK_REACH = 0.45
# The reading with the marks may be this much less confident than the bare one.
_CAP_MARK_SLACK = 0.1
_PUNCTUATION = ".,:;!?()\"'“”‘’…-"
_RULE_CHARS = set("-‐–—―_|¬")


def padded(crop: np.ndarray) -> np.ndarray:
    """Tesseract misreads text that touches the image edge: give it a white margin."""
    m = MARGIN_PX
    return cv2.copyMakeBorder(crop, m, m, m, m, cv2.BORDER_CONSTANT, value=255)


def put_marks_back(
    words: list[OcrWord], image: np.ndarray, dpi: int, engine: OcrEngine
) -> list[OcrWord]:
    """Words of a region with the marks Tesseract left out of a line put back, where found."""
    lines = word_lines(words)
    out: list[list[OcrWord]] = []
    changed = False
    i = 0
    while i < len(lines):
        if i + 1 < len(lines) and _marks_over(lines[i], lines[i + 1]):
            merged = _reread_with_marks(lines[i], lines[i + 1], image, dpi, engine)
            if merged is not None:
                out.append(merged)
                changed = True
                i += 2
                continue
            if _marks_already_on(lines[i], lines[i + 1]):
                out.append(_absorbed(lines[i], lines[i + 1]))  # the line has its marks
                changed = True
                i += 2
                continue
        marked = _capitals_with_marks(lines[i], image, dpi, engine)
        out.append(marked or lines[i])
        changed = changed or marked is not None
        i += 1
    return [w for line in out for w in line] if changed else words


def capitals_in_lower_case(
    words: list[OcrWord], image: np.ndarray, dpi: int, engine: OcrEngine
) -> list[OcrWord]:
    """A word read in capitals between two lower-case words, in lower case where it is.

    Tesseract's language model sometimes sets one word of running text in capitals on a
    clean page (`giọng CÒN rụt rè`, 0.71): the word is read again alone (psm 7), and when
    that reading is its letters in lower case, it is lower case. Only a word whose letters
    make a syllable is checked (not `CCCD`, `QR`, `III`, which stay as read); a word in
    capitals meant so (`KHÔNG được tẩy xóa`) reads the same again and stays.
    """
    corrector = default_corrector()
    out = list(words)
    at = {id(w): k for k, w in enumerate(words)}
    for line in word_lines(words):
        for before, w, after in zip(line, line[1:], line[2:], strict=False):
            letters = w.text.strip(_PUNCTUATION)
            if not (
                len(letters) >= 2
                and letters.isalpha()
                and letters.isupper()
                and _lower_case_word(before.text)
                and _lower_case_word(after.text)
                and corrector.is_valid(letters)
            ):
                continue
            again = _read_box([w], image, dpi, engine)
            if again is None:
                continue
            read = again[0].text.strip().strip(_PUNCTUATION)
            if canonicalize(read) == canonicalize(letters.lower()):
                out[at[id(w)]] = replace(w, text=w.text.replace(letters, letters.lower()))
    return out


def _lower_case_word(text: str) -> bool:
    letters = text.strip(_PUNCTUATION)
    return letters.isalpha() and letters.islower()


def _marks_over(above: list[OcrWord], line: list[OcrWord]) -> bool:
    """True when `above` looks like the marks of `line` rather than a line of its own.

    Marks are much shorter than the line, touch it, lie within its width and read as
    debris of at most two letters or signs a word.
    """
    height = float(np.median([w.height for w in line]))
    if float(np.median([w.height for w in above])) >= _MARK_LINE_SHARE * height:
        return False
    letters = sum(alnum_count(w.text) for w in above)
    if letters > _MARK_LINE_LETTERS * len(above):
        return False  # words: a line of small print over a title ("Independence - Freedom")
    if max(w.top + w.height for w in above) < min(w.top for w in line) - 0.15 * height:
        return False
    left, right = min(w.left for w in line), max(w.left + w.width for w in line)
    return (
        min(w.left for w in above) >= left - height
        and max(w.left + w.width for w in above) <= right + height
    )


def _marks_already_on(marks: list[OcrWord], line: list[OcrWord]) -> bool:
    """True when the line under a mark "line" was read with its marks all the same.

    A bold title on a phone photo: "^ ~” ^ ^ ^«e ˆ" over "không thể tạo bộ mô tả nội bộ",
    read right at 0.97; reading the two as one line read no better. The debris is less
    sure than the line, and the line has a marked word for each piece of it.
    """
    if any(c in _RULE_CHARS for w in marks for c in w.text):
        return False  # a table's rule read as dashes over a row, not marks
    marked = sum(fold(w.text) != w.text for w in line)
    line_surer = float(np.mean([w.confidence for w in marks])) < float(
        np.mean([w.confidence for w in line])
    )
    return line_surer and marked >= len(marks)


def _absorbed(marks: list[OcrWord], line: list[OcrWord]) -> list[OcrWord]:
    """The line with each piece of mark debris taken into the box of the word under it.

    The text loses the debris; the ink stays covered by a word's box, so the lost-line
    search does not read it again as a line of its own.
    """
    out = list(line)
    for m in marks:
        centre = m.left + m.width / 2
        k = min(range(len(out)), key=lambda j: abs(out[j].left + out[j].width / 2 - centre))
        w = out[k]
        left, top = min(w.left, m.left), min(w.top, m.top)
        right = max(w.left + w.width, m.left + m.width)
        bottom = max(w.top + w.height, m.top + m.height)
        out[k] = OcrWord(w.text, left, top, right - left, bottom - top, w.confidence, w.line)
    return out


def _reread_with_marks(
    marks: list[OcrWord], line: list[OcrWord], image: np.ndarray, dpi: int, engine: OcrEngine
) -> list[OcrWord] | None:
    """The line and its mark "line" read as one; None when that reads no better."""
    read = _read_box(marks + line, image, dpi, engine)
    if read is None:
        return None
    out, dx, dy = read
    if not out.words or out.confidence <= float(np.mean([w.confidence for w in line])):
        return None
    return moved(out.words, dx, dy, line[0].line)


def _capitals_with_marks(
    line: list[OcrWord], image: np.ndarray, dpi: int, engine: OcrEngine
) -> list[OcrWord] | None:
    """The line with marks put on capitals read bare; None when none are found.

    The line is read again with the band above its capitals when there is ink in it. Only
    the bare capital words change, each to the word read at its place with the same letters
    (its boxes and the other words stay), and only when both readings have as many words
    and the second is not much less confident.
    """
    bare = [_is_bare_capital(w.text) for w in line]
    if not any(bare):
        return None
    cap = float(np.median([w.height for w, b in zip(line, bare, strict=True) if b]))
    reach = int(_CAP_MARK_REACH * cap)
    if not any(
        b and _marks_in(image[max(0, w.top - reach) : w.top - 1, w.left : w.left + w.width])
        for w, b in zip(line, bare, strict=True)
    ):
        return None  # nothing above the capitals: "VIỆT NAM" has no mark to find
    read = _read_box(line, image, dpi, engine, above=reach)
    if read is None:
        return None
    out = read[0]
    mean = float(np.mean([w.confidence for w in line]))
    if len(out.words) != len(line) or out.confidence < mean - _CAP_MARK_SLACK:
        return None
    fixed = [
        OcrWord(new.text, w.left, w.top, w.width, w.height, w.confidence, w.line)
        if w.text.isupper() and _adds_marks(w.text, new.text) else w
        for w, new in zip(line, out.words, strict=True)
    ]  # fmt: skip
    return fixed if fixed != line else None


def _is_bare_capital(text: str) -> bool:
    """A capital word of two or more letters with no mark: "BEN", "KET:" (also "NAM")."""
    core = text.strip(_PUNCTUATION)
    return len(core) >= 2 and core.isalpha() and core.isupper() and core == fold(core)


def _adds_marks(old: str, new: str) -> bool:
    """True when `new` is `old` with marks added: "BEN" → "BÊN", "NỌI" → "NỘI"."""
    if new == old or fold(new) != fold(old):
        return False
    rest = iter(unicodedata.normalize("NFD", new))
    return all(c in rest for c in unicodedata.normalize("NFD", old))  # a subsequence


def _marks_in(band: np.ndarray) -> bool:
    """True when the band over a word holds ink not hanging in from above (descenders)."""
    if not band.size or int(band.min()) >= 128:
        return False
    return int(_without_intruders(band, band.shape[0] + 1).min()) < 128


def _read_box(
    words: list[OcrWord], image: np.ndarray, dpi: int, engine: OcrEngine, above: int = 0
) -> tuple[OcrOutput, int, int] | None:
    """The words' box read as one line (psm 7) and its word boxes' offset; None on failure.

    When the engine fails the first reading stands. `above` widens the box upwards; ink
    reaching into the widened band from above its top edge (the line above's descenders)
    is whited out first.
    """
    pad = 4
    top = max(0, min(w.top for w in words) - pad - above)
    left = max(0, min(w.left for w in words) - pad)
    bottom = min(image.shape[0], max(w.top + w.height for w in words) + pad)
    right = min(image.shape[1], max(w.left + w.width for w in words) + pad)
    crop = image[top:bottom, left:right]
    if above:
        crop = _without_intruders(crop, above + pad)
    try:
        out = engine.recognize(padded(crop), dpi=dpi, psm=_SINGLE_LINE_PSM)
    except (EngineTimeout, EngineFailure) as e:
        log.info("re-reading a line for its marks failed: %s", e)
        return None
    return out, left - MARGIN_PX, top - MARGIN_PX


def _without_intruders(crop: np.ndarray, band: int) -> np.ndarray:
    """The crop with ink touching its top edge (within the top `band` rows) whited out."""
    _, ink = cv2.threshold(crop, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    n, labels, stats, _ = components(ink)
    touching = [
        i for i in range(1, n)
        if stats[i, cv2.CC_STAT_TOP] == 0 and stats[i, cv2.CC_STAT_HEIGHT] < band
    ]  # fmt: skip
    if not touching:
        return crop
    out = crop.copy()
    out[np.isin(labels, touching)] = 255
    return out
