import pytest
from card_zone import card_zone

from pipeline import document
from pipeline.document import build_document
from pipeline.models import PageText
from pipeline.split import split_documents

ID_CARD = "CĂN CƯỚC CÔNG DÂN\nSố / No.: 001090012345\nHọ và tên / Full name: NGUYỄN VĂN AN\n"
BIRTH = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nGIẤY KHAI SINH\nHọ, chữ đệm, tên: Lê Minh Khoa\n"


def _p(n: int, text: str, source: str = "ocr") -> PageText:
    return PageText(n, text, 0.9, source)


def test_split_on_type_change_and_drop_blank_pages() -> None:
    pages = [_p(1, ID_CARD), _p(2, "", "blank"), _p(3, BIRTH), _p(4, "trang tiếp theo của giấy")]
    groups = split_documents(pages)
    assert [[p.number for p in g] for g in groups] == [[1], [3, 4]]


def test_all_blank_file_still_gives_one_document() -> None:
    groups = list(split_documents([_p(1, "", "blank"), _p(2, "", "blank")]))
    assert len(groups) == 1
    doc = build_document(groups[0])
    assert doc.needs_review and doc.doc_type == "other"


def test_inconsistent_id_keeps_value_lowers_confidence_and_flags_review() -> None:
    text = ID_CARD + "Ngày sinh / Date of birth: 05/03/1985\nGiới tính / Sex: Nam\n"
    doc = build_document([_p(1, text)])
    assert doc.fields["id_number"].value == "001090012345"
    assert doc.fields["id_number"].confidence <= 0.3
    assert doc.needs_review
    assert any("birth year" in w for w in doc.warnings)


def test_consistent_document_needs_no_review() -> None:
    text = ID_CARD + "Ngày sinh / Date of birth: 05/03/1990\nGiới tính / Sex: Nam\n"
    doc = build_document([_p(1, text)])
    assert doc.doc_type == "citizen_id_card"
    assert not doc.needs_review, doc.warnings


def test_failed_page_warning_reaches_the_document() -> None:
    failed = PageText(2, "", 0.0, "failed", warnings=["page 2: tesseract took over 60s"])
    doc = build_document([_p(1, ID_CARD), failed])
    assert doc.needs_review and "page 2: tesseract took over 60s" in doc.warnings


def test_qr_values_win_over_ocr_with_their_source(monkeypatch: pytest.MonkeyPatch) -> None:
    qr = {"id_number": "001090012345", "full_name": "Nguyễn Văn An", "dossier_code": "H1.2-3"}
    monkeypatch.setattr(document, "fields_from_qr", lambda codes: qr if codes else {})
    text = ID_CARD.replace("001090012345", "00109OO1234") + "Ngày sinh: 05/03/1990\n"
    page = PageText(1, text, 0.9, "ocr", qr_codes=["001090012345|...|"])
    doc = build_document([page])
    assert doc.fields["id_number"].value == "001090012345"
    assert doc.fields["id_number"].source == "qr"
    assert doc.fields["id_number"].confidence > 0.95
    assert "dossier_code" not in doc.fields  # not a field of an ID card


def test_without_qr_codes_fields_come_from_text(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(document, "fields_from_qr", None)
    doc = build_document([_p(1, ID_CARD)])
    assert doc.fields["id_number"].source == "text"


def test_failed_check_keeps_value_and_warns_on_the_field() -> None:
    text = "GIẤY CHỨNG NHẬN ĐĂNG KÝ DOANH NGHIỆP\nMã số doanh nghiệp: 0100047517\n"
    doc = build_document([_p(1, text)])
    field = doc.fields["business_code"]
    assert field.value == "0100047517"
    assert field.confidence <= 0.3 and field.warning
    assert doc.needs_review


def test_confidence_is_evidence_not_a_constant() -> None:
    doc = build_document([_p(1, ID_CARD + "Ngàv sinh: 05/03/1990\n")])
    confidences = {round(f.confidence, 3) for f in doc.fields.values()}
    assert len(confidences) > 1


def test_the_card_zone_vouches_over_a_misread_front(monkeypatch: pytest.MonkeyPatch) -> None:
    # The front's number lost a digit to the print; the back's zone, check digits and all,
    # has it right, with the birth date and sex the front did not give.
    monkeypatch.setattr(document, "fields_from_qr", None)
    front = ID_CARD.replace("001090012345", "001090012845")
    doc = build_document(
        [
            _p(1, front),
            _p(2, "\n".join(card_zone("001090012345", "900305", "M", "300305", "NGUYEN<<VAN<AN"))),
        ]
    )
    assert doc.fields["id_number"].value == "001090012345"
    assert doc.fields["id_number"].source == "mrz"
    assert doc.fields["date_of_birth"].value == "1990-03-05"
    assert doc.fields["gender"].value == "Nam"
    assert not [w for w in doc.warnings if "ID" in w or "birth" in w], doc.warnings


ZONE = "\n".join(card_zone("001090012345", "900305", "M", "300305", "LE<<HOANG<PHONG"))


@pytest.mark.parametrize(
    "name_lines",
    [
        "và tên / £uØ nan:\nLÊ HOÀNG PHONG",  # the label's `Họ` lost (150 dpi, seed 1601)
        "Họ TII TRÌNG\nLÊ HOÀNG PHONQ",  # the label misread, the name a letter off
    ],
)
def test_a_cards_name_is_found_on_its_face_by_the_zones_spelling(name_lines: str) -> None:
    text = f"CĂN CƯỚC CÔNG DÂN\nSố / No.: 001090012345\n{name_lines}\n{ZONE}"
    doc = build_document([_p(1, text)])
    assert doc.fields["full_name"].value == name_lines.split("\n")[-1]
    assert doc.fields["full_name"].source == "mrz"


def test_a_name_read_under_its_label_stays_when_the_zone_spells_it_alike() -> None:
    text = f"CĂN CƯỚC CÔNG DÂN\nHọ và tên / Full name: LÊ HOÀNG PHONG\n{ZONE}"
    doc = build_document([_p(1, text)])
    assert doc.fields["full_name"].value == "LÊ HOÀNG PHONG"
    assert doc.fields["full_name"].source != "mrz"


@pytest.mark.parametrize(
    "face",
    [
        "LÊ HOÀNG PHONG\nLÊ HOÀNG PHONG.\nLỄ HOÀNG PHONG",  # two spellings fit: which one?
        "LÊ HOÀI PHONG",  # two letters off: another person
        "Lê Hoàng Phong",  # not the face's capitals (a relative named in running text)
    ],
)
def test_no_face_line_is_taken_unless_one_alone_fits(face: str) -> None:
    text = f"CĂN CƯỚC CÔNG DÂN\nvà tên / £uØ nan:\n{face}\n{ZONE}"
    doc = build_document([_p(1, text)])
    assert "full_name" not in doc.fields or doc.fields["full_name"].source != "mrz"
