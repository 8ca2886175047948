from collections.abc import Iterable, Iterator

from pipeline.models import PageText
from pipeline.split import page_role, split_documents

HEADER = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
DECISION = (
    "ỦY BAN NHÂN DÂN TỈNH BẮC NINH\nSố: 732/QĐ-UBND\n" + HEADER + "QUYẾT ĐỊNH\n"
    "Về việc phê duyệt danh mục thủ tục hành chính\nCăn cứ Luật Tổ chức chính quyền địa phương;\n"
    "QUYẾT ĐỊNH:\nĐiều 1. Phê duyệt kèm theo Quyết định này danh mục thủ tục hành chính."
)
DECISION_2 = (
    "Điều 2. Quyết định này có hiệu lực kể từ ngày ký.\nĐiều 3. Chánh Văn phòng Ủy ban nhân dân "
    "tỉnh chịu trách nhiệm thi hành Quyết định này.\nNơi nhận:\n- Như Điều 3;\n- Lưu: VT.\n"
    "TM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\nNguyễn Văn Bình"
)
BIRTH = (
    "ỦY BAN NHÂN DÂN\nXÃ TÂN AN\nSố: 296\nQuyển số: 01/2016\n" + HEADER + "GIẤY KHAI SINH\n"
    "Họ, chữ đệm, tên: TRẦN TIẾN MINH\nNgày, tháng, năm sinh: 08/03/2016\n"
    "Họ, chữ đệm, tên người mẹ: NGUYỄN NGỌC THU HOA\nHọ, chữ đệm, tên người cha: TRẦN QUANG VIỆT"
)
CARD_FRONT = (
    HEADER + "SOCIALIST REPUBLIC OF VIET NAM\nCĂN CƯỚC CÔNG DÂN\nCitizen Identity Card\n"
    "Số / No. 046082098406\nHọ và tên / Full name: NGUYỄN MẠNH HÙNG\n"
    "Ngày sinh / Date of birth: 06/08/1982\nQuê quán / Place of origin: Xã Phú Thượng"
)
CARD_BACK = (
    "Đặc điểm nhân dạng / Personal identification:\nNốt ruồi C:1cm trên trước cánh mũi phải\n"
    "Ngày, tháng, năm / Date, month, year: 26/05/2021\nCỤC TRƯỞNG CỤC CẢNH SÁT\n"
    "Ngón trỏ trái Ngón trỏ phải\nIDVNM0303702799027303702799<<<"
)
CARD_QR = "046082098406|163577694|Nguyễn Mạnh Hùng|06081982|Nam|Xóm 4, xã Phú Thượng|26052021"
RECEIPT = (
    "UBND XÃ TÂN AN\nBỘ PHẬN MỘT CỬA\n" + HEADER + "GIẤY TIẾP NHẬN HỒ SƠ\nVÀ HẸN TRẢ KẾT QUẢ\n"
    "Mã hồ sơ: H10.22.15-240315-0042\nÔng/Bà: Lê Văn An\n"
    "Nội dung yêu cầu giải quyết: Đăng ký khai sinh"
)
LAND_2 = "2\nSố vào sổ cấp GCN: CS08041"


def page(number: int, text: str, qr: list[str] | None = None, *, blank: bool = False) -> PageText:
    source = "blank" if blank else "ocr"
    return PageText(number, "" if blank else text, 0.9, source, qr_codes=qr or [])


def ranges(groups: Iterable[list[PageText]]) -> list[tuple[int, int]]:
    return [(g[0].number, g[-1].number) for g in groups]


def test_a_paper_is_handed_on_before_later_pages_are_read() -> None:
    read: list[int] = []

    def pages() -> Iterator[PageText]:
        for p in [page(1, DECISION), page(2, DECISION_2), page(3, BIRTH), page(4, CARD_FRONT)]:
            read.append(p.number)
            yield p

    groups = split_documents(pages())
    assert ranges([next(groups)]) == [(1, 2)]
    assert read == [1, 2, 3]  # the page that opened the next paper, no further
    assert ranges(groups) == [(3, 3), (4, 4)]
    assert read == [1, 2, 3, 4]


def test_type_change_starts_a_new_document() -> None:
    pages = [page(1, DECISION), page(2, BIRTH)]
    assert ranges(split_documents(pages)) == [(1, 1), (2, 2)]


def test_continuation_page_stays_with_its_document() -> None:
    pages = [page(1, DECISION), page(2, DECISION_2), page(3, BIRTH)]
    assert ranges(split_documents(pages)) == [(1, 2), (3, 3)]


def test_two_papers_of_the_same_type_are_two_documents() -> None:
    pages = [page(1, BIRTH), page(2, BIRTH.replace("296", "297"))]
    assert ranges(split_documents(pages)) == [(1, 1), (2, 2)]


def test_blank_pages_are_dropped() -> None:
    pages = [page(1, DECISION), page(2, "", blank=True), page(3, BIRTH), page(4, "", blank=True)]
    groups = list(split_documents(pages))
    assert ranges(groups) == [(1, 1), (3, 3)]
    assert all(not p.blank for g in groups for p in g)


def test_near_empty_last_page_stays_with_its_paper() -> None:
    pages = [page(1, BIRTH), page(2, LAND_2), page(3, DECISION)]
    assert ranges(split_documents(pages)) == [(1, 2), (3, 3)]


def test_card_back_page_joins_the_card_front() -> None:
    pages = [page(1, DECISION), page(2, CARD_FRONT), page(3, CARD_BACK, [CARD_QR]), page(4, BIRTH)]
    assert ranges(split_documents(pages)) == [(1, 1), (2, 3), (4, 4)]
    assert page_role(pages[2]).kind == "card_back"


def test_card_back_recognised_by_its_qr_code_alone() -> None:
    pages = [page(1, CARD_FRONT), page(2, "Ngon tro trai", [CARD_QR])]
    assert ranges(split_documents(pages)) == [(1, 2)]


def test_card_back_without_a_front_is_its_own_document() -> None:
    pages = [page(1, DECISION), page(2, CARD_BACK)]
    assert ranges(split_documents(pages)) == [(1, 1), (2, 2)]


def test_receipt_with_qr_starts_a_document() -> None:
    pages = [
        page(1, BIRTH),
        page(2, "Mã hồ sơ: H10.22.15-240315-0042", ["H10.22.15-240315-0042|1.2|"]),
    ]
    assert ranges(split_documents(pages)) == [(1, 1), (2, 2)]
    assert ranges(split_documents([page(1, BIRTH), page(2, RECEIPT)])) == [(1, 1), (2, 2)]


def test_separator_sheet_splits_and_is_dropped() -> None:
    pages = [page(1, DECISION), page(2, "TRANG PHÂN CÁCH HỒ SƠ"), page(3, DECISION_2)]
    assert ranges(split_documents(pages)) == [(1, 1), (3, 3)]


def test_all_blank_file_still_gives_one_document() -> None:
    pages = [page(1, "", blank=True), page(2, "", blank=True)]
    assert ranges(split_documents(pages)) == [(1, 1)]
    assert list(split_documents([])) == []
