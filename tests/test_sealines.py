"""Lines a seal ring runs into, read again alone (pipeline/sealines.py)."""

from __future__ import annotations

import cv2
import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from ocr_models.engines import (
    EngineFailure,
    OcrEngine,
    OcrOutput,
    OcrWord,
    TesserocrEngine,
    join_words,
    moved,
)
from pipeline.marklines import MARGIN_PX
from pipeline.ocr import read_region
from pipeline.ringcut import rings_near
from pipeline.sealines import reread_near_seals

BOLD = "/usr/share/fonts/truetype/liberation2/LiberationSerif-Bold.ttf"
TITLE, NAME = "PHÓ GIÁM ĐỐC", "Bùi Quang Tuấn"
RING = (560, 430, 205)  # centre x, y and outer radius: its bottom touches the name's "B"


def _block(ring: bool = True) -> np.ndarray:
    """A signer's title and name at 300 dpi, a black (fax) seal ring reaching the name."""
    img = Image.new("L", (1500, 860), 255)
    draw = ImageDraw.Draw(img)
    font = ImageFont.truetype(BOLD, 50)
    draw.text((560, 120), TITLE, font=font, fill=0)
    draw.text((600, 622), NAME, font=font, fill=0)
    page = np.asarray(img).copy()
    if ring:
        cx, cy, r = RING
        cv2.circle(page, (cx, cy), r - 6, 0, 12)
        cv2.circle(page, (cx, cy), r - 40, 0, 4)
    return page


def _name_read_badly(engine: OcrEngine) -> list[OcrWord]:
    """The block's words as a page reading that lost the name to the ring gives them.

    The name's first two words become one junk word over them and the ring ("Nà", 0.0),
    as Tesseract read a fax page of seed 5151. (The boxes are read where no ring is.)
    """
    clear = read_region(_block(ring=False), 300, engine, 6)
    words = moved(clear.words, -MARGIN_PX, -MARGIN_PX)
    name = [w for w in words if w.text in NAME.split()]
    assert [w.text for w in name] == NAME.split()  # the block itself reads
    first, second, last = name
    junk = OcrWord(
        "Nà", first.left - 40, first.top - 180, second.left + second.width - first.left + 40,
        first.height + 180, 0.0, last.line,
    )  # fmt: skip
    return [w for w in words if w not in name] + [junk, last]


def _text(words: list[OcrWord]) -> str:
    return join_words(words).text


def test_a_name_the_ring_runs_into_is_read_again() -> None:
    engine = TesserocrEngine()
    page = _block()
    words = _name_read_badly(engine)
    assert NAME not in _text(words)
    again = reread_near_seals(words, page, 300, engine, read_region)
    assert _text(again).splitlines()[-1] == NAME
    assert TITLE in _text(again)  # the title line, read well, stays as it was
    tuan = [w for w in again if w.text == "Tuấn"][0]
    assert 600 < tuan.left < 1300 and 600 < tuan.top < 700  # boxes on the page


class _Recording:
    """A `read` that records its calls and returns a canned reading."""

    def __init__(self, out: OcrOutput | None = None, error: Exception | None = None):
        self.out, self.error, self.calls = out, error, 0

    def __call__(self, crop: np.ndarray, dpi: int, engine: OcrEngine, psm: int) -> OcrOutput:
        self.calls += 1
        if self.error is not None:
            raise self.error
        assert self.out is not None
        return self.out


def test_a_line_no_ring_comes_near_is_not_read_again() -> None:
    engine = TesserocrEngine()
    page = _block(ring=False)
    words = _name_read_badly(engine)
    read = _Recording(OcrOutput(NAME, [], 0.97))
    assert reread_near_seals(words, page, 300, engine, read) is words
    assert read.calls == 0


def _word(text: str, left: int, confidence: float) -> OcrWord:
    return OcrWord(text, left, 40, 120, 60, confidence, (1, 1, 1))


@pytest.mark.parametrize(
    "reading",
    [
        [_word("Tuấn", 300, 0.99)],  # only the junk dropped: no better
        [_word("xq", 30, 0.9), _word("zz", 150, 0.9), _word("Tuấn", 300, 0.99)],  # junk again
    ],
)
def test_a_reading_that_is_no_better_leaves_the_line(reading: list[OcrWord]) -> None:
    engine = TesserocrEngine()
    page = _block()
    words = _name_read_badly(engine)
    read = _Recording(OcrOutput("", reading, 0.9))
    assert reread_near_seals(words, page, 300, engine, read) is words
    assert read.calls == 2  # as it is and with the ring cut out


def test_an_engine_failure_leaves_the_line() -> None:
    engine = TesserocrEngine()
    page = _block()
    words = _name_read_badly(engine)
    read = _Recording(error=EngineFailure("tesseract crashed"))
    assert reread_near_seals(words, page, 300, engine, read) is words
    assert read.calls == 1


def test_a_ring_is_found_near_the_lines_and_fitted_on_the_page() -> None:
    page = _block()  # its outer ring: radius 199, 12 px thick, so 193-205 about (560, 430)
    rings = rings_near([(600, 630, 960, 680)], page, 300)
    assert len(rings) == 1
    cx, cy, inner, outer = rings[0]
    assert abs(cx - 560) <= 1.5 and abs(cy - 430) <= 1.5  # the 75 dpi search is ±4 px
    assert abs(inner - 193) <= 2 and abs(outer - 205) <= 2
    assert rings_near([(600, 630, 960, 680)], _block(ring=False), 300) == []
