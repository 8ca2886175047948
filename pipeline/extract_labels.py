"""Printed labels per doc_type and the label-anchored value finder.

Labels are matched on folded, lower-cased lines (`fold_aligned` keeps offsets, so values are
cut from the accented line). A regex finds clean labels; lines where it finds nothing get
a fuzzy pass (rapidfuzz partial alignment) so OCR noise inside a label (`Nơi cứtru`,
`Ngày, tháng,năm sinh`) still anchors its value, at a lower label score.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz.fuzz import partial_ratio_alignment

from ocr_models.postcorrect import default_corrector
from ocr_models.vietnamese import fold


@dataclass(frozen=True)
class Label:
    """A printed label: regex on folded text, the phrase for fuzzy matching, the value kind."""

    field: str
    pattern: str
    kind: str
    phrase: str = ""  # folded label text for the fuzzy pass ("" = exact regex only)


@dataclass(frozen=True)
class Hit:
    """One label found on one line: its span, the label and how well it matched (0–1)."""

    start: int
    end: int
    label: Label
    score: float


# Labels that delimit values but fill no field (a parent's birth year, a phone number …).
STOP = "stop"
_CMND_DEBRIS = r"^[\W_]*(?:\w{1,3}[\W_]+){0,2}"  # up to two specks read as letters
_NAME_NOT = r"(?!\s*(nguoi |ben )?(cha|me|chong|vo|chu ho|di khai|yeu cau|lam don)\b)"
STOPS = (
    Label(STOP, r"nam sinh|ton giao|so dien thoai|dien thoai|noi cap|noi tam tru|"
          r"quan he voi chu ho|noi chet|nguyen nhan chet|chuc danh|da chet vao luc|"
          r"muc dich su dung|hinh thuc su dung|thoi han su dung|nguon goc su dung|"
          r"giay nay duoc cap de|"
          r"ho[,.;]? ?chu d[ae]m[,.;]? ?(va )?ten (nguoi )?(di khai|chu ho)\w*|"
          r"trong thoi gian cu tru|noi dang ky (khai sinh|ket hon|khai tu)|"
          r"ten (cong ty|chi nhanh) viet (bang tieng nuoc ngoai|tat)|von dieu le|"
          r"so vao so|giay to tuy than", STOP,
          "so dien thoai|noi tam tru|quan he voi chu ho|nguyen nhan chet|giay to tuy than"),
)  # fmt: skip
NAME = (
    Label(
        "full_name",
        r"ho[,.;]? ?chu d[ae]m[,.;]? ?(va )?ten( khai.?sinh)?" + _NAME_NOT,
        "name",
        "ho, chu dem, ten",
    ),
    Label("full_name", r"ho (va )?ten" + _NAME_NOT + r"(\s*/\s*full name)?", "name", "ho va ten"),
    Label("full_name", r"ten toi la|toi ten la|ong\s*/\s*ba", "name", "ten toi la|toi ten la"),
)
PERSON = NAME + (
    Label("date_of_birth", r"ngay[,.;]? ?thang[,.;]? ?nam sinh|ngay sinh|sinh ngay|date of birth",
          "date", "ngay, thang, nam sinh|ngay sinh|sinh ngay"),
    Label("gender", r"gioi tinh(\s*/\s*sex)?", "gender", "gioi tinh"),
    Label("nationality", r"quoc ti?ch(\s*/\s*nationality)?", "text", "quoc tich"),
    Label("ethnicity", r"dan t?oc", "text"),  # `Dậnôc`: OCR lost the t
    Label("place_of_origin", r"que quan(\s*/\s*place of origin)?", "text", "que quan"),
    # The old CMND's labels, after debris OCR reads off the photo beside them (`“Pa Nơi
    # ĐKHK thường trủ`, `Pr ẤN Nguyên quán`). `Nguyên quán` folds like the name `Nguyễn
    # Quân`: only before a colon, leaders or a place.
    Label("place_of_origin", _CMND_DEBRIS + r"nguyen quan(?=\s*[:.…]|\s+(xa|phuong|"
          r"thi tran|thon|ap|to|so|ban|lang)\b)", "text"),
    Label("place_of_residence",
          r"(noi thuong tru|noi cu tru|dia chi thuong tru|noi o hien (tai|nay))"
          r"(\s*/\s*place of residence)?", "text", "noi thuong tru|noi cu tru|dia chi thuong tru"),
    Label("place_of_residence", _CMND_DEBRIS + r"noi (d\w\wk|dang ky ho khau)\W{0,2} thuong tru",
          "text"),
)  # fmt: skip
# `CCCD` with a letter misread, lost or added: `CŒCD số` (150 dpi JPEG, seed 5151), `CCD
# số`, `CCCTD) số` (a photocopy, seed 1357).
_CCCD = r"c[^\W\d_]{1,3}d\W?"
PERSONAL_ID = (
    Label("id_number", r"so dinh danh ca nhan|so (" + _CCCD + r"|can cuoc( cong dan)?|cmnd|cmt)\b",
          "id", "so dinh danh ca nhan|so cccd:|so cmnd:"),
)  # fmt: skip
OWN_CARD = (Label("id_number", r"(" + _CCCD + r"|cmnd|can cuoc cong dan|can cuoc) so", "id"),)
CARRIED_ID = (  # the person's own paper on civil-status extracts
    Label("id_number", r"giay to tuy than", "id", "giay to tuy than"),
    Label("id_number", r"so giay to (phap ly|tuy than)[^:\d]{0,20}", "id"),
)
CIVIL_REGISTRATION = (
    Label("document_number", r"^[\W_]*so(?=[:.,t]?[\W_]{0,4}\d)", "docnum"),
    Label("book_number", r"quyen\s*:?\s*so", "book", "quyen so"),
    Label("issue_date", r"ngay[,.;]? ?thang[,.;]? ?nam dang ky|ngay dang ky", "date",
          "ngay, thang, nam dang ky"),
    Label("issuing_authority", r"noi dang ky (khai sinh|ket hon|khai tu)", "authority",
          "noi dang ky khai"),
)  # fmt: skip
ID_CARD = (
    Label("id_number", r"^[\W_]*so\s*/\s*no\.?|personal identification number", "id"),
    # the old CMND: `SỐ 197060732` in red under the title, no colon (not `Số 43, ngõ …`)
    Label("id_number", _CMND_DEBRIS + r"so(?=[\s:.]{0,3}\d{9}(\d{3})?\b)", "id"),
    Label("full_name", r"full name|surname[,.;]? ?middle and given name", "name"),
    Label("expiry_date", r"co gia tri den|ngay[,.;]? ?thang[,.;]? ?nam het han|"
          r"date of \W?expiry", "date", "co gia tri den"),
    Label("issue_date", r"ngay[,.;]? ?thang[,.;]? ?nam cap|ngay cap|date of \W?issue|"
          r"^\W*ngay[,.;]? ?thang[,.;]? ?nam\s*/", "date", "ngay, thang, nam cap"),
    Label("place_of_birth", r"noi dang ky khai sinh(\s*/\s*place of birth)?|noi sinh",
          "text", "noi dang ky khai sinh"),
    Label("place_of_residence", r"noi cu tru(\s*/\s*place of residence)?", "text"),
)  # fmt: skip
BIRTH = (
    Label("father_name", r"(ho[,.;]? ?chu d[ae]m[,.;]? ?ten|ho (va )?ten) (nguoi )?cha", "name",
          "ho, chu dem, ten nguoi cha"),
    Label("mother_name", r"(ho[,.;]? ?chu d[ae]m[,.;]? ?ten|ho (va )?ten) (nguoi )?me", "name",
          "ho, chu dem, ten nguoi me"),
    Label("place_of_birth", r"noi sinh", "text"),
    Label("date_of_birth", r"ghi bang chu", "date"),  # the date in words, under the figures
)  # fmt: skip
SPOUSES = (
    Label("husband_name",
          r"(ho[,.;]? ?chu d[ae]m[,.;]? ?ten|ho (va )?ten)[\s:,.]*(ben )?chong", "name",
          "ho, chu dem, ten chong"),
    Label("wife_name",
          r"(ho[,.;]? ?chu d[ae]m[,.;]? ?ten|ho (va )?ten)[\s:,.]*(ben )?vo\b", "name",
          "ho, chu dem, ten vo"),
)  # fmt: skip
LAND = (
    Label("certificate_serial", r"so phat hanh|so seri|so serial", "serial"),
    Label("land_parcel_number", r"thua dat\W*so", "digits", "thua dat so"),
    Label("map_sheet_number", r"to ban do\W*(s\W+)?so", "digits", "to ban do so"),
    Label("land_area_m2", r"dien tich", "area", "dien tich"),
    Label("land_address", r"(?<!\w)dia chi( thua dat)?(?! thuong tru| tru so)", "text", "dia chi"),
    Label("id_number", r"(" + _CCCD + r"|cmnd|can cuoc cong dan) so", "id"),
    Label("place_of_residence", r"dia chi thuong tru", "text", "dia chi thuong tru"),
    Label("full_name", r"^[\W_]*(?:\w{1,2}\s+)?(ong|ba)(\s*/\s*ba)?(?=\s*:)", "name"),
)
BUSINESS = (
    Label("business_code", r"ma so (doanh nghiep|thue|ho kinh doanh|chi nhanh)", "tax",
          "ma so doanh nghiep"),
    Label("business_name", r"ten (cong ty|doanh nghiep|ho kinh doanh|chi nhanh) "
          r"(viet )?bang tieng viet", "text", "ten cong ty viet bang tieng viet"),
    Label("head_office_address", r"dia chi (tru so chinh|tru so)", "text",
          "dia chi tru so chinh"),
    Label("first_registration_date", r"dang ky lan dau", "date", "dang ky lan dau"),
    Label("id_number", r"so giay to phap ly[^:\d]{0,20}", "id", "so giay to phap ly"),
    Label(STOP, r"dia chi thuong tru|dia chi chi nhanh", STOP),
)  # fmt: skip
RECEIPT = (
    Label("dossier_code", r"ma (so )?ho so", "dossier", "ma ho so"),
    Label("procedure_name", r"noi dung yeu cau giai quyet|ten thu tuc", "text",
          "noi dung yeu cau giai quyet"),
    Label("received_date", r"thoi gian nhan ho so|ngay nhan ho so|ngay tiep nhan", "date",
          "thoi gian nhan ho so"),
    Label("appointment_date", r"thoi gian tra ket qua( giai quyet ho so)?|ngay hen tra|"
          r"hen tra ket qua", "date", "thoi gian tra ket qua"),
    Label("full_name", r"ong\s*/\s*ba|ho (va )?ten nguoi nop", "name"),
    Label(STOP, r"dia chi|quyen so|so thu tu", STOP),
)  # fmt: skip
RESIDENCE = (
    Label("document_number", r"^[\W_]*so(?=[:.,t]?[\W_]{0,4}\d)", "docnum"),
    Label("expiry_date", r"co gia tri? (den|toi)( ngay)?|ngay het han", "date", "co gia tri den"),
)
HOUSEHOLD = (
    Label("full_name", r"ho (va )?ten chu ho", "name", "ho va ten chu ho"),
    Label("document_number", r"^[\W_]*so(?=[:.,t]?[\W_]{0,4}\d)", "docnum"),
)
MARITAL = (
    Label("marital_status", r"^\W*tinh trang hon nhan", "text", "tinh trang hon nhan"),
    Label("expiry_date", r"co gia tri (su dung )?(den|toi)( ngay)?|co gia tri su dung(?=\W*\d)",
          "date",
          "co gia tri su dung den ngay"),
)  # fmt: skip
APPLICANT = (
    Label("full_name", r"ho[,.;]? ?chu d[ae]m[,.;]? ?ten nguoi yeu cau|"
          r"ho (va )?ten nguoi (yeu cau|lam don)", "name"),
    Label(STOP, r"ngay cap", STOP),
)  # fmt: skip

ENUM = re.compile(r"^[\W_]*(?:[^\W\d]{1,2}\s+)?(?:\d{1,2}|[a-zđ]|[ivx]{1,4})\s*[.),]\s*")
_FOLLOW = re.compile(
    r"^\s*(?:[/j7(¿2|]\s*[^\W\d][^:\d]{1,45}|\s[a-z][a-z.'ƒ]{2,14})?\s*(?:[:;|]|[-–—](?=\s*\d))"
)  # a colon after the label, or a dash before a number (`Date of birth- 11/10/1986`)


# The value itself follows (`… sử dụng 28/02/2026`), maybe after a dash OCR read for a
# leader or a colon (`có giá trị đến — 28/02/2025`).
_DIGIT_NEXT = re.compile(r"\s(?:[-–—]\s*)?\d")
_RULE_GLYPH = re.compile(r"^[\W_]*[iljft1][\W_]*$")


def _text_before(line: str, fline: str, start: int) -> str:
    """Folded text before a label, less numbering and debris.

    Debris: a table's left rule read as a letter (`Ì Họ, chữ đệm, tên …`), a short
    non-syllable (`hb Giới tính`: a card edge).
    """
    head = _RULE_GLYPH.sub("", ENUM.sub("", fline[:start]))
    token = line[:start].strip()  # fold_aligned keeps offsets
    if 0 < len(token) <= 2 and " " not in token and not default_corrector().is_valid(token):
        return ""
    return re.sub(r"[\W_]", "", head)


def fold_aligned(text: str) -> str:
    """Folded lower-case copy with the same length, so offsets map back to the original."""
    out = []
    for ch in text:
        f = fold(ch)
        out.append(f.lower() if len(f) == 1 else ch.lower())
    return "".join(out)


def _valid(line: str, fline: str, start: int, end: int) -> bool:
    """A label starts a line (after numbering) or is followed by a colon; titles are not labels."""
    if _FOLLOW.match(fline[end:]) or _DIGIT_NEXT.match(fline[end:]):
        return True  # a colon after it, or the value (`… sử dụng 28/02/2026`)
    head = _text_before(line, fline, start)
    at_end = fline[end:].strip(" -_.|'\"`") == ""  # a boxed label ends its line
    if head and not at_end:
        return False
    letters = [ch for ch in line if ch.isalpha()]
    return not (letters and all(ch.isupper() for ch in letters))


@lru_cache(maxsize=1024)
def compiled(pattern: str) -> re.Pattern[str]:
    """A label regex that also matches when OCR dropped the spaces (`Dậntôc`, `UỶBAN`)."""
    return re.compile(pattern.replace(" ", r"\s*"))


def find_labels(line: str, fline: str, labels: tuple[Label, ...]) -> list[Hit]:
    """Non-overlapping label hits in one folded line, longest first, in line order."""
    hits: list[Hit] = []
    for lab in labels:
        for m in compiled(lab.pattern).finditer(fline):
            if lab.kind == "docnum" and not line[m.start() : m.end()].lstrip(" _-.|")[:1].isupper():
                continue  # `Số: 12` is printed with a capital; `… theo Bản án số 45` runs on
            if m.end() > m.start() and _valid(line, fline, m.start(), m.end()):
                hits.append(Hit(m.start(), m.end(), lab, 1.0))
    hits += [
        f
        for f in _fuzzy(line, fline, labels)
        if all(f.end <= h.start or f.start >= h.end for h in hits)
        and all(f.label.field != h.label.field for h in hits)
    ]
    hits.sort(key=lambda h: (-(h.end - h.start), h.start))
    chosen: list[Hit] = []
    for h in hits:
        if all(h.end <= c.start or h.start >= c.end for c in chosen):
            chosen.append(h)
    if chosen and chosen[0].start == min(h.start for h in chosen):
        chosen += _row_companions(line, fline, labels, chosen)
    return sorted(chosen, key=lambda h: h.start)


# Short facts that forms print side by side without colons: `Giới tính Nữ Dân tộc Kinh
# Quốc tịch Việt Nam` (a boxed civil-status row). Trusted mid-line only in such a row.
_ROW_FIELDS = frozenset({"gender", "ethnicity", "nationality"})


def _row_companions(
    line: str, fline: str, labels: tuple[Label, ...], chosen: list[Hit]
) -> list[Hit]:
    """Colon-less row labels after a value, on a line that starts with a label."""
    first = min(chosen, key=lambda h: h.start)
    if _text_before(line, fline, first.start):
        return []  # the line does not start with a label
    found: list[Hit] = []
    for lab in labels:
        if lab.field not in _ROW_FIELDS or any(c.label.field == lab.field for c in chosen):
            continue
        for m in compiled(lab.pattern).finditer(fline):
            taken = chosen + found
            if m.start() <= first.end or not all(
                m.end() <= c.start or m.start() >= c.end for c in taken
            ):
                continue
            before = max((c.end for c in taken if c.end <= m.start()), default=0)
            if re.search(r"\w", fline[before : m.start()]) and fline[m.end() :].strip():
                found.append(Hit(m.start(), m.end(), lab, 0.9))
                break
    return found


def _fuzzy(line: str, fline: str, labels: tuple[Label, ...]) -> list[Hit]:
    """Labels with OCR noise: a close partial match at the line start or before a colon."""
    body = ENUM.sub("", fline)
    offset = len(fline) - len(body)
    hits = []
    for lab in labels:
        for phrase in lab.phrase.split("|"):
            hit = _fuzzy_phrase(line, fline, body, offset, lab, phrase)
            if hit:
                hits.append(hit)
                break
    return hits


def _fuzzy_phrase(
    line: str, fline: str, body: str, offset: int, lab: Label, phrase: str
) -> Hit | None:
    if len(phrase) < 7:
        return None
    al = partial_ratio_alignment(phrase, body[: len(phrase) + 6], score_cutoff=84)
    # partial_ratio also aligns a short line inside the phrase: demand most of the phrase.
    if al is not None and al.dest_end - al.dest_start < 0.8 * len(phrase):
        al = None
    if al is not None and al.dest_start <= 3:
        start, end = offset + al.dest_start, offset + al.dest_end
        while end < len(fline) and fline[end].isalpha() and fline[end - 1].isalpha():
            end += 1  # finish the word the alignment stopped in (`thuong! tr|u:`)
        rest = line[end:].strip(" .,_-'`")
        # A damaged label must still look like one: a separator, nothing, or a value that
        # starts with a capital or a digit after it (running text goes on in lower case).
        if _FOLLOW.match(fline[end:]):
            return Hit(start, end, lab, al.score / 100)
        value_like = not rest or rest[0] in ":|" or rest[0].isupper() or rest[0].isdigit()
        if value_like and _valid(line, fline, start, end):
            return Hit(start, end, lab, al.score / 100)
        return None
    if len(phrase) < 9:
        return None
    al = partial_ratio_alignment(phrase, fline, score_cutoff=88)
    if al is None or al.dest_end - al.dest_start < 0.8 * len(phrase):
        return None
    start, end = al.dest_start, al.dest_end
    while end > start and not fline[end - 1].isalpha():
        end -= 1  # the alignment took a digit of the value (`… đến ngày 0`)
    if _FOLLOW.match(fline[end:]) or ":" in fline[end : end + 5] or _DIGIT_NEXT.match(fline[end:]):
        return Hit(start, end, lab, al.score / 100)
    return None
