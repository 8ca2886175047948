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


def test_old_cmnd_is_a_citizen_id_card() -> None:
    text = (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
        "GIẤY CHỨNG MINH NHÂN DÂN\nSỐ 197060732\nHọ tên NGUYỄN HỮU CƯỜNG\n"
        "Nguyên quán Phường Tây Lộc, thành phố Huế"
    )
    assert classify(text).doc_type == "citizen_id_card"


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


# --- robustness: OCR noise, missing diacritics, other papers that mention a type ---

CARD_BACK = (
    "Đặc điểm nhân dạng / Personal identification:\nNốt ruồi C:1cm trên trước cánh mũi phải\n"
    "Ngày, tháng, năm / Date, month, year: 26/05/2021\nCỤC TRƯỞNG CỤC CẢNH SÁT\n"
    "QUẢN LÝ HÀNH CHÍNH VỀ TRẬT TỰ XÃ HỘI\nNgón trỏ trái Ngón trỏ phải\n"
    "IDVNM0303702799027303702799<<<"
)


@pytest.mark.parametrize(
    ("text", "doc_type"),
    [
        (
            "CONG HOA XA HOI CHU NGHIA VIET NAM\nTRICH LUC KHAI TU\nHo, chu dem, ten:",
            "death_extract",
        ),
        (
            "UY BAN NHAN DAN\nSo: 12/QD-UBND\nQUYET DINH\nVe viec ...\nDieu 1.",
            "administrative_decision",
        ),
        ("_ SỔHÔKHÂU .\nHọ và tên chủ hộ: Nguyễn Công Anh\nNHỮNG NGƯỜI TRONG HỘ", "household_book"),
        (
            "¬ CẮNCƯƠC. -..\nSố định danh cá nhân / Personal identification number",
            "citizen_id_card",
        ),
        (
            "GIÂY CHỨNG NHẬN ĐĂNG KÝ DOANH NGHIÊP\nMã số doanh nghiêp: 0100047516",
            "business_registration",
        ),
        (
            "Số: '26/UBND-KSTT\nV/ tăng cường tiếp nhận hồ sơ trực tuyến\nKính gửi: Các phòng",
            "official_letter",
        ),
        (CARD_BACK, "citizen_id_card"),
    ],
)
def test_noisy_and_unaccented_texts(text: str, doc_type: str) -> None:
    assert classify(text).doc_type == doc_type
    assert classify(text, use_model=False).doc_type == doc_type


def test_form_to_register_a_death_is_an_application_not_the_extract() -> None:
    text = (
        HEADER
        + "TỜ KHAI ĐĂNG KÝ KHAI TỬ\nKính gửi: Ủy ban nhân dân xã\nHọ, chữ đệm, tên người khai"
    )
    assert classify(text).doc_type == "application_form"


def test_letter_about_receiving_dossiers_is_not_a_receipt() -> None:
    text = (
        "ỦY BAN NHÂN DÂN THÀNH PHỐ\nSố: 26/UBND-KSTT\nV/v tăng cường tiếp nhận hồ sơ trực tuyến\n"
        "Kính gửi: Các phòng chuyên môn\nBộ phận Một cửa tiếp nhận hồ sơ và trả kết quả"
    )
    assert classify(text).doc_type == "official_letter"


def test_a_receipt_qr_code_proves_the_type() -> None:
    result = classify("Ông/Bà: Lê Văn An\nĐịa chỉ: xã Tân An", ["H10.22.15-240315-0042|1.2|"])
    assert result.doc_type == "dossier_receipt"


# --- calibrated confidence ---


def test_confidence_orders_clear_over_damaged_over_unknown() -> None:
    clear = classify(
        "ỦY BAN NHÂN DÂN TỈNH BẮC NINH\nSố: 732/QĐ-UBND\n" + HEADER + "QUYẾT ĐỊNH\n"
        "Về việc phê duyệt\nCăn cứ Luật Tổ chức chính quyền địa phương;\nĐiều 1. Phê duyệt"
    )
    damaged = classify("Căn cứ Luật Tổ chức chính quyền địa phương;\nĐiều 1. Phê duyệt")
    unknown = classify("Biên bản họp tổ dân phố về vệ sinh môi trường")
    assert clear.doc_type == damaged.doc_type == "administrative_decision"
    assert clear.confidence > damaged.confidence > unknown.confidence
    assert clear.confidence >= 0.95


def test_confidences_are_probabilities() -> None:
    for text in ("", "xyz", HEADER + "GIẤY KHAI SINH", CARD_BACK):
        assert 0.0 < classify(text).confidence <= 1.0


def test_empty_text_is_other() -> None:
    assert classify("").doc_type == "other"
