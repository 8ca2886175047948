from pipeline.extract import extract_fields

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
