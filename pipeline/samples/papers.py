"""What every layout shares: the document result, issuing bodies, dates and numbers."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date

from pipeline.samples.compose import Composer, Style
from pipeline.samples.geo import Place, Province
from pipeline.samples.people import fmt_date, long_date, random_date
from pipeline.samples.render import A4, CARD, Page

MERGER_DAY = date(2025, 7, 1)  # no district level and 34 provinces from this day
LAST_ISSUE = date(2025, 10, 31)


@dataclass
class Document:
    """One rendered paper: its pages and the fields printed on it (truth values)."""

    doc_type: str
    pages: list[Page]
    fields: dict[str, str] = field(default_factory=dict)

    @property
    def text(self) -> str:
        """All pages' text in reading order."""
        return "\n".join(p.text for p in self.pages if p.lines)


@dataclass(frozen=True)
class Authority:
    """An issuing body as its header, seal and signature block print it."""

    name: str  # sentence case, the `issuing_authority` truth value
    parent: str | None  # upper line of the header, already in capitals
    place: str  # place name in the date line
    abbr: str  # body part of document numbers: UBND, STP, CAP …
    head: str  # "CHỦ TỊCH", "GIÁM ĐỐC", "TRƯỞNG CÔNG AN PHƯỜNG" …
    deputy: str  # "PHÓ CHỦ TỊCH" …
    collective: str | None = None  # "ỦY BAN NHÂN DÂN" for TM. blocks
    seal_center: str = ""

    @property
    def caps(self) -> list[str]:
        """The body's own header lines: `ỦY BAN NHÂN DÂN` over `PHƯỜNG DỊCH VỌNG`."""
        prefix = "Ủy ban nhân dân "
        if self.name.startswith(prefix):
            return [prefix.strip().upper(), self.name[len(prefix) :].upper()]
        return [self.name.upper()]

    def titles(self, rng: random.Random) -> list[str]:
        """Signature titles: TM./KT. + position, chosen as offices do."""
        deputy = rng.random() < 0.5
        lines = [f"TM. {self.collective}"] if self.collective else []
        lines += [f"KT. {self.head}", self.deputy] if deputy else [self.head]
        return lines

    def seal_ring(self) -> str:
        """Text around the seal."""
        return self.name.upper() if not self.parent else f"{self.name.upper()} * {self.parent}"


def upper_first(text: str) -> str:
    """Capitalise the first letter only."""
    return text[:1].upper() + text[1:]


def issue_date(rng: random.Random, first: date = date(2016, 1, 1), last: date = LAST_ISSUE) -> date:
    """A signing date; a third of papers are recent, after the 2025 merger."""
    if rng.random() < 0.25 and last > MERGER_DAY:
        return random_date(rng, MERGER_DAY, last)
    return random_date(rng, first, min(last, MERGER_DAY))


def commune_authority(place: Place, when: date) -> Authority:
    """The People's Committee of a commune or ward (civil status, confirmations)."""
    commune = place.commune
    if when >= MERGER_DAY:
        parent = f"{place.province.kind} {place.province.new_name}".upper()
    else:
        parent = place.district.name.upper()
    short = (
        place.commune_short
        if not place.commune_short.startswith("Phường")
        else place.district_short
    )
    return Authority(
        f"Ủy ban nhân dân {commune}",
        parent,
        short,
        "UBND",
        "CHỦ TỊCH",
        "PHÓ CHỦ TỊCH",
        "ỦY BAN NHÂN DÂN",
    )


def district_authority(place: Place) -> Authority:
    """The People's Committee of an old district (before July 2025)."""
    return Authority(
        f"Ủy ban nhân dân {place.district.name}",
        None,
        place.district_short,
        "UBND",
        "CHỦ TỊCH",
        "PHÓ CHỦ TỊCH",
        "ỦY BAN NHÂN DÂN",
        seal_center=place.province.name,
    )


def province_authority(province: Province, when: date) -> Authority:
    """The People's Committee of a province or centrally-run city."""
    name = province.new_name if when >= MERGER_DAY else province.name
    return Authority(
        f"Ủy ban nhân dân {province.kind} {name}",
        None,
        name,
        "UBND",
        "CHỦ TỊCH",
        "PHÓ CHỦ TỊCH",
        "ỦY BAN NHÂN DÂN",
    )


DEPARTMENTS = {
    "Sở Tư pháp": "STP",
    "Sở Tài nguyên và Môi trường": "STNMT",
    "Sở Xây dựng": "SXD",
    "Sở Thông tin và Truyền thông": "STTTT",
    "Sở Kế hoạch và Đầu tư": "SKHĐT",
    "Sở Nội vụ": "SNV",
    "Sở Tài chính": "STC",
}


def department_authority(
    rng: random.Random, province: Province, when: date, name: str | None = None
) -> Authority:
    """A provincial department (Sở) under the province's People's Committee."""
    name = name or rng.choice(list(DEPARTMENTS))
    pname = province.new_name if when >= MERGER_DAY else province.name
    parent = f"UBND {province.kind} {pname}".upper()
    return Authority(name, parent, pname, DEPARTMENTS.get(name, "S"), "GIÁM ĐỐC", "PHÓ GIÁM ĐỐC")


def police_authority(place: Place, when: date) -> Authority:
    """Commune or ward police (residence confirmations)."""
    kind = place.commune.split(" ")[0]
    unit = f"Công an {place.commune}"
    if when >= MERGER_DAY:
        parent = f"CÔNG AN {place.province.kind} {place.province.new_name}".upper()
    else:
        parent = f"CÔNG AN {place.district.name}".upper()
    head = f"TRƯỞNG CÔNG AN {kind}".upper()
    return Authority(
        unit, parent, place.province.name, "CAP" if kind == "phường" else "CAX", head, f"PHÓ {head}"
    )


def place_date(auth: Authority, d: date) -> str:
    """`Hà Nội, ngày 05 tháng 3 năm 2020`."""
    return f"{auth.place}, {long_date(d)}"


def printed_date(style: Style, d: date) -> str:
    """A date after a label that already says `Ngày`: `05/03/2020` or `5/3/2020`."""
    return fmt_date(d, "slash0" if style.date_style == "long" else style.date_style)


def text_date(style: Style, d: date) -> str:
    """A date in running text: `ngày 05 tháng 3 năm 2020` or `ngày 05/03/2020`."""
    return long_date(d) if style.date_style == "long" else f"ngày {fmt_date(d, style.date_style)}"


def doc_number(
    rng: random.Random, kind: str, abbr: str, with_year: bool = False, when: date | None = None
) -> str:
    """`732/QĐ-UBND` or `45/2020/QĐ-UBND`."""
    n = rng.randint(1, 2999) if rng.random() < 0.7 else rng.randint(1, 99)
    year = f"{when.year}/" if with_year and when else ""
    return f"{n}/{year}{kind}-{abbr}" if kind else f"{n}/{year}{abbr}"


def composer(style: Style, rng: random.Random) -> Composer:
    """A fresh A4 composer."""
    return Composer(style, rng)


def address(place: Place, when: date, *, with_street: bool = True) -> str:
    """An address as a paper signed on `when` prints it (no district after the merger)."""
    return place.address(with_street=with_street, new_style=when >= MERGER_DAY)


def printed_name(name: str, caps: bool) -> str:
    """Names are typed in capitals on many civil-status papers."""
    return name.upper() if caps else name


def card_copy(
    rng: random.Random, front: Page, back: Page, left: tuple[float, float] = (0.22, 0.32)
) -> Page:
    """Both sides of a card photocopied onto an A4 sheet, the back below the front."""
    sheet = Page(A4)
    x = rng.uniform(*left) * A4[0]
    y = rng.uniform(0.06, 0.12) * A4[1]
    sheet.place(front, x, y)
    sheet.place(back, x + rng.uniform(-40, 40), y + CARD[1] + rng.uniform(120, 260))
    return sheet
