"""List numbers Tesseract left out at a line's start, read again (pipeline/linestarts.py)."""

from __future__ import annotations

import re

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont
from test_ocr import FONT, FakeEngine

from ocr_models.engines import EngineFailure, OcrOutput, OcrWord, TesserocrEngine, join_words
from pipeline.linestarts import recover_line_starts
from pipeline.marklines import padded
from pipeline.ocr import read_region

ITEMS = [
    "1. Họ, chữ đệm và tên: Đặng Hoàng Phong",
    "2. Ngày, tháng, năm sinh: 17/01/1988",
    "3. Giới tính: Nam",
    "4. Dân tộc: Kinh",
]
_MARKER = re.compile(r"^\d\.$")


@pytest.fixture(scope="module")
def engine() -> TesserocrEngine:
    return TesserocrEngine()


def _list(lines: list[str] = ITEMS) -> np.ndarray:
    """A numbered list as printed on a residence confirmation, at 300 dpi."""
    img = Image.new("L", (1500, 90 * len(lines) + 60), 255)
    draw = ImageDraw.Draw(img)
    font = ImageFont.truetype(FONT, 46)
    for i, text in enumerate(lines):
        draw.text((60, 40 + 90 * i), text, font=font, fill=0)
    return np.asarray(img).copy()


def _read(image: np.ndarray, engine: TesserocrEngine) -> OcrOutput:
    out = read_region(image, 300, engine, 3)
    assert [w.text for w in out.words if _MARKER.match(w.text)] == ["1.", "2.", "3.", "4."]
    return out


def test_numbers_left_out_at_the_lines_start_are_read_again(engine: TesserocrEngine) -> None:
    image = _list()
    full = _read(image, engine)
    lost = join_words([w for w in full.words if not _MARKER.match(w.text)])
    assert not re.search(r"^\d", lost.text, re.M)
    out = recover_line_starts(lost, padded(image), 300, engine, read_region)
    assert out.text == full.text
    for was, now in zip(
        [w for w in full.words if _MARKER.match(w.text)],
        [w for w in out.words if _MARKER.match(w.text)],
        strict=True,
    ):
        assert abs(was.left - now.left) <= 6 and abs(was.top - now.top) <= 6  # on the page


def test_a_full_stop_read_alone_where_the_number_was_is_part_of_it(
    engine: TesserocrEngine,
) -> None:
    # Tesseract kept the number's full stop as a word of its own and dropped the digit.
    image = _list()
    full = _read(image, engine)
    dots = [
        OcrWord(".", w.left + w.width - 8, w.top + w.height - 8, 7, 8, 0.9, w.line)
        if _MARKER.match(w.text) else w
        for w in full.words
    ]  # fmt: skip
    out = recover_line_starts(join_words(dots), padded(image), 300, engine, read_region)
    assert out.text == full.text


def test_words_read_down_the_column_of_numbers_go_when_the_numbers_are_read(
    engine: TesserocrEngine,
) -> None:
    # Tesseract took the numbers for a block apart and read it as one "line" down the page.
    image = _list()
    full = _read(image, engine)
    numbers = [w for w in full.words if _MARKER.match(w.text)]
    junk = [
        OcrWord(text, n.left - 4, n.top - 2, n.width + 8, n.height + 4, 0.4, (9, 1, 1))
        for text, n in zip(["r>", "CƠI", "Œ", "t3)"], numbers, strict=True)
    ]
    lost = join_words([w for w in full.words if not _MARKER.match(w.text)] + junk)
    out = recover_line_starts(lost, padded(image), 300, engine, read_region)
    assert out.text == full.text


def test_ink_left_of_a_line_that_reads_as_no_list_number_adds_nothing(
    engine: TesserocrEngine,
) -> None:
    # A signature's tail or a seal's edge beside the lines, that the first reading left
    # out: letter-sized ink, read again, but no list marker.
    plain = [re.sub(r"^\d\. ", "", line) for line in ITEMS]
    image = _list(plain)
    first = read_region(image, 300, engine, 3)
    marks = image.copy()
    for i in range(len(plain)):
        top = 48 + 90 * i
        marks[top : top + 36, 14:20] = 0  # a stroke as tall as a letter, and a tick
        marks[top + 10 : top + 14, 14:44] = 0
    asked = _Counting(engine)
    out = recover_line_starts(first, padded(marks), 300, asked, read_region)
    assert asked.calls == len(plain)  # each mark was read again
    assert out is first


class _Counting:
    """The real engine, counting the readings asked of it."""

    def __init__(self, engine: TesserocrEngine) -> None:
        self.engine, self.calls, self.name = engine, 0, engine.name

    def recognize(self, image: np.ndarray, *, dpi: int, psm: int = 3) -> OcrOutput:
        self.calls += 1
        return self.engine.recognize(image, dpi=dpi, psm=psm)


def test_a_list_read_whole_is_not_read_again(engine: TesserocrEngine) -> None:
    image = _list()
    full = _read(image, engine)
    counting = FakeEngine(error=EngineFailure("must not be asked"))
    assert recover_line_starts(full, padded(image), 300, counting, read_region) is full
    assert counting.calls == 0


def test_an_engine_failure_keeps_the_first_reading(engine: TesserocrEngine) -> None:
    image = _list()
    full = _read(image, engine)
    lost = join_words([w for w in full.words if not _MARKER.match(w.text)])
    failing = FakeEngine(error=EngineFailure("tesseract crashed"))
    assert recover_line_starts(lost, padded(image), 300, failing, read_region) == lost
    assert failing.calls == len(ITEMS)
