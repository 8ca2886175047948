"""A line Tesseract skipped inside a paragraph, read alone (lostlines.recover_skipped_lines)."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont
from test_ocr import FONT, FakeEngine

from ocr_models.engines import (
    EngineFailure,
    OcrOutput,
    OcrWord,
    TesserocrEngine,
    join_words,
    word_lines,
)
from pipeline.lostlines import recover_lines, recover_skipped_lines
from pipeline.marklines import padded
from pipeline.ocr import read_region

PARAGRAPH = [
    "1. Tổ chức số hóa hồ sơ, kết quả giải quyết thủ tục hành chính",
    "còn hiệu lực đang lưu trữ tại đơn vị, hoàn thành trước ngày 06",
    "tháng 8 năm 2022 theo kế hoạch của Ủy ban nhân dân phường.",
    "2. Không yêu cầu tổ chức, cá nhân nộp lại giấy tờ, kết quả giải",
    "quyết thủ tục hành chính đã được số hóa hoặc đã có trong cơ sở dữ",
    "liệu quốc gia về dân cư và các cơ sở dữ liệu chuyên ngành.",
]
SKIPPED = 3  # "2. Không yêu cầu …"
PITCH = 70


@pytest.fixture(scope="module")
def engine() -> TesserocrEngine:
    return TesserocrEngine()


def _paragraph(lines: list[str] = PARAGRAPH, gap_after: int | None = None) -> np.ndarray:
    """A letter's paragraph at 300 dpi (a 13 pt font, 70 px from line to line)."""
    extra = PITCH if gap_after is not None else 0
    img = Image.new("L", (2100, PITCH * len(lines) + 80 + extra), 255)
    draw = ImageDraw.Draw(img)
    font = ImageFont.truetype(FONT, 50)
    y = 40
    for i, text in enumerate(lines):
        draw.text((40, y), text, font=font, fill=0)
        y += PITCH + (PITCH if i == gap_after else 0)
    return np.asarray(img).copy()


def _read(image: np.ndarray, engine: TesserocrEngine) -> OcrOutput:
    out = read_region(image, 300, engine, 6)
    assert len(word_lines(out.words)) == len(PARAGRAPH)
    return out


def _skipping(out: OcrOutput, n: int = SKIPPED) -> OcrOutput:
    """The reading without line `n`, the boxes of every other word above reaching over it."""
    lines = word_lines(out.words)
    low = max(w.top + w.height for w in lines[n])
    kept = [
        [replace(w, height=low - w.top) if k % 2 else w for k, w in enumerate(line)]
        if i == n - 1
        else line
        for i, line in enumerate(lines)
        if i != n
    ]
    return join_words([w for line in kept for w in line])


def test_a_line_skipped_inside_a_paragraph_is_read_and_put_back_in_place(
    engine: TesserocrEngine,
) -> None:
    image = _paragraph()
    full = _read(image, engine)
    skipped = _skipping(full)
    assert "Không yêu cầu" not in skipped.text
    # The boxes over it hide most of its ink: the search for lines no word covers finds
    # pieces of it at most (as on the fax: "-ầu tổ chức", ":á nhân nộp lại giấy tờ,").
    pieces = recover_lines(skipped, padded(image), 300, engine, read_region)
    assert "Không yêu cầu" not in pieces.text
    out = recover_skipped_lines(skipped, padded(image), 300, engine, read_region)
    assert out.text.splitlines() == full.text.splitlines()


def test_the_space_between_two_paragraphs_is_not_read() -> None:
    lines = PARAGRAPH[:SKIPPED] + PARAGRAPH[SKIPPED + 1 :]
    image = _paragraph(lines, gap_after=SKIPPED - 1)  # a blank line between them
    words = [
        OcrWord("word", 40 + 200 * k, 40 + PITCH * i + (PITCH if i >= SKIPPED else 0),
                180, 50, 0.95, (1, 1, i))
        for i in range(len(lines))
        for k in range(4)
    ]  # fmt: skip
    out = join_words(words)
    asking = FakeEngine(error=EngineFailure("must not be asked"))
    assert recover_skipped_lines(out, padded(image), 300, asking, read_region) is out
    assert asking.calls == 0


def test_junk_read_between_two_lines_is_not_kept(engine: TesserocrEngine) -> None:
    # A signature's scrawl two pitches down: read again, but not as a confident line.
    image = _paragraph()
    full = _read(image, engine)
    top = min(w.top for w in word_lines(full.words)[SKIPPED]) - 32  # unpadded
    image[top : top + 60, 40:1900] = 255
    rng = np.random.default_rng(7)
    for x in range(60, 1800, 9):
        y = top + int(rng.integers(5, 50))
        image[y : y + 4, x : x + 12] = 0
    skipped = _skipping(full)
    out = recover_skipped_lines(skipped, padded(image), 300, engine, read_region)
    assert out is skipped


def test_an_engine_failure_keeps_the_first_reading(engine: TesserocrEngine) -> None:
    image = _paragraph()
    skipped = _skipping(_read(image, engine))
    failing = FakeEngine(error=EngineFailure("tesseract crashed"))
    assert recover_skipped_lines(skipped, padded(image), 300, failing, read_region) is skipped
    assert failing.calls == 1


def test_the_line_read_as_one_glued_word_gives_way_to_its_reading(
    engine: TesserocrEngine,
) -> None:
    # "Chức danh: Tổng giám đốc" had been read "ChứcdanhTônggamđôcGo O" (a clean PDF scan):
    # a line of one word is no line of the paragraph, and the line read alone replaces it.
    image = _paragraph()
    full = _read(image, engine)
    lines = word_lines(full.words)
    line = lines[SKIPPED]
    left, right = line[0].left, line[-1].left + line[-1].width
    top, bottom = min(w.top for w in line), max(w.top + w.height for w in line)
    glued = OcrWord("KhôngyêucầutổchứccánhânnộplạiGo", left, top, right - left - 40,
                    bottom - top, 0.31, line[0].line)  # fmt: skip
    tail = OcrWord("O", right + 30, top, 30, bottom - top, 0.2, line[0].line)  # past its end
    badly = join_words([w for ws in lines for w in ([glued, tail] if ws is line else ws)])
    out = recover_skipped_lines(badly, padded(image), 300, engine, read_region)
    assert out.text.splitlines() == full.text.splitlines()
