"""Doubtful cells of a ruled table read again one by one (pipeline/tablecells.py)."""

from __future__ import annotations

import re
from dataclasses import replace

import cv2
import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont
from test_ocr import FONT, FakeEngine

from ocr_models.engines import EngineFailure, OcrOutput, OcrWord, TesserocrEngine, join_words
from pipeline.marklines import MARGIN_PX, padded
from pipeline.ocr import read_region
from pipeline.preprocess import find_rules, remove_rules
from pipeline.tablecells import _clear_specks, _read_cell, reread_cells, table_cells

ROWS = [
    ("1", "Nguyễn Trọng Hoàng", "Chủ hộ", "15/04/1952"),
    ("2", "Phạm Thị Phương", "Vợ", "20/07/1951"),
    ("3", "Nguyễn Công Bình", "Con", "15/08/1994"),
]
VO_ONLY = [("", "", "", ""), ("", "", "Vợ", "")]
EDGES = (20, 120, 760, 1060, 1420)  # column rules, px at 300 dpi
ROW_H = 100


@pytest.fixture(scope="module")
def engine() -> TesserocrEngine:
    return TesserocrEngine()


def _ruled_table(rows: list[tuple[str, ...]] = ROWS) -> np.ndarray:
    """A household book's member table at 300 dpi, ruled all round."""
    img = Image.new("L", (EDGES[-1] + 40, ROW_H * len(rows) + 60), 255)
    draw = ImageDraw.Draw(img)
    font = ImageFont.truetype(FONT, 50)
    bottom = 20 + ROW_H * len(rows)
    for x in EDGES:
        draw.line([(x, 20), (x, bottom)], fill=0, width=3)
    for i in range(len(rows) + 1):
        draw.line([(EDGES[0], 20 + ROW_H * i), (EDGES[-1], 20 + ROW_H * i)], fill=0, width=3)
    for i, row in enumerate(rows):
        for x, text in zip(EDGES, row, strict=False):
            draw.text((x + 15, 40 + ROW_H * i), text, font=font, fill=0)
    return np.asarray(img).copy()


def _read_table(
    engine: TesserocrEngine, image: np.ndarray
) -> tuple[OcrOutput, np.ndarray, np.ndarray]:
    """The table read as `recognize_blocks` reads a ruled region: rules out, psm 6."""
    rules = find_rules(image, 300)
    clean = remove_rules(image, rules)
    return read_region(clean, 300, engine, 6), clean, rules[0] | rules[1]


def _salted(image: np.ndarray, seed: int, count: int) -> np.ndarray:
    """Fax salt: 3 px specks strewn over the image."""
    rng = np.random.default_rng(seed)
    out = image.copy()
    for y, x in zip(rng.integers(0, image.shape[0] - 3, count),
                    rng.integers(0, image.shape[1] - 3, count), strict=True):  # fmt: skip
        out[y : y + 3, x : x + 3] = 0
    return out


class Repeating(FakeEngine):
    """A fake engine that gives its last output again once the others are used up."""

    def recognize(self, image, *, dpi, psm=3):
        if len(self.outputs) > 1 or self.error:
            return super().recognize(image, dpi=dpi, psm=psm)
        self.calls += 1
        return self.outputs[0]


def _row(out: OcrOutput, first: str) -> str:
    return next(line for line in out.text.splitlines() if line.startswith(first))


def test_cells_are_the_spaces_closed_by_rules_on_all_sides() -> None:
    rules = np.zeros((400, 900), np.uint8)
    for x in (100, 400, 800):
        rules[50:250, x : x + 3] = 255
    for y in (50, 150, 250):
        rules[y : y + 3, 100:803] = 255
    rules[330:333, 100:800] = 255  # an underline below the table closes nothing
    cells = table_cells(rules, 300)
    assert [(c.left // 10, c.top // 10) for c in cells] == [(10, 5), (40, 5), (10, 15), (40, 15)]
    for c in cells:  # each keeps clear of its rules
        assert not rules[c.top : c.bottom, c.left : c.right].any()
    # Without its right rule the table's right-hand cells are open to the page.
    rules[:, 800:803] = 0
    assert [(c.left // 10, c.top // 10) for c in table_cells(rules, 300)] == [(10, 5), (10, 15)]


def test_doubtful_cells_are_read_again_alone(engine: TesserocrEngine) -> None:
    image = _ruled_table()
    full, clean, rules = _read_table(engine, image)
    assert _row(full, "2").endswith("Phạm Thị Phương Vợ 20/07/1951")
    # As on a bilevel archive scan: a date's slashes lost and a word misread, unsure;
    # two names run together, sure.
    thi = next(w for w in full.words if w.text == "Thị")
    words = []
    for w in full.words:
        if w.text == "Phạm":
            words.append(replace(w, text="PhạmThị", confidence=0.95,
                                 width=thi.left + thi.width - w.left))  # fmt: skip
        elif w.text != "Thị":
            unsure = {"20/07/1951": "20071951", "Vợ": "Wg"}
            words.append(replace(w, text=unsure[w.text], confidence=0.2) if w.text in unsure
                         else w)  # fmt: skip
    doubted = join_words(words)
    assert _row(doubted, "2").endswith("PhạmThị Phương Wg 20071951")
    out = reread_cells(doubted, clean, rules, 300, engine, read_region)
    # Every doubtful cell read right alone (the row numbers Tesseract was unsure of, and
    # a rule's remnant read "_" beside one, too). Alone, Tesseract reads "Thị" with an
    # apostrophe before it in this font: the words are compared.
    assert [re.findall(r"\w+", line) for line in out.text.splitlines()] == [
        re.findall(r"\w+", " ".join(row)) for row in ROWS
    ]
    cells = table_cells(rules, 300)
    for w in out.words:  # boxes back on the table, each inside its cell
        x, y = w.left - MARGIN_PX + w.width // 2, w.top - MARGIN_PX + w.height // 2
        assert any(c.left <= x < c.right and c.top <= y < c.bottom for c in cells), w


def test_sure_cells_are_left_as_read(engine: TesserocrEngine) -> None:
    image = _ruled_table()
    full, clean, rules = _read_table(engine, image)
    sure = join_words([replace(w, confidence=0.95) for w in full.words if w.text != "_"])
    asking = FakeEngine(error=EngineFailure("must not be asked"))
    assert reread_cells(sure, clean, rules, 300, asking, read_region) is sure
    assert asking.calls == 0


def test_marks_read_from_a_rule_are_dropped() -> None:
    image = _ruled_table()
    rules = find_rules(image, 300)
    clean = remove_rules(image, rules)
    walls = rules[0] | rules[1]
    name = table_cells(walls, 300)[1]
    words = [
        OcrWord("l", EDGES[1] - 4 + MARGIN_PX, name.top + 20 + MARGIN_PX, 9, 50, 0.9, (1, 1, 1)),
        OcrWord("Nguyễn", name.left + 30 + MARGIN_PX, name.top + 20 + MARGIN_PX, 150, 50, 0.9,
                (1, 1, 1)),
    ]  # fmt: skip
    asking = FakeEngine(error=EngineFailure("must not be asked"))
    assert reread_cells(join_words(words), clean, walls, 300, asking, read_region).text == "Nguyễn"


def _vo_cell(image: np.ndarray) -> tuple[np.ndarray, np.ndarray, OcrOutput]:
    """The table's rule-less image, its rules, and a doubtful "Vợ" in its second row."""
    rules = find_rules(image, 300)
    walls = rules[0] | rules[1]
    vo = table_cells(walls, 300)[6]  # second row, third column: the one cell with ink
    first = join_words([OcrWord("Vợ", vo.left + MARGIN_PX + 20, vo.top + MARGIN_PX + 20,
                                60, 50, 0.6, (1, 1, 1))])  # fmt: skip
    return remove_rules(image, rules), walls, first


def test_a_cell_read_worse_alone_keeps_its_first_reading() -> None:
    clean, walls, first = _vo_cell(_ruled_table(VO_ONLY))
    ve = OcrOutput("Ve", [OcrWord("Ve", 40, 40, 60, 50, 0.4, (1, 1, 1))], 0.4)
    worse = Repeating([ve])
    assert reread_cells(first, clean, walls, 300, worse, read_region).text == "Vợ"
    assert worse.calls >= 2  # read as a block, then as a line
    failing = FakeEngine(error=EngineFailure("tesseract crashed"))
    assert reread_cells(first, clean, walls, 300, failing, read_region) is first


def test_a_cell_read_as_lines_side_by_side_is_read_as_one_line() -> None:
    clean, walls, first = _vo_cell(_ruled_table(VO_ONLY))
    # psm 6 cut the cell's one line in two, side by side; psm 7 reads it whole.
    cut = join_words([OcrWord("V", 40, 40, 30, 50, 0.95, (1, 1, 1)),
                      OcrWord("ợ", 75, 45, 30, 45, 0.95, (1, 1, 2))])  # fmt: skip
    whole = join_words([OcrWord("Vợ", 40, 40, 60, 50, 0.9, (1, 1, 1))])
    engine = Repeating([cut, whole])
    assert reread_cells(first, clean, walls, 300, engine, read_region).text == "Vợ"
    assert not engine.outputs[:-1]  # the line reading was asked for


@pytest.mark.parametrize("text", ["Con", "Nữ", "2"])
def test_salt_round_a_cells_word_is_cleared_before_it_is_read(
    engine: TesserocrEngine, text: str
) -> None:
    # A cell of a fax's table: one short word among a dozen specks. Tesseract reads it as
    # nothing, or as junk around it; with the salt away from the word cleared, right.
    raw, cleared = 0, 0
    for seed in range(5):
        img = Image.new("L", (340, 92), 255)
        ImageDraw.Draw(img).text((120, 18), text, font=ImageFont.truetype(FONT, 50), fill=0)
        cell = _salted(np.asarray(img), seed=seed, count=14)
        raw += engine.recognize(padded(cell), dpi=300, psm=6).text == text
        cleared += _read_cell(cell, 300, engine, read_region).text == text
    assert raw == 0
    assert cleared >= 4


def test_specks_go_but_marks_and_stops_stay() -> None:
    img = Image.new("L", (600, 160), 255)
    ImageDraw.Draw(img).text((60, 40), "Phạm ấp.", font=ImageFont.truetype(FONT, 50), fill=0)
    word = np.asarray(img).copy()
    salt = word.copy()
    for y, x in ((10, 20), (140, 500), (20, 560), (130, 30)):
        salt[y : y + 3, x : x + 3] = 0
    cleared, letters = _clear_specks(salt, 300)
    assert np.array_equal(cleared, word)  # every mark, the dot below and the stop kept
    # The letters alone: the dot below "ạ", the stop and the hat's small parts are gone.
    lost = (word < 128) & (letters >= 128)
    assert lost.any()
    n, _, stats, _ = cv2.connectedComponentsWithStats((lost * 255).astype(np.uint8))
    assert all(max(s[2], s[3]) < 10 for s in stats[1:])


def test_a_lone_digit_read_alone_must_be_very_sure() -> None:
    # A phone photo's row number "4", read 0.69 in its row, read alone "1" at 0.81.
    clean, walls, first = _vo_cell(_ruled_table(VO_ONLY))
    four = join_words([replace(first.words[0], text="4", confidence=0.69)])
    one = OcrOutput("1", [OcrWord("1", 40, 40, 30, 50, 0.81, (1, 1, 1))], 0.81)
    assert reread_cells(four, clean, walls, 300, Repeating([one]), read_region).text == "4"
    sure = OcrOutput("1", [OcrWord("1", 40, 40, 30, 50, 0.95, (1, 1, 1))], 0.95)
    assert reread_cells(four, clean, walls, 300, Repeating([sure]), read_region).text == "1"


def test_a_sure_word_reaching_into_the_next_cell_is_read_again() -> None:
    # Tesseract ran a cell's word on over the painted-out rule: sure, but not one word.
    clean, walls, first = _vo_cell(_ruled_table(VO_ONLY))
    long = join_words([replace(first.words[0], confidence=0.95, width=400)])
    whole = join_words([OcrWord("Vợ", 40, 40, 60, 50, 0.9, (1, 1, 1))])
    again = reread_cells(long, clean, walls, 300, Repeating([whole]), read_region)
    assert [(w.text, w.width) for w in again.words] == [("Vợ", 60)]
    fits = join_words([replace(first.words[0], confidence=0.95)])
    asking = FakeEngine(error=EngineFailure("must not be asked"))
    assert reread_cells(fits, clean, walls, 300, asking, read_region) is fits


def test_a_reading_with_a_date_that_cannot_be_is_not_taken() -> None:
    # A fax's "13/09/1997" read "13991997" (0.47) in its row and "13/99/1997" (0.81)
    # alone: the row's reading stays, for the number to be read again on its own
    # (pipeline/numberwords.py).
    clean, walls, first = _vo_cell(_ruled_table(VO_ONLY))
    date = join_words([replace(first.words[0], text="13991997", confidence=0.47)])
    bad = join_words([OcrWord("13/99/1997", 40, 40, 250, 50, 0.81, (1, 1, 1))])
    assert reread_cells(date, clean, walls, 300, Repeating([bad]), read_region) is date
    good = join_words([OcrWord("13/09/1997", 40, 40, 250, 50, 0.81, (1, 1, 1))])
    again = reread_cells(date, clean, walls, 300, Repeating([good]), read_region)
    assert again.text == "13/09/1997"


def test_rows_whose_rule_broke_are_read_as_one_cell_line_by_line(
    engine: TesserocrEngine,
) -> None:
    image = _ruled_table()
    for left, right in zip(EDGES, EDGES[1:], strict=False):  # the rule under row 1 gone
        image[20 + ROW_H - 3 : 20 + ROW_H + 4, left + 4 : right - 3] = 255
    rules = find_rules(image, 300)
    walls = rules[0] | rules[1]
    cells = table_cells(walls, 300)
    assert len(cells) == 8  # four of two rows, four of one
    clean = remove_rules(image, rules)
    full = read_region(clean, 300, engine, 6)
    doubted = join_words([replace(w, confidence=0.5) for w in full.words])
    out = reread_cells(doubted, clean, walls, 300, engine, read_region)
    assert [re.findall(r"\w+", line) for line in out.text.splitlines()] == [
        re.findall(r"\w+", " ".join(row)) for row in ROWS
    ]


def test_a_cell_is_its_own_pixels_not_its_box() -> None:
    # A cell wrapped round another (their rules broken so): the outer one's box holds the
    # inner cell, which is not the outer cell's.
    rules = np.zeros((900, 1400), np.uint8)
    rules[50:53, 100:803] = rules[450:453, 100:803] = 255  # top and bottom
    rules[50:453, 100:103] = rules[50:453, 800:803] = 255  # left and right
    rules[200:203, 300:600] = rules[300:303, 300:600] = 255  # the inner cell
    rules[200:303, 300:303] = rules[200:303, 597:600] = 255
    outer, inner = sorted(table_cells(rules, 300), key=lambda c: c.top)
    assert (outer.left, outer.top) == (106, 56) and (inner.left, inner.top) == (306, 206)
    word = OcrWord("x", 450 + MARGIN_PX - 10, 250 + MARGIN_PX - 10, 20, 20, 0.9, (1, 1, 1))
    from pipeline.tablecells import _centre_in

    assert _centre_in(word, inner) and not _centre_in(word, outer)


def test_a_bar_read_from_the_cells_rule_is_taken_off_its_word() -> None:
    clean, walls, first = _vo_cell(_ruled_table(VO_ONLY))
    name = join_words([replace(first.words[0], text="lLê", confidence=0.4)])
    barred = join_words([
        OcrWord("|Lê", 40, 40, 80, 50, 0.9, (1, 1, 1)),
        OcrWord("lỦy", 125, 40, 60, 50, 0.9, (1, 1, 1)),  # an "l" before a capital
        OcrWord("lạ", 190, 40, 40, 50, 0.9, (1, 1, 1)),  # a word's own "l"
        OcrWord("|", 240, 40, 5, 50, 0.9, (1, 1, 1)),
    ])  # fmt: skip
    again = reread_cells(name, clean, walls, 300, Repeating([barred]), read_region)
    assert again.text == "Lê Ủy lạ"
