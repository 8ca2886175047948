"""Tone marks Tesseract left out of a capital heading, put back (pipeline/marklines.py)."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from test_ocr import FakeEngine, PsmEngine

from ocr_models.engines import OcrOutput, OcrWord
from pipeline.marklines import (
    _adds_marks,
    _without_intruders,
    capitals_in_lower_case,
    put_marks_back,
)


def _w(text: str, left: int, conf: float = 0.92, top: int = 200) -> OcrWord:
    return OcrWord(text, left, top, 40 * len(text), 40, conf, (1, 1, 1))


# "I. BÊN ỦY QUYỀN (Bên A):" read without the marks of its capitals (phone photo, seed
# 2718): the marks sat close under the line above.
BARE = [_w("I.", 100), _w("BEN", 200), _w("UY", 360), _w("QUYEN", 460), _w("(Bên", 700),
        _w("A):", 880)]  # fmt: skip


def _heading(marks: bool = True) -> np.ndarray:
    page = np.full((400, 1200), 255, np.uint8)
    page[200:240, 200:1000] = 0  # the capitals themselves
    if marks:
        for left in (220, 370, 540):  # a hat, a hook, a hat and a grave over BEN, UY, QUYEN
            page[186:194, left : left + 12] = 0
    return page


def _marked(conf: float = 0.94, words: tuple[str, ...] = ()) -> OcrOutput:
    texts = words or ("I.", "BÊN", "ỦY", "QUYỀN", "(Bên", "A):")
    return OcrOutput(" ".join(texts), [_w(t, 10 + 50 * i, conf, 40) for i, t in enumerate(texts)],
                     conf)  # fmt: skip


def test_marks_over_bare_capitals_are_read_back_onto_them() -> None:
    engine = PsmEngine([_marked()])
    out = put_marks_back(BARE, _heading(), 300, engine)
    assert engine.psms == [7]  # the line read again as one line, with the band above it
    assert [w.text for w in out] == ["I.", "BÊN", "ỦY", "QUYỀN", "(Bên", "A):"]
    assert [(w.left, w.top) for w in out] == [(w.left, w.top) for w in BARE]  # boxes kept


@pytest.mark.parametrize(
    ("case", "second", "calls"),
    [
        ("nothing above the capitals", None, 0),
        ("the second reading has other words", _marked(words=("I.", "BÊN", "ỦY")), 1),
        ("the second reading is far less confident", _marked(conf=0.7), 1),
    ],
)
def test_capitals_stay_bare_without_clear_marks(case, second, calls) -> None:
    engine = FakeEngine([second] if second else [])
    out = put_marks_back(BARE, _heading(marks=second is not None), 300, engine)
    assert out == BARE, case
    assert engine.calls == calls


@pytest.mark.parametrize(
    ("old", "new", "adds"),
    [("BEN", "BÊN", True), ("NỌI", "NỘI", True), ("KET:", "KẾT:", True), ("BÊN", "BEN", False),
     ("BEN", "BAN", False), ("NỘI", "NỘI", False), ("NỌI", "NỖI", False)],
)  # fmt: skip
def test_only_added_marks_count(old: str, new: str, adds: bool) -> None:
    assert _adds_marks(old, new) is adds


def test_descenders_of_the_line_above_are_whited_out_of_the_band() -> None:
    crop = np.full((80, 300), 255, np.uint8)
    crop[0:12, 40:46] = 0  # a "g" tail hanging in from the line above
    crop[14:22, 100:110] = 0  # a tone mark
    crop[30:70, 20:280] = 0  # the capitals
    out = _without_intruders(crop, 25)
    assert out[0:12, 40:46].min() == 255
    assert out[14:22, 100:110].max() == 0 and out[30:70, 20:280].max() == 0


def test_descenders_above_capitals_are_no_reason_to_read_again() -> None:
    page = _heading(marks=False)
    page[170:192, 230:236] = 0  # a "g" tail from the line above reaching down over "BEN"
    engine = FakeEngine([])
    assert put_marks_back(BARE, page, 300, engine) == BARE
    assert engine.calls == 0


def _line_image(words: list[str]) -> tuple[np.ndarray, list[OcrWord]]:
    """A line of Liberation Serif at 300 dpi and each word's box (as Tesseract gives it)."""
    from PIL import Image, ImageDraw, ImageFont

    font = ImageFont.truetype(
        "/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf", 50
    )
    img = Image.new("L", (1400, 200), 255)
    draw = ImageDraw.Draw(img)
    boxes, x = [], 60
    for word in words:
        left, top, right, bottom = draw.textbbox((x, 70), word, font=font)
        draw.text((x, 70), word, font=font, fill=0)
        boxes.append((left, top, right - left, bottom - top))
        x = right + 25
    return np.asarray(img), [
        OcrWord(w, *box, 0.71, (1, 1, 1)) for w, box in zip(words, boxes, strict=True)
    ]


def test_a_word_read_in_capitals_amid_lower_case_is_read_again_alone() -> None:
    from ocr_models.engines import TesserocrEngine, tesserocr_available

    if not tesserocr_available():
        pytest.skip("tesserocr not installed")
    # p406's clean page: `giọng CÒN rụt rè` (0.71); read alone, the word is `còn`.
    image, words = _line_image(["giọng", "còn", "rụt", "rè."])
    read = [words[0], replace(words[1], text="CÒN"), *words[2:]]
    out = capitals_in_lower_case(read, image, 300, TesserocrEngine())
    assert [w.text for w in out] == ["giọng", "còn", "rụt", "rè."]
    # Printed in capitals, it reads in capitals again and stays.
    image, words = _line_image(["giấy", "KHÔNG", "được", "tẩy"])
    assert capitals_in_lower_case(words, image, 300, TesserocrEngine()) == words


@pytest.mark.parametrize(
    "texts",
    [
        ["thân", "CCCD", "số"],  # no syllable: an acronym
        ["quý", "III", "đã"],
        ["ông", "NGUYỄN", "Văn"],  # a name in capitals, not between lower-case words
        ["CÒN", "rụt", "rè"],  # nothing before it on the line
    ],
)
def test_capitals_that_are_no_lower_case_word_are_not_read_again(texts: list[str]) -> None:
    words = [_w(t, 100 + 300 * i) for i, t in enumerate(texts)]
    engine = FakeEngine([])
    assert capitals_in_lower_case(words, _heading(), 300, engine) == words
    assert engine.calls == 0
