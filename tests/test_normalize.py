import pytest

from pipeline.normalize import (
    clean_value,
    normalize_area,
    normalize_authority,
    normalize_digits,
    normalize_doc_number,
    normalize_gender,
    normalize_name,
    numeric_run,
    parse_date,
    repair_family_name,
    words_to_number,
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
    assert parse_date("Ngày sinh: 18/12/2978") is None  # no paper carries that year
    assert parse_date("ngày 05 tháng 3 năm 0020") is None


def test_a_misread_first_digit_of_a_year_is_mended() -> None:
    # A phone photo read `18/12/1978` as `18/12/4978`, and the year went into the record.
    assert parse_date("Ngày sinh: 18/12/4978") == "1978-12-18"
    assert parse_date("Ngày cấp: 20/01/7024") == "2024-01-20"
    assert parse_date("3456-01-02") is None  # neither 19xx nor 20xx: not mended


def test_names_keep_case_and_drop_leaders() -> None:
    assert normalize_name(": NGUYỄN VĂN AN ....") == "NGUYỄN VĂN AN"
    # a leader read as letters after the name (a PDF scan, a fax)
    assert normalize_name("TRẦN KIM BÍCH MY SỐ cấy") == "TRẦN KIM BÍCH MY"
    assert normalize_name("Nguyễn Hữu Bình So") == "Nguyễn Hữu Bình"
    assert normalize_name("Y Thanh Hà Niê") == "Y Thanh Hà Niê"  # a first `Y` stays


@pytest.mark.parametrize(
    ("read", "meant"),
    [
        ("HOÀNG MAINGA", "HOÀNG MAI NGA"),  # one split leaves two syllables
        ("NguyễnMaiHương Ặ", "Nguyễn Mai Hương"),  # split where the case changes; a speck
        ("Phạm ThịThu", "Phạm Thị Thu"),
        ("Ksor Hen Niê", "Ksor Hen Niê"),  # an Ê Đê name: no syllables, no split
        ("Nguyễn Văn A", "Nguyễn Văn A"),
    ],
)
def test_name_words_glued_by_ocr_are_split(read: str, meant: str) -> None:
    assert normalize_name(read) == meant
    assert normalize_name("Lê  Thị   Hoa") == "Lê Thị Hoa"
    assert normalize_name("An") is None  # one word is not a full name


def test_digits_allow_spaces_but_need_exact_length() -> None:
    assert normalize_digits("001 090 012 345", (12,)) == "001090012345"
    assert normalize_digits("12345", (12, 9)) is None


def test_gender_and_area_and_numbers() -> None:
    assert normalize_gender("Nữ / Female") == "Nữ"
    assert normalize_gender("Nam") == "Nam"
    assert normalize_gender("NưỮ") == "Nữ"  # the horned u read twice
    assert normalize_gender("Nuôi") is None  # no gender in another word
    assert normalize_area("123,5 m2") == "123.5"
    assert normalize_area("1.234,5 m²") == "1234.5"
    assert normalize_doc_number("Số: 732/QĐ-UBND") == "732/QĐ-UBND"
    assert normalize_doc_number("45/2020/NĐ-CP") == "45/2020/NĐ-CP"


@pytest.mark.parametrize(
    ("printed", "iso"),
    [
        ("Ngày mười lăm, tháng ba, năm hai nghìn không trăm hai mươi mốt", "2021-03-15"),
        ("ngày mồng năm, tháng tư, năm một nghìn chín trăm chín mươi", "1990-04-05"),
        ("Ngày hai mươi mốt, tháng mười hai, năm hai nghìn linh năm", "2005-12-21"),
        ("ngày mười, tháng năm, năm hai nghìn không trăm mười", "2010-05-10"),
        ("ngay ba muoi, thang gieng, nam mot nghin chin tram tam muoi tu", "1984-01-30"),
    ],
)
def test_parse_date_in_words_as_on_birth_certificates(printed: str, iso: str) -> None:
    assert parse_date(printed) == iso


def test_parse_date_survives_ocr_noise() -> None:
    assert parse_date("18/1 1/2031") == "2031-11-18"  # a space inside the month
    assert parse_date("Hâm nay, ngày : 30 thắng 3 năm 2022") == "2022-03-30"
    assert parse_date("ngày 31/02/2020 hoặc 01/03/2020") == "2020-03-01"


def test_words_to_number() -> None:
    assert words_to_number("hai nghin khong tram hai muoi mot") == 2021
    assert words_to_number("muoi lam") == 15
    assert words_to_number("mot nghin chin tram linh bon") == 1904
    assert words_to_number("khong co") == 0
    assert words_to_number("abc") is None


def test_doc_numbers_repaired_after_ocr() -> None:
    assert normalize_doc_number("68/QĐÐ-UBND") == "68/QĐ-UBND"
    assert normalize_doc_number("5TBUBND - _ ..") == "5/TB-UBND"
    assert normalize_doc_number("9224XN") == "9224/XN"
    assert normalize_doc_number("71") == "71"
    assert normalize_doc_number("'1879/2025/QĐ- UBNP:") == "1879/2025/QĐ-UBND"
    # Doubled letters are real in body codes: only the type code is repaired.
    assert normalize_doc_number("26/UBND-KSTT") == "26/UBND-KSTT"
    assert normalize_doc_number("686/STTTT-CNTT") == "686/STTTT-CNTT"


def test_numeric_fields_fix_letter_digits_only_inside_numbers() -> None:
    assert normalize_digits("CCCD số 001O9OO12345", (12,)) == "001090012345"
    assert normalize_digits("AA7", tuple(range(1, 8))) is None  # not a number: no guess
    assert numeric_run("Phòng 25") == "Phòng 25"


def test_names_stop_at_punctuation_and_fix_family_name_tones() -> None:
    assert normalize_name("HOÀNG THỊ HẰNG, sinh năm: 1991") == "HOÀNG THỊ HẰNG"
    assert normalize_name("Nguyên Hoàng Tiến Hưng ˆ") == "Nguyễn Hoàng Tiến Hưng"
    assert normalize_name("khai sinh cho con") is None
    assert normalize_name("Phan Thị Giang li s j") == "Phan Thị Giang"
    assert normalize_name("Trần Thu Hạnh Sn N") == "Trần Thu Hạnh"


def test_a_speck_glued_before_a_family_name_in_capitals_goes() -> None:
    assert normalize_name("IPHAN MẠNH ĐỨC") == "PHAN MẠNH ĐỨC"
    assert normalize_name("Lê Văn Ích") == "Lê Văn Ích"  # a real word starting with I stays
    assert normalize_name("LÊ VĂN IN") == "LÊ VĂN IN"


def test_a_speck_before_a_family_name_is_not_part_of_the_name() -> None:
    assert normalize_name("Ì Đinh Văn Duy") == "Đinh Văn Duy"
    assert normalize_name("Y Thanh Hà Niê") == "Y Thanh Hà Niê"  # an Ê Đê name starts with Y
    assert normalize_name("NGUYỄN VĂN A") == "NGUYỄN VĂN A"


@pytest.mark.parametrize(
    ("printed", "expected"),
    [
        ("ỦY BAN NHÂN DÂN PHƯỜNG VĨNH NIỆM", "Ủy ban nhân dân phường Vĩnh Niệm"),
        ("TM. ỦY BẠN NHÂN DÂN TÍNH BẮC NINH", "Ủy ban nhân dân tỉnh Bắc Ninh"),
        ("CÔNG AN PHƯỜNG TRẢNG DÀI", "Công an phường Trảng Dài"),
        ("SỞ TƯ PHÁP", "Sở Tư pháp"),
        ("PHÒNG ĐĂNG KÝ KINH DOANH", "Phòng Đăng ký kinh doanh"),
        ("UBND tỉnh Bắc Ninh", "Ủy ban nhân dân tỉnh Bắc Ninh"),
        ("Ủy ban nhân dân xã Hòa Nhơn", "Ủy ban nhân dân xã Hòa Nhơn"),
    ],
)
def test_authority_in_sentence_case(printed: str, expected: str) -> None:
    assert normalize_authority(printed) == expected


def test_clean_value_drops_leaders_and_debris() -> None:
    assert clean_value(": Việt Nam .........") == "Việt Nam"
    assert clean_value("Cấp Giấy xác nhận. l") == "Cấp Giấy xác nhận"


@pytest.mark.parametrize(
    ("printed", "iso"),
    [("22I06I1989", "1989-06-22"), ("Ngày sinh: 21/1I1958 Giới tính", "1958-01-21"),
     ("21l01l1958", "1958-01-21")],
)  # fmt: skip
def test_a_slash_read_as_a_letter_still_separates_a_date(printed: str, iso: str) -> None:
    assert parse_date(printed) == iso


def test_glued_and_debris_dates() -> None:
    assert parse_date("Sinh ngày:27/121995 .") == "1995-12-27"
    assert parse_date("ngày 05 tháng 11 năm „' '2019 .") == "2019-11-05"


@pytest.mark.parametrize(
    ("printed", "name"),
    [("Hoàng Văn Đức SỐ", "Hoàng Văn Đức"), ("TRẦN MINH DŨNG Ki", "TRẦN MINH DŨNG"),
     ("NGUYỄN VĂN AN", "NGUYỄN VĂN AN"), ("Nguyễn Văn A", "Nguyễn Văn A")],
)  # fmt: skip
def test_a_name_keeps_one_case_style(printed: str, name: str) -> None:
    assert normalize_name(printed) == name


def test_debris_before_a_name_or_an_address_goes() -> None:
    # A card photographed alone: its portrait, beside the lines, reads as a letter or mark.
    assert normalize_name("Z NGUYÊN THANH ĐỨC") == "NGUYỄN THANH ĐỨC"
    assert normalize_name("Z LE QUANG BINH") == "LÊ QUANG BINH"
    assert normalize_name("Y NGÔNG NIÊ KDĂM") == "Y NGÔNG NIÊ KDĂM"  # an Ê Đê name's Y stays
    # A speck glued on as a lower-case letter (a multi-page TIFF, seed 8383).
    assert normalize_name("lLê Văn Cường") == "Lê Văn Cường"
    assert normalize_name("iNGUYỄN THỊ HOA") == "NGUYỄN THỊ HOA"
    assert clean_value("# Số 169 đường Lý Chính Thắng, Quận 3") == (
        "Số 169 đường Lý Chính Thắng, Quận 3"
    )
    assert clean_value("( Ấp Thượng, xã Bắc Sơn") == "Ấp Thượng, xã Bắc Sơn"
    assert clean_value("(Bản sao)") == "(Bản sao)"  # a bracket that belongs to the value


def test_dates_with_a_stray_letter_or_a_slash_read_as_one() -> None:
    assert parse_date("Đồng Anh, ngày 03 tháng g 3 năm. 2005") == "2005-03-03"
    assert parse_date("Thắng, ngày 11 tháng 7r năm ì 2020") == "2020-07-11"
    assert parse_date("Ngày, tháng, năm sinh 27/0511942") == "1942-05-27"
    assert parse_date("11/1119901") is None  # no plausible year after the `1`


def test_debris_after_a_value_and_a_symbol_split_by_a_space() -> None:
    assert clean_value("— Có đăng ký kết hôn, vợ/chồng đã chết - 1") == (
        "Có đăng ký kết hôn, vợ/chồng đã chết"
    )
    assert clean_value("thành phố Hà Nội k") == "thành phố Hà Nội"
    assert clean_value("Xóm 2 - 3") == "Xóm 2 - 3"  # numbers after a dash are a value
    assert normalize_doc_number("1366/UBN D-TP") == "1366/UBND-TP"
    assert normalize_authority("Ủy BAN NHÂN DÂN HUYỆN HOẰNG HÓA") == (
        "Ủy ban nhân dân huyện Hoằng Hóa"
    )


def test_a_word_with_a_letter_the_family_name_lacks_is_not_that_name() -> None:
    # `phố Hà Nội` (a wrapped `thành phố`) on an old CMND was taken for the signer `Phó Hà
    # Nội`: its ô is a letter, not a slipped mark. Case and tones slip; so do all marks.
    assert repair_family_name("phố") is None
    assert repair_family_name("phân") is None
    assert [repair_family_name(w) for w in ("phó", "trần", "tran", "hô", "dang", "đương")] == [
        "Phó", "Trần", "Trần", "Hồ", "Đặng", "Dương",
    ]  # fmt: skip
