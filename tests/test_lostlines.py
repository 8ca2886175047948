"""Lines Tesseract's layout left out of a region, read alone (pipeline/lostlines.py)."""

from __future__ import annotations

import json

import cv2
import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont
from test_ocr import FONT, FakeEngine

from ocr_models.engines import EngineFailure, OcrOutput, OcrWord, TesserocrEngine, join_words
from pipeline.decode import PageInput
from pipeline.lostlines import (
    ReadRegion,
    _kept_words,
    _merged,
    lost_line_boxes,
    page_ink,
    page_number,
    recover_lines,
    region_ink,
)
from pipeline.marklines import MARGIN_PX, padded
from pipeline.ocr import ocr_page, read_region

LINES = ["Nơi nhận: Ủy ban nhân dân", "Người ký: Trưởng phòng", "Nguyễn Quang Hiếu"]


def _region() -> np.ndarray:
    """Three lines of 300 dpi print, a gray seal ring beside the last two."""
    img = Image.new("L", (1400, 420), 255)
    draw = ImageDraw.Draw(img)
    font = ImageFont.truetype(FONT, 44)
    for i, text in enumerate(LINES):
        draw.text((60, 40 + 130 * i), text, font=font, fill=0)
    page = np.asarray(img).copy()
    cv2.circle(page, (1150, 260), 140, 150, 6)  # a seal's ring, mid-gray as on a gray scan
    return page


def _read_all_but_last(image: np.ndarray, engine: TesserocrEngine) -> OcrOutput:
    """The region as Tesseract reads it, with the last line's words taken out (lost)."""
    full = read_region(image, 300, engine, 3)
    last = max(w.line for w in full.words)
    return join_words([w for w in full.words if w.line != last])


def test_a_lost_line_is_read_alone_and_put_in_its_place() -> None:
    engine = TesserocrEngine()
    image = _region()
    lost = _read_all_but_last(image, engine)
    assert "Hiếu" not in lost.text
    out = recover_lines(lost, padded(image), 300, engine, read_region)
    assert out.text.splitlines()[-1] == "Nguyễn Quang Hiếu"
    assert out.text.startswith(lost.text)  # the lines read at first stay as they were
    name = [w for w in out.words if w.text == "Hiếu"]
    assert name and name[0].top > max(w.top for w in lost.words)  # boxes on the page
    # The boxes go into the record's JSON (ocr-pages.json): plain numbers, not numpy's.
    json.dumps([[w.left, w.top, w.width, w.height] for w in out.words])


def test_the_page_s_print_found_once_gives_the_region_s_lines() -> None:
    # recognize_blocks finds the print of the whole page once and cuts each region out.
    page = np.full((1600, 2200), 255, np.uint8)
    region = _region()
    top, left = 501, 303  # odd: the half-resolution cut rounds
    page[top : top + region.shape[0], left : left + region.shape[1]] = region
    bottom, right = top + region.shape[0], left + region.shape[1]
    ink = region_ink(page_ink(page), top, bottom, left, right)
    alone = lost_line_boxes(padded(region), [], 300)
    cut = lost_line_boxes(padded(region), [], 300, ink)
    assert len(cut) == len(alone) == 3
    pairs = zip(cut, alone, strict=True)
    assert all(abs(a - b) <= 4 for box, same in pairs for a, b in zip(box, same, strict=True))


def test_nothing_is_read_again_when_every_line_was_read() -> None:
    engine = TesserocrEngine()
    image = _region()
    full = read_region(image, 300, engine, 3)
    assert lost_line_boxes(padded(image), full.words, 300) == []


def test_a_seal_ring_specks_and_a_rule_are_no_lines() -> None:
    page = np.full((600, 1400), 255, np.uint8)
    cv2.circle(page, (700, 300), 200, 0, 5)  # a ring, in black as on a fax
    cv2.line(page, (50, 560), (1350, 560), 0, 3)  # a rule
    rng = np.random.default_rng(3)
    for x, y in rng.integers(20, 580, (200, 2)):
        page[y : y + 2, x : x + 2] = 0  # speckle
    assert lost_line_boxes(padded(page), [], 300) == []


def test_a_line_a_seal_ring_runs_through_is_still_found() -> None:
    img = Image.new("L", (1400, 500), 255)
    ImageDraw.Draw(img).text((60, 220), "TRƯỞNG CÔNG AN XÃ", font=ImageFont.truetype(FONT, 44),
                             fill=0)  # fmt: skip
    page = np.asarray(img).copy()
    cv2.circle(page, (260, 250), 180, 0, 5)  # black, as on a fax: it crosses the line
    boxes = lost_line_boxes(padded(page), [], 300)
    assert len(boxes) == 1
    x0, y0, x1, y1 = boxes[0]
    assert y1 - y0 < 120  # the line, not the ring's height
    assert x1 - MARGIN_PX > 500  # the letters clear of the ring


@pytest.mark.parametrize("line", ["Thanh Xuân Quân", "ỦY BAN NHÂN DÂN"])
def test_seal_lettering_joined_to_a_line_is_cut_off_it(line: str) -> None:
    img = Image.new("L", (1400, 300), 255)
    draw = ImageDraw.Draw(img)
    font = ImageFont.truetype(FONT, 48)
    draw.text((100, 150), line, font=font, fill=0)
    top = draw.textbbox((100, 150), line, font=font)[1]  # the top of the marks
    for x in range(100, 520, 60):  # a seal's lettering over the line ...
        draw.text((x, top - 62), "N", font=ImageFont.truetype(FONT, 40), fill=0)
    draw.rectangle((172, top - 34, 174, top + 2), fill=0)  # ... that its ring joins to it
    boxes = lost_line_boxes(padded(np.asarray(img)), [], 300)
    assert len(boxes) == 2
    # The line's box takes in its tone marks (a band of marks goes with the line below),
    # not the lettering 40 px and more above them.
    assert top + MARGIN_PX - 24 <= boxes[1][1] <= top + MARGIN_PX
    assert boxes[0][3] <= top + MARGIN_PX  # the lettering's box ends above it


def _word(text: str, conf: float, left: int = 0) -> OcrWord:
    return OcrWord(text, left, 40, 30 * len(text), 40, conf, (1, 1, 1))


def _line(*words: tuple[str, float]) -> OcrOutput:
    ws = [_word(t, c, 200 * i) for i, (t, c) in enumerate(words)]
    return OcrOutput(" ".join(t for t, _ in words), ws, float(np.mean([c for _, c in words])))


@pytest.mark.parametrize(
    ("case", "line", "kept"),
    [
        ("a confident line, a letter cut by a ring dropped",
         _line(("Nguyễn", 0.97), ("Ngẹc", 0.4), ("Anh", 0.97)), ["Nguyễn", "Anh"]),
        ("a poor line keeps its sure words",
         _line(("ZRƯơNGbÔNG", 0.0), ("AN", 0.93), ("XÃ", 0.97)), ["AN", "XÃ"]),
        ("a poor line with one sure word is junk", _line(("¡h0chù", 0.0), ("đêt", 0.93)), []),
        ("a short confident reading is junk (seal lettering)", _line(("NGL", 0.83)), []),
        ("marks and specks", _line(("©›", 0.9), ("*", 0.93)), []),
        # A signer's position under a seal's ring (fax, gray TIFF): a letter cut, the rest
        # read right, is the position.
        ("a letter of the position cut by the ring",
         _line(("CHL'", 0.52), ("TỊCH", 0.96)), ["CHỦ", "TỊCH"]),
        ("a letter of the position lost", _line(("GIẢ", 0.6), ("ĐỐC", 0.97)), ["GIÁM", "ĐỐC"]),
        ("every letter right, read unsure", _line(("CHỦ", 0.84), ("TỊCH", 0.02)), ["CHỦ", "TỊCH"]),
        ("the position as a civil-status extract prints it",
         _line(("Phó", 0.7), ("Chú", 0.6), ("tịeh", 0.3)), ["Phó", "Chủ", "tịch"]),
        ("after KT.", _line(("KT.", 0.9), ("CHU", 0.5), ("TỊCH", 0.4)), ["KT.", "CHỦ", "TỊCH"]),
        ("two letters off is no position", _line(("CHL'", 0.52), ("TJCH", 0.96)), []),
        ("no word read right is no position", _line(("CHL", 0.52), ("TỊCHI", 0.96)), []),
        ("a speck a letter from Q. is no prefix",
         _line(("S", 0.3), ("PHÓ", 0.5), ("CHỦ", 0.6), ("TỊCH", 0.4)), []),
        ("a word too many is no position",
         _line(("CHỦ", 0.52), ("TỊCH", 0.96), ("Xã", 0.4)), []),
    ],
)  # fmt: skip
def test_only_confident_readings_are_kept(case: str, line: OcrOutput, kept: list[str]) -> None:
    assert [w.text for w in _kept_words(line)] == kept, case


def test_an_engine_failure_keeps_the_first_reading() -> None:
    engine = TesserocrEngine()
    image = _region()
    lost = _read_all_but_last(image, engine)
    failing = FakeEngine(error=EngineFailure("tesseract crashed"))
    assert recover_lines(lost, padded(image), 300, failing, read_region) == lost
    assert failing.calls >= 1


def test_words_read_before_are_not_added_twice() -> None:
    engine = TesserocrEngine()
    image = _region()
    full = read_region(image, 300, engine, 3)
    name = [w for w in full.words if w.text in ("Quang", "Hiếu")]
    lost = join_words([w for w in full.words if w not in name])
    [(x0, y0, _x1, _y1)] = lost_line_boxes(padded(image), lost.words, 300)
    before = next(w for w in full.words if w.text == "Nguyễn")
    dx, dy = MARGIN_PX - x0, MARGIN_PX - y0

    def read(crop: np.ndarray, dpi: int, eng: object, psm: int) -> OcrOutput:
        # The crop took in the word read before it too (its box is the line's).
        words = [OcrWord(w.text, w.left + dx, w.top + dy, w.width, w.height, 0.95, (1, 1, 1))
                 for w in (before, *name)]  # fmt: skip
        return OcrOutput("Nguyễn Quang Hiếu", words, 0.95)

    out = recover_lines(lost, padded(image), 300, engine, read)
    assert [w.text for w in out.words].count("Nguyễn") == 1
    # The words found beside the one read before join its line, after it.
    assert out.text.splitlines()[-1] == "Nguyễn Quang Hiếu"


def _at(text: str, left: int, top: int, line: tuple[int, int, int]) -> OcrWord:
    return OcrWord(text, left, top, 100, 40, 0.95, line)


def test_a_found_line_beside_a_line_read_joins_it_and_one_over_it_does_not() -> None:
    read = join_words([
        _at("Họ", 40, 100, (1, 1, 1)), _at("tên:", 160, 100, (1, 1, 1)),
        _at("Quang", 500, 200, (1, 1, 2)), _at("Tuấn", 620, 200, (1, 1, 2)),
        _at("Chủ", 500, 300, (1, 1, 3)), _at("tịch", 620, 300, (1, 1, 3)),
    ])  # fmt: skip
    beside = [_at("Bùi", 380, 205, (0, 0, 0))]  # left of "Quang Tuấn", on its rows
    over = [_at("Việt", 540, 302, (0, 0, 0))]  # over "Chủ tịch": another reading of it
    apart = [_at("Nam", 1200, 100, (0, 0, 0))]  # on "Họ tên:"'s rows, far to the right
    out = _merged(read, [beside, over, apart])
    assert out.text.splitlines() == ["Họ tên:", "Nam", "Bùi Quang Tuấn", "Chủ tịch", "Việt"]


def _second_page(number: str = "2", x: int | None = None) -> np.ndarray:
    """An A4 page at 300 dpi: `number` in the top margin (centred unless `x`), then print."""
    img = Image.new("L", (2480, 3508), 255)
    draw = ImageDraw.Draw(img)
    font = ImageFont.truetype(FONT, 50)
    width = draw.textlength(number, font=font)
    draw.text((x if x is not None else (2480 - width) / 2, 160), number, font=font, fill=0)
    for i, text in enumerate(["KT. TRƯỞNG PHÒNG", "PHÓ TRƯỞNG PHÒNG", "Phan Thị Chi"]):
        draw.text((1300, 330 + 90 * i), text, font=font, fill=0)
    return np.asarray(img)


def test_a_page_number_centred_in_the_top_margin_is_read() -> None:
    # Pages are numbered from the second, centred in the top margin (Decree 30/2020).
    # Tesseract's layout takes a lone "2" for noise: the page read without it.
    page = ocr_page(PageInput(2, _second_page(), 300), TesserocrEngine())
    assert page.text.splitlines()[0] == "2"
    assert "KT. TRƯỞNG PHÒNG" in page.text
    # The page's confidence is its words' mean, the page number's included.
    assert page.confidence == pytest.approx(np.mean([w.confidence for w in page.words]))


def _engine_reading(text: str, conf: float) -> tuple[list[int], ReadRegion]:
    calls: list[int] = []

    def read(crop: np.ndarray, dpi: int, engine: object, psm: int) -> OcrOutput:
        calls.append(psm)
        return OcrOutput(text, [OcrWord(text, 12, 12, 30, 40, conf, (1, 1, 1))], conf)

    return calls, read


@pytest.mark.parametrize(
    ("case", "number", "x", "read_as", "conf"),
    [
        ("off centre: a mark, not the page number", "2", 300, "2", 0.97),
        ("read as letters", "2", None, "ab", 0.97),
        ("unsure", "2", None, "2", 0.6),
        ("four digits: a year, not a page", "2024", None, "2024", 0.97),
    ],
)
def test_only_a_sure_centred_number_is_a_page_number(
    case: str, number: str, x: int | None, read_as: str, conf: float
) -> None:
    image = _second_page(number, x)
    calls, read = _engine_reading(read_as, conf)
    words = [OcrWord("KT.", 1300, 330, 120, 50, 0.95, (1, 1, 1))]
    found = page_number(words, page_ink(image), image, 300, FakeEngine(), read)
    assert found is None, case
    if x is not None:
        assert not calls, case  # off centre: not even read
