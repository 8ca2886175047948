"""Citizen ID cards (chip CCCD 2021 and Thẻ căn cước 2024): front, back with QR and MRZ."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date

from ocr_models.mrz import check_digit
from pipeline.samples import stamps
from pipeline.samples.cmnd import old_id_card
from pipeline.samples.compose import Composer, Style
from pipeline.samples.papers import Document, address, card_copy
from pipeline.samples.people import (
    Person,
    ascii_fold,
    card_expiry,
    fmt_date,
    officer,
    random_date,
    random_person,
)
from pipeline.samples.render import CARD, RED, ImageOp, Page, RectOp, TextOp, mono_face

MARKS = (
    "Nốt ruồi C:1cm trên trước cánh mũi phải",
    "Sẹo chấm C:2cm dưới sau đuôi mắt trái",
    "Nốt ruồi C:1,5cm dưới trước mép trái",
    "Sẹo chấm C:1cm trên đuôi lông mày phải",
)
SIGNER_2021 = ("CỤC TRƯỞNG CỤC CẢNH SÁT", "QUẢN LÝ HÀNH CHÍNH VỀ TRẬT TỰ XÃ HỘI")


@dataclass(frozen=True)
class Card:
    """Everything printed on one person's card."""

    person: Person
    issued: date
    expiry: date | None
    new_model: bool  # Thẻ căn cước (from 07/2024) rather than chip CCCD
    residence: str
    signer: str


def citizen_id_card(rng: random.Random, style: Style, *, photo: bool = False) -> Document:
    """Both sides photocopied on an A4 sheet, or (photo=True) a photo-ready front alone.

    One card in seven is an old 9-digit CMND (`cmnd.py`); the draw keeps the chip cards of
    earlier seeds as they were.
    """
    draw = rng.random()
    if draw >= 0.85:
        return old_id_card(rng, style, photo=photo)
    new_model = draw < 0.35
    issued = random_date(
        rng,
        date(2024, 7, 1) if new_model else date(2021, 1, 1),
        date(2025, 10, 31) if new_model else date(2024, 6, 30),
    )
    person = random_person(rng, years=(issued.year - 70, issued.year - 15))
    card = Card(
        person,
        issued,
        card_expiry(person.dob, issued),
        new_model,
        address(person.residence, issued),
        officer(rng),
    )
    small = style.size * 0.42
    front, fields = _front(rng, style, card, small)
    if photo:
        return Document("citizen_id_card", [front], fields)
    back, back_fields = _back(rng, style, card, small)
    return Document("citizen_id_card", [card_copy(rng, front, back)], {**fields, **back_fields})


def _card_composer(rng: random.Random, style: Style, small: float) -> Composer:
    card_style = Style(style.face, small, 1.22, (30, 30, 30, 20), False, False, "slash0", 0)
    return Composer(card_style, rng, CARD)


def _label(c: Composer, vi: str, en: str, value: str = "", value_style: str = "bold") -> None:
    """A bilingual label `Họ và tên / Full name:` with its value on the same line."""
    segs = [(f"{vi} / ", "regular"), (f"{en}:", "italic")]
    if value:
        segs.append((value, value_style))
    c.flow(segs)


def _front(
    rng: random.Random, style: Style, card: Card, small: float
) -> tuple[Page, dict[str, str]]:
    c = _card_composer(rng, style, small)
    page = c.page
    p = card.person
    page.ops.append(
        ImageOp(0, 0, CARD[0], CARD[1], stamps.card_background(rng, CARD, (205, 232, 222)))
    )
    page.ops.append(ImageOp(34, 30, 150, 150, stamps.emblem(300)))
    c.x0, c.x1 = 190, CARD[0] - 20
    c.y = 24
    c.centered([("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "bold")], size=small * 1.05)
    c.centered([("SOCIALIST REPUBLIC OF VIET NAM", "regular")], size=small * 0.9)
    c.centered([("Độc lập - Tự do - Hạnh phúc", "bold")], size=small * 1.0)
    c.centered([("Independence - Freedom - Happiness", "regular")], size=small * 0.9)
    title = (
        ("CĂN CƯỚC", "IDENTITY CARD")
        if card.new_model
        else ("CĂN CƯỚC CÔNG DÂN", "Citizen Identity Card")
    )
    c.centered([(title[0], "bold", RED)], size=small * 1.7)
    c.centered([(title[1], "bold")], size=small * 0.95)
    page.ops.append(ImageOp(40, 250, 210, 280, stamps.portrait(rng)))
    name = p.full_name.upper()
    c.x0, c.y = 280, c.y + 6
    fields = {
        "id_number": p.id_number,
        "full_name": name,
        "date_of_birth": p.dob.isoformat(),
        "gender": p.gender,
        "nationality": "Việt Nam",
    }
    if card.new_model:
        _label(c, "Số định danh cá nhân", "Personal identification number")
        c.flow([(p.id_number, "bold")], size=small * 1.6)
        _label(c, "Họ, chữ đệm và tên khai sinh", "Surname, middle and given name")
    else:
        _label(c, "Số", "No.", f" {p.id_number}")
        _label(c, "Họ và tên", "Full name")
    c.flow([(name, "bold")], size=small * 1.3)
    _label(
        c,
        "Ngày sinh" if not card.new_model else "Ngày, tháng, năm sinh",
        "Date of birth",
        f" {fmt_date(p.dob, 'slash0')}",
        "regular",
    )
    c.flow(
        [
            ("Giới tính / ", "regular"),
            ("Sex:", "italic"),
            (p.gender, "regular"),
            ("   Quốc tịch / ", "regular"),
            ("Nationality:", "italic"),
            ("Việt Nam", "regular"),
        ]
    )
    if not card.new_model:
        origin = address(p.origin, card.issued, with_street=False)
        _label(c, "Quê quán", "Place of origin")
        c.flow([(origin, "regular")])
        _label(c, "Nơi thường trú", "Place of residence")
        c.flow([(card.residence, "regular")])
        fields |= {"place_of_origin": origin, "place_of_residence": card.residence}
        expiry = fmt_date(card.expiry, "slash0") if card.expiry else "Không thời hạn"
        c.x0, c.x1, c.y = 30, 280, 545
        c.flow([("Có giá trị đến:", "italic")], size=small * 0.85)
        c.flow([(expiry, "regular")], size=small * 0.85)
        if card.expiry:
            fields["expiry_date"] = card.expiry.isoformat()
    return page, fields


def _back(
    rng: random.Random, style: Style, card: Card, small: float
) -> tuple[Page, dict[str, str]]:
    c = _card_composer(rng, style, small)
    page = c.page
    p = card.person
    page.ops.append(
        ImageOp(0, 0, CARD[0], CARD[1], stamps.card_background(rng, CARD, (222, 226, 240)))
    )
    page.ops.append(RectOp(40, 60, 180, 160, outline=(150, 120, 40), fill=(214, 180, 90), width=3))
    fields: dict[str, str] = {"issue_date": card.issued.isoformat()}
    qr = stamps.qr_code(
        "|".join(
            (
                p.id_number,
                p.old_cmnd,
                p.full_name,
                p.dob.strftime("%d%m%Y"),
                p.gender,
                card.residence,
                card.issued.strftime("%d%m%Y"),
            )
        ),
        4,
    )
    qr_left = CARD[0]
    if qr is not None:  # drawn 1:1 at 4 px a module: a resampled QR code stops decoding
        qr_left = CARD[0] - 20 - qr.width
        page.ops.append(ImageOp(qr_left, 18, qr.width, qr.height, qr))
    c.x0, c.x1, c.y = 220, min(CARD[0] - 250, qr_left - 15), 30
    if card.new_model:
        birth = address(p.origin, card.issued, with_street=False)
        _label(c, "Nơi cư trú", "Place of residence")
        c.flow([(card.residence, "regular")])
        _label(c, "Nơi đăng ký khai sinh", "Place of birth")
        c.flow([(birth, "regular")])
        _label(
            c,
            "Ngày, tháng, năm cấp",
            "Date of issue",
            f" {fmt_date(card.issued, 'slash0')}",
            "regular",
        )
        expiry = fmt_date(card.expiry, "slash0") if card.expiry else "Không thời hạn"
        _label(c, "Ngày, tháng, năm hết hạn", "Date of expiry", f" {expiry}", "regular")
        fields |= {"place_of_residence": card.residence, "place_of_birth": birth}
        if card.expiry:
            fields["expiry_date"] = card.expiry.isoformat()
        c.x0, c.x1, c.y = 220, CARD[0] - 30, max(c.y, 245)
        c.centered([("BỘ CÔNG AN", "bold")])
        c.centered([("MINISTRY OF PUBLIC SECURITY", "regular")], size=small * 0.9)
        c.y += 10
    else:
        _label(c, "Đặc điểm nhân dạng", "Personal identification")
        c.flow([(rng.choice(MARKS), "regular")])
        _label(
            c,
            "Ngày, tháng, năm",
            "Date, month, year",
            f" {fmt_date(card.issued, 'slash0')}",
            "regular",
        )
        # Below the QR code: fingerprints on the left, the signer on the right.
        c.x0, c.x1, c.y = 430, CARD[0] - 20, max(c.y, 250)
        for line in SIGNER_2021:
            c.centered([(line, "bold")], size=small * 0.85)
        sig = stamps.signature(rng, 260, 95)
        seal = stamps.seal(rng, style.face, "BỘ CÔNG AN * CỤC CẢNH SÁT QLHC VỀ TTXH", "", 170)
        page.ops.append(ImageOp(470, c.y - 50, 170, 170, seal, multiply=True))
        page.ops.append(ImageOp(600, c.y, 260, 95, sig, multiply=True))
        c.y += 100
        c.centered([(card.signer, "bold")])
        fields["signer_name"] = card.signer
        for i, label in enumerate(("Ngón trỏ trái", "Ngón trỏ phải")):
            page.ops.append(RectOp(40 + i * 190, 260, 210 + i * 190, 430, (90, 90, 110), None, 2))
            page.ops.append(TextOp(50 + i * 190, 462, label, style.face, "regular", small * 0.8))
        page.lines.append("Ngón trỏ trái Ngón trỏ phải")
    _mrz(page, p, card)
    return page, fields


def _mrz(page: Page, p: Person, card: Card) -> None:
    """Three ICAO TD1 lines along the bottom of the back."""
    face = mono_face()
    if face is None:
        return
    doc = p.id_number[3:]
    line1 = f"IDVNM{doc}{check_digit(doc)}{p.id_number}"
    line1 = (line1 + "<" * 30)[:29] + "<"
    dob = p.dob.strftime("%y%m%d")
    exp = card.expiry.strftime("%y%m%d") if card.expiry else "<<<<<<"
    sex = "M" if p.gender == "Nam" else "F"
    line2 = f"{dob}{check_digit(dob)}{sex}{exp}{check_digit(exp)}VNM"
    line2 = (line2 + "<" * 30)[:29]
    line2 += check_digit(line1[5:30] + line2[0:7] + line2[8:15] + line2[18:29])
    parts = ascii_fold(p.full_name).upper().split()
    line3 = (f"{parts[0]}<<{'<'.join(parts[1:])}" + "<" * 30)[:30]
    for i, line in enumerate((line1, line2, line3)):
        page.ops.append(TextOp(60, 520 + i * 40, line, face, "regular", 34))
        page.lines.append(line)
