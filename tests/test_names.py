"""The family name Nguyễn's lost tilde put back at the start of a name (ocr_models/names.py)."""

from __future__ import annotations

import pytest

from ocr_models.names import surname_marks
from ocr_models.postcorrect import postcorrect


@pytest.mark.parametrize(
    ("read", "meant"),
    [
        # Misreads found in OCR'd generated forms (bilevel TIFFs, scans, phone photos).
        ("Họ, chữ đệm, tên: NGUYÊN QUANG HÙNG", "Họ, chữ đệm, tên: NGUYỄN QUANG HÙNG"),
        ("Bà: NGUYÊN PHƯƠNG DUNG, sinh năm: 1992", "Bà: NGUYỄN PHƯƠNG DUNG, sinh năm: 1992"),
        ("NGUYÊN THỊ THẢO", "NGUYỄN THỊ THẢO"),
        ("Nguyên Quang Sơn", "Nguyễn Quang Sơn"),
        ("Ông Nguyên Văn Phúc", "Ông Nguyễn Văn Phúc"),
        ("name:\nNGUYEN ĐỨC HIẾU", "name:\nNGUYỄN ĐỨC HIẾU"),  # its other words keep marks
        ("Họ và tên: NGUYÊN HỒNG HẰNG Giới tính: Nữ", "Họ và tên: NGUYỄN HỒNG HẰNG Giới tính: Nữ"),
        # The tilde read as an acute: no Vietnamese syllable (a fax page's signer, seed 8383).
        ("Nguyến Hoàng Hải", "Nguyễn Hoàng Hải"),
        ("Ông: NGUYẾN VĂN AN", "Ông: NGUYỄN VĂN AN"),
    ],
)
def test_nguyen_starting_a_name_gets_its_tilde(read: str, meant: str) -> None:
    assert surname_marks(read) == meant


@pytest.mark.parametrize(
    "text",
    [
        "Nguyên nhân chết: Tai nạn giao thông",  # a word, not a name
        "SỞ TÀI NGUYÊN VÀ MÔI TRƯỜNG",  # a capitalised word before it
        "tỉnh Thái Nguyên, huyện Đại Từ",
        "UBND HUYỆN THỦY NGUYÊN",
        "xã Quang Trung, huyện Nguyên Bình, tỉnh Cao Bằng",  # a place after a place word
        "IDVNM0790259521079079025952<<<\nNGUYEN<<HOANG<TRUNG<<<<<<<<<<<",  # a card's MRZ
        "Full name: NGUYEN VAN AN",  # no marks in the name: an English line, leave it
        "NGUYÊN THỊ MINH THANH HÀ",  # more name words than a name has: not sure, leave it
        "Nguyễn Văn An",
    ],
)
def test_other_nguyen_is_left_alone(text: str) -> None:
    assert surname_marks(text) == text


def test_page_text_post_correction_puts_the_tilde_back_and_word_boxes_do_not() -> None:
    assert postcorrect("Người ký\nNguyên Quang Sơn") == "Người ký\nNguyễn Quang Sơn"
    assert postcorrect("Nguyên", context=False) == "Nguyên"  # a lone word has no name around
