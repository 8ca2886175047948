import pytest

from pipeline.extract import EXTRACTORS, extract_fields, fields_allowed
from pipeline.models import DOC_TYPES, FIELD_NAMES, FieldValue, PageText, Word
from pipeline.normalize import family_from_tail

ID_CARD = """CĂN CƯỚC CÔNG DÂN
Số / No.: 001090012345
Họ và tên / Full name:
NGUYỄN VĂN AN
Ngày sinh / Date of birth: 05/03/1990 Giới tính / Sex: Nam
Quốc tịch / Nationality: Việt Nam
Quê quán / Place of origin: Xã An Bình, Huyện Thuận An, Bình Dương
Nơi thường trú / Place of residence: 12 Lê Lợi, Phường 1, Quận 3, TP. Hồ Chí Minh
Có giá trị đến: 05/03/2030"""


def _values(doc_type: str, text: str) -> dict[str, str]:
    return {k: v.value for k, v in extract_fields(doc_type, text).items()}


def test_id_card_fields_with_value_below_label() -> None:
    v = _values("citizen_id_card", ID_CARD)
    assert v["id_number"] == "001090012345"
    assert v["full_name"] == "NGUYỄN VĂN AN"
    assert v["date_of_birth"] == "1990-03-05"
    assert v["gender"] == "Nam"
    assert v["place_of_residence"] == "12 Lê Lợi, Phường 1, Quận 3, TP. Hồ Chí Minh"
    assert v["expiry_date"] == "2030-03-05"


def test_labels_survive_lost_diacritics() -> None:
    noisy = (
        "GIAY KHAI SINH\nHo, chu dem, ten: Trần Thị Mai\n"
        "Ngay, thang, nam sinh: ngày 7 tháng 8 năm 2019"
    )
    v = _values("birth_certificate", noisy)
    assert v["full_name"] == "Trần Thị Mai"
    assert v["date_of_birth"] == "2019-08-07"


def test_birth_certificate_parents_are_not_the_child() -> None:
    text = (
        "GIẤY KHAI SINH\nSố: 45\nQuyển số: 01/2021\n"
        "Họ, chữ đệm, tên: Lê Minh Khoa\nNgày, tháng, năm sinh: 02/01/2021\n"
        "Họ, chữ đệm, tên người cha: Lê Văn Hùng\nHọ, chữ đệm, tên người mẹ: Phạm Thị Thu\n"
    )
    v = _values("birth_certificate", text)
    assert v["full_name"] == "Lê Minh Khoa"
    assert v["father_name"] == "Lê Văn Hùng"
    assert v["mother_name"] == "Phạm Thị Thu"
    assert v["document_number"] == "45"
    assert v["book_number"] == "01/2021"


def test_decision_header_number_date_and_subject() -> None:
    text = (
        "ỦY BAN NHÂN DÂN TỈNH BẮC NINH\nSố: 732/QĐ-UBND\nBắc Ninh, ngày 05 tháng 3 năm 2020\n"
        "QUYẾT ĐỊNH\nVề việc phê duyệt kế hoạch chuyển đổi số năm 2020\nĐiều 1. Phê duyệt"
    )
    v = _values("administrative_decision", text)
    assert v["document_number"] == "732/QĐ-UBND"
    assert v["issue_date"] == "2020-03-05"
    assert v["subject"] == "phê duyệt kế hoạch chuyển đổi số năm 2020"


def test_absent_label_gives_no_field() -> None:
    v = _values("citizen_id_card", "CĂN CƯỚC CÔNG DÂN\nNGUYỄN VĂN AN\n001090012345")
    assert "full_name" not in v
    assert "date_of_birth" not in v


def test_a_card_name_under_a_label_read_as_debris_is_taken() -> None:
    # A chip card sent by fax (seed 8383): the label's two languages came out as debris,
    # the name in bold capitals below them did not.
    card = (
        "CĂN CƯỚC .\nIDENTITY CARD '\n"
        "Sổ định danh cả nhân / Personal (đentificatior hinbeT:\n079093483107\n"
        "Ca Hợ, chữ đệm và tên khai { Suưname, miìddle and gen\nTế, Hữme:\n"
        "LÊ CÔNG TIẾN '\nNgày, tháng, nắm sinh / Đa(e of bừth: 03/04/1993 -\n"
    )
    assert _values("citizen_id_card", card)["full_name"] == "LÊ CÔNG TIẾN"
    # Only a line that is a name and nothing else, starting with a family name.
    for line in ("BỘ CÔNG AN", "LÊ CÔNG TIẾN 12", "CÔNG TIẾN LÊ", "Lê Công Tiến đã ký"):
        assert "full_name" not in _values("citizen_id_card", card.replace("LÊ CÔNG TIẾN '", line))


def test_land_and_business_fields() -> None:
    land = "Thửa đất số: 125   Tờ bản đồ số: 7\nDiện tích: 123,5 m2\nSố phát hành: CS 123456"
    v = _values("land_use_certificate", land)
    assert (v["land_parcel_number"], v["map_sheet_number"]) == ("125", "7")
    assert v["land_area_m2"] == "123.5"
    assert v["certificate_serial"] == "CS 123456"
    biz = "Mã số doanh nghiệp: 0100047516\nĐăng ký lần đầu: ngày 12 tháng 5 năm 2015"
    v = _values("business_registration", biz)
    assert v["business_code"] == "0100047516"
    assert v["first_registration_date"] == "2015-05-12"


def _fields(doc_type: str, text: str) -> dict[str, FieldValue]:
    return extract_fields(doc_type, text)


def test_every_doc_type_has_a_registered_extractor() -> None:
    assert set(EXTRACTORS) == set(DOC_TYPES)
    for extractor in EXTRACTORS.values():
        assert callable(extractor)
        assert fields_allowed("other") <= set(FIELD_NAMES)


def test_noisy_bilingual_card_labels_with_value_below() -> None:
    card = (
        "CĂN CƯỚC\nSð định danh cá nhân / Persondl Identfficgtlon number:\n046071673577\n"
        "Họ. chữ đệm và tên khai-sinh 7 Surngme, middle onđ given ngme:\nHUỲNH HỮU PHÚC\n"
        "4đ Ngày sinh / Date oƒ bírth: 16/11/1971\n"
        "Giới tính / Sex: Nam Quốc tịch Nơtionaliy: Việt Nam\n"
        "Nơi cư trú / P[face oƒ restderice:\n"
        "Số 43, ngõ 122 Nguyễn Thị Minh Khai, phường\nHưng Bình, thành phố Vinh, tỉnh Nghệ An\n"
        "Quê quán / Place oƒ origin Xã Phú Thượng, huyện Phú Vang\n"
        "Ngày, tháng, năm hết hạn / 0ơte oƑ egplry:\n18/1 1/2031\n"
    )
    v = _values("citizen_id_card", card)
    assert v["id_number"] == "046071673577"
    assert v["full_name"] == "HUỲNH HỮU PHÚC"
    assert v["date_of_birth"] == "1971-11-16"
    assert (v["gender"], v["nationality"]) == ("Nam", "Việt Nam")
    assert v["place_of_residence"] == (
        "Số 43, ngõ 122 Nguyễn Thị Minh Khai, phường Hưng Bình, thành phố Vinh, tỉnh Nghệ An"
    )
    assert v["place_of_origin"] == "Xã Phú Thượng, huyện Phú Vang"
    assert v["expiry_date"] == "2031-11-18"


def test_garbled_english_label_half_is_not_part_of_the_value() -> None:
    # A 150 dpi card: the English half of the label is read as non-words, colon lost.
    card = (
        "CĂN CƯỚC CÔNG DÂN\nSố / No - 066303191774\n"
        "Quê quần / Pl@ce óy ólginc Phường Tân Lợi, thành phố Buôn Ma Thuột\n"
    )
    assert _values("citizen_id_card", card)["place_of_origin"] == (
        "Phường Tân Lợi, thành phố Buôn Ma Thuột"
    )
    below = "CĂN CƯỚC\nQuê quần / Pl@ce óy ólginc\nPhường Tân Lợi, thành phố Buôn Ma Thuột\n"
    assert _values("citizen_id_card", below)["place_of_origin"] == (
        "Phường Tân Lợi, thành phố Buôn Ma Thuột"
    )


def test_a_number_under_a_label_whose_english_half_is_garbled_past_recognition() -> None:
    # A 200 dpi gray card copy (cardmix seed 031): no slash, no English word left to see.
    card = (
        "CĂN CƯỚC\nSỐ định danh cá nhân ¡ Persorla) kenficatiôn number\n001090472705\n"
        "Ngày, tháng, năm cấp / Dàtè øf ìssuè\n22/10/2025\n"
    )
    v = _values("citizen_id_card", card)
    assert (v["id_number"], v["issue_date"]) == ("001090472705", "2025-10-22")
    # A label with words but no number beside it takes no number from a labelled line.
    labelled = "CĂN CƯỚC\nSỐ định danh cá nhân ¡ Persorla) kenficatiôn\nGiới tính / Sex: Nam\n"
    assert "id_number" not in _values("citizen_id_card", labelled)


@pytest.mark.parametrize(
    ("read", "meant"),
    [
        ("648175451304", "048175451304"),  # a dotted zero read as 6 (Liberation Mono)
        ("979185864885", "079185864885"),
        ("866171563806", "066171563806"),
        ("666171563806", "066171563806"),
        ("048175451304", "048175451304"),  # right as read
        ("698175451304", "698175451304"),  # 098 is no province: left for review to flag
        ("148175451304", "148175451304"),  # a 1 is no zero's shape
        ("648175451", "648175451"),  # an old 9-digit CMND has no province code
    ],
)
def test_a_personal_ids_first_zero_read_as_a_six_eight_or_nine(read: str, meant: str) -> None:
    card = f"Số định danh cá nhân: {read}\n"
    assert _values("application_form", f"ĐƠN ĐỀ NGHỊ\n{card}")["id_number"] == meant


@pytest.mark.parametrize(
    ("read", "field", "value"),
    [
        # The slash lost or read as a letter (a gray TIFF, 150 dpi cards, seed 1602/1601).
        ("Nơi thường trú Place Of reSidorice Số 238 đường Lê Lợi, tỉnh Thanh Hóa",
         "place_of_residence", "Số 238 đường Lê Lợi, tỉnh Thanh Hóa"),
        ("Nơi thường trú f Place of fesidertce Xóm 9, xã Kiêu Kỵ, huyện Gia Lâm",
         "place_of_residence", "Xóm 9, xã Kiêu Kỵ, huyện Gia Lâm"),
        ("Quê quán Place uf origin, Xã Song An, huyện Vũ Thư",
         "place_of_origin", "Xã Song An, huyện Vũ Thư"),
        ("Nơi thường trú P'â@oc£ cý residence\nẤp Hạ, xã Tân Thới, thành phố Cần Thơ",
         "place_of_residence", "Ấp Hạ, xã Tân Thới, thành phố Cần Thơ"),
        # A value that starts with a Vietnamese word keeps English words after it.
        ("Nơi thường trú Số 5 Place Residence Tower, phường Bến Nghé", "place_of_residence",
         "Số 5 Place Residence Tower, phường Bến Nghé"),
    ],
)  # fmt: skip
def test_an_english_label_half_without_its_slash_is_not_part_of_the_value(
    read: str, field: str, value: str
) -> None:
    card = f"CĂN CƯỚC CÔNG DÂN\nSố / No - 066303191774\n{read}\n"
    assert _values("citizen_id_card", card)[field] == value


def test_fuzzy_label_match_scores_lower_than_a_clean_one() -> None:
    clean = _fields("application_form", "Ngày sinh: 05/03/1990\nNơi thường trú: Số 1 Lê Lợi")
    noisy = _fields("application_form", "Ngàv sinh: 05/03/1990\nNoi thuang tru: Số 1 Lê Lợi")
    assert noisy["date_of_birth"].value == clean["date_of_birth"].value == "1990-03-05"
    assert noisy["place_of_residence"].value == "Số 1 Lê Lợi"
    assert noisy["date_of_birth"].confidence < clean["date_of_birth"].confidence


def test_ocr_word_confidence_lowers_field_confidence() -> None:
    text = "Tên tôi là: Bùi Văn Tiến"
    sure = [Word(w, 0, 0, 1, 1, 0.97) for w in text.split()]
    unsure = [Word(w, 0, 0, 1, 1, 0.35) for w in text.split()]
    high = extract_fields("application_form", text, [PageText(1, text, 0.9, "ocr", sure)])
    low = extract_fields("application_form", text, [PageText(1, text, 0.4, "ocr", unsure)])
    assert high["full_name"].confidence > low["full_name"].confidence


def test_birth_certificate_boxed_layout_and_date_in_words() -> None:
    text = (
        "HUYỆN PHÚ VANG\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
        "ỦY BAN NHÂN DÂN .- Độc lập - Tự do - Hạnh phúc\nTHỊ TRẤN THUẬN AN :\nSố:30\n"
        "Quyển số: 02/2005\nGIẤY KHAI SINH\nHọ, chữ đệm, tên PHẠM THANH HUYỀN -\n"
        "ghi bằng chữ: Ngày mười ba, tháng mười một, năm hai nghìn không trăm linh bốn\n"
        "Giới tính\nNữ\nHọ, chữ đệm, tên người mẹ\nNGUYỄN KIM LAN\nNơi cư trú\n| Năm sinh -|1986\n"
        "Giấy tờ tùy thân\n_ |CMND số 113036176\n"
        "Nơi đăng ký khai sinh\nỦy ban nhân dân thị trấn Thuận An '\n"
        "Ngày, tháng, năm đăng ký\n01/01/2005\n"
    )
    v = _values("birth_certificate", text)
    assert v["full_name"] == "PHẠM THANH HUYỀN"
    assert v["date_of_birth"] == "2004-11-13"  # only printed in words here
    assert v["gender"] == "Nữ"
    assert v["mother_name"] == "NGUYỄN KIM LAN"
    assert (v["document_number"], v["book_number"]) == ("30", "02/2005")
    assert v["issuing_authority"] == "Ủy ban nhân dân thị trấn Thuận An"
    assert v["issue_date"] == "2005-01-01"
    assert "id_number" not in v  # the declarant's CMND is not the child's ID
    assert "place_of_residence" not in v  # a parent's residence; `Năm sinh` is not its value


def test_marriage_columns_split_and_spouses_are_not_the_signer() -> None:
    text = (
        "Số: 185\nQuyển số: 02/2025\nGIẤY CHỨNG NHẬN KẾT HÔN\n"
        "Họ, chữ đệm, tên chồng: ¬ Họ; chữ đệm, tên VỢ: -\n"
        "NGUYỄN QUANG HOÀNG TOÀN LÊ THỊ QUỲNH\n"
        "Ngày, tháng, năm sinh: 24/04/1986 Ngày, tháng, năm sinh: 13/05/1988\n"
        "Ngày, tháng, năm đăng ký: 18/10/2025\n"
        "Chồng Vợ NGƯỜI KÝ GIẤY CHỨNG NHẬN KẾT HÔN\nNguyễn Quang Lê Thị\n"
        "Trần Hoàng Trung\nPhó Chủ tịch\n"
    )
    v = _values("marriage_certificate", text)
    assert v["husband_name"] == "NGUYỄN QUANG HOÀNG TOÀN"
    assert v["wife_name"] == "LÊ THỊ QUỲNH"
    assert v["signer_name"] == "Trần Hoàng Trung"
    assert v["issue_date"] == "2025-10-18"
    assert "date_of_birth" not in v  # a marriage certificate has no single main person


def test_two_column_header_read_across() -> None:
    text = (
        "ỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
        "TỈNH NGHỆ AN Độc lập - Tự do - Hạnh phúc\n"
        "Số: 68/QĐÐ-UBND Nghệ An, ngày 29 tháng 9 năm 2025\nQUYẾT ĐỊNH\n"
        "Về việc cấp Giấy phép xây dựng nhà ở riêng lẻ cho hộ bà Nguyễn\nPhương Hạnh\n"
        "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH NGHỆ AN\n"
        "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;\n"
        "Điều 1. Cấp Giấy phép.\nNơi nhận: KT. CHỦ TỊCH\n- Như Điều 3;\n- Lưu: VT, UBND.\n"
        "PHÓ CHỦ TỊCH\n| Ngô Trọng Tiến\n"
    )
    v = _values("administrative_decision", text)
    assert v["document_number"] == "68/QĐ-UBND"
    assert v["issue_date"] == "2025-09-29"
    assert v["issuing_authority"] == "Ủy ban nhân dân tỉnh Nghệ An"
    assert v["subject"] == "cấp Giấy phép xây dựng nhà ở riêng lẻ cho hộ bà Nguyễn Phương Hạnh"
    assert v["full_name"] == "Nguyễn Phương Hạnh"
    assert v["signer_name"] == "Ngô Trọng Tiến"


def test_authority_under_a_parent_body_and_letters_without_slash() -> None:
    text = (
        "THÀNH PHỐ HẢI PHÒNG CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
        "_ UỶBANNHÂN DÂN . Độc lập - Tự do - Hạnh phúc\nPHƯỜNG VĨNH NIỆM ` | _ : TT.\n"
        "Số:5TBUBND - _ .. Hải Phòng, ngày 31 tháng 7 năm 2025\nTHÔNG BÁO\n"
        "Về việc tăng cường tiếp nhận hồ sơ trực tuyến\n"
    )
    v = _values("official_letter", text)
    assert v["issuing_authority"] == "Ủy ban nhân dân phường Vĩnh Niệm"
    assert v["document_number"] == "5/TB-UBND"
    assert v["subject"] == "tăng cường tiếp nhận hồ sơ trực tuyến"


@pytest.mark.parametrize(
    ("body", "authority"),
    [("CÔNG AN XÃ PHI MÔ", "Công an xã Phi Mô"), ("CÔNG AN XÃ HÒA AN", "Công an xã Hòa An")],
)
def test_a_commune_police_header_is_no_motto(body: str, authority: str) -> None:
    # `cong an xa phi mo` is 79 % like the motto's first 17 letters: it was cut out as one.
    text = (
        f"CÔNG AN HUYỆN LẠNG GIANG\n{body}\nSố: 4381/XN\n"
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
        "Bắc Giang, ngày 19 tháng 10 năm 2023\nXÁC NHẬN\nTHÔNG TIN VỀ CƯ TRÚ\n"
    )
    v = _values("residence_confirmation", text)
    assert v["issuing_authority"] == authority


def test_a_motto_read_beside_the_body_is_still_cut_off() -> None:
    text = (
        "ỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
        "XÃ PHI MÔ Độc lập - Tự do - Hạnh phúc\n"
        "Số: 12/QĐ-UBND\nQUYẾT ĐỊNH\n"
    )
    assert _values("administrative_decision", text)["issuing_authority"] == (
        "Ủy ban nhân dân xã Phi Mô"
    )


def test_police_body_not_a_title_that_folds_alike() -> None:
    text = "BỘ CÔNG AN\nCÔNG AN HUYỆN HOẰNG HÓA\nSỔ HỘ KHẨU\nSố: 330706449\n"
    v = _values("household_book", text)
    assert v["issuing_authority"] == "Công an huyện Hoằng Hóa"
    assert v["document_number"] == "330706449"


def test_receipt_fields_and_no_issue_date_from_its_place_line() -> None:
    text = (
        "UBND THỊ TRẤN NÚI ĐÈO CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
        "Núi Đèo, ngày 24 tháng 4 năm 2025\nMã hồ sơ: H26.36.34-250424-4596\n"
        "Ông/Bà: Nguyễn Minh Nhung\nNội dung yêu cầu giải quyết: Chứng thực bản sao từ bản "
        "chính giấy tờ,\nvăn bản\n"
        "4. Thời gian nhận hồ sơ: 09 giờ 25 phút, ngày 24 tháng 4 năm 2025\n"
        "5. Thời gian trả kết quả giải quyết hồ sơ: 14 giờ 00 phút, ngày 08 tháng\n5 năm 2025\n"
        "6. Vào Sổ theo dõi hồ sơ, Quyển số: 03, Số thứ tự: 250\n"
    )
    v = _values("dossier_receipt", text)
    assert v == {
        "dossier_code": "H26.36.34-250424-4596",
        "full_name": "Nguyễn Minh Nhung",
        "procedure_name": "Chứng thực bản sao từ bản chính giấy tờ, văn bản",
        "received_date": "2025-04-24",
        "appointment_date": "2025-05-08",
    }


def test_land_serial_alone_and_owner_after_title() -> None:
    text = (
        "Bà: HOÀNG THỊ HẰNG, sinh năm: 1991\nCCCD số: 048191458169\n"
        "a) Thửa đất số: 643; tờ bản đồ s số:. 18\nbỵĐia chỉ: Phường Tân Lợi, tỉnh Đắk Lắk\n"
        "c) Diện tích: 44,5 m2 (Bằng chữ: Bốn mươi tư phẩy năm mét vuông)\nCH 750217\n"
    )
    v = _values("land_use_certificate", text)
    assert v["full_name"] == "HOÀNG THỊ HẰNG"
    assert v["id_number"] == "048191458169"
    assert (v["land_parcel_number"], v["map_sheet_number"]) == ("643", "18")
    assert v["land_address"] == "Phường Tân Lợi, tỉnh Đắk Lắk"
    assert v["land_area_m2"] == "44.5"
    assert v["certificate_serial"] == "CH 750217"


@pytest.mark.parametrize(
    ("printed", "serial"), [("CHÍ 553695", "CH 553695"), ("©S 426142", "CS 426142")]
)
def test_a_serial_with_a_mark_from_the_seal_or_a_bold_c(printed: str, serial: str) -> None:
    text = f"KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\nNguyễn Đức Hưng\n{printed}\nSố vào sổ cấp GCN: CS26647\n"
    assert _values("land_use_certificate", text)["certificate_serial"] == serial


def test_application_subject_and_date_but_not_the_card_issue_date() -> None:
    text = (
        "ĐƠN ĐỀ NGHỊ\nV/v cấp bản sao trích lục khai sinh\nTên tôi là: Bùi Văn Hữu Tiến\n"
        "Ngày cấp: 07/08/2021 Nơi cấp: Cục Cảnh sát\n"
        "Hố Nai, ngày 30 tháng 01 năm 2024\nNGƯỜI LÀM ĐƠN\n(Ký, ghi rõ họ tên)\nBùi Văn Hữu Tiến\n"
    )
    v = _values("application_form", text)
    assert v["procedure_name"] == "cấp bản sao trích lục khai sinh"
    assert v["issue_date"] == "2024-01-30"
    assert v["signer_name"] == "Bùi Văn Hữu Tiến"


def test_no_field_is_invented() -> None:
    assert _values("official_letter", "Kính gửi: các phòng\nNơi nhận:\n- Như trên;") == {}
    assert _values("land_use_certificate", "a) Thửa đất số: AA7") == {}
    assert _values("birth_certificate", "Họ, chữ đệm, tên\nNgày, tháng, năm sinh") == {}
    text = "Đăng ký lần đầu: ngày 02 tháng 01 năm 2024\nĐăng ký thay: đổi lần thứ: 8, ngày 24 gr"
    assert "issue_date" not in _values("business_registration", text)


def test_header_and_place_lines_damaged_by_ocr() -> None:
    text = (
        "BỘ CÔNG AN\nCÔNG AN QUẬN HOÀNG MAI\nSỔ HỘ KHẨU\n_. Sốt 330706449 '\n"
        "Họ và tên chủ hộ: Hồ Xuân Long\n"
        "Nơi thường trú: Số 96/31 Tô Hiệu, phường Dư Hàng Kênh, quận Lê\n"
        "Chân, thành phố Hải Phòng : anh\nLê Chân Trg _ 29 tháng 11 năm 2021\n"
    )
    v = _values("household_book", text)
    assert v["document_number"] == "330706449"
    assert v["place_of_residence"] == (
        "Số 96/31 Tô Hiệu, phường Dư Hàng Kênh, quận Lê Chân, thành phố Hải Phòng"
    )
    assert v["issue_date"] == "2021-11-29"
    assert v["full_name"] == "Hồ Xuân Long"


def test_body_text_dates_are_not_the_issue_date() -> None:
    text = (
        "QUYẾT ĐỊNH\nCăn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;\n"
        "4. Thời gian nhận hồ sơ: 09 giờ 25 phút, ngày 24 tháng 4 năm 2025\n"
    )
    assert "issue_date" not in _values("administrative_decision", text)


def test_boxed_form_read_as_a_label_column_then_a_value_column() -> None:
    text = (
        "Họ, chữ đệm, tên\nNgày, tháng, năm sinh\nGiới tính\nDân tộc\nQuốc tịch\n"
        "TRÍCH LỤC KHAI TỬ\nHOÀNG THỊ HIỀN\n29/08/1940\nNữ\nKinh\nViệt Nam\n"
    )
    v = _values("death_extract", text)
    assert v["full_name"] == "HOÀNG THỊ HIỀN"
    assert v["date_of_birth"] == "1940-08-29"
    assert (v["gender"], v["ethnicity"], v["nationality"]) == ("Nữ", "Kinh", "Việt Nam")


def test_label_wrapped_in_a_narrow_box_and_value_below() -> None:
    text = (
        "Giấy này có giá trị sử\ndụng đến ngày\n28/01/2026\nNgày, tháng, năm đăng\nký\n11/06/2018"
    )
    v = _values("marital_status_certificate", text)
    assert v["expiry_date"] == "2026-01-28"
    assert v["issue_date"] == "2018-06-11"


def test_a_signer_who_shares_two_names_with_a_spouse_is_still_the_signer() -> None:
    text = (
        "GIẤY CHỨNG NHẬN KẾT HÔN\nHọ, chữ đệm, tên chồng:\nNguyễn Ngọc Hoàng\n"
        "Họ, chữ đệm, tên vợ:\nTạ Thị Loan\nNgày, tháng, năm đăng ký\n06/11/2023\n"
        "NGƯỜI KÝ GIẤY CHỨNG NHẬN KẾT\nHÔN\n(Ký, ghi rõ họ, chữ đệm, tên, chức vụ và đóng dấu)\n"
        "Nguyễn Ngọc Tạ Thị Loan\nHoàng\nNguyễn Hoàng Thanh Trung\nPhó Chủ tịch\n"
    )
    v = _values("marriage_certificate", text)
    assert (v["husband_name"], v["wife_name"]) == ("Nguyễn Ngọc Hoàng", "Tạ Thị Loan")
    assert v["signer_name"] == "Nguyễn Hoàng Thanh Trung"


def test_a_family_name_tail_is_read_back_only_when_one_name_ends_so() -> None:
    assert family_from_tail("ần") == "Trần" and family_from_tail("uyễn") == "Nguyễn"
    assert family_from_tail("ân") is None  # no tone: `Thân`, or `Trần` without its grave
    assert family_from_tail("ương") is None  # Dương, Trương, Lương, Vương, Khương
    assert family_from_tail("ễ") is None  # one letter


@pytest.mark.parametrize(
    ("printed", "name"),
    [("Hồ.-Đức Thành", "Hồ Đức Thành"), ("1ê Tiến Anh", "Lê Tiến Anh")],
)
def test_a_signer_name_with_a_misread_stroke(printed: str, name: str) -> None:
    text = f"XÁC NHẬN\nKT. TRƯỞNG CÔNG AN\nPHÓ TRƯỞNG CÔNG AN\n{printed}\n"
    assert _values("residence_confirmation", text)["signer_name"] == name


@pytest.mark.parametrize(
    ("doc_type", "text", "signer"),
    [
        pytest.param(
            "citizen_id_card",
            "TRƯỞNG CỤC CẢNH SÁT\nCHÍNH VỀ TRẬT TỰ XÃ HỘI\n\n“Nguyễn “Thanh Hiếu\n",
            "Nguyễn Thanh Hiếu",
            id="seal arcs read as quotes",
        ),
        pytest.param(
            "residence_confirmation",
            "KT. TRƯỞNG CÔNG AN\nPHÓ TRƯỞNG CÔNG AN\ntrần Văn Cường\n",
            "Trần Văn Cường",  # not the nearest other family name, Thân
            id="family name lost its capital",
        ),
        pytest.param(
            "citizen_id_card",
            "Ngón trỏ trái Ngón trỏ phải\n\nVỀ TỰ\nHồ Thị Quỳnh\n\n"
            "IDVNM1963355325966196335532<<<\n9002236F3002234VNM<<<<<<<<<<<5\n"
            "DO<<PHUONG<MINH<THAO<<<<<<<<<<\n",
            "Hồ Thị Quỳnh",
            id="title lost, machine-readable zone below",
        ),
        pytest.param(
            "land_use_certificate",
            "3. Ghi chú: -\nYên Phong, ngày 20 tháng 4 năm 2023\n"
            ".ITM. -ỦY BẠN NHÂN DÂN HUYỆN:\n: Nguyễn Thanh Hưng\nDB 237068\n\n"
            "Số vào sổ cấp GCN: CS88203\n",
            "Nguyễn Thanh Hưng",
            id="signature mark behind a speck",
        ),
        pytest.param(
            "administrative_decision",
            "TM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH\nÌ Đinh Văn Duy\n",
            "Đinh Văn Duy",
            id="speck before the name",
        ),
        pytest.param(
            "death_extract",
            "NGƯỜI KÝ TRÍCH LỤC\n(Ký, ghi rõ họ, chữ đệm, tên, chức vụ và đóng dấu)\n"
            "rần Thị Ngọc\nPhó Chủ tịch\n",
            "Trần Thị Ngọc",
            id="a ring took the family name's first letters (seed 2626)",
        ),
        pytest.param(
            "residence_confirmation",
            "KT. TRƯỞNG CÔNG AN\nPHÓ TRƯỞNG CÔNG AN\nLÊ Mạnh Thắng\n",
            "Lê Mạnh Thắng",
            id="family name read in capitals (seed 6161)",
        ),
    ],
)
def test_a_signer_read_but_damaged_is_still_taken(doc_type: str, text: str, signer: str) -> None:
    assert _values(doc_type, text)["signer_name"] == signer


OLD_CMND = (
    "GIẤY CHỨNG MINH NHÂN DÂN\n=4 SỐ 255815335\nHọ tên NGUYỄN THỊ THẢO\n"
    "Sinh ngày 29-11-1954\n"
    "Pr ẤN Nguyên quán Xã Phi Mô, huyện Lạng Giang, tỉnh Bắc Giang\n"
    "“Pa Nơi ĐKHK-thường trú Tổ 10, thị trấn Vôi, huyện Lạng Giang, tỉnh Bắc Giang\n"
    "Dân tộc Kinh Tôn giáo Không\nDẤU VẾT RIÊNG VÀ DỊ HÌNH\nNốt ruồi cách 1,5cm sau cánh mũi\n"
    "NGÓN TRỎ TRÁI NGÓN TRỎ PHẢI\nNgày 12 tháng 12 năm 2012\nGIÁM ĐỐC CA TỈNH BẮC GIANG\n"
    "Nguyễn Văn An\n"
)


def test_old_cmnd_labels_without_colons_behind_debris_from_the_photo() -> None:
    assert _values("citizen_id_card", OLD_CMND) == {
        "id_number": "255815335",
        "full_name": "NGUYỄN THỊ THẢO",
        "date_of_birth": "1954-11-29",
        "place_of_origin": "Xã Phi Mô, huyện Lạng Giang, tỉnh Bắc Giang",
        "place_of_residence": "Tổ 10, thị trấn Vôi, huyện Lạng Giang, tỉnh Bắc Giang",
        "ethnicity": "Kinh",
        "issue_date": "2012-12-12",
        "signer_name": "Nguyễn Văn An",
    }
    damaged = OLD_CMND.replace("“Pa Nơi ĐKHK-thường trú", "Nơi ĐRHk: thường trủ")
    assert _values("citizen_id_card", damaged)["place_of_residence"].startswith("Tổ 10")


def test_the_name_nguyen_quan_is_not_the_old_origin_label() -> None:
    text = "Họ và tên: Trần Văn Bình\nNguyễn Quân Anh\nTổ 5, phường Hà Khẩu"
    assert "place_of_origin" not in _values("citizen_id_card", text)
    assert "place_of_origin" not in _values("birth_certificate", "Bà Nguyễn Quân, sinh năm 1990")


def test_spouse_columns_kept_apart_by_a_separator() -> None:
    text = (
        "Họ, chữ đệm, tên: chồng: : ¬ - Họ, chữ đệm, tên vợ: -\n"
        "Nguyễn Trọng Bình - Phan Thanh Nhung\n"
    )
    v = _values("marriage_certificate", text)
    assert (v["husband_name"], v["wife_name"]) == ("Nguyễn Trọng Bình", "Phan Thanh Nhung")


def test_running_text_is_not_a_damaged_label() -> None:
    text = (
        "GIẤY XÁC NHẬN\nTÌNH TRẠNG HÔN NHÂN\n"
        "Ủy ban nhân dân xã A xét đề nghị của bà B, về việc xác nhận\n"
        "tình trạng hôn.nhân cho người có tên dưới đây, :\nXÁC NHẬN:\n"
    )
    assert "marital_status" not in _values("marital_status_certificate", text)


def test_wrapped_value_stops_at_the_next_section() -> None:
    text = (
        "Họ và tên: Lê Hải Yến\nĐịa chỉ thường trú: Xóm 1, thị trấn Vũ Thư, tỉnh Thái Bình,\n"
        "II. BÊN ĐƯỢC ỦY QUYỀN (Bên B)\nHọ và tên: Lê Thị Chi\n"
    )
    v = _values("power_of_attorney", text)
    assert v["place_of_residence"] == "Xóm 1, thị trấn Vũ Thư, tỉnh Thái Bình"
    assert v["full_name"] == "Lê Hải Yến"  # the first party is the main person


def test_a_numbered_item_behind_a_speck_is_not_the_value_s_continuation() -> None:
    text = (
        "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ\nMã hồ sơ: H26.36.34-250424-4596\n"
        "Nội dung yêu cầu giải quyết: Cấp giấy phép xây dựng nhà ở riêng lẻ\n"
        "ị 1. Thành phần hồ sơ nộp gồm\n"
    )
    assert _values("dossier_receipt", text)["procedure_name"] == (
        "Cấp giấy phép xây dựng nhà ở riêng lẻ"
    )


def test_a_table_header_under_a_short_value_is_not_its_continuation() -> None:
    text = (
        "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ\nMã hồ sơ: H26.36.34-250424-4596\n"
        "Nội dung yêu cầu giải quyết: Đăng ký thường trú\n"
        "l TT Tên giấy tờ Hình thức Số lượng\n1 Căn cước công dân Bản sao 01\n"
    )
    assert _values("dossier_receipt", text)["procedure_name"] == "Đăng ký thường trú"


@pytest.mark.parametrize(
    ("printed", "group"),
    [("Kinh", "Kinh"), ("Kinhh", "Kinh"), ("Gia Rai", "Gia Rai"), ("Ê Đê Tôn giáo: Không", "Ê Đê"),
     ("Bru - Vân Kiều", "Bru - Vân Kiều"), ("Hoa", "Hoa"), ("Knh", "Kinh")],
)  # fmt: skip
def test_ethnicity_is_one_of_the_54_groups(printed: str, group: str) -> None:
    card = f"CĂN CƯỚC CÔNG DÂN\nSố: 001190012345\nDân tộc: {printed}\n"
    assert _values("citizen_id_card", card)["ethnicity"] == group


@pytest.mark.parametrize("junk", ["<r£i", "K1nh?", "|||"])
def test_junk_read_for_the_ethnicity_is_no_ethnicity(junk: str) -> None:
    card = f"CĂN CƯỚC CÔNG DÂN\nSố: 001190012345\nDân tộc: {junk}\n"
    assert "ethnicity" not in _values("citizen_id_card", card)


def test_a_boxed_row_of_short_facts_without_colons() -> None:
    text = (
        "GIẤY KHAI SINH\nHọ, chữ đệm, tên NGUYỄN THỊ HIỀN\nNgày, tháng, năm sinh 17/11/1992\n"
        "Giới tính Nữ Dân tộc Kinh Quốc tịch Việt Nam\n"
        "Họ, chữ đệm, tên người mẹ TRẦN THỊ LOAN\nNăm sinh 1969 Dân tộc Tày Quốc tịch Việt Nam\n"
    )
    v = _values("birth_certificate", text)
    assert (v["gender"], v["ethnicity"], v["nationality"]) == ("Nữ", "Kinh", "Việt Nam")


def test_row_labels_in_running_text_are_not_fields() -> None:
    # Mid-line words that spell a label, on a line that does not start with one.
    text = "GIẤY KHAI SINH\nCăn cứ quy định về dân tộc Kinh và quốc tịch Việt Nam của công dân\n"
    v = _values("birth_certificate", text)
    assert "ethnicity" not in v and "nationality" not in v


def test_a_bilingual_name_label_is_one_field_not_two_columns() -> None:
    # "MAI" is also a family name: the name must not be split as husband | wife.
    card = (
        "CĂN CƯỚC\nSố định danh cá nhân / Personal identification number:\n079190975160\n"
        "Họ, chữ đệm và tên khai sinh / Surname, middle and given name:\nNGUYỄN HẢI MAI MY\n"
    )
    assert _values("citizen_id_card", card)["full_name"] == "NGUYỄN HẢI MAI MY"


def test_a_table_rule_or_card_edge_before_a_label_is_not_text() -> None:
    form = (
        "GIẤY XÁC NHẬN\nTÌNH TRẠNG HÔN NHÂN\nÌ Họ, chữ đệm, tên Lê Văn Cường | | |\n"
        "Dậnôc ˆ |Kinh |\nQuốctch 7 - ¡Việt Nam _\n"
    )
    v = _values("marital_status_certificate", form)
    assert (v["full_name"], v["ethnicity"], v["nationality"]) == (
        "Lê Văn Cường",
        "Kinh",
        "Việt Nam",
    )
    card = "CĂN CƯỚC\nhb Giới tính / Sex Nam Quốc tịch / Nationaiity' Việt Nam\n"
    v = _values("citizen_id_card", card)
    assert (v["gender"], v["nationality"]) == ("Nam", "Việt Nam")


def test_a_lower_case_number_word_is_running_text_not_a_label() -> None:
    text = (
        "GIẤY XÁC NHẬN\nTÌNH TRẠNG HÔN NHÂN\nSố: 534\n"
        "Tình trạng hôn nhân: Đã đăng ký kết hôn, nhưng đã ly hôn theo Bản án '\n"
        "số 45/2019/HNGĐ-ST.\nGiấy này được cấp để: làm thủ tục mua bán nhà đất\n"
    )
    v = _values("marital_status_certificate", text)
    assert v["document_number"] == "534"
    assert v["marital_status"].endswith("Bản án số 45/2019/HNGĐ-ST")


def test_a_label_wrapped_in_a_table_column_gets_its_tail_back() -> None:
    business = (
        "GIẤY CHỨNG NHẬN ĐĂNG KÝ DOANH NGHIỆP\n"
        "Tên công ty viết bằng CÔNG TY TNHH ĐẦU TƯ VÀ PHÁT TRIỂN\ntiếng Việt THÀNH CÔNG\n"
        "Tên công ty viết bằng THANH CONG INVESTMENT AND\ntiếng nước ngoài DEVELOPMENT CO\n"
    )
    v = _values("business_registration", business)
    assert v["business_name"] == "CÔNG TY TNHH ĐẦU TƯ VÀ PHÁT TRIỂN THÀNH CÔNG"
    residence = "XÁC NHẬN\nTHÔNG TIN VỀ CƯ TRÚ\nGiấy xác nhận có giátr 20/07/2023\nđến ngày\n"
    assert _values("residence_confirmation", residence)["expiry_date"] == "2023-07-20"
    for printed in ('có giá trị sử dụng 03/03/2017 " |\nđến', "có giảtrjsư 03/03/2017 |\ndụng đến"):
        marital = f"GIẤY XÁC NHẬN\nTÌNH TRẠNG HÔN NHÂN\nGiấy này {printed} ngày\n"
        assert _values("marital_status_certificate", marital)["expiry_date"] == "2017-03-03"


def test_signature_body_and_serial_with_ocr_punctuation() -> None:
    land = (
        "GIẤY CHỨNG NHẬN\nQUYỀN SỬ DỤNG ĐẤT\nHoằng Hóa, ngày 01 tháng 7 năm 2023\n"
        "TM. Ủy! BAN NHÂN DÂN HUYỆN\n~HOẰNG HÓA '\nHồ Thùy Dung\nCT. 634468\n"
    )
    v = _values("land_use_certificate", land)
    assert v["issuing_authority"] == "Ủy ban nhân dân huyện Hoằng Hóa"
    assert v["certificate_serial"] == "CT 634468"
    letter = "CÔNG VĂN\nSố: 12/UBND-VP\nV/ tăng cường tiếp nhận hồ sơ trực tuyến\nKính gửi: X\n"
    assert _values("official_letter", letter)["subject"] == "tăng cường tiếp nhận hồ sơ trực tuyến"


def test_a_name_in_capitals_wrapped_in_a_narrow_column() -> None:
    text = (
        "GIẤY CHỨNG NHẬN KẾT HÔN\nHọ, chữ đệm, tên chồng:\nNGUYỄN MẠNH TRỌNG\nLONG\n"
        "Ngày, tháng, năm sinh:\n04/04/1999\nHọ, chữ đệm, tên vợ:\nHOÀNG HẢI HÀ\n"
        "Ngày, tháng, năm sinh:\n30/11/1996\n"
    )
    v = _values("marriage_certificate", text)
    assert (v["husband_name"], v["wife_name"]) == ("NGUYỄN MẠNH TRỌNG LONG", "HOÀNG HẢI HÀ")
    card = "CĂN CƯỚC\nHọ và tên / Full name:\nNGUYỄN VĂN AN\nIDVNM0889263880001088926388<<<\n"
    assert _values("citizen_id_card", card)["full_name"] == "NGUYỄN VĂN AN"


@pytest.mark.parametrize("label", ["CCCD số", "CŒCD số", "CCD số", "CCCTD) số"])
def test_land_owner_id_under_a_misread_cccd_label(label: str) -> None:
    text = f"Ông: LÊ XUÂN QUÂN, sinh năm: 1960\n{label}: 048060950173\nĐịa chỉ thường trú: Số 39"
    assert _values("land_use_certificate", text)["id_number"] == "048060950173"


def test_a_label_under_a_wrapped_line_keeps_its_words() -> None:
    # `tại ngày … Tình` fuzzily made `ngày sinh`: the label below lost its first word.
    text = (
        "GIẤY XÁC NHẬN\nTÌNH TRẠNG HÔN NHÂN\nHọ, chữ đệm, tên Vũ Thị Hoa\n"
        "Trong thời gian cư trú Ủy ban nhân dân phường Tây Lộc từ\n"
        "tại ngày 22/02/2025 đến ngày 26/07/2025\n"
        "Tình trạng hôn nhân Hiện tại chưa đăng ký kết hôn với ai.\n"
        "Giấy này được cấp để làm thủ tục đăng ký kết hôn\n"
    )
    v = _values("marital_status_certificate", text)
    assert v["marital_status"] == "Hiện tại chưa đăng ký kết hôn với ai"
    assert "date_of_birth" not in v


def test_an_id_number_glued_to_its_label() -> None:
    text = (
        "TRÍCH LỤC KHAI TỬ\nHọ, chữ đệm, tên: LÊ VĂN CƯỜNG\n"
        "Giấy tờ tùy thân — CCCDsố066073457136\nQuốc tịch: Việt Nam\n"
    )
    assert _values("death_extract", text)["id_number"] == "066073457136"


@pytest.mark.parametrize("dash", ["—", "-", "–"])
def test_a_dash_read_between_a_label_and_its_date(dash: str) -> None:
    # A fax reads the leader or colon before the value as a dash.
    text = f"XÁC NHẬN\nGiấy xác nhận có giá trị đến {dash} 28/02/2025\n"
    assert _values("residence_confirmation", text)["expiry_date"] == "2025-02-28"
    card = f"CĂN CƯỚC CÔNG DÂN\nNgày sinh / Date of birth{dash} 11/10/1986\n"
    assert _values("citizen_id_card", card)["date_of_birth"] == "1986-10-11"


@pytest.mark.parametrize(
    "text",
    [
        # Two-column table read across: the label's tail alone on the line below ...
        "Nội dung yêu cầu giải Đăng ký khai tử\nquyết\n1. Thành phần hồ sơ nộp gồm:\n",
        # ... or joined after the value by the narrow-box rule.
        "Nội dung yêu cầu giải Đăng ký khai tử quyết\n1. Thành phần hồ sơ nộp gồm:\n",
    ],
)
def test_a_sentence_case_value_before_its_labels_wrapped_tail(text: str) -> None:
    receipt = f"GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ\n{text}"
    assert _values("dossier_receipt", receipt)["procedure_name"] == "Đăng ký khai tử"


def test_a_labels_tail_alone_on_the_line_below_its_value() -> None:
    text = (
        "GIẤY CHỨNG NHẬN ĐĂNG KÝ DOANH NGHIỆP\n"
        "Tên công ty viết bằng CÔNG TY CỔ PHẦN VẬN TẢI NAM VIỆT\ntiếng Việt\n"
        "Tên công ty viết bằng NAM VIET TRANSPORT JOINT STOCK\ntiếng nước ngoài COMPANY\n"
    )
    assert _values("business_registration", text)["business_name"] == (
        "CÔNG TY CỔ PHẦN VẬN TẢI NAM VIỆT"
    )


def test_a_cards_english_date_label_with_a_speck_before_its_last_word_is_found() -> None:
    # A 150 dpi card (seed 2626): the Vietnamese half lost its first word and a mark, the
    # English half reads `Date of (issue`, and the date is on the next line.
    card = "CĂN CƯỚC\nthắng, năm cấp / Date of (issue-\n17/07/2025\n"
    assert _values("citizen_id_card", card)["issue_date"] == "2025-07-17"
    card = "CĂN CƯỚC\nnăm hết hạn / Date of (expiry- 08/07/2034\n"
    assert _values("citizen_id_card", card)["expiry_date"] == "2034-07-08"


_CARD_BACK = (
    "Đặc điểm nhân dạng / Personal identification:\n"
    "Ngày, tháng, năm / Date, month, year: 27/10/2021\n"
)


@pytest.mark.parametrize(
    ("signing", "signer"),
    [
        # Debris of the seal's arcs before the name (a fax, seed 1602 file 017).
        ("TRƯỞNG CỤC CẢNH SÁT\nzQUANt ÑH CHẾNH VỀ TRÁT TỰ) XÃ HỘI\nÁ* xe\n“=„x~”, Trần Duy Dũng",
         "Trần Duy Dũng"),
        # A signature stroke read as a dash (file 027).
        ("TRƯỞNG CỤC CẢNH SÁT\n'NH CHÍNH VỀ TRẬT TỰ XÃ HỘI\nlÁi\n- Nguyễn Công Hoàng",
         "Nguyễn Công Hoàng"),
        # The old CMND's fingerprint boxes read across to the name beside them (file 015).
        ("ÁM ĐỐC CA THÀNH PHỐ HÀ NỘI\nNGÓN TRO TRÁI NGÓN TRỞ PHẢI Hoàng Thu Dung",
         "Hoàng Thu Dung"),
        # Not a signer: the family name lost, or a name in capitals (the holder's).
        ("Á/ ĐỐC CA THÀNH PHỐ CẦN THƠ\nNgọc Bình", None),
        ("TRƯỞNG CỤC CẢNH SÁT\n| n Thanh Quang Phong", None),
        ("TRƯỞNG CỤC CẢNH SÁT\n- NGUYỄN HỮU PHÚC", None),
    ],
)  # fmt: skip
def test_a_cards_signer_is_the_name_that_ends_a_line_after_its_signing_area(
    signing: str, signer: str | None
) -> None:
    card = f"CĂN CƯỚC CÔNG DÂN\nHọ và tên / Full name: NGUYỄN HỮU PHÚC\n{_CARD_BACK}{signing}\n"
    assert _values("citizen_id_card", card).get("signer_name") == signer


def test_a_wrapped_city_is_no_signer_on_an_old_cmnd() -> None:
    # Generator seed 1603 file 016, a phone photo: `thành` / `phố Hà Nội - - -` at the end.
    front = (
        "GIẤY CHỨNG MINH NHÂN DÂN\nSỐ 312104531\nHọ tên LÊ NGỌC CƯỜNG\n"
        "Nơi ĐKHK thường trú Xóm 8, xã Đa Tốn, huyện Gia Lâm, thành\n"
        "phố Hà Nội - - - - - - «+ «+ + + + * +11 1£ +2\n"
    )
    assert "signer_name" not in _values("citizen_id_card", front)


@pytest.mark.parametrize(
    ("line", "nationality"),
    [
        ("Giới thiểy ( Sex Nữ Quốc tích Naưonofify- Việt Nam", "Việt Nam"),  # 150 dpi card
        ("Cơ tính ý Sex: Nứ Quốc tịch / Ngtonglity Việt Nam", "Việt Nam"),
        ("Quốc tịch: Lào", "Lào"),  # a label read right still gives what it says
        ("Cơ tính ý Sex: Nứ Quốc tịch / Ngtonglity", None),  # nothing to go by
    ],
)
def test_a_cards_nationality_behind_a_garbled_english_half(
    line: str, nationality: str | None
) -> None:
    card = f"CĂN CƯỚC CÔNG DÂN\nSố / No.: 001090012345\n{line}\n"
    assert _values("citizen_id_card", card).get("nationality") == nationality
