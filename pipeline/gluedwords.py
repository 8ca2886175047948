"""Words Tesseract ran together, read again on their own.

In a table row or a bold header cell the recogniser can leave out the space between two
words, and often a tone mark with it: "Giớitinh" for "Giới tính", "Quanhệvới",
"Giấytờtùythân" (a clean household book, archive TIFFs). Such a reading is no Vietnamese
syllable and its box has a gap as wide as a space in it. The box is read again alone as
one line (psm 7), where the recogniser sees the space; the new reading is kept only when
it is two or more syllables, all valid, with the same letters (marks aside, one slip
allowed) — so a name missing from the syllable list ("Duẩn"), a code or an English word
stays as it was read.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

import numpy as np
from rapidfuzz.distance import Levenshtein

from ocr_models.engines import EngineFailure, EngineTimeout, OcrEngine, OcrWord, moved
from ocr_models.vietnamese import fold
from pipeline.marklines import MARGIN_PX, padded
from pipeline.wordcheck import box_ink, word_box

log = logging.getLogger(__name__)

_SINGLE_LINE_PSM = 7
_MIN_LETTERS = 4
# A space between two words of a glued reading measured 0.14-0.41 of the box height on
# four pages; the gap between two letters of one word is mostly under 0.12 (a few wide
# letter pairs reach more, which the re-read then leaves alone).
_GAP_SHARE = 0.12
_EDGE_PUNCTUATION = ".,:;!?()\"'“”‘’…-"


def split_glued(
    words: list[OcrWord],
    image: np.ndarray,
    dpi: int,
    engine: OcrEngine,
    is_syllable: Callable[[str], bool],
) -> list[OcrWord]:
    """Words of a region with each glued reading replaced by its words, where one is found.

    `image` is the one the words were read from (their boxes refer to it).
    """
    out: list[OcrWord] = []
    changed = False
    for w in words:
        parts = (
            _read_apart(w, image, dpi, engine, is_syllable)
            if _glued(w, image, is_syllable)
            else None
        )
        if parts:
            out.extend(parts)
            changed = True
        else:
            out.append(w)
    return out if changed else words


def _letters(text: str) -> str:
    return "".join(c for c in text if c.isalpha())


def _glued(w: OcrWord, image: np.ndarray, is_syllable: Callable[[str], bool]) -> bool:
    """True for an invalid Vietnamese reading whose box has a space-wide gap inside."""
    core = w.text.strip(_EDGE_PUNCTUATION)
    if len(core) < _MIN_LETTERS or not core.isalpha() or core.isascii() or is_syllable(core):
        return False
    return _widest_gap(word_box(image, w)) >= _GAP_SHARE * w.height


def _widest_gap(box: np.ndarray) -> int:
    """The widest run of blank columns between the first and last inked column."""
    if box.size == 0:
        return 0
    ink = box_ink(box)
    cols = np.flatnonzero(ink.any(axis=0))
    if cols.size < 2:
        return 0
    return int(np.diff(cols).max()) - 1


def _read_apart(
    w: OcrWord,
    image: np.ndarray,
    dpi: int,
    engine: OcrEngine,
    is_syllable: Callable[[str], bool],
) -> list[OcrWord] | None:
    """The word's box read alone as a line; its words if they are the same letters, split."""
    try:
        again = engine.recognize(padded(word_box(image, w)), dpi=dpi, psm=_SINGLE_LINE_PSM)
    except (EngineTimeout, EngineFailure) as e:
        log.info("reading a glued word again failed: %s", e)
        return None
    parts = [p for p in again.words if p.text.strip()]
    cores = [p.text.strip(_EDGE_PUNCTUATION) for p in parts]
    if len(parts) < 2 or not all(c.isalpha() and is_syllable(c) for c in cores):
        return None
    before, after = fold(_letters(w.text)).lower(), fold(_letters("".join(cores))).lower()
    if Levenshtein.distance(before, after) > 1:
        return None
    return moved(parts, w.left - MARGIN_PX, w.top - MARGIN_PX, w.line)
