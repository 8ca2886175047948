"""Decree-30 layout fields that have no label: header body, place-and-date, trích yếu, signer.

A two-column header read straight across mixes the issuing body (left) with the national
motto (right); the motto is cut out by fuzzy alignment so the body's lines remain.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz.distance import Levenshtein
from rapidfuzz.fuzz import partial_ratio_alignment

from ocr_models.vietnamese import fold
from pipeline.normalize import (
    DAY_OR_MONTH,
    FAMILY_NAMES,
    clean_value,
    family_from_tail,
    mostly_caps,
    normalize_authority,
    normalize_name,
    parse_date,
    repair_family_name,
)


@dataclass(frozen=True)
class Found:
    """A layout field's value, the line it came from and how sure the layout rule is."""

    value: str
    line: int
    score: float


_MOTTO = ("cong hoa xa hoi chu nghia viet nam", "doc lap - tu do - hanh phuc")
_PLACE_DATE = re.compile(
    rf"[\w.)]\s*,\s*ngay[\W_]{{0,3}}{DAY_OR_MONTH}[\W_]{{0,3}}th[aeiou]ng[\W_]{{0,3}}{DAY_OR_MONTH}"
    r"[\W_]{0,3}nam[\W_]{0,3}(?:[a-z]\s+)?(\d{4})(?:[\W_]+[a-z]{1,2})?[\W_]*$"
)  # OCR debris may end the line
_BARE_DATE = re.compile(r"[a-z][\W_]+(\d{1,2})\s*th[aeiou]ng\s*(\d{1,2})\s*nam\s*(\d{4})[\W_]*$")
_NOT_PLACE = re.compile(r"\b(gio|phut|can cu|luat|nghi dinh|hom nay|tai)\b")
_UBND = re.compile(r"^uy\s*ban\s*nhan\s*dan\b")
_BODY = re.compile(
    r"^(uy ban nhan dan|ubnd|cong an|so|phong|bo|cuc|chi cuc|van phong|toa an|vien kiem sat"
    r"|trung tam)\b"
)
_NOT_SUBJECT = r"(?i)(can cu|kinh gui|dieu|thuc hien|quyet dinh)"
# `V/v`, and what OCR makes of it (`VIv`, `V/`, `VỊ`).
_SUBJECT = re.compile(r"^[\W_]*(v\s*[/|il1.]\s*v\b|v/(?=\s)|vi(?= [a-z])\b|ve viec\b)[:.]?\s*")
# `.ITM.`: a speck read as i or l glued before the mark
_SIGN_MARK = re.compile(r"(?:^|\s)\W*[il]?(tm|kt|tl|tuq)\s*\.|\(ky|noi nhan")
_SIGN_TITLE = re.compile(
    r"chu tich|giam doc|truong phong|truong|cuc truong|nguoi ky|nguoi lam don|nguoi khai"
)
_ROLE = re.compile(r"^[\W_]*(pho )?(chu tich|giam doc|truong phong|truong|can bo)\b")
_NAME_STOP = re.compile(
    r"\b(chu tich|giam doc|truong|noi nhan|luu|ky|ten|uy ban|cong an|dieu|nhu tren|lanh dao)\b"
)


def strip_motto(fline: str) -> tuple[int, int] | None:
    """Span of the national motto inside a folded header line (OCR read across columns)."""
    for motto in _MOTTO:
        al = partial_ratio_alignment(motto, fline)
        if al is None:
            continue
        span = al.dest_end - al.dest_start
        # A short stretch must match closely: `CÔNG AN XÃ PHI MÔ` is 79 % like the motto's
        # first 17 letters, and a body's name was cut out of the header as motto.
        if (al.score >= 78 and span >= 20) or (al.score >= 90 and span >= 12):
            return al.dest_start, al.dest_end
    return None


def place_date(lines: list[str], folded: list[str]) -> Found | None:
    """The `Hà Nội, ngày 05 tháng 3 năm 2020` line: the date the paper was signed."""
    for i, fline in enumerate(folded):
        m = _PLACE_DATE.search(fline)
        if m and not _NOT_PLACE.search(fline[: m.start() + 1]):
            value = parse_date(lines[i][m.start() :])
            if value:
                return Found(value, i, 0.9)
    for i, fline in enumerate(folded):  # OCR lost `, ngày` on a short italic line
        m = _BARE_DATE.search(fline)
        if m and len(fline.split()) <= 10 and not _NOT_PLACE.search(fline):
            day, month, year = (int(g) for g in m.groups())
            value = parse_date(f"{day}/{month}/{year}")
            if value:
                return Found(value, i, 0.7)
    return None


def _header_lines(lines: list[str], folded: list[str]) -> list[tuple[str, str]]:
    """Left-column fragments of the header: lines before `Số:`/the title, motto cut out."""
    out = []
    for line, fline in zip(lines[:8], folded[:8], strict=False):
        if re.match(r"^[\W_]*so\b\s*[:.,]?\s*\d", fline) or _PLACE_DATE.search(fline):
            break
        span = strip_motto(fline)
        if span:
            s, e = span
            line, fline = line[:s] + " " + line[e:], fline[:s] + " " + fline[e:]
        frag = clean_value(re.split(r"\s[`|_:¬~\"'*]", line)[0])
        words = frag.split()
        while len(words) > 2 and not any(ch.isupper() for ch in words[-1]):
            words.pop()  # debris after a body in capitals (`PHÒNG … DOANH a=szass oan`)
        frag = " ".join(words)
        letters = [ch for ch in frag if ch.isalpha()]
        if len(letters) < 3:
            continue
        if sum(ch.isupper() for ch in letters) >= 0.8 * len(letters):
            ftext = fold(frag).lower()
            m = _UBND.match(ftext)
            if m:  # `UỶBANNHÂN DÂN`: OCR lost the spaces in the body name
                frag, ftext = (
                    "ỦY BAN NHÂN DÂN" + frag[m.end() :],
                    "uy ban nhan dan" + ftext[m.end() :],
                )
            out.append((frag, ftext))
        elif out:
            break
    return out


def _is_body(text: str, ftext: str) -> bool:
    """A line naming an office (`SỞ TƯ PHÁP`), not a title that folds alike (`SỔ HỘ KHẨU`)."""
    m = _BODY.match(ftext)
    if not m or "bo phan mot cua" in ftext:
        return False
    return m.group(1) != "so" or text[:2].lower() == "sở"


def _repair_people_committee(text: str) -> str:
    """`ỦY BA ÂN DÂN HUYỆN …`: OCR broke `ỦY BAN NHÂN DÂN` (at most 3 letters off)."""
    words = text.split()
    heads = [fold(" ".join(words[:n])).lower() for n in range(3, min(5, len(words)) + 1)]
    if not heads:
        return text
    # The closest head of 3-5 words (the fewest words on a tie), measured once each.
    distance, n, head = min(
        (Levenshtein.distance(h, "uy ban nhan dan"), n, h) for n, h in enumerate(heads, 3)
    )
    if 0 < distance <= 3 and head.startswith("uy"):
        return " ".join(["ỦY BAN NHÂN DÂN", *words[n:]])
    return text


def header_authority(lines: list[str], folded: list[str]) -> Found | None:
    """The issuing body from the header's left column (last body line, with its unit line)."""
    frags = _header_lines(lines, folded)
    for k in range(len(frags) - 1, -1, -1):
        text, ftext = frags[k]
        if not _is_body(text, ftext):
            continue
        if ftext in ("uy ban nhan dan", "cong an") and k + 1 < len(frags):
            text = f"{text} {frags[k + 1][0]}"
        elif ftext in ("uy ban nhan dan", "cong an"):
            continue
        value = normalize_authority(text)
        return Found(value, k, 0.8) if value else None
    return None


def signature_authority(lines: list[str], folded: list[str]) -> Found | None:
    """`TM. ỦY BAN NHÂN DÂN TỈNH …` or a body named in capitals over the signature."""
    for i in range(len(lines) - 1, max(-1, len(lines) - 30), -1):
        m = re.search(r"(?:^|\s)tm\s*\.\s*(.+)$", folded[i])
        # Bodies hold no `!:;'~`: those are OCR debris (`TM.ỦY:BAN`, `Ủy! BAN`).
        text = clean_value(re.sub(r"[!:;'~`]", " ", lines[i][m.start(1) :] if m else lines[i]))
        text = _repair_people_committee(text)
        ftext = fold(text).lower()
        letters = [ch for ch in text if ch.isalpha()]
        # After `TM.` one letter OCR read in lower case (`Ủy! BAN …`) does not end the body.
        lower = sum(not ch.isupper() for ch in letters)
        if len(text.split()) < 2 or not letters or lower > (1 if m else 0):
            continue
        if _is_body(text, ftext) and ftext not in ("uy ban nhan dan", "cong an", "bo cong an"):
            nxt = clean_value(lines[i + 1]) if i + 1 < len(lines) else ""
            if (
                nxt.isupper()
                and len(nxt.split()) <= 3
                and not re.search(r"\d", nxt)
                and not _SIGN_TITLE.search(fold(nxt).lower())
            ):
                text = f"{text} {nxt}"  # the body's name wrapped (`… THÀNH PHỐ HẢI` / `PHÒNG`)
            value = normalize_authority(text)
            if value:
                return Found(value, i, 0.7)
    return None


def subject(lines: list[str], folded: list[str]) -> Found | None:
    """The trích yếu without its `Về việc`/`V/v` prefix, joined over wrapped lines."""
    for i, fline in enumerate(folded[:25]):
        m = _SUBJECT.match(fline)
        if not m:
            continue
        parts = [lines[i][m.end() :]]
        for nxt in lines[i + 1 : i + 3]:
            stripped = clean_value(nxt)
            if not stripped or mostly_caps(stripped) or re.match(_NOT_SUBJECT, fold(stripped)):
                break
            if not (stripped[0].islower() or len(stripped.split()) <= 4):
                break
            parts.append(stripped)
        value = clean_value(" ".join(parts))
        if len(value) >= 4:
            return Found(value, i, 0.85)
    return None


def _name_line(line: str) -> str | None:
    """A Title Case personal name alone on its line (the name under a signature)."""
    if line.lstrip().startswith(("-", "+", "–")):
        return None  # an item of `Nơi nhận:`
    line = re.sub(r"(?<=\w)['’.\-]+(?=\w)", " ", line)  # `Minh'Trang`, `Hồ.-Đức`: glued debris
    line = re.sub(r"[“”„«»\"]", " ", line)  # `“Nguyễn “Thanh Hiếu`: a seal's arcs read as quotes
    line = re.sub(r"^(\W*)[1|](?=[^\W\d_])", r"\1L", line)  # `1ê Tiến Anh`: an L read as 1
    cased = [w for w in line.split() if any(ch.lower() != ch.upper() for ch in w)]
    text = re.sub(r"^[\W_\d]+|[\W_\d]+$", "", " ".join(cased))
    words = text.split()
    if words and not words[0][:1].isupper():
        repaired = repair_family_name(words[0]) or family_from_tail(words[0])
        words = [repaired, *words[1:]] if repaired else words
    elif len(words) > 1 and words[0].isupper() and fold(words[0]).lower() in FAMILY_NAMES:
        words = [words[0].capitalize(), *words[1:]]  # `LÊ Mạnh Thắng`: a ring at its top
    if not 3 <= len(words) <= 5 and not (
        len(words) == 2 and fold(words[0]).lower() in FAMILY_NAMES
    ):
        return None
    if fold(words[0]).lower() in ("thi", "van"):
        return None  # a middle name first: OCR lost the family name
    if not all(name_word(w) for w in words):
        return None
    return normalize_name(" ".join(words))


def name_word(word: str) -> bool:
    """A word of a personal name as signers' names are printed: `Dũng`, `A`.

    Not `DŨNG`, `LÊ`, `Ngọc1`, nor a word over seven letters (`Nghiêng` is seven).
    """
    return (
        word.isalpha()
        and word[0].isupper()
        and (len(word) == 1 or word[1:].islower())
        and len(word) <= 7
    )


def _same_person(name: str, others: list[str]) -> bool:
    """True when `name` is one of `others` or made of their words.

    One of them: the same given name (the last word) and one more word in common; two
    words alone are no proof (`Nguyễn Hoàng Thanh Trung` signs the marriage of `Nguyễn
    Ngọc Hoàng`). Made of their words: the spouses' signatures read as one line (`Nguyễn
    Quang Lê Thị`).
    """
    words = fold(name).lower().split()
    theirs = [fold(other).lower().split() for other in others]
    if words and set(words) <= {w for t in theirs for w in t}:
        return True
    return any(t and words[-1] == t[-1] and len(set(words) & set(t)) >= 2 for t in theirs)


def signer(lines: list[str], folded: list[str], exclude: list[str] | None = None) -> Found | None:
    """The name under the last signature block (titles, `(Ký …)`, then the name)."""
    exclude = exclude or []
    anchors = [
        i
        for i, f in enumerate(folded)
        if _SIGN_MARK.search(f) or (_SIGN_TITLE.search(f) and mostly_caps(lines[i]))
    ]
    for a in reversed(anchors):
        window = range(a + 1, min(len(lines), a + 9))
        names = [
            (i, n)
            for i in window
            if (n := _name_line(lines[i]))
            and not _NAME_STOP.search(folded[i])
            and not _same_person(n, exclude)
        ]
        if not names:
            continue
        for i, n in names:
            if i + 1 < len(lines) and _ROLE.match(folded[i + 1]):
                return Found(n, i, 0.8)
        return Found(names[-1][1], names[-1][0], 0.7)
    # No title survived OCR: a name on one of the last lines is still the signer's (a
    # card's machine-readable zone comes after it).
    last = [i for i, line in enumerate(lines) if line.strip() and "<<" not in line][-2:]
    for i in reversed(last):
        n = _name_line(lines[i])
        if n and not _NAME_STOP.search(folded[i]) and not _same_person(n, exclude):
            return Found(n, i, 0.55)
    return None


def subject_person(text: str) -> str | None:
    """`… cho ông Nguyễn Văn An` in a decision's subject: the person it is about."""
    m = re.search(r"\b(?:ông|bà|Ông|Bà)\s+(.+)$", text)
    return normalize_name(m.group(1)) if m else None
