"""The English words of an ID card read back after OCR gave them Vietnamese marks."""

import pytest

from ocr_models.cardwords import on_id_card, repair_card_words
from ocr_models.postcorrect import load_syllables, postcorrect


def _never(token: str) -> bool:
    return False


@pytest.mark.parametrize(
    ("read", "meant"),
    [
        ("Ngày sinh / Dạte of bírth: 12/05/1990", "Ngày sinh / Date of birth: 12/05/1990"),
        ("Quê quán / Pláce oforigin:", "Quê quán / Place of origin:"),
        ("Surname, mỉddle and given name", "Surname, middle and given name"),
        ("Quốc tịch / Nafionality: Việt Nam", "Quốc tịch / Nationality: Việt Nam"),
        ("SOCTIALIST REPUBILIC OF VIET NAM", "SOCIALIST REPUBLIC OF VIET NAM"),
        ("Independence - Ereedom - Happines", "Independence - Freedom - Happiness"),
    ],
)
def test_card_words_read_with_marks_or_a_letter_wrong_are_read_back(read: str, meant: str) -> None:
    assert repair_card_words(read, _never) == meant


@pytest.mark.parametrize(
    "text",
    [
        "Nguyen Van Thanh, Tran Thi Hang, Dang Minh Hoang",  # names without their marks
        "Sex: Nam",  # three letters or fewer: too close to everything
        "CCCD 079Dạte1990, H10Pláce",  # glued to digits: a code
        "IDVNM0901234567001090012345<<8\nNGUYEN<<DATE<NAMEE<<<<",  # the zone's names
        "Date of birth / Place of residence",  # already right
        "Viẹt Nam",  # folds like a card word that is Vietnamese: the syllable repair's
    ],
)
def test_other_text_is_left_alone(text: str) -> None:
    assert repair_card_words(text, _never) == text


def test_a_valid_syllable_is_never_taken_for_a_card_word() -> None:
    assert repair_card_words("Dáte", lambda t: t.lower() == "dáte") == "Dáte"


def test_a_token_as_close_to_two_card_words_is_left_alone() -> None:
    assert repair_card_words("dame", _never) == "dame"  # "date" or "name": one letter each
    assert repair_card_words("leat", _never) == "left"  # "year" is two away


def test_page_post_correction_reads_the_card_words_back() -> None:
    if not load_syllables():
        pytest.skip("hunspell-vi is not installed")
    front = "CĂN CƯỚC CÔNG DÂN\nNgày sinh / Dạte of bírth"
    assert postcorrect(front) == "CĂN CƯỚC CÔNG DÂN\nNgày sinh / Date of birth"
    assert postcorrect("Dạte", context=False, card=True) == "Date"  # a word box of that page
    assert postcorrect("Giới tính / Sex: Nam  Quốc tịch / Nationality: Việt Nam") == (
        "Giới tính / Sex: Nam  Quốc tịch / Nationality: Việt Nam"
    )


@pytest.mark.parametrize(
    "page",
    [
        "CĂN CƯỚC CÔNG DÂN\nSố / No.: 001090012345",  # the title alone on its line
        "CĂN CUỐC\nHọ, chữ đệm và tên khai sinh",  # the 2024 card, a mark misread
        "“ẤN CƯỚC\n1D MTIYY CARD",  # its C lost to the border (a 150 dpi JPEG of seed 2626)
        "Đặc điểm nhân dạng / Personal identification: Sẹo chấm",  # the back
        "Ngón trỏ trái Ngón trỏ phải",
        "IDVNM0901234567001090012345<<8",
        "Full name: Lê Văn An\nDate of birth: 01/01/1990\nNationality: Việt Nam",
    ],
)
def test_an_id_card_page_is_known_by_its_title_back_or_labels(page: str) -> None:
    assert on_id_card(page)


@pytest.mark.parametrize(
    "page",
    [
        # a business registration quotes a card and prints the company's English name
        "Căn cước công dân số: 001090012345\nTên công ty viết bằng tiếng nước ngoài:\n"
        "GOLDEN ELDER DATA TRADING COMPANY LIMITED",
        "CHỨNG NHẬN ĐĂNG KÝ DOANH NGHIỆP",  # "nhận đăng" folds like "nhân dạng"
        "Date: 12/05/2024. Full name of the applicant",  # one card label is not enough
    ],
)
def test_other_pages_are_not_id_cards(page: str) -> None:
    assert not on_id_card(page)


def test_english_off_an_id_card_keeps_its_words() -> None:
    if not load_syllables():
        pytest.skip("hunspell-vi is not installed")
    page = "Tên công ty viết bằng tiếng nước ngoài: LIGHT AND NIGHT OLDER POLICY TRADING"
    assert postcorrect(page) == page  # on a card, `NIGHT` would be read as `RIGHT`
    assert postcorrect(page, card=True) != page


@pytest.mark.parametrize(
    "read",
    [
        "lence - Freedom - Happi",  # a copy lost both ends of the small print
        "depend nce - Freedom - Í",
        "Independ Ice - Freedom - Happi",
        "lndenendence Freedore Hiappiness",  # each word a letter or two off
        "Jndependence- Freedom- Happiness",
    ],
)
def test_the_cards_motto_is_read_back_from_its_pieces(read: str) -> None:
    text = f"Độc lập - Tự do - Hạnh phúc\n{read}\nCĂN CƯỚC CÔNG DÂN"
    assert repair_card_words(text, _never).splitlines() == [
        "Độc lập - Tự do - Hạnh phúc",
        "Independence - Freedom - Happiness",
        "CĂN CƯỚC CÔNG DÂN",
    ]


@pytest.mark.parametrize(
    "line",
    [
        "Công ty Freedom Travel",
        "Quê quán: Freedom",
        "Freedom Plaza 12",
        "Freedom - Happi 2025",
        "Freedom",
    ],  # fmt: skip
)
def test_freedom_among_other_words_or_alone_is_no_motto(line: str) -> None:
    assert repair_card_words(line, _never) == line
