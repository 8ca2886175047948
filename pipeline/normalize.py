"""Value normalisers: printed dates, names, numbers and codes into DOMAIN formats."""

from __future__ import annotations

import re
import unicodedata
from datetime import date

from rapidfuzz.distance import Levenshtein

from ocr_models.postcorrect import default_corrector
from ocr_models.vietnamese import canonicalize, fold, nfc, normalize_spaces, tone_mark

# A stray letter OCR puts beside a day or month (`tháng g 3`, `tháng 7r`) is skipped;
# `tháng` may come out as `thúng`.
DAY_OR_MONTH = r"(?:[a-z]\s+)?(\d{1,2})[a-z]?"
_DATE_LONG = re.compile(
    rf"ngay[\W_]{{0,4}}{DAY_OR_MONTH}[\W_]{{0,4}}th[aeiou]ng[\W_]{{0,4}}{DAY_OR_MONTH}[\W_]{{0,4}}"
    r"nam[\W_]{0,6}(?:[a-z]\s+)?(\d{4})",
    re.IGNORECASE,
)
_DATE_NUMERIC = re.compile(r"(?<!\d)(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4})(?!\d)")
_DATE_GLUED = re.compile(r"(?<!\d)(\d{1,2})\s*/\s*(\d{2})(\d{4})(?!\d)")  # `27/121995`
_DATE_SLASH_AS_ONE = re.compile(
    r"(?<!\d)(\d{1,2})\s*/\s*(\d{1,2})1((?:19|20)\d\d)(?!\d)"
)  # `27/0511942`
_DATE_LETTER_SLASH = re.compile(
    r"(?<!\w)(\d{1,2})\s*[/Il|]\s*(\d{1,2})\s*[/Il|]\s*(\d{4})(?!\d)"
)  # `22I06I1989`, `21/1I1958`: a slash read as I or l
_DATE_ISO = re.compile(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)")
# `ngày mười lăm, tháng ba, năm hai nghìn không trăm hai mươi mốt` (birth certificates)
_DATE_IN_WORDS = re.compile(
    r"ngay\s+(?P<d>[a-z ]+?)\s*,?\s+thang\s+(?P<m>[a-z ]+?)\s*,?\s+nam\s+(?P<y>[a-z ][a-z ,]*)",
    re.IGNORECASE,
)
_LEADERS = re.compile(r"^[\s:;.,…_\-–—|¬`'\"“”+~*°ˆ„»«]+|[\s:;.,…_\-–—|¬`'\"“”+~*°ˆ„»«]+$")
_UNITS = {
    "khong": 0, "mot": 1, "hai": 2, "ba": 3, "bon": 4, "tu": 4, "nam": 5, "lam": 5,
    "nham": 5, "sau": 6, "bay": 7, "tam": 8, "chin": 9,
}  # fmt: skip
_MONTHS = {"gieng": 1, "chap": 12}
_FILLERS = {"mong", "mung", "linh", "le"}
# Letters Tesseract puts for digits inside numbers (only ever applied to numeric fields).
_DIGIT_LOOKALIKES = str.maketrans(
    {"O": "0", "o": "0", "Q": "0", "D": "0", "l": "1", "I": "1", "|": "1", "i": "1",
     "S": "5", "s": "5", "B": "8", "Z": "2", "z": "2", "G": "6", "b": "6", "g": "9"}
)  # fmt: skip


def _iso(y: int, m: int, d: int) -> str | None:
    try:
        return date(y, m, d).isoformat()
    except ValueError:
        return None


def words_to_number(text: str) -> int | None:
    """Vietnamese number words (folded) to an int: `hai nghin khong tram hai muoi mot` → 2021."""
    total, group, pending, seen = 0, 0, None, False
    for tok in text.split():
        if tok in _UNITS:
            if pending is not None:  # two units in a row: `mot` after `muoi` already counted
                group += pending
            pending, seen = _UNITS[tok], True
        elif tok == "muoi":  # mười (10) and mươi (×10) fold alike
            group += (pending if pending is not None else 1) * 10
            pending, seen = None, True
        elif tok == "tram":
            group += (pending or 0) * 100
            pending = None
        elif tok in ("nghin", "ngan"):
            total += (group + (pending or 0)) * 1000
            group, pending = 0, None
        elif tok in _FILLERS:
            continue
        else:
            break
    if not seen:
        return None
    return total + group + (pending or 0)


def _date_in_words(folded: str) -> str | None:
    m = _DATE_IN_WORDS.search(folded.lower())
    if not m:
        return None
    month_words = m.group("m").strip()
    month = _MONTHS.get(month_words) or words_to_number(month_words)
    day, year = words_to_number(m.group("d")), words_to_number(m.group("y").replace(",", " "))
    if not (day and month and year) or year < 1800:
        return None
    return _iso(year, month, day)


# Years a citizen's papers carry: births from the 1800s (words on old registers) to expiry
# dates decades ahead.
_YEARS = (1800, 2100)


def _paper_year(year: int) -> int | None:
    """`year`, its first digit mended when OCR misread it (`4978` → 1978), or None.

    Only a four-digit year that starts with neither 1 nor 2 is mended, and only to 19xx
    (second digit 8 or 9) or 20xx/21xx (second digit 0 or 1); any other year outside the
    papers' range is no date.
    """
    if _YEARS[0] <= year <= _YEARS[1]:
        return year
    text = str(year)
    if len(text) != 4 or text[0] in "12":
        return None
    mended = int(("1" if text[1] in "89" else "2") + text[1:])
    return mended if _YEARS[0] <= mended <= _YEARS[1] else None


def _join(m: re.Match[str]) -> str:
    """`18/1 1/2031` → `18/11/2031`: OCR split a two-digit day or month."""
    return "".join(g for g in m.groups() if g)


def parse_date(text: str) -> str | None:
    """First date in `text` as ISO `YYYY-MM-DD`.

    Accepts `ngày 05 tháng 3 năm 2020`, `05/03/2020`, `5/3/2020`, `05-03-2020`, ISO, and
    dates in words as birth certificates print them.
    """
    folded = re.sub(r"(?<![\d ])(\d) (\d)(?=\s*/)|(?<=/)(\d) (\d)(?=\s*/)", _join, fold(text))
    best: tuple[int, str] | None = None
    patterns = (
        (_DATE_LONG, "dmy"),
        (_DATE_NUMERIC, "dmy"),
        (_DATE_ISO, "ymd"),
        (_DATE_GLUED, "dmy"),
        (_DATE_SLASH_AS_ONE, "dmy"),
        (_DATE_LETTER_SLASH, "dmy"),
    )
    for pattern, order in patterns:
        for m in pattern.finditer(folded):
            a, b, c = (int(g) for g in m.groups())
            day, month, printed = (a, b, c) if order == "dmy" else (c, b, a)
            year = _paper_year(printed)
            value = _iso(year, month, day) if year else None
            if value and (best is None or m.start() < best[0]):
                best = (m.start(), value)
            if value:
                break
    if best:
        return best[1]
    return _date_in_words(folded)


def clean_value(text: str) -> str:
    """Trim dotted leaders, colons and stray punctuation around a printed value."""
    text = normalize_spaces(canonicalize(text))
    text = re.sub(r"[.…_]{2,}|[¬|_]", " ", text)
    text = re.sub(r"(?<=,)\s*[-–.]+\s+", " ", text)  # `Phường 25, - quận`: a stray mark
    text = normalize_spaces(_LEADERS.sub("", normalize_spaces(text)))
    # Marks before the value, apart from it (`# Số 169 đường …`, `( Ấp Thượng …`): debris
    # read off a card's portrait or a frame beside the line.
    text = re.sub(r"^(?:[^\w\s]+\s+)+(?=\w)", "", text)
    # A lone letter after punctuation, or a lone mark after a dash, ends as OCR debris
    # (`hôn nhân. l`, `đã chết - 1`); so does a lone consonant (`thành phố Hà Nội k`).
    text = re.sub(
        r"(?<=[.,;:])\s+[^\W\d]$|(?<=[^\W\d])\s[-–—]\s+(?:[^\W\d]|1)$"
        r"|(?<=[^\W\d]{2})\s+[bcdfghjklmnpqrstvwxz]$",
        "",
        text,
    )
    return _LEADERS.sub("", text)


def mostly_caps(line: str) -> bool:
    """At least 70% of the letters are capitals (headings, names typed in capitals)."""
    letters = [ch for ch in line if ch.isalpha()]
    return len(letters) >= 4 and sum(ch.isupper() for ch in letters) >= 0.7 * len(letters)


def _has_vowel(word: str) -> bool:
    """Every Vietnamese syllable has a vowel; OCR debris (`Sn`, `N`) often has none."""
    return any(ch in "aeiouy" for ch in fold(word).lower())


def _name_word(word: str) -> str | None:
    word = word.strip(".,;:_-–'\"`“”|¬*")
    if len(word) < 1 or not all(ch.isalpha() for ch in word):
        return None
    if len(word) >= 3 and word[0].islower() and word[1].isupper():
        return word[1:]  # a speck read as a letter glued on: `lLê Văn Cường`
    if (
        len(word) >= 3
        and word[0] in "Il"
        and fold(word[1:]).lower() in FAMILY_NAMES
        and fold(word).lower() not in FAMILY_NAMES
        and not default_corrector().is_valid(word)
    ):
        return word[1:]  # the same in capitals: `IPHAN MẠNH ĐỨC`
    return word


def normalize_name(text: str) -> str | None:
    """A person's name as printed: NFC, single spaces, letters only (case kept).

    The name stops at the first digit, slash, bracket or comma (`Bà: HOÀNG THỊ HẰNG, sinh
    năm: 1991`).
    """
    text = clean_value(text)
    text = re.split(r"\s*(?:/|\(|\d|,|:)", text)[0]
    raws = [part for raw in text.split() for part in _unglued(raw)]
    if len(raws) >= 3 and len(raws[0]) == 1 and fold(raws[1]).lower() in FAMILY_NAMES:
        raws = raws[1:]  # `Ì Đinh Văn Duy`: a speck before the family name, not a name word
    words: list[str] = []
    for raw in raws:
        w = _name_word(raw)
        if w is None or not _has_vowel(w) or (words and w[0].islower()):
            if words:
                break  # debris after the name (`Phan Thị Giang li s j`, `Hạnh Sn N`)
            continue  # or before it (`Z NGUYỄN THANH ĐỨC`: a card's portrait read as a letter)
        style = next((x.isupper() for x in words if len(x) > 1), None)  # `Y` (Ê Đê) is no style
        if len(words) >= 2 and len(w) > 1 and style is not None and w.isupper() != style:
            break  # a name keeps one case style: `Hoàng Văn Đức SỐ`, `TRẦN MINH DŨNG Ki`
        words.append(w)
    while len(words) > 2 and (
        fold(words[-1]).lower() in _NEVER_LAST or (len(words[-1]) == 1 and not words[-1].isascii())
    ):
        words.pop()  # a leader or a speck read as letters after the name (`Nguyễn Hữu Bình So`)
    if not 2 <= len(words) <= 7:
        return None
    if any(w.islower() for w in words[:1]):
        return None  # a name starts with a capital; lower case is running text
    return " ".join([_family_name(words[0]), *words[1:]])


_VOWELS = frozenset("aeiouy")


def _unglued(word: str) -> list[str]:
    """A name word OCR glued to the next one, split: `MAINGA` → `MAI NGA`.

    Only a word that is no syllable, split where it is in two cases (`NguyễnMaiHương`) or at
    the one place that leaves two syllables of two letters or more, the second starting
    with a consonant (a word read without its marks, `HUONG`, is no `HU ONG`). A family
    name without its marks (`NGUYEN`) and a word that splits no way (`Ksor`, an Ê Đê name)
    stay whole. Without the syllable list, words stay whole.
    """
    corrector = default_corrector()
    if len(word) < 4 or not corrector.syllables or corrector.is_valid(word):
        return [word]
    if fold(word).lower() in FAMILY_NAMES:
        return [word]  # `NGUYEN`: its marks lost, not two words (`NGUY EN`)
    starts = [0] + [i for i in range(1, len(word)) if word[i].isupper() and word[i - 1].islower()]
    camel = [word[a:b] for a, b in zip(starts, [*starts[1:], len(word)], strict=True)]
    if len(camel) > 1 and all(corrector.is_valid(p) for p in camel):
        return camel
    splits = [
        [word[:i], word[i:]]
        for i in range(2, len(word) - 1)
        if fold(word[i]).lower() not in _VOWELS  # `HUONG` is no `HU ONG`
        and corrector.is_valid(word[:i])
        and corrector.is_valid(word[i:])
    ]
    return splits[0] if len(splits) == 1 else [word]


# Words that never end a Vietnamese name but come out of a dotted leader read as letters
# (`TRẦN KIM BÍCH MY SỐ cấy`, `Nguyễn Hữu Bình So`); nor does one marked letter (`Ặ`: a
# speck), while a plain one may (`Nguyễn Văn A`, the name forms use for anyone).
_NEVER_LAST = frozenset({"so"})


def _family_name(word: str) -> str:
    """The family name with its usual tones; a one-letter OCR slip on a common one repaired."""
    canonical = FAMILY_NAMES.get(fold(word).lower()) or (
        repair_family_name(word) if len(word) >= 4 else None
    )
    if canonical is None:
        return word
    if word.isupper():
        return canonical.upper()
    return canonical if word[:1].isupper() else word


# Common family names whose folded spelling is unambiguous: OCR often drops a tone mark
# on them (`Nguyên` for `Nguyễn`), and the family name is a small closed set.
FAMILY_NAMES = {
    fold(n).lower(): n
    for n in re.findall(
        r"\w+",
        "Nguyễn Trần Lê Phạm Hoàng Huỳnh Phan Vũ Võ Đặng Bùi Đỗ Hồ Ngô Dương Lý Đinh "
        "Trịnh Trương Lương Quách Tạ Kiều Đoàn Đào Thái Lâm Vương Châu Triệu Tăng Mạc Khổng "
        "Phùng Hà Cao Tôn Thân Mai Chu Lục Nông Hứa Giang Kim Doãn Bạch Đàm Hầu Khúc Quan "
        "Tống Ninh Lại Lưu Tô Đồng Mạc Hoàng Phó Viên Từ Thạch Cù La Âu Ông Yên Khương",
    )
}


def repair_family_name(word: str) -> str | None:
    """A damaged family name one OCR slip away from a common one (`lgô` → `Ngô`), else None."""
    key = fold(word).lower()
    if key in FAMILY_NAMES:
        name = FAMILY_NAMES[key]  # only its case or tones slipped (`trần`): not `Thân`
        return None if _letter_the_name_lacks(word, name) else name
    close = [
        n
        for k, n in FAMILY_NAMES.items()
        if len(k) == len(key) and Levenshtein.distance(k, key) == 1
    ]
    return close[0] if len(close) == 1 and len(key) >= 3 else None


def _letter_the_name_lacks(word: str, name: str) -> bool:
    """True when `word` has a hat, horn or breve the name has not: another word.

    `phố` (a street, `thành phố` wrapped) folds like the family name `Phó`, but its ô is a
    letter of its own, not a slipped mark; `tran` (its marks lost) is still `Trần`.
    """
    pairs = zip(nfc(word).lower(), name.lower(), strict=False)
    return any(_letter_marks(read) - _letter_marks(meant) for read, meant in pairs)


_LETTER_MARKS = frozenset("\u0302\u0306\u031b")  # circumflex, breve, horn


def _letter_marks(ch: str) -> set[str]:
    # Not the bar of đ: OCR adds it often (`Đương` for `Dương`), and the name is meant.
    return {c for c in unicodedata.normalize("NFD", ch) if c in _LETTER_MARKS}


def family_from_tail(word: str) -> str | None:
    """The family name a seal's ring cut the first letters off (`rần` → `Trần`), else None.

    Only a tail with a tone mark is read back, and only when one family name ends so:
    without a tone a tail is too often another name's with its tone lost (`ân`: `Thân`,
    or `Trần` read without its grave).
    """
    tail = nfc(word).lower()
    if len(tail) < 2 or tone_mark(tail) is None:
        return None
    names = {n for n in FAMILY_NAMES.values() if n.lower().endswith(tail) and len(n) > len(tail)}
    return names.pop() if len(names) == 1 else None


def numeric_run(text: str) -> str:
    """Undo letter-for-digit OCR confusions inside a token that is mostly digits."""

    def fix(m: re.Match[str]) -> str:
        token = m.group(0)
        digits = sum(ch.isdigit() for ch in token)
        return token.translate(_DIGIT_LOOKALIKES) if digits >= max(2, len(token) * 0.6) else token

    return re.sub(r"[0-9OoQDlI|iSsBZzGbg]{3,}", fix, text)


def normalize_digits(text: str, lengths: tuple[int, ...]) -> str | None:
    """The first run of digits (spaces allowed inside) whose length is one of `lengths`."""
    text = numeric_run(text)
    for m in re.finditer(r"(?<![^\W\d])\d(?:[\d .]*\d)?(?![^\W\d])", text):
        digits = re.sub(r"[ .]", "", m.group(0))
        if len(digits) in lengths:
            return digits
        for part in m.group(0).split():  # `số 048 ... 01/2021`: try the pieces alone
            if len(part) in lengths and part.isdigit():
                return part
    return None


def normalize_gender(text: str) -> str | None:
    """`Nam` or `Nữ` from a printed gender (Nam/Nữ, Male/Female)."""
    f = fold(text).lower()
    # `NưỮ`: the horned u read twice, once with its tilde, on a scanned PDF.
    m = re.search(r"\b(nuu?|female|nam|male)\b", f)
    if not m:
        return None
    return "Nữ" if m.group(1) in ("nu", "nuu", "female") else "Nam"


def normalize_area(text: str) -> str | None:
    """Land area in m² as a decimal with a dot: `123,5 m2` → `123.5`."""
    text = numeric_run(text)
    m = re.search(r"(\d[\d.]*)(?:\s*,\s*(\d+))?\s*(?:m2|m²|m\b)", text)
    if not m:
        m = re.search(r"(\d[\d.]*)(?:,(\d+))?", text)
    if not m:
        return None
    whole = m.group(1).rstrip(".")
    if m.group(2) is None and whole.count(".") == 1 and len(whole.split(".")[1]) != 3:
        return whole
    whole = whole.replace(".", "")
    return f"{whole}.{m.group(2)}" if m.group(2) else whole


# Type abbreviations of Decree 30 numbers (and a few older or civil-status ones).
DOC_TYPE_CODES = (
    "NQ", "QĐ", "CT", "QC", "TB", "HD", "HĐ", "KH", "BC", "TTr", "GUQ", "GM", "GNP", "UQ",
    "GT", "CV", "NĐ", "TT", "XN", "GXN", "TTLT", "PA", "ĐA", "BB", "GCN", "GP",
)  # fmt: skip


_KNOWN_BODIES = (
    "UBND", "HĐND", "VPCP", "STNMT", "STTTT", "SKHĐT", "SGDĐT", "KSTT", "CNTT", "BNV", "BCA",
)  # fmt: skip


def _repair_symbol(symbol: str) -> str:
    """`QĐÐ-UBND` → `QĐ-UBND`; `TBUBND` → `TB-UBND`; `QĐ-UBNP` → `QĐ-UBND` (OCR slips)."""
    symbol = symbol.replace("Ð", "Đ").replace("đ", "Đ")
    if "-" not in symbol and "/" not in symbol:
        for code in sorted(DOC_TYPE_CODES, key=len, reverse=True):
            if symbol.upper().startswith(code.upper()) and len(symbol) - len(code) >= 2:
                symbol = f"{code}-{symbol[len(code) :]}"
                break
    parts = symbol.split("-")
    if len(parts) >= 2:
        kind = re.sub(r"([A-ZĐ])\1+", r"\1", parts[0])  # a doubled letter: `QĐĐ`
        if kind != parts[0] and kind in DOC_TYPE_CODES:
            parts[0] = kind
        parts[1:] = [_known_body(p) for p in parts[1:]]
    return "-".join(parts)


def _known_body(body: str) -> str:
    """A body code one letter away from exactly one well-known code (`UBNP` → `UBND`)."""
    if len(body) < 4 or body in _KNOWN_BODIES:
        return body
    close = [k for k in _KNOWN_BODIES if len(k) == len(body) and Levenshtein.distance(k, body) == 1]
    return close[0] if len(close) == 1 else body


def normalize_doc_number(text: str) -> str | None:
    """A document number: `732/QĐ-UBND`, `45/2020/NĐ-CP`, `9224/XN` or a plain `45`."""
    text = clean_value(re.sub(r"(?<=\d)[ƒ⁄](?=[A-ZĐ\d])", "/", text))  # `9674ƒXN`
    m = re.search(
        r"(\d+)\s*/\s*((?:\d{4}\s*/\s*)?[\w\-Đđ]+(?:\s*/\s*[\w\-Đđ]+)*"
        r"(?:(?<=-)\s+[A-ZĐ]\w*|(?<=[A-ZĐ])\s[A-ZĐ]{1,3}-[\w\-Đđ]+)?)",
        text,
    )  # the last group: `QĐ- UBND` (a space after the hyphen), `UBN D-TP` (one inside)
    if m:
        rest = re.sub(r"\s+", "", m.group(2))
        year = re.match(r"\d{4}/", rest)
        head = year.group(0) if year else ""
        return f"{m.group(1)}/{head}{_repair_symbol(rest[len(head) :])}"
    m = re.match(r"(\d+)\s*([A-ZĐÐ][A-Za-zĐÐđ\-]{1,14})\b", text)
    if m:  # `5TBUBND`, `9224XN`: the slash was lost
        return f"{m.group(1)}/{_repair_symbol(m.group(2))}"
    m = re.match(r"(?:[tT]\s+|:\s*)?(\d+)", numeric_run(text))  # `Sốt 330706449`: `:` read as `t`
    return m.group(1) if m else None


_UNIT_WORDS = (
    "thành phố", "thị trấn", "thị xã", "tỉnh", "huyện", "quận", "phường", "xã", "đặc khu",
)  # fmt: skip
_BODY_HEADS = (
    "Ủy ban nhân dân", "Công an", "Sở", "Phòng", "Bộ", "Cục", "Chi cục", "Văn phòng",
    "Ban", "Tòa án nhân dân", "Viện kiểm sát nhân dân", "Trung tâm", "Bộ phận",
)  # fmt: skip


def _lead(words: list[str], phrases: tuple[str, ...]) -> str | None:
    """The phrase (canonical spelling) that `words` start with, compared folded (OCR tones)."""
    folded = [fold(w) for w in words]
    for phrase in sorted(phrases, key=len, reverse=True):
        parts = fold(phrase.lower()).split()
        if folded[: len(parts)] == parts and len(words) > len(parts):
            return phrase
    return None


def normalize_authority(text: str) -> str | None:
    """An issuing body in the DOMAIN style, whatever case it was printed in.

    Papers print the body in capitals (`ỦY BAN NHÂN DÂN` over `PHƯỜNG VĨNH NIỆM`); records
    keep it in sentence case: the body kind as a phrase (`Ủy ban nhân dân`, `Công an`,
    `Sở`), administrative unit words in lower case, place names capitalised per word:
    `Ủy ban nhân dân phường Vĩnh Niệm`. Text printed in mixed case is kept as printed.
    """
    text = clean_value(re.sub(r"^\s*(TM|KT|TL|TUQ|Q)\s*\.\s*", "", text))
    if len(text) < 4:
        return None
    if re.match(r"(?i)ubnd\b", text):
        text = "ỦY BAN NHÂN DÂN" + text[4:].upper()
    if sum(ch.islower() for ch in text) > 1 or not text.isupper() and len(text) < 12:
        return text[:1].upper() + text[1:]  # mixed case (one lower-case letter is OCR's)
    words = text.lower().split()
    head = _lead(words, _BODY_HEADS)
    if head is None:
        return " ".join(words)[:1].upper() + " ".join(words)[1:]
    rest = words[len(head.split()) :]
    unit = _lead(rest, _UNIT_WORDS)
    if unit:
        name = rest[len(unit.split()) :]
        return f"{head} {unit} {' '.join(w[:1].upper() + w[1:] for w in name)}"
    rest_text = " ".join(rest)
    if head in ("Sở", "Phòng", "Bộ", "Cục", "Chi cục", "Ban", "Trung tâm", "Văn phòng"):
        return f"{head} {rest_text[:1].upper()}{rest_text[1:]}"
    return f"{head} {rest_text}"
