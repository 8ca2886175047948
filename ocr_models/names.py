"""Family names read with wrong marks at the start of a name put right.

The commonest other family names (Trần, Lê, Phạm, Hoàng, Đặng, Đỗ, Đinh …) read with other
marks (`Trân Văn Quân`, `TRẤN MAI ANH`, `Định Văn Việt`) are put right at the start of a
full name (`_family_name`); after a label only when the label names a name, and in
capitals only after such a label. On the pages of fifteen eval sets 30 names were put
right and no other word, and no ground truth or word of the translations audit changed.
The rest of this note is about Nguyễn.

The family name Nguyễn put back where OCR lost its tilde at the start of a name.

Nguyễn is the family name of about 4 in 10 Vietnamese (DOMAIN.md). In capitals the tilde
sits on top of the circumflex, and Tesseract drops it on degraded scans: "NGUYÊN THỊ THẢO"
(24 names of 140 generated forms; "Nguyên Quang Sơn" under a seal). "Nguyên" is a real
word and place name too, so the word is only repaired where it starts a person's name:

- it is followed by one to three name words written the same way (all capitals, or each
  word capitalised), up to the end of the name;
- it follows no capitalised word ("TÀI NGUYÊN VÀ MÔI TRƯỜNG", "Thái Nguyên", "THỦY
  NGUYÊN") and no place word ("huyện Nguyên Bình");
- "Nguyên nhân" and other lower-case phrases are left alone.

On the ground truth of all generated layouts it changes nothing.
"""

from __future__ import annotations

import re

from ocr_models.vietnamese import fold

# The word as read: lost tilde ("NGUYÊN"), the tilde read as an acute ("Nguyến", no
# Vietnamese syllable), or every mark lost ("NGUYEN") in a name that keeps marks elsewhere
# (a card's MRZ line "NGUYEN<<THUY" has none and stays).
_READ = re.compile(r"^(NGUY[ÊEẾ]N|Nguy[êeế]n)$")
_NAME_WORD = re.compile(r"^[^\W\d_]+$")
# Lower-case words after which a capitalised word is a place, not a person.
_PLACE_WORDS = frozenset(
    ("tinh", "thanh pho", "tp", "huyen", "quan", "thi xa", "thi tran", "xa", "phuong", "thon",
     "xom", "ap", "to", "duong", "pho", "ban", "lang", "khu", "song", "nui", "ho")
)  # fmt: skip
_TOKENS = re.compile(r"\S+")
# The commonest family names after Nguyễn (with it, about nine people in ten) and Đinh. A
# word starting a full name (two name words or more after it) that is none of them but one
# of them with other marks (`TRẤN MAI ANH`, `Trân Văn Quân`, `ĐĂNG`, `Định Văn Việt`, `Lệ`)
# is that family name. Two words after it, not one: places read like names start so
# (`Lệ Thủy`, `Đồ Sơn`, `Định Quán`, `Vụ Bản`).
_FAMILY_NAMES = (
    "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ",
    "Ngô", "Dương", "Lý", "Đinh",
)  # fmt: skip
_BY_LETTERS = {fold(name).lower(): name for name in _FAMILY_NAMES}
# Words a form puts before a name, which fold like a family name: `Vợ` (wife) is no `Võ`.
_NOT_FAMILY_NAMES = frozenset(("vợ",))
_MIN_NAME_AFTER = 2
# After a label, only a name's (`Họ và tên chủ hộ: Trân Đức Cường`, `tên người mẹ: ĐINH`):
# `Địa chỉ: ĐÔ LƯƠNG NGHỆ AN` is a place. In capitals only after such a label (`tên ĐỖ
# NGỌC HUYỀN`): other words in capitals are as often a heading's (`VÔ GIÁ TRỊ`, `ĐANG
# PHÁT`, `PHẦN MỞ RỘNG`).
_NAME_LABEL_WORDS = re.compile(r"(?i)\b(?:t[eê]n|name)\b")


def surname_marks(text: str) -> str:
    """Text with a family name read with wrong marks at the start of a name put right.

    "Nguyên"/"NGUYÊN" is written Nguyễn there, and a word that reads as one of the
    commonest other family names with other marks is that name.
    """
    return "\n".join(_line(line) for line in text.split("\n"))


def _family_name(word: str) -> str | None:
    """The common family name `word` is a misreading of (None when it is one, or none)."""
    if word.isascii() or not (word.istitle() or word.isupper()):
        return None
    low = word.lower()
    name = _BY_LETTERS.get(fold(low))
    if name is None or name.lower() == low or low in _NOT_FAMILY_NAMES:
        return None
    return name.upper() if word.isupper() else name


def _line(line: str) -> str:
    tokens = [(m.start(), m.end(), m.group()) for m in _TOKENS.finditer(line)]
    out = line
    for i, (start, end, word) in enumerate(tokens):
        nguyen = bool(_READ.match(word))
        other = None if nguyen else _family_name(word)
        if other and not _after_name_label(line, tokens, i, other.isupper()):
            other = None
        if not (nguyen or other) or not _starts_name(tokens, i):
            continue
        upper = word.isupper()
        name = _name_after(tokens, i, upper)
        if not name or not (_MIN_NAME_AFTER if other else 1) <= len(name) <= 3:
            continue
        if word in ("NGUYEN", "Nguyen") and all(w.isascii() for w in name):
            continue  # an unaccented name (a card's English or MRZ line): leave it
        fixed = other or ("NGUYỄN" if upper else "Nguyễn")
        out = out[:start] + fixed + out[end:]  # same length: later offsets hold
    return out


def _after_name_label(line: str, tokens: list[tuple[int, int, str]], i: int, upper: bool) -> bool:
    """False after a label that is no name's, or, for capitals, after anything but one."""
    before = tokens[i - 1][2] if i else ""
    labelled = before.endswith(":") or before.lower() in ("tên", "ten")
    if labelled:
        return bool(_NAME_LABEL_WORDS.search(line[: tokens[i][0]]))
    return not upper


def _starts_name(tokens: list[tuple[int, int, str]], i: int) -> bool:
    if i == 0:
        return True
    before = tokens[i - 1][2]
    if before[-1] in ":;,.(-–/":
        return True  # a label ("Họ và tên:", "Bà:") or a list
    letters = before.strip("\"'“”‘’")
    if not letters or not letters[0].isalpha():
        return True
    if letters[0].isupper():
        return before in ("Ông", "Bà", "ÔNG", "BÀ")
    two = " ".join(t[2] for t in tokens[max(0, i - 2) : i])
    return fold(letters).lower() not in _PLACE_WORDS and fold(two).lower() not in _PLACE_WORDS


def _name_after(tokens: list[tuple[int, int, str]], i: int, upper: bool) -> list[str]:
    """The name words after token i written as a name (same case style), up to 4."""
    name: list[str] = []
    for _s, _e, word in tokens[i + 1 : i + 5]:
        core = word.rstrip(",.;:")
        if not _NAME_WORD.match(core) or core.upper() in ("VÀ", "VA"):
            break
        if upper and not core.isupper():
            break
        if not upper and not (core[0].isupper() and core[1:].islower()):
            break
        name.append(core)
        if core != word:
            break  # punctuation ends the name
    return name
