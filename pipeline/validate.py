"""Validators for identifiers and dates: personal ID, tax code, plausible dates."""

from __future__ import annotations

from datetime import date

PROVINCE_CODES: dict[str, str] = {
    "001": "Hà Nội", "002": "Hà Giang", "004": "Cao Bằng", "006": "Bắc Kạn",
    "008": "Tuyên Quang", "010": "Lào Cai", "011": "Điện Biên", "012": "Lai Châu",
    "014": "Sơn La", "015": "Yên Bái", "017": "Hòa Bình", "019": "Thái Nguyên",
    "020": "Lạng Sơn", "022": "Quảng Ninh", "024": "Bắc Giang", "025": "Phú Thọ",
    "026": "Vĩnh Phúc", "027": "Bắc Ninh", "030": "Hải Dương", "031": "Hải Phòng",
    "033": "Hưng Yên", "034": "Thái Bình", "035": "Hà Nam", "036": "Nam Định",
    "037": "Ninh Bình", "038": "Thanh Hóa", "040": "Nghệ An", "042": "Hà Tĩnh",
    "044": "Quảng Bình", "045": "Quảng Trị", "046": "Thừa Thiên Huế", "048": "Đà Nẵng",
    "049": "Quảng Nam", "051": "Quảng Ngãi", "052": "Bình Định", "054": "Phú Yên",
    "056": "Khánh Hòa", "058": "Ninh Thuận", "060": "Bình Thuận", "062": "Kon Tum",
    "064": "Gia Lai", "066": "Đắk Lắk", "067": "Đắk Nông", "068": "Lâm Đồng",
    "070": "Bình Phước", "072": "Tây Ninh", "074": "Bình Dương", "075": "Đồng Nai",
    "077": "Bà Rịa–Vũng Tàu", "079": "TP. Hồ Chí Minh", "080": "Long An",
    "082": "Tiền Giang", "083": "Bến Tre", "084": "Trà Vinh", "086": "Vĩnh Long",
    "087": "Đồng Tháp", "089": "An Giang", "091": "Kiên Giang", "092": "Cần Thơ",
    "093": "Hậu Giang", "094": "Sóc Trăng", "095": "Bạc Liêu", "096": "Cà Mau",
}  # fmt: skip

_TAX_WEIGHTS = (31, 29, 23, 19, 17, 13, 7, 5, 3)


def personal_id_problems(
    id_number: str, date_of_birth: str | None = None, gender: str | None = None
) -> list[str]:
    """Reasons a 12-digit personal ID is inconsistent (empty list when it checks out)."""
    if len(id_number) == 9 and id_number.isdigit():
        return []  # old CMND: no structure to check
    if len(id_number) != 12 or not id_number.isdigit():
        return [f"ID number {id_number!r} is not 12 digits"]
    problems = []
    if id_number[:3] not in PROVINCE_CODES:
        problems.append(f"ID number province code {id_number[:3]} does not exist")
    century_sex = int(id_number[3])
    century = 1900 + 100 * (century_sex // 2)
    female = century_sex % 2 == 1
    if date_of_birth and len(date_of_birth) >= 4 and date_of_birth[:4].isdigit():
        year = int(date_of_birth[:4])
        if year // 100 * 100 != century or year % 100 != int(id_number[4:6]):
            problems.append(f"ID number {id_number} does not match birth year {year}")
    if gender in ("Nam", "Nữ") and female != (gender == "Nữ"):
        problems.append(f"ID number {id_number} does not match gender {gender}")
    return problems


def tax_code_valid(code: str) -> bool:
    """Enterprise/tax code check digit (10 digits, or 13 as NNNNNNNNNN-NNN for branches)."""
    main = code.split("-")[0]
    if len(main) != 10 or not main.isdigit():
        return False
    if "-" in code and not (len(code) == 14 and code[11:].isdigit()):
        return False
    total = sum(int(d) * w for d, w in zip(main[:9], _TAX_WEIGHTS, strict=True))
    if total % 11 == 0:
        return False
    return 10 - total % 11 == int(main[9])


_FUTURE_OK = frozenset({"expiry_date", "appointment_date"})
_DATE_NAMES = (
    "date_of_birth", "issue_date", "expiry_date", "first_registration_date", "received_date",
    "appointment_date",
)  # fmt: skip


def date_order_problems(fields: dict[str, str]) -> list[str]:
    """Reasons the dates of one paper are implausible together."""
    return [msg for msgs in _date_problems(fields).values() for msg in msgs]


def _date_problems(fields: dict[str, str]) -> dict[str, list[str]]:
    """Date problems keyed by the field that is most likely wrong."""
    out: dict[str, list[str]] = {}
    today = date.today().isoformat()
    for name in _DATE_NAMES:
        value = fields.get(name)
        if not value:
            continue
        if value < "1890-01-01":
            out.setdefault(name, []).append(f"{name} {value} is implausibly early")
        elif value > today and name not in _FUTURE_OK:
            out.setdefault(name, []).append(f"{name} {value} is in the future")
    dob, issued, expiry = (fields.get(k) for k in ("date_of_birth", "issue_date", "expiry_date"))
    if dob and issued and issued < dob:
        out.setdefault("issue_date", []).append(
            f"issue date {issued} is before date of birth {dob}"
        )
    if issued and expiry and expiry <= issued:
        out.setdefault("expiry_date", []).append(
            f"expiry date {expiry} is not after issue date {issued}"
        )
    first = fields.get("first_registration_date")
    if first and issued and issued < first:
        out.setdefault("issue_date", []).append(
            f"issue date {issued} is before first registration {first}"
        )
    received, due = fields.get("received_date"), fields.get("appointment_date")
    if received and due and due < received:
        out.setdefault("appointment_date", []).append(
            f"appointment date {due} is before received date {received}"
        )
    return out


def field_problems(fields: dict[str, str]) -> dict[str, list[str]]:
    """Every validation problem of one paper's fields, keyed by the field to distrust."""
    out = _date_problems(fields)
    if "id_number" in fields:
        problems = personal_id_problems(
            fields["id_number"], fields.get("date_of_birth"), fields.get("gender")
        )
        if problems:
            out.setdefault("id_number", []).extend(problems)
    code = fields.get("business_code")
    if code and not tax_code_valid(code):
        out.setdefault("business_code", []).append(f"tax code {code} fails its check digit")
    return out
