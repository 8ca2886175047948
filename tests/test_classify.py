import pytest

from pipeline.classify import classify

HEADER = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"


@pytest.mark.parametrize(
    ("text", "doc_type"),
    [
        ("CĂN CƯỚC CÔNG DÂN\nSố / No.: 001090012345\nHọ và tên / Full name:", "citizen_id_card"),
        (
            HEADER + "GIẤY KHAI SINH\nHọ, chữ đệm, tên: Lê Văn Bình\nQuyển số: 01/2021",
            "birth_certificate",
        ),
        (HEADER + "GIẤY CHỨNG NHẬN KẾT HÔN\nHọ, chữ đệm, tên chồng", "marriage_certificate"),
        (HEADER + "GIẤY XÁC NHẬN TÌNH TRẠNG HÔN NHÂN", "marital_status_certificate"),
        (HEADER + "TRÍCH LỤC KHAI TỬ", "death_extract"),
        (HEADER + "XÁC NHẬN THÔNG TIN VỀ CƯ TRÚ\nMẫu CT07", "residence_confirmation"),
        ("SỔ HỘ KHẨU\nHọ và tên chủ hộ: Trần Văn Nam", "household_book"),
        (
            HEADER + "GIẤY CHỨNG NHẬN QUYỀN SỬ DỤNG ĐẤT\nThửa đất số: 12\nTờ bản đồ số: 4",
            "land_use_certificate",
        ),
        (
            HEADER + "GIẤY CHỨNG NHẬN ĐĂNG KÝ DOANH NGHIỆP\nMã số doanh nghiệp: 0100047516",
            "business_registration",
        ),
        (
            "ỦY BAN NHÂN DÂN\nSố: 732/QĐ-UBND\n" + HEADER + "QUYẾT ĐỊNH\nVề việc ...\nĐiều 1.",
            "administrative_decision",
        ),
        (
            "SỞ THÔNG TIN VÀ TRUYỀN THÔNG\nSố: 686/STTT-CNTT\nV/v triển khai hệ thống",
            "official_letter",
        ),
        (HEADER + "ĐƠN ĐỀ NGHỊ\nKính gửi: UBND xã\nTôi làm đơn này", "application_form"),
        (HEADER + "GIẤY ỦY QUYỀN\nBên ủy quyền: ...\nBên được ủy quyền: ...", "power_of_attorney"),
        (
            "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ\nMã hồ sơ: H10.22.15-240315-0042",
            "dossier_receipt",
        ),
    ],
)
def test_title_decides_type(text: str, doc_type: str) -> None:
    result = classify(text)
    assert result.doc_type == doc_type
    assert 0.5 <= result.confidence <= 1.0


def test_without_diacritics_still_classified() -> None:
    assert classify("GIAY KHAI SINH\nQuyen so: 01").doc_type == "birth_certificate"


def test_unknown_text_is_other_with_low_confidence() -> None:
    result = classify("Biên bản họp tổ dân phố về vệ sinh môi trường")
    assert result.doc_type == "other"
    assert result.confidence < 0.6


def test_decision_that_mentions_land_is_still_a_decision() -> None:
    text = (
        "ỦY BAN NHÂN DÂN HUYỆN GIA LÂM\nSố: 15/QĐ-UBND\n" + HEADER + "QUYẾT ĐỊNH\n"
        "Về việc cấp Giấy chứng nhận quyền sử dụng đất\n"
        "Điều 1. Cấp giấy chứng nhận cho thửa đất số 5"
    )
    assert classify(text).doc_type == "administrative_decision"
