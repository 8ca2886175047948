import pytest

from pipeline.normalize import (
    normalize_area,
    normalize_digits,
    normalize_doc_number,
    normalize_gender,
    normalize_name,
    parse_date,
)


@pytest.mark.parametrize(
    ("printed", "iso"),
    [
        ("ngày 05 tháng 3 năm 2020", "2020-03-05"),
        ("Hà Nội, ngày 9 tháng 11 năm 2022", "2022-11-09"),
        ("ngay 05 thang 03 nam 2020", "2020-03-05"),  # OCR lost the diacritics
        ("09/11/2022", "2022-11-09"),
        ("9/11/2022", "2022-11-09"),
        ("09-11-2022", "2022-11-09"),
        ("09.11.2022", "2022-11-09"),
        ("2022-11-09", "2022-11-09"),
    ],
)
def test_parse_date_every_printed_form(printed: str, iso: str) -> None:
    assert parse_date(printed) == iso


def test_parse_date_rejects_impossible_dates() -> None:
    assert parse_date("31/02/2020") is None
    assert parse_date("không có ngày") is None


def test_names_keep_case_and_drop_leaders() -> None:
    assert normalize_name(": NGUYỄN VĂN AN ....") == "NGUYỄN VĂN AN"
    assert normalize_name("Lê  Thị   Hoa") == "Lê Thị Hoa"
    assert normalize_name("An") is None  # one word is not a full name


def test_digits_allow_spaces_but_need_exact_length() -> None:
    assert normalize_digits("001 090 012 345", (12,)) == "001090012345"
    assert normalize_digits("12345", (12, 9)) is None


def test_gender_and_area_and_numbers() -> None:
    assert normalize_gender("Nữ / Female") == "Nữ"
    assert normalize_gender("Nam") == "Nam"
    assert normalize_area("123,5 m2") == "123.5"
    assert normalize_area("1.234,5 m²") == "1234.5"
    assert normalize_doc_number("Số: 732/QĐ-UBND") == "732/QĐ-UBND"
    assert normalize_doc_number("45/2020/NĐ-CP") == "45/2020/NĐ-CP"
