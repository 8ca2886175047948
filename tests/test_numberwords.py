"""Doubtful numbers read again alone (pipeline/numberwords.py)."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont
from test_ocr import FONT, FakeEngine

from ocr_models.engines import EngineFailure, OcrOutput, OcrWord, TesserocrEngine, join_words
from pipeline.marklines import padded
from pipeline.numberwords import reread_numbers
from pipeline.ocr import read_region

ROWS = [
    ("2", "Phạm Thanh Anh", "Vợ", "25/03/1974"),
    ("3", "Nguyễn Xuân Sơn", "Con", "11/01/2010"),
    ("5", "Nguyễn Ngọc Huy", "Con", "13/09/1997"),
]
COLUMNS = (40, 140, 760, 1060)


@pytest.fixture(scope="module")
def engine() -> TesserocrEngine:
    return TesserocrEngine()


def _table(rows: list[tuple[str, ...]] = ROWS) -> np.ndarray:
    """Rows of a household book's members, at 300 dpi, without their rules."""
    img = Image.new("L", (1500, 110 * len(rows) + 40), 255)
    draw = ImageDraw.Draw(img)
    font = ImageFont.truetype(FONT, 50)
    for i, row in enumerate(rows):
        for x, cell in zip(COLUMNS, row, strict=True):
            draw.text((x, 30 + 110 * i), cell, font=font, fill=0)
    return np.asarray(img).copy()


def _doubted(out: OcrOutput, readings: dict[str, str]) -> OcrOutput:
    """`out` with some words replaced by the readings Tesseract gave them, unsure."""
    return join_words(
        [
            replace(w, text=readings[w.text], confidence=0.2) if w.text in readings else w
            for w in out.words
        ]
    )


def test_dates_read_without_their_slashes_are_read_again(engine: TesserocrEngine) -> None:
    # As on a fax of a household book: the dates' slashes lost or read as digits.
    image = _table()
    full = read_region(image, 300, engine, 6)
    assert [r[3] for r in ROWS] == [w.text for w in full.words if "/" in w.text]
    doubted = _doubted(
        full, {"25/03/1974": "25031974", "11/01/2010": "1012010", "13/09/1997": "13991997"}
    )
    out = reread_numbers(doubted, padded(image), 300, engine, read_region)
    assert out.text == full.text
    for was, now in zip(full.words, out.words, strict=True):  # boxes back on the page
        assert abs(was.left - now.left) <= 8 and abs(was.top - now.top) <= 8


def test_a_sure_reading_is_not_read_again(engine: TesserocrEngine) -> None:
    image = _table()
    full = read_region(image, 300, engine, 6)
    # A mangled date Tesseract is sure of stays: only its doubt calls for a second look.
    sure = join_words([replace(w, text="25031974") if w.text == "25/03/1974" else w
                       for w in full.words])  # fmt: skip
    asking = FakeEngine(error=EngineFailure("must not be asked"))
    assert reread_numbers(sure, padded(image), 300, asking, read_region) is sure
    assert asking.calls == 0


def test_a_date_read_well_formed_is_not_read_again() -> None:
    # Tesseract gave "18/03/1973" 0.18 on the fax and read it right: no date swapped for
    # another on a second reading's word.
    image = _table()
    first = join_words([OcrWord("18/03/1973,", 1060, 40, 250, 50, 0.18, (1, 1, 1))])
    asking = FakeEngine(error=EngineFailure("must not be asked"))
    assert reread_numbers(first, padded(image), 300, asking, read_region) is first
    assert asking.calls == 0


def _reading(text: str, conf: float, left: int = 40, width: int = 250) -> OcrOutput:
    word = OcrWord(text, left, 40, width, 60, conf, (1, 1, 1))
    return OcrOutput(text, [word], conf)


@pytest.mark.parametrize(
    ("again", "why"),
    [
        (_reading("Nguyễn", 0.95), "a word, not a number"),
        (_reading("25/13/1974", 0.3), "no such month, and unsure"),
        (_reading("28/05/1971", 0.3), "a date, but with other digits, and unsure"),
        (_reading("250319", 0.6), "a number, but unsure"),
    ],
)
def test_a_second_reading_that_is_no_better_changes_nothing(again: OcrOutput, why: str) -> None:
    image = _table()
    words = [
        OcrWord("Vợ", 760, 40, 70, 50, 0.95, (1, 1, 1)),
        OcrWord("25031974", 1060, 40, 250, 50, 0.1, (1, 1, 1)),
    ]
    first = join_words(words)
    fake = FakeEngine(outputs=[again])
    out = reread_numbers(first, padded(image), 300, fake, read_region)
    assert fake.calls == 1, why
    assert out is first, why


@pytest.mark.parametrize(
    ("doubtful", "again", "conf"),
    [("25031974", "25/03/1974", 0.0), ("1012010", "11/01/2010", 0.36)],
)
def test_a_date_read_again_is_taken_however_unsure_tesseract_is(
    doubtful: str, again: str, conf: float
) -> None:
    # The confidences Tesseract gave these right readings of a fax's dates, read alone.
    image = _table()
    first = join_words([OcrWord(doubtful, 1060, 40, 250, 50, 0.1, (1, 1, 1))])
    fake = FakeEngine([_reading(again, conf)])
    assert reread_numbers(first, padded(image), 300, fake, read_region).text == again


def test_a_confident_number_read_again_replaces_the_doubtful_one() -> None:
    # A house number on a clean household book, "199/44" read "19944".
    image = _table()
    first = join_words([OcrWord("19944", 1060, 40, 200, 50, 0.3, (1, 1, 1))])
    out = reread_numbers(first, padded(image), 300, FakeEngine([_reading("199/44", 0.9)]),
                         read_region)  # fmt: skip
    assert out.text == "199/44"


def test_a_letter_that_may_be_a_separator_is_not_read_as_a_digit() -> None:
    # "24/45" read "24I45", then "24145" alone: the reading is no better, it stays.
    image = _table()
    first = join_words([OcrWord("24I45", 1060, 40, 200, 50, 0.3, (1, 1, 1))])
    fake = FakeEngine([_reading("24145", 0.9)])
    assert reread_numbers(first, padded(image), 300, fake, read_region) is first
    assert fake.calls == 1


def test_pieces_read_far_apart_are_not_one_number() -> None:
    image = _table()
    first = join_words([OcrWord("250319744", 1060, 40, 330, 50, 0.3, (1, 1, 1))])
    pieces = OcrOutput("25/03/1974 4", [
        OcrWord("25/03/1974", 40, 40, 250, 60, 0.95, (1, 1, 1)),
        OcrWord("4", 340, 40, 25, 60, 0.95, (1, 1, 1)),
    ], 0.95)  # fmt: skip
    out = reread_numbers(first, padded(image), 300, FakeEngine([pieces]), read_region)
    assert out is first


def test_an_engine_failure_keeps_the_first_reading() -> None:
    image = _table()
    first = join_words([OcrWord("25031974", 1060, 40, 250, 50, 0.1, (1, 1, 1))])
    failing = FakeEngine(error=EngineFailure("tesseract crashed"))
    assert reread_numbers(first, padded(image), 300, failing, read_region) is first
    assert failing.calls == 1


def test_the_words_own_punctuation_stays() -> None:
    # "Căn cứ Bộ luật Dân sự năm 2015;": the semicolon is not read again with the year.
    image = _table()
    first = join_words([OcrWord("20151;", 1060, 40, 140, 50, 0.3, (1, 1, 1))])
    again = FakeEngine([_reading("2015", 0.95, width=120)])
    assert reread_numbers(first, padded(image), 300, again, read_region).text == "2015;"
