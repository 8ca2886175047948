import unicodedata

import pytest

from ocr_models.vietnamese import canonicalize, fold, has_diacritics, nfc


@pytest.mark.parametrize(
    ("given", "canonical"),
    [
        ("hoà", "hòa"),
        ("Hoà Bình", "Hòa Bình"),
        ("thuỷ", "thủy"),
        ("Uỷ ban nhân dân", "Ủy ban nhân dân"),
        ("khoẻ", "khỏe"),
        ("hoàng", "hoàng"),  # final consonant: tone stays on the last vowel
        ("quý", "quý"),  # qu is a consonant
        ("Nguyễn", "Nguyễn"),
        ("người", "người"),
        ("giữ gìn", "giữ gìn"),
        ("khuyến", "khuyến"),
    ],
)
def test_canonical_tone_placement(given: str, canonical: str) -> None:
    assert canonicalize(given) == canonical


def test_canonicalize_is_idempotent_and_nfc() -> None:
    decomposed = unicodedata.normalize("NFD", "Thừa Thiên Huế, Khánh Hoà")
    once = canonicalize(decomposed)
    assert once == canonicalize(once)
    assert once == unicodedata.normalize("NFC", once)
    assert once == "Thừa Thiên Huế, Khánh Hòa"


def test_canonicalize_leaves_numbers_and_codes_alone() -> None:
    text = "Số: 732/QĐ-UBND ngày 05/03/2020, CCCD 001090012345"
    assert canonicalize(text) == nfc(text)


def test_fold_strips_all_marks_and_d_stroke() -> None:
    assert fold("Nguyễn Thị Lan") == "Nguyen Thi Lan"
    assert fold("Đắk Lắk") == "Dak Lak"
    assert fold("đường") == "duong"


def test_fold_merges_different_names_so_exact_must_rank_first() -> None:
    # Folding is for recall only: Hòa, Hóa and Hoa become one.
    assert fold("Hòa") == fold("Hóa") == fold("Hoa")
    assert has_diacritics("Hòa") and not has_diacritics("Hoa")


def test_fold_by_table_is_the_same_as_the_long_way() -> None:
    import random

    from ocr_models.vietnamese import _fold_slowly

    singles = [chr(c) for c in range(0x10000) if not 0xD800 <= c < 0xE000]
    assert [fold(ch) for ch in singles] == [_fold_slowly(ch) for ch in singles]
    # Sequences too: NFD and NFC work across characters (a letter, then a combining mark).
    rng = random.Random(7)
    pool = [*map(chr, range(0x20, 0x2100)), *"ạảãàáâậầấẩẫăặằắẳẵđĐ\u0301\u0323\u0483" * 20]
    texts = ["".join(rng.choices(pool, k=rng.randint(1, 12))) for _ in range(20_000)]
    assert [fold(t) for t in texts] == [_fold_slowly(t) for t in texts]
    assert fold("Nguyễn Thị Ánh – “Đồng” …") == "Nguyen Thi Anh – “Dong” …"
