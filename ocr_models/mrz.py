"""The machine-readable zone of a chip citizen ID card, repaired by its own redundancy.

The back of a chip CCCD carries three lines of 30 OCR-B characters (ICAO 9303, TD1):

    IDVNM<doc 9><check><ID number 12><<<        doc = the ID number's last 9 digits
    <birth YYMMDD><check><sex><expiry YYMMDD><check>VNM<<<<<<<<<<<<composite check>
    SURNAME<<GIVEN<NAMES<<<<<<<<<<

The ID number's 4th digit is the holder's sex and century and the next two the birth year
(DOMAIN.md), which line 2 gives again. Tesseract reads the zone well but not perfectly:
`TDVNM…` for `IDVNM`, `6` for `0`, `O` for `0` in a date. One wrong character loses the
whole line, the card's second source of its number and dates. A field is repaired only
where the zone settles it: the fixed text (`IDVNM`, `VNM`), letters read in a digit field,
a date with one misread digit when exactly one look-alike makes a real date with the
right check digit, the ID number's first digit (province codes run 001-096), and the
document number when exactly one of its readings (as read, as repeated in the ID number,
with the sex, century and birth year of line 2) passes both its own check digit and the
zone's composite one. A line not exactly 30 characters long is left as read by these.

What the check digits cannot settle (a `0` read as `6` in both copies of the number, a
character put in) is rebuilt from the card's faces on the same page: the big printed ID
number and the dates, when the rebuilt line is the line as read but for a few look-alike
characters and the check digits read agree with it (`_rebuild_from_page`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date
from typing import TypeVar

T = TypeVar("T")

_ZONE = re.compile(r"^[A-Z0-9<]{30}$")
# `ID` (its I often read T or 1) and the issuing state VNM with at most one letter misread.
_LINE1 = re.compile(r"^[A-Z1]D(VN.|V.M|.NM)")
_TO_DIGIT = str.maketrans("OQDUIJLTZSBG", "000011112586")
# Digits Tesseract takes for one another in OCR-B.
_LOOKALIKE_DIGITS = {
    "0": "869", "1": "74", "2": "7", "3": "859", "4": "1", "5": "63",
    "6": "508", "7": "12", "8": "6035", "9": "03",
}  # fmt: skip


def check_digit(data: str) -> str:
    """ICAO 9303 check digit of `data` (weights 7, 3, 1; `<` counts 0)."""
    total = 0
    for i, ch in enumerate(data):
        value = int(ch) if ch.isdigit() else ord(ch) - 55 if ch.isalpha() else 0
        total += value * (7, 3, 1)[i % 3]
    return str(total % 10)


def repair_mrz(text: str, today: date | None = None) -> str:
    """The text with the lines of a card's machine-readable zone repaired (see the module)."""
    lines = text.split("\n")
    zone = [_compact(line) for line in lines]
    for i, line in enumerate(zone):
        if _ZONE.match(line) and not _LINE1.match(line) and _looks_like_line2(line):
            lines[i] = zone[i] = _line2(line)
    for i, line in enumerate(zone):
        if _ZONE.match(line) and _LINE1.match(line):
            after = _next_line(zone, i)
            lines[i] = _line1(line, after if _ZONE.match(after) else None, today or date.today())
    return _rebuild_from_page(lines, today or date.today())


# The card prints its facts twice: in words on its faces and in the zone. Tesseract reads
# the big bold number and the dates on the faces well and the zone's digits less so (`0`
# as `6` six times in one line, a `6` put in: `16001255F3561254VNM…`), which the zone's own
# check digits cannot settle. Such a line is rebuilt from the faces' ID number and dates
# when the rebuilt line is the line as read up to a few look-alike characters (`_MAX_COST`)
# and the read line's check digits agree with it: they were read independently of the
# faces, so a number misread on the face does not pass (one chance in ten per digit).
_PAGE_ID = re.compile(r"(?<![\dA-Z<])0\d{11}(?![\dA-Z<])")  # province codes start 0
_PAGE_DATE = re.compile(r"(?<!\d)(\d{2})[/.-](\d{2})[/.-](\d{4})(?!\d)")
_MAX_COST = 3.5  # a look-alike costs 0.5, any other slip 1
_NO_EXPIRY = "<" * 6
_LOOKALIKE_LETTERS = {("I", "T"), ("I", "1"), ("I", "L"), ("<", "K"), ("<", "C")}


def _rebuild_from_page(lines: list[str], today: date) -> str:
    zone = [_zone_chars(line) for line in lines]
    first = [i for i, z in enumerate(zone) if _is_line1_shape(z)]
    if not first:
        return "\n".join(lines)
    others = "\n".join(line for i, line in enumerate(lines) if i not in first)
    numbers = sorted(set(_PAGE_ID.findall(others)))
    dates = sorted({f"{y}{m}{d}" for d, m, y in _PAGE_DATE.findall(others)})  # YYYYMMDD
    dates = [d for d in dates if _is_date(d[2:])]
    for i in first:
        j = next((k for k in range(i + 1, len(lines)) if zone[k]), None)
        pair = _rebuilt_pair(zone[i], zone[j] if j is not None else "", numbers, dates, today)
        if pair is None:
            continue
        for k, line in zip((i, j), pair, strict=True):
            if k is not None and line and line != zone[k]:
                lines[k] = zone[k] = line
    return "\n".join(lines)


def _rebuilt_pair(
    read1: str, read2: str, numbers: list[str], dates: list[str], today: date
) -> tuple[str, str] | None:
    """Lines 1 and 2 as the page's facts rebuild them; None when they settle nothing.

    Line 1 takes a page number whose rebuilt line is within `_MAX_COST` of the line read
    and whose document check digit was read as such. The ID number's first three digits
    are in no check digit but line 2's composite one, so a rebuilt line 1 stands where
    line 2 (read right, or rebuilt with its composite digit read as such) agrees, or else
    where those three digits were read as they are. Line 2 is rebuilt from the dates on
    the page (`dates`, YYYYMMDD) and the two it holds itself when they are real dates (a
    date read right whose check digit was not). An empty second item: line 2 as read.
    """
    if _valid_line1(read1):
        firsts = [(read1, 0.0)]
    else:
        firsts = _near(read1, map(_build_line1, numbers), (14,), 1)
    if not firsts:
        return None
    birth, expiry = read2[0:6].translate(_TO_DIGIT), read2[8:14].translate(_TO_DIGIT)
    own = [str(_recent_century(birth[:2], today))[:2] + birth] if _is_date(birth) else []
    own += ["20" + expiry] if _is_date(expiry) else []
    years = sorted({*dates, *own})
    pairs = []
    for line1, cost1 in firsts:
        if _valid_line2(read2, line1):
            pairs.append(((line1, read2), cost1))
            continue
        built = (
            _build_line2(line1, born[2:], sex, ends[2:] if ends else _NO_EXPIRY)
            for born in years
            for ends in [*years, ""]
            if not ends or ends > born
            for sex in "MF"
        )
        for line2, cost2 in _near(read2, built, (6, 14, 29), 2, must=29):
            pairs.append(((line1, line2), cost1 + cost2))
    found = _only(pairs)
    if found is None:  # line 2 settles nothing: line 1 alone, on its first three digits
        alone = [
            ((c, ""), cost) for c, cost in firsts if _align(c, read1)[1][15:18] == list(c[15:18])
        ]
        found = _only(alone)
    return None if found is None or found == (read1, read2) else found


def _near(
    read: str, built: Iterable[str], checks: tuple[int, ...], agree: int, must: int | None = None
) -> list[tuple[str, float]]:
    """The rebuilt lines within `_MAX_COST` of `read`, with their costs.

    At least `agree` of the check digits at positions `checks` (and the one at `must`)
    must be read exactly as the rebuilt line has them.
    """
    out = []
    for line in set(built):
        cost, aligned = _align(line, read)
        agreeing = sum(aligned[k] == line[k] for k in checks)
        if (
            cost <= _MAX_COST
            and agreeing >= agree
            and (must is None or aligned[must] == line[must])
        ):
            out.append((line, cost))
    return out


def _only(found: list[tuple[T, float]]) -> T | None:
    """The one cheapest of `found`; None if there is none or a tie."""
    if not found:
        return None
    best = min(cost for _, cost in found)
    winners = {item for item, cost in found if cost == best}
    return winners.pop() if len(winners) == 1 else None


def _zone_chars(line: str) -> str:
    """A line as zone characters: spaces and stray marks at its ends dropped."""
    return re.sub(r"^[^A-Z0-9<]+|[^A-Z0-9<]+$", "", _compact(line))


def _is_line1_shape(line: str) -> bool:
    return 27 <= len(line) <= 34 and "DVNM" in line[:7] and line.endswith("<")


def _valid_line1(line: str) -> bool:
    doc, number = line[5:14], line[15:27]
    return (
        bool(_ZONE.match(line))
        and line.startswith("IDVNM")
        and number.isdigit()
        and number[3:] == doc
        and check_digit(doc) == line[14]
    )


def _valid_line2(line: str, line1: str) -> bool:
    return (
        bool(_ZONE.match(line))
        and _is_date(line[0:6])
        and check_digit(line[0:6]) == line[6]
        and (line[8:14] == _NO_EXPIRY or _is_date(line[8:14]))
        and check_digit(line[8:14]) == line[14]
        and _composite(line1, line)
    )


def _build_line1(number: str) -> str:
    return f"IDVNM{number[3:]}{check_digit(number[3:])}{number}<<<"


def _build_line2(line1: str, birth: str, sex: str, expiry: str) -> str:
    line2 = f"{birth}{check_digit(birth)}{sex}{expiry}{check_digit(expiry)}VNM" + "<" * 11
    return line2 + _composite_digit(line1, line2)


def _slip(a: str, b: str) -> float:
    if a == b:
        return 0.0
    if b in _LOOKALIKE_DIGITS.get(a, "") or a in _LOOKALIKE_DIGITS.get(b, ""):
        return 0.5
    if b.translate(_TO_DIGIT) == a or (a, b) in _LOOKALIKE_LETTERS:
        return 0.5
    return 1.0


def _align(want: str, read: str) -> tuple[float, list[str | None]]:
    """Weighted edit distance from `want` to `read`, with what was read for each character.

    The second item holds, per position of `want`, the read character aligned with it
    (None where it was dropped).
    """
    n, m = len(want), len(read)
    cost = [[0.0] * (m + 1) for _ in range(n + 1)]
    for i in range(1, n + 1):
        cost[i][0] = float(i)
    for j in range(1, m + 1):
        cost[0][j] = float(j)
    for i in range(1, n + 1):
        for j in range(1, m + 1):
            cost[i][j] = min(
                cost[i - 1][j - 1] + _slip(want[i - 1], read[j - 1]),
                cost[i - 1][j] + 1,
                cost[i][j - 1] + 1,
            )
    aligned: list[str | None] = [None] * n
    i, j = n, m
    while i and j:
        if cost[i][j] == cost[i - 1][j - 1] + _slip(want[i - 1], read[j - 1]):
            aligned[i - 1] = read[j - 1]
            i, j = i - 1, j - 1
        elif cost[i][j] == cost[i - 1][j] + 1:
            i -= 1
        else:
            j -= 1
    return cost[n][m], aligned


def _next_line(lines: list[str], i: int) -> str:
    """The first non-empty line after line `i` ("" if none): OCR may leave a blank between."""
    return next((line for line in lines[i + 1 :] if line), "")


def _compact(line: str) -> str:
    """A zone line without the spaces Tesseract puts in, `«` read for a `<`."""
    return line.replace(" ", "").replace("«", "<")


def _line1(line: str, line2: str | None, today: date) -> str:
    """Line 1 repaired, the document number only where line 2's composite check agrees."""
    doc, check = line[5:14].translate(_TO_DIGIT), line[14].translate(_TO_DIGIT)
    number = line[15:27].translate(_TO_DIGIT)
    if number[:1] in _LOOKALIKE_DIGITS["0"]:  # province codes run 001-096 (DOMAIN.md)
        number = "0" + number[1:]
    fixed = f"IDVNM{doc}{check}{number}{line[27:]}"
    if not (line2 and doc.isdigit() and check.isdigit() and number.isdigit()):
        return fixed
    holder = _holder(line2, today)
    readings = {doc, number[3:]} | ({holder + doc[3:], holder + number[6:]} if holder else set())
    repaired = [f"IDVNM{d}{check}{number[:3]}{d}{line[27:]}" for d in sorted(readings)]
    confirmed = [r for r in repaired if check_digit(r[5:14]) == check and _composite(r, line2)]
    return confirmed[0] if len(confirmed) == 1 else fixed


def _looks_like_line2(line: str) -> bool:
    return line.count("<") >= 3 and line[:6].translate(_TO_DIGIT).isdigit()


def _composite(line1: str, line2: str) -> bool:
    return _composite_digit(line1, line2) == line2[29]


def _composite_digit(line1: str, line2: str) -> str:
    """The check digit over line 1's number fields and line 2's dates, sex and filler."""
    return check_digit(line1[5:30] + line2[0:7] + line2[8:15] + line2[18:29])


def _line2(line: str) -> str:
    birth_check, expiry_check = line[6].translate(_TO_DIGIT), line[14].translate(_TO_DIGIT)
    birth = _date_field(line[0:6], birth_check) or line[0:6]
    expiry = _date_field(line[8:14], expiry_check) or line[8:14]
    return f"{birth}{birth_check}{line[7]}{expiry}{expiry_check}VNM{line[18:]}"


def _holder(line2: str, today: date) -> str | None:
    """The ID number's digits 4-6 as line 2 gives them: sex and century, birth year."""
    birth, sex = line2[0:6], line2[7]
    if not (_is_date(birth) and check_digit(birth) == line2[6] and sex in "MF"):
        return None
    century_2000 = _recent_century(birth[:2], today) == 2000
    return f"{(sex == 'F') + 2 * century_2000}{birth[:2]}"


def _recent_century(yy: str, today: date) -> int:
    """The century of a two-digit birth year with nothing else to go by: the most recent."""
    return 2000 if 2000 + int(yy) <= today.year else 1900


def _date_field(field: str, check: str) -> str | None:
    """A YYMMDD field read right, or set right by one look-alike digit; None if unsure."""
    digits = field.translate(_TO_DIGIT)
    if not (digits.isdigit() and check.isdigit()):
        return None
    if _is_date(digits) and check_digit(digits) == check:
        return digits
    fixes = {
        digits[:k] + other + digits[k + 1 :]
        for k, ch in enumerate(digits)
        for other in _LOOKALIKE_DIGITS[ch]
    }
    good = [d for d in fixes if _is_date(d) and check_digit(d) == check]
    return good[0] if len(good) == 1 else None


def _is_date(yymmdd: str) -> bool:
    if not (len(yymmdd) == 6 and yymmdd.isdigit()):
        return False
    try:
        date(2000 + int(yymmdd[:2]), int(yymmdd[2:4]), int(yymmdd[4:6]))
    except ValueError:
        return False
    return True


def zone_fields(text: str, today: date | None = None) -> dict[str, str]:
    """The ID number, birth date, sex and expiry a card's zone in `text` vouches for.

    Only what the zone confirms itself: a date when it is a real date with the right check
    digit; the ID number when the document number and its copy agree, pass the check
    digit and, with line 2, the composite check digit too (a 0 read as 6 in both copies
    passes the first one time in ten); the sex when line 2's birth date holds and the ID
    number's sex-and-century digit agrees. Dates are ISO (the birth year's century from
    that digit, else the most recent). Text with no zone, or a zone that settles nothing,
    gives {}; a first line without its second gives nothing either.
    """
    today = today or date.today()
    zone = [_compact(line) for line in repair_mrz(text, today).split("\n")]
    for i, line in enumerate(zone):
        if not (_ZONE.match(line) and line.startswith("IDVNM")):
            continue
        line2 = _next_line(zone, i)
        line2 = line2 if _ZONE.match(line2) else ""
        if not _looks_like_line2(line2):
            return {}
        if not (_valid_line1(line) and _composite(line, line2)):
            return _line2_fields(line2, None, today)  # its dates still stand on their own
        number = line[15:27]
        return {"id_number": number, **_line2_fields(line2, number, today)}
    return {}


def _line2_fields(line2: str, id_number: str | None, today: date) -> dict[str, str]:
    """Birth date, sex and expiry of line 2; the sex only with the ID number to agree."""
    out: dict[str, str] = {}
    birth, sex, expiry = line2[0:6], line2[7], line2[8:14]
    if _is_date(birth) and check_digit(birth) == line2[6]:
        if id_number:
            digit = int(id_number[3])
            century = 1900 + 100 * (digit // 2)
            if sex in "MF" and (sex == "F") == (digit % 2 == 1):
                out["gender"] = "Nam" if sex == "M" else "Nữ"
        else:
            century = _recent_century(birth[:2], today)
        out["date_of_birth"] = f"{century + int(birth[:2])}-{birth[2:4]}-{birth[4:6]}"
    if _is_date(expiry) and check_digit(expiry) == line2[14]:
        out["expiry_date"] = f"20{expiry[:2]}-{expiry[2:4]}-{expiry[4:6]}"
    return out


# Line 3: SURNAME<<GIVEN<NAMES, padded with `<`; `1` and `0` are read for `I` and `O`.
_NAME_LINE = re.compile(r"^[A-Z]{1,20}<<[A-Z]{1,20}(<[A-Z]{1,20}){0,4}<*$")


def zone_name(text: str) -> str | None:
    """The holder's name as line 3 of a card's zone spells it (`LE HOANG PHONG`), or None.

    Without marks it cannot be the name, but it tells which line of the card's face is:
    see `pipeline.document`. Only a line right after a line 2 counts.
    """
    zone = [_zone_chars(line) for line in text.split("\n")]
    for i, line in enumerate(zone):
        if not (_ZONE.match(line) and _looks_like_line2(line)):
            continue
        name = _next_line(zone, i).translate(str.maketrans("10", "IO"))
        if _NAME_LINE.match(name):
            return " ".join(part for part in name.split("<") if part)
    return None
