import json
from pathlib import Path

import cv2
import numpy as np
import pytest

from pipeline.qr import decode_qr, fields_from_qr, parse_qr, qr_doc_type, worth_decoding
from pipeline.samples import generate
from pipeline.samples.stamps import qr_code

CARD = "027303702799|109869409|Nguyễn Mai Yến|13012003|Nữ|Ấp Nam, xã Tam Giang|26052021"
RECEIPT = "H36.22.23-220325-3062|3.4108|034189073555"


def _truth(scan: Path) -> dict:
    return json.loads(Path(f"{scan}.truth.json").read_text(encoding="utf-8"))


def test_card_back_payload_becomes_domain_fields() -> None:
    assert fields_from_qr([CARD]) == {
        "id_number": "027303702799",
        "full_name": "Nguyễn Mai Yến",
        "date_of_birth": "2003-01-13",
        "gender": "Nữ",
        "place_of_residence": "Ấp Nam, xã Tam Giang",
        "issue_date": "2021-05-26",
    }
    assert parse_qr(CARD).fields["old_id_number"] == "109869409"
    assert qr_doc_type([CARD]) == "citizen_id_card"


def test_receipt_payload_gives_the_dossier_code_only_as_a_domain_field() -> None:
    assert fields_from_qr([RECEIPT]) == {"dossier_code": "H36.22.23-220325-3062"}
    payload = parse_qr(RECEIPT)
    assert payload.kind == "dossier_receipt"
    assert payload.fields["applicant_id_number"] == "034189073555"


@pytest.mark.parametrize("code", ["https://dichvucong.gov.vn/", "hello", "", "1|2|3|4|5|6|7"])
def test_unknown_codes_prove_nothing(code: str) -> None:
    assert parse_qr(code).kind is None
    assert fields_from_qr([code]) == {}


def test_bad_date_in_card_payload_is_left_out() -> None:
    fields = fields_from_qr([CARD.replace("13012003", "31022003")])
    assert "date_of_birth" not in fields and fields["id_number"] == "027303702799"


def test_utf8_read_as_latin1_is_repaired() -> None:
    img = qr_code(CARD, 6)
    assert img is not None
    gray = np.asarray(img.convert("L"))
    assert decode_qr(gray) == [CARD]


def test_no_code_on_a_plain_page() -> None:
    assert decode_qr(np.full((800, 600), 255, np.uint8)) == []
    assert decode_qr(None) == []


def test_reads_a_generated_card_back(tmp_path: Path) -> None:
    scan = generate(tmp_path, 1, 11, kinds=["clean", "citizen_id_card"])[0]
    fields = _truth(scan)["documents"][0]["fields"]
    codes = decode_qr(cv2.imread(str(scan)))
    got = fields_from_qr(codes)
    assert got["id_number"] == fields["id_number"]
    assert got["date_of_birth"] == fields["date_of_birth"]
    assert got["issue_date"] == fields["issue_date"]
    assert got["full_name"].lower() == fields["full_name"].lower()  # the card prints capitals


def test_reads_a_generated_receipt(tmp_path: Path) -> None:
    scan = generate(tmp_path, 1, 0, kinds=["clean", "dossier_receipt"])[0]
    codes = decode_qr(cv2.imread(str(scan)))
    assert (
        fields_from_qr(codes)["dossier_code"]
        == _truth(scan)["documents"][0]["fields"]["dossier_code"]
    )


def test_pages_that_cannot_carry_a_code_are_not_searched() -> None:
    decision = "quyet dinh ve viec cong nhan ket qua " * 20
    assert not worth_decoding(decision, words=140, confidence=0.93)
    assert worth_decoding(decision + " ma ho so: h20", words=140, confidence=0.93)  # receipt
    assert worth_decoding(decision + " idvnm0889263880", words=140, confidence=0.93)  # card
    assert worth_decoding("", words=12, confidence=0.93)  # too little read to rule one out
    assert worth_decoding(decision, words=140, confidence=0.6)  # read too poorly


@pytest.mark.parametrize(("kind", "seed"), [("dossier_receipt", 0), ("citizen_id_card", 11)])
def test_the_ocr_step_still_reads_codes_on_receipts_and_cards(
    tmp_path: Path, kind: str, seed: int
) -> None:
    from pipeline.config import get_settings
    from pipeline.decode import PageInput
    from pipeline.ocr import ocr_page
    from pipeline.process import make_engine

    scan = generate(tmp_path, 1, seed, kinds=["scan200", kind])[0]
    image = cv2.cvtColor(cv2.imread(str(scan)), cv2.COLOR_BGR2RGB)
    page = ocr_page(PageInput(1, image, 200), make_engine(get_settings()))
    assert qr_doc_type(page.qr_codes) == kind
