"""Random but structurally valid Vietnamese people, IDs, tax codes and printed dates."""

from __future__ import annotations

import random
import unicodedata
from dataclasses import dataclass, replace
from datetime import date, timedelta

from pipeline.samples.geo import Place, Province, random_place, random_province

# Family-name shares roughly as in the population: Nguyễn ~40 %.
# fmt: off
FAMILY_NAMES: dict[str, float] = {
    "Nguyễn": 40, "Trần": 11, "Lê": 9.5, "Phạm": 7, "Hoàng": 4, "Huỳnh": 2, "Phan": 4.5,
    "Vũ": 3, "Võ": 2, "Đặng": 2.1, "Bùi": 2, "Đỗ": 1.4, "Hồ": 1.3, "Ngô": 1.3, "Dương": 1,
    "Lý": 0.5, "Đinh": 0.8, "Trịnh": 0.6, "Đào": 0.6, "Mai": 0.4, "Lương": 0.4, "Tạ": 0.3,
}
MIDDLE_MALE = ("Văn", "Văn", "Văn", "Đức", "Minh", "Quang", "Hữu", "Công", "Thanh", "Xuân",
               "Ngọc", "Hoàng", "Tiến", "Duy", "Mạnh", "Trọng")
MIDDLE_FEMALE = ("Thị", "Thị", "Thị", "Thị", "Ngọc", "Thu", "Thanh", "Kim", "Phương", "Minh",
                 "Hồng", "Thùy", "Mai", "Bích", "Hải")
GIVEN_MALE = ("An", "Anh", "Bình", "Cường", "Dũng", "Duy", "Đức", "Hải", "Hiếu", "Hoàng",
              "Hùng", "Huy", "Khánh", "Long", "Minh", "Nam", "Phong", "Phúc", "Quân", "Sơn",
              "Thắng", "Thành", "Tiến", "Toàn", "Trung", "Tuấn", "Việt", "Vinh", "Hưng", "Lâm")
GIVEN_FEMALE = ("Anh", "Chi", "Dung", "Giang", "Hà", "Hạnh", "Hằng", "Hiền", "Hoa", "Hương",
                "Huyền", "Lan", "Linh", "Loan", "Mai", "My", "Nga", "Ngọc", "Nhung", "Oanh",
                "Phương", "Quỳnh", "Thảo", "Thủy", "Trang", "Tuyết", "Vân", "Yến", "Hồng", "Liên")
ETHNICITIES = {"Kinh": 86, "Tày": 2, "Thái": 2, "Mường": 1.5, "Khmer": 1.5, "Hoa": 1, "Nùng": 1}
PHONE_PREFIXES = ("090", "091", "093", "096", "097", "098", "086", "088", "083", "034", "035")
# fmt: on


@dataclass(frozen=True)
class Person:
    """One citizen with everything a civil-status paper might print about them."""

    family: str
    middle: str
    given: str
    gender: str  # "Nam" or "Nữ"
    dob: date
    birth_province: Province
    id_number: str
    old_cmnd: str
    ethnicity: str
    origin: Place
    residence: Place
    birth_place: str
    phone: str

    @property
    def full_name(self) -> str:
        """Name in the usual order, family name first."""
        return f"{self.family} {self.middle} {self.given}"

    @property
    def title(self) -> str:
        """`Ông` or `Bà`, as letters address the person."""
        return "Ông" if self.gender == "Nam" else "Bà"


def personal_id(rng: random.Random, province_code: str, dob: date, gender: str) -> str:
    """A 12-digit personal ID whose province, century/sex digit and year match the person."""
    century_digit = (dob.year // 100 - 19) * 2 + (1 if gender == "Nữ" else 0)
    if not 0 <= century_digit <= 9:
        raise ValueError(f"birth year {dob.year} has no century/sex digit")
    return f"{province_code}{century_digit}{dob.year % 100:02d}{rng.randrange(10**6):06d}"


def random_dob(rng: random.Random, first_year: int, last_year: int) -> date:
    """A uniformly random birth date between two years inclusive."""
    start = date(first_year, 1, 1)
    span = (date(last_year, 12, 31) - start).days
    return start + timedelta(days=rng.randint(0, span))


def random_name(rng: random.Random, gender: str, family: str | None = None) -> tuple[str, str, str]:
    """Family, middle and given name; sometimes two middle names (`Thị Thu`)."""
    family = family or rng.choices(list(FAMILY_NAMES), weights=list(FAMILY_NAMES.values()))[0]
    middles = MIDDLE_MALE if gender == "Nam" else MIDDLE_FEMALE
    middle = rng.choice(middles)
    if rng.random() < 0.2:
        second = rng.choice(middles)
        if second != middle and second not in ("Văn", "Thị"):
            middle = f"{middle} {second}"
    given = rng.choice(GIVEN_MALE if gender == "Nam" else GIVEN_FEMALE)
    return family, middle, given


def random_person(
    rng: random.Random,
    *,
    gender: str | None = None,
    years: tuple[int, int] = (1950, 2004),
    family: str | None = None,
    residence: Place | None = None,
) -> Person:
    """A person with a consistent ID number, birth province, origin and residence."""
    gender = gender or rng.choice(("Nam", "Nữ"))
    family, middle, given = random_name(rng, gender, family)
    dob = random_dob(rng, *years)
    birth_province = random_province(rng)
    origin = random_place(rng, birth_province if rng.random() < 0.7 else None)
    residence = residence or (
        random_place(rng) if rng.random() < 0.5 else random_place(rng, birth_province)
    )
    if rng.random() < 0.4:
        birth_place = f"Bệnh viện Đa khoa {birth_province.full}"
    else:
        birth_place = random_place(rng, birth_province).address(with_street=False)
    return Person(
        family=family,
        middle=middle,
        given=given,
        gender=gender,
        dob=dob,
        birth_province=birth_province,
        id_number=personal_id(rng, birth_province.code, dob, gender),
        old_cmnd=f"{rng.randint(1, 38):02d}{rng.randrange(10**7):07d}",
        ethnicity=rng.choices(list(ETHNICITIES), weights=list(ETHNICITIES.values()))[0],
        origin=origin,
        residence=residence,
        birth_place=birth_place,
        phone=f"{rng.choice(PHONE_PREFIXES)}{rng.randrange(10**7):07d}",
    )


def child_of(rng: random.Random, father: Person, mother: Person, born: date) -> Person:
    """A child carrying the father's family name, born in the parents' residence province."""
    child = random_person(
        rng, years=(born.year, born.year), family=father.family, residence=father.residence
    )
    province = father.residence.province
    return replace(
        child,
        dob=born,
        birth_province=province,
        id_number=personal_id(rng, province.code, born, child.gender),
        ethnicity=father.ethnicity,
        origin=father.origin,
    )


def card_expiry(dob: date, issued: date) -> date | None:
    """Expiry of a chip card: the next renewal age (25/40/60), none from age 58."""
    age_at_issue = issued.year - dob.year - ((issued.month, issued.day) < (dob.month, dob.day))
    if age_at_issue >= 58:
        return None
    for age in (25, 40, 60):
        milestone = _add_years(dob, age)
        if issued < _add_years(milestone, -2):
            return milestone
    return None


def _add_years(d: date, years: int) -> date:
    try:
        return d.replace(year=d.year + years)
    except ValueError:  # 29 February
        return d.replace(year=d.year + years, day=28)


def tax_code(rng: random.Random, prefix: str) -> str:
    """A 10-digit enterprise code with a valid check digit (DOMAIN.md weights)."""
    weights = (31, 29, 23, 19, 17, 13, 7, 5, 3)
    while True:
        digits = prefix + "".join(str(rng.randrange(10)) for _ in range(9 - len(prefix)))
        remainder = sum(w * int(c) for w, c in zip(weights, digits, strict=True)) % 11
        if remainder != 0:  # a sum divisible by 11 is never issued
            return digits + str(10 - remainder)


def tax_code_valid(code: str) -> bool:
    """Check a 10-digit or `NNNNNNNNNN-NNN` enterprise code."""
    main = code.split("-")[0]
    if len(main) != 10 or not main.isdigit() or ("-" in code and not code[11:].isdigit()):
        return False
    total = sum(w * int(c) for w, c in zip((31, 29, 23, 19, 17, 13, 7, 5, 3), main, strict=False))
    return total % 11 != 0 and 10 - total % 11 == int(main[9])


# ---------------------------------------------------------------- printed dates and numbers

_UNITS = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín")
MONTH_WORDS = (
    "",
    "một",
    "hai",
    "ba",
    "tư",
    "năm",
    "sáu",
    "bảy",
    "tám",
    "chín",
    "mười",
    "mười một",
    "mười hai",
)


def _two_digits(n: int, *, after_hundreds: bool) -> str:
    tens, units = divmod(n, 10)
    if tens == 0:
        return (
            f"linh {_UNITS[units]}"
            if after_hundreds and units
            else (_UNITS[units] if units else "")
        )
    head = "mười" if tens == 1 else f"{_UNITS[tens]} mươi"
    if units == 0:
        return head
    if units == 5:
        tail = "lăm"
    elif units == 1 and tens > 1:
        tail = "mốt"
    elif units == 4 and tens > 1:
        tail = "tư"
    else:
        tail = _UNITS[units]
    return f"{head} {tail}"


def number_words(n: int) -> str:
    """Vietnamese words for 0 ≤ n < 1,000,000 (`hai nghìn không trăm hai mươi mốt`)."""
    if n == 0:
        return "không"
    thousands, rest = divmod(n, 1000)
    parts: list[str] = []
    if thousands:
        parts.append(f"{number_words(thousands)} nghìn")
    hundreds, tail = divmod(rest, 100)
    if hundreds or (thousands and rest):
        parts.append(f"{_UNITS[hundreds]} trăm")
    if tail:
        parts.append(_two_digits(tail, after_hundreds=bool(parts)))
    return " ".join(parts)


def date_words(d: date) -> str:
    """A date in words as on birth certificates: `ngày mười lăm, tháng ba, năm …`."""
    day = f"mồng {_UNITS[d.day] if d.day < 10 else 'mười'}" if d.day <= 10 else number_words(d.day)
    return f"ngày {day}, tháng {MONTH_WORDS[d.month]}, năm {number_words(d.year)}"


def fmt_date(d: date, style: str) -> str:
    """Print a date in one of the styles papers use: `long`, `slash0`, `slash`."""
    if style == "long":
        return long_date(d)
    if style == "slash0":
        return f"{d.day:02d}/{d.month:02d}/{d.year}"
    if style == "slash":
        return f"{d.day}/{d.month}/{d.year}"
    raise ValueError(f"unknown date style {style!r}")


def long_date(d: date) -> str:
    """`ngày 05 tháng 3 năm 2020`: Decree 30 pads days below 10 and months below 3."""
    month = f"{d.month:02d}" if d.month < 3 else str(d.month)
    return f"ngày {d.day:02d} tháng {month} năm {d.year}"


def random_date(rng: random.Random, first: date, last: date) -> date:
    """A uniformly random date in a closed range, never on a Sunday (offices are closed)."""
    d = first + timedelta(days=rng.randint(0, max(0, (last - first).days)))
    return d - timedelta(days=1) if d.weekday() == 6 and d > first else d


def officer(rng: random.Random) -> str:
    """The name of an official who signs papers."""
    gender = rng.choice(("Nam", "Nam", "Nữ"))
    return " ".join(random_name(rng, gender))


def ascii_fold(text: str) -> str:
    """Strip Vietnamese diacritics (`Đặng Thị Ánh` → `Dang Thi Anh`)."""
    decomposed = unicodedata.normalize("NFD", text.replace("Đ", "D").replace("đ", "d"))
    return "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
