"""Police residence papers: the CT07 residence confirmation and the old household book."""

from __future__ import annotations

import random
from datetime import date, timedelta

from pipeline.samples.blocks import closing, header, table, title
from pipeline.samples.compose import Composer, Style
from pipeline.samples.papers import (
    Document,
    address,
    issue_date,
    police_authority,
    printed_date,
    printed_name,
)
from pipeline.samples.people import (
    child_of,
    fmt_date,
    long_date,
    officer,
    random_date,
    random_person,
)

RELIGIONS = ("Không", "Không", "Không", "Phật giáo", "Công giáo")
RELATIONS = ("Chủ hộ", "Vợ", "Chồng", "Con", "Con", "Mẹ", "Cháu")


def residence_confirmation(rng: random.Random, style: Style) -> Document:
    """Giấy xác nhận thông tin về cư trú (form CT07), numbered items, valid one year."""
    issued = issue_date(rng, first=date(2021, 7, 1))
    p = random_person(rng, years=(issued.year - 75, issued.year - 16))
    auth = police_authority(p.residence, issued)
    number = f"{rng.randint(1, 9999)}/XN"
    signer = officer(rng)
    residence = address(p.residence, issued)
    caps = rng.random() < 0.6
    name = printed_name(p.full_name, caps)
    c = Composer(style, rng)
    header(c, auth.parent, auth.caps, number, f"{auth.place}, {long_date(issued)}")
    title(c, "XÁC NHẬN", "THÔNG TIN VỀ CƯ TRÚ")
    c.para(f"{auth.name} xác nhận thông tin về cư trú của công dân như sau:")
    head = random_person(rng, gender="Nam", family=p.family, residence=p.residence)
    is_head = rng.random() < 0.5
    items = [
        ("Họ, chữ đệm và tên: ", name),
        ("Ngày, tháng, năm sinh: ", printed_date(style, p.dob)),
        ("Giới tính: ", p.gender),
        ("Số định danh cá nhân: ", p.id_number),
        ("Dân tộc: ", p.ethnicity),
        ("Tôn giáo: ", rng.choice(RELIGIONS)),
        ("Quốc tịch: ", "Việt Nam"),
        ("Quê quán: ", address(p.origin, issued, with_street=False)),
        ("Nơi thường trú: ", residence),
        ("Nơi tạm trú: ", "Không"),
        ("Nơi ở hiện tại: ", residence),
        ("Họ, chữ đệm và tên chủ hộ: ", p.full_name if is_head else head.full_name),
        ("Quan hệ với chủ hộ: ", "Chủ hộ" if is_head else rng.choice(RELATIONS[1:])),
    ]
    for i, (label, value) in enumerate(items, 1):
        c.field(f"{i}. {label}", value)
    fields = {
        "full_name": name,
        "date_of_birth": p.dob.isoformat(),
        "gender": p.gender,
        "id_number": p.id_number,
        "ethnicity": p.ethnicity,
        "nationality": "Việt Nam",
        "place_of_origin": address(p.origin, issued, with_street=False),
        "place_of_residence": residence,
        "document_number": number,
        "issue_date": issued.isoformat(),
        "issuing_authority": auth.name,
        "signer_name": signer,
    }
    if rng.random() < 0.6:
        expiry = issued + timedelta(days=365)
        c.field("Giấy xác nhận có giá trị đến ngày: ", printed_date(style, expiry))
        fields["expiry_date"] = expiry.isoformat()
    closing(
        c,
        auth.titles(rng),
        signer,
        recipients=["- Công dân;", "- Lưu: hồ sơ cư trú."],
        seal_text=auth.seal_ring(),
    )
    return Document("residence_confirmation", c.pages, fields)


def household_book(rng: random.Random, style: Style) -> Document:
    """A page of the old Sổ hộ khẩu: head of household, address and a members table."""
    issued = random_date(rng, date(2005, 1, 1), date(2022, 6, 30))
    head = random_person(rng, gender="Nam", years=(issued.year - 70, issued.year - 25))
    wife = random_person(
        rng, gender="Nữ", years=(head.dob.year - 3, head.dob.year + 8), residence=head.residence
    )
    district_police = f"CÔNG AN {head.residence.district.name}".upper()
    book_no = f"{rng.randint(10, 99)}{rng.randrange(10**7):07d}"
    signer = officer(rng)
    residence = address(head.residence, issued)
    c = Composer(style, rng)
    c.centered([("BỘ CÔNG AN", "bold")])
    c.centered([(district_police, "bold")])
    c.gap(0.6)
    c.centered([("SỔ HỘ KHẨU", "bold")], size=style.size * 1.6)
    c.centered([(f"Số: {book_no}", "bold")])
    c.gap(0.6)
    c.field("Họ và tên chủ hộ: ", head.full_name)
    c.field("Nơi thường trú: ", residence)
    c.field("Số nhà, đường phố / thôn, xóm: ", head.residence.street_line)
    c.gap(0.4)
    c.centered([("NHỮNG NGƯỜI TRONG HỘ", "bold")])
    rows = [["TT", "Họ và tên", "Quan hệ với chủ hộ", "Ngày sinh", "Giới tính", "Dân tộc"]]
    members = [(head, "Chủ hộ"), (wife, "Vợ")]
    for _ in range(rng.randint(0, 3)):
        born = random_date(rng, date(max(wife.dob.year + 20, 1980), 1, 1), issued)
        members.append((child_of(rng, head, wife, born), "Con"))
    for i, (m, rel) in enumerate(members, 1):
        rows.append([str(i), m.full_name, rel, fmt_date(m.dob, "slash0"), m.gender, m.ethnicity])
    table(c, [0.07, 0.33, 0.18, 0.17, 0.12, 0.13], rows)
    place = f"{head.residence.district_short}, {long_date(issued)}"
    c.flow([(place, "italic")], align="right")
    closing(c, [f"TRƯỞNG {district_police}"], signer, seal_text=district_police)
    fields = {
        "full_name": head.full_name,
        "place_of_residence": residence,
        "document_number": book_no,
        "issue_date": issued.isoformat(),
        "issuing_authority": f"Công an {head.residence.district.name}",
        "signer_name": signer,
    }
    return Document("household_book", c.pages, fields)
