import cv2
import numpy as np
import pytest
from hostile import FONT
from PIL import Image, ImageDraw, ImageFont

from ocr_models.engines import TesserocrEngine, tesserocr_available
from pipeline.decode import PageInput
from pipeline.dewarp import straighten_lines
from pipeline.evaluate import word_recall
from pipeline.ocr import ocr_page

LINES = [
    "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015 và",
    "Luật sửa đổi, bổ sung một số điều của Luật Tổ chức Chính phủ năm 2019;",
    "Căn cứ Nghị định số 61/2018/NĐ-CP ngày 23 tháng 4 năm 2018 của Chính phủ",
    "về thực hiện cơ chế một cửa, một cửa liên thông trong giải quyết thủ tục;",
    "Theo đề nghị của Trưởng phòng Nội vụ tại Tờ trình số 880/TTr-UBND ngày",
    "12 tháng 3 năm 2024 về việc ban hành Quy chế tiếp nhận hồ sơ hành chính.",
    "Điều 1. Ban hành kèm theo Quyết định này Quy chế tiếp nhận, giải quyết hồ",
    "sơ thủ tục hành chính tại Bộ phận Một cửa của Ủy ban nhân dân cấp xã.",
]
TOPS = [200 + 120 * i for i in range(len(LINES))]  # far enough apart to tell bent lines apart
needs_tesserocr = pytest.mark.skipif(not tesserocr_available(), reason="tesserocr not installed")


HEADER_LEFT = ["ỦY BAN NHÂN DÂN", "XÃ TÂN THỚI", "Số: 125/QĐ-UBND"]
HEADER_RIGHT = ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]


def _page(header: bool = False) -> np.ndarray:
    """A 300 dpi A4 page of eight long lines of 14 pt text, under a Decree-30 header."""
    img = Image.new("L", (2480, 1500 if header else 1200), 255)
    draw = ImageDraw.Draw(img)
    font = ImageFont.truetype(FONT, 58)
    for column, x in ((HEADER_LEFT, 250), (HEADER_RIGHT, 1250)) if header else ():
        for i, line in enumerate(column):
            draw.text((x, 120 + 70 * i), line, font=font, fill=0)
    for top, line in zip(TOPS, LINES, strict=True):
        draw.text((200, top + (350 if header else 0)), line, font=font, fill=0)
    return np.asarray(img)


def _curled(page: np.ndarray, bow: float = 28.0) -> np.ndarray:
    """The page as a sheet bowed up in the middle and lifted at its right edge."""
    h, w = page.shape
    ys, xs = np.mgrid[0:h, 0:w].astype(np.float32)
    dy = bow * np.sin(np.pi * xs / w) ** 2 + 0.6 * bow * np.exp(-(((w - xs) / (w * 0.08)) ** 2))
    return cv2.remap(page, xs, ys - dy, cv2.INTER_LINEAR, borderValue=255)


def _centres(page: np.ndarray) -> np.ndarray:
    """Ink centre row of each text line in each of five strips across it."""
    ink = page < 128
    out = []
    for top in TOPS:
        band = ink[top - 30 : top + 100]
        rows = np.arange(band.shape[0])
        for strip in np.array_split(band[:, 200:1600], 5, axis=1):
            weights = strip.sum(axis=1)
            out.append(float((rows * weights).sum() / weights.sum()))
    return np.array(out)


def _drift(page: np.ndarray) -> float:
    """How far, at most, a line's ink has moved up or down from where the flat page has it
    (less the shift of the whole line: only its bend counts)."""
    moved = (_centres(page) - _centres(_page())).reshape(len(TOPS), 5)
    return float(np.abs(moved - moved.mean(axis=1, keepdims=True)).max())


def test_a_flat_page_is_left_as_it_is() -> None:
    page = _page()
    assert straighten_lines(page) is page


def test_bowed_lines_are_made_level() -> None:
    curled = _curled(_page())
    assert _drift(curled) > 12
    out = straighten_lines(curled)
    assert out.shape == curled.shape
    assert _drift(out) < 3


def test_a_slight_bow_is_left_alone() -> None:
    slight = _curled(_page(), bow=4.0)  # a tenth of the line height: Tesseract reads it
    assert straighten_lines(slight) is slight


@needs_tesserocr
def test_a_curled_page_reads_as_a_flat_one() -> None:
    # Read bent, 0.955 of the words (the header's columns run into the bent lines); read
    # straightened, as flat.
    truth = "\n".join(HEADER_LEFT + HEADER_RIGHT + LINES)
    flat = ocr_page(PageInput(1, _page(header=True), 300), TesserocrEngine())
    curled = ocr_page(PageInput(1, _curled(_page(header=True), 40), 300), TesserocrEngine())
    assert word_recall(flat.text, truth) > 0.97
    assert word_recall(curled.text, truth) > 0.97
