"""Negative scans read as positives (pipeline/negative.py)."""

from __future__ import annotations

import numpy as np
from hostile import text_image

from ocr_models.engines import TesserocrEngine
from pipeline.decode import PageInput
from pipeline.evaluate import word_recall
from pipeline.negative import is_negative
from pipeline.ocr import ocr_page

LINES = ["Ủy ban nhân dân tỉnh Bắc Ninh", "Số: 05/QĐ-UBND", "Căn cứ Luật Tổ chức"] * 4


def _page() -> np.ndarray:
    return np.asarray(text_image(LINES, size=(1240, 1000)))


def test_a_negative_is_told_from_a_page_and_from_a_photo_on_a_dark_table() -> None:
    page = _page()
    assert is_negative(255 - page)
    assert not is_negative(page)
    table = np.full((1600, 2000), 40, np.uint8)  # a page in the middle of a dark desk
    table[300:1300, 380:1620] = page
    assert not is_negative(table)
    assert not is_negative(np.full((900, 700), 30, np.uint8))  # one tone: nothing to tell


def test_a_negative_scan_is_read() -> None:
    out = ocr_page(PageInput(1, 255 - _page(), 150), TesserocrEngine())
    assert word_recall(out.text, "\n".join(LINES)) > 0.9
