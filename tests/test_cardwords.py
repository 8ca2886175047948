"""The English words of an ID card read back after OCR gave them Vietnamese marks."""

import pytest

from ocr_models.cardwords import repair_card_words
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
    assert postcorrect("Ngày sinh / Dạte of bírth") == "Ngày sinh / Date of birth"
    assert postcorrect("Giới tính / Sex: Nam  Quốc tịch / Nationality: Việt Nam") == (
        "Giới tính / Sex: Nam  Quốc tịch / Nationality: Việt Nam"
    )
