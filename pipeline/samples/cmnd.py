"""The old 9-digit identity card (Giấy chứng minh nhân dân, 1999 design).

Void since 31/12/2024, but archives are full of copies of it and officers search by its
number. Front: emblem and photo on the left; the red title and number, name, date of
birth, `Nguyên quán` and `Nơi ĐKHK thường trú` typed on dotted lines. Back: ethnicity and
religion, distinguishing marks, two fingerprints, the issue date and the provincial police
director's signature and seal.
"""

from __future__ import annotations

import random
from datetime import date

from pipeline.samples import stamps
from pipeline.samples.compose import Composer, Style
from pipeline.samples.papers import Document, address, card_copy
from pipeline.samples.people import Person, officer, random_date, random_person
from pipeline.samples.render import CARD, RED, ImageOp, Page, RectOp, TextOp

MARKS = (
    "Nốt ruồi cách 2cm trên đầu lông mày phải",
    "Sẹo chấm cách 1cm dưới cằm",
    "Nốt ruồi cách 1,5cm sau cánh mũi trái",
    "Sẹo chấm cách 3cm trên đuôi mắt trái",
)
RELIGIONS = ("Không", "Không", "Không", "Phật giáo", "Công giáo")


def old_id_card(rng: random.Random, style: Style, *, photo: bool = False) -> Document:
    """Both sides photocopied on an A4 sheet, or (photo=True) the front alone."""
    issued = random_date(rng, date(1999, 6, 1), date(2015, 12, 31))
    person = random_person(rng, years=(issued.year - 65, issued.year - 14))
    small = style.size * rng.uniform(0.42, 0.5)
    card_style = Style(style.face, small, 1.3, (30, 30, 30, 20), False, False, "slash0", 0)
    front, fields = _front(Composer(card_style, rng, CARD), rng, person, issued)
    if photo:
        return Document("citizen_id_card", [front], fields)
    back, back_fields = _back(Composer(card_style, rng, CARD), rng, style, person, issued)
    return Document(
        "citizen_id_card", [card_copy(rng, front, back, (0.2, 0.32))], {**fields, **back_fields}
    )


def _dotted(c: Composer, label: str, value: str, value_style: str = "regular") -> None:
    """`Họ tên ........ NGUYỄN VĂN AN`: a typed value on a printed dotted line."""
    c.flow([(label, "regular"), (value, value_style)], leaders=True)


def _front(c: Composer, rng: random.Random, p: Person, issued: date) -> tuple[Page, dict[str, str]]:
    page = c.page
    small = c.s.size
    page.ops.append(
        ImageOp(0, 0, CARD[0], CARD[1], stamps.card_background(rng, CARD, (212, 228, 236)))
    )
    page.ops.append(ImageOp(45, 40, 140, 140, stamps.emblem(300)))
    page.ops.append(ImageOp(40, 230, 170, 226, stamps.portrait(rng)))
    c.x0, c.x1, c.y = 220, CARD[0] - 25, 28
    c.centered([("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "bold")], size=small * 0.95)
    c.centered([("Độc lập - Tự do - Hạnh phúc", "bold")], size=small * 0.95)
    c.gap(0.3)
    c.centered([("GIẤY CHỨNG MINH NHÂN DÂN", "bold", RED)], size=small * 1.45)
    c.centered([("SỐ ", "bold", RED), (p.old_cmnd, "bold", RED)], size=small * 1.6)
    name = p.full_name.upper()
    _dotted(c, "Họ tên ", name, "bold")
    dob = p.dob.strftime(rng.choice(("%d-%m-%Y", "%d/%m/%Y")))
    _dotted(c, "Sinh ngày ", dob)
    origin = address(p.origin, issued, with_street=False)
    residence = address(p.residence, issued)
    _dotted(c, "Nguyên quán ", origin)
    _dotted(c, "Nơi ĐKHK thường trú ", residence)
    fields = {
        "id_number": p.old_cmnd,
        "full_name": name,
        "date_of_birth": p.dob.isoformat(),
        "place_of_origin": origin,
        "place_of_residence": residence,
    }
    return page, fields


def _back(
    c: Composer, rng: random.Random, style: Style, p: Person, issued: date
) -> tuple[Page, dict[str, str]]:
    page = c.page
    small = c.s.size
    page.ops.append(
        ImageOp(0, 0, CARD[0], CARD[1], stamps.card_background(rng, CARD, (226, 232, 222)))
    )
    c.x0, c.x1, c.y = 30, CARD[0] - 30, 26
    c.flow(
        [("Dân tộc ", "regular"), (p.ethnicity, "regular"), ("     Tôn giáo ", "regular"),
         (rng.choice(RELIGIONS), "regular")]
    )  # fmt: skip
    c.centered([("DẤU VẾT RIÊNG VÀ DỊ HÌNH", "bold")], size=small * 0.95)
    c.flow([(rng.choice(MARKS), "regular")], leaders=True)
    top = c.y + 20
    for i, label in enumerate(("NGÓN TRỎ TRÁI", "NGÓN TRỎ PHẢI")):
        page.ops.append(RectOp(30 + i * 200, top, 210 + i * 200, top + 190, (90, 90, 110), None, 2))
        page.ops.append(TextOp(45 + i * 200, top + 200, label, style.face, "regular", small * 0.8))
    page.lines.append("NGÓN TRỎ TRÁI NGÓN TRỎ PHẢI")
    province = p.residence.province.full.upper()
    c.x0, c.x1, c.y = 450, CARD[0] - 20, top
    c.centered([(f"Ngày {issued.day:02d} tháng {issued.month:02d} năm {issued.year}", "italic")])
    c.centered([("GIÁM ĐỐC CA " + province, "bold")], size=small * 0.9)
    signer = officer(rng)
    seal = stamps.seal(rng, style.face, "CÔNG AN " + province, "", 170)
    page.ops.append(ImageOp(470, c.y - 20, 170, 170, seal, multiply=True))
    page.ops.append(ImageOp(600, c.y + 10, 240, 90, stamps.signature(rng, 240, 90), multiply=True))
    c.y += 120
    c.centered([(signer, "bold")])
    fields = {"ethnicity": p.ethnicity, "issue_date": issued.isoformat(), "signer_name": signer}
    return page, fields
