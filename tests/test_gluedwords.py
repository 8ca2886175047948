"""Words Tesseract ran together, read again on their own (pipeline/gluedwords.py)."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont
from test_ocr import FONT, FakeEngine

from ocr_models.engines import EngineFailure, OcrOutput, OcrWord, TesserocrEngine
from ocr_models.postcorrect import default_corrector
from pipeline.gluedwords import split_glued

LINE = (7, 1, 1)


def _words_image(text: str) -> tuple[np.ndarray, OcrWord]:
    """`text` in 300 dpi print, and one word box around all of it, as a glued reading has."""
    img = Image.new("L", (900, 160), 255)
    ImageDraw.Draw(img).text((60, 40), text, font=ImageFont.truetype(FONT, 56), fill=0)
    page = np.asarray(img).copy()
    rows, cols = np.nonzero(page < 128)
    top, left = int(rows.min()), int(cols.min())
    box = (left, top, int(cols.max()) - left + 1, int(rows.max()) - top + 1)
    return page, OcrWord("", *box, 0.6, LINE)


def _syllables():
    corrector = default_corrector()
    if not corrector.syllables:
        pytest.skip("hunspell-vi is not installed")
    return corrector.is_valid


def test_a_glued_reading_is_read_again_and_split_into_its_words() -> None:
    image, box = _words_image("Giới tính")
    glued = OcrWord("Giớitinh", box.left, box.top, box.width, box.height, 0.6, LINE)
    before = OcrWord("Nam", 700, 60, 90, 50, 0.95, (7, 1, 2))
    out = split_glued([glued, before], image, 300, TesserocrEngine(), _syllables())
    assert [w.text for w in out] == ["Giới", "tính", "Nam"]
    giới, tính = out[:2]
    assert giới.line == tính.line == LINE
    # The new boxes lie in the glued one, side by side, in the image's coordinates.
    assert box.left - 4 <= giới.left < giới.left + giới.width <= tính.left
    assert tính.left + tính.width <= box.left + box.width + 4


def test_a_name_missing_from_the_syllable_list_is_left_as_read() -> None:
    # A name the syllable list lacks ("Duẩn" is missing from hunspell-vi's): read again
    # it splits, but not into syllables all known, so the reading stays.
    image, box = _words_image("Lê Duẩn")
    name = OcrWord("LêDuẩn", box.left, box.top, box.width, box.height, 0.6, LINE)
    out = split_glued([name], image, 300, TesserocrEngine(), lambda s: s.lower() == "lê")
    assert out == [name]


def test_a_valid_word_or_one_with_no_gap_is_not_read_again() -> None:
    image, box = _words_image("Giới tính")
    engine = FakeEngine(error=AssertionError("must not be read again"))
    valid = OcrWord("tính", box.left, box.top, box.width, box.height, 0.9, LINE)
    english = OcrWord("Identity", box.left, box.top, box.width, box.height, 0.9, LINE)
    assert split_glued([valid, english], image, 300, engine, _syllables()) == [valid, english]
    tight, tbox = _words_image("Giớitính")  # really printed as one: no space-wide gap
    word = OcrWord("Giớitính", tbox.left, tbox.top, tbox.width, tbox.height, 0.6, LINE)
    assert split_glued([word], tight, 300, engine, _syllables()) == [word]
    assert engine.calls == 0


def _reading(*texts: str) -> OcrOutput:
    words = [OcrWord(t, 40 + 100 * i, 40, 90, 50, 0.9, (1, 1, i)) for i, t in enumerate(texts)]
    return OcrOutput(" ".join(texts), words, 0.9)


def test_a_second_reading_with_other_letters_or_a_failure_changes_nothing() -> None:
    image, box = _words_image("Giới tính")
    glued = OcrWord("Giớitinh", box.left, box.top, box.width, box.height, 0.6, LINE)
    other = FakeEngine([_reading("Giới", "thiệu")])
    assert split_glued([glued], image, 300, other, _syllables()) == [glued]
    assert other.calls == 1
    junk = FakeEngine([_reading("Giới", "tỉnhh")])  # not a syllable
    assert split_glued([glued], image, 300, junk, _syllables()) == [glued]
    broken = FakeEngine(error=EngineFailure("tesseract crashed"))
    assert split_glued([glued], image, 300, broken, _syllables()) == [glued]
