"""Civil-status papers (Circular 04/2020 forms): birth, marriage, marital status, death."""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date, timedelta

from pipeline.samples.blocks import header, signature, title
from pipeline.samples.compose import Composer, Style
from pipeline.samples.papers import (
    Authority,
    Document,
    address,
    commune_authority,
    issue_date,
    printed_date,
    printed_name,
    text_date,
)
from pipeline.samples.people import (
    Person,
    child_of,
    date_words,
    fmt_date,
    long_date,
    officer,
    random_date,
    random_person,
)

NATION = "Việt Nam"


def _civil_header(c: Composer, auth: Authority, number: str, book: str) -> None:
    header(c, auth.parent, auth.caps, number, None, vv=f"Quyển số: {book}")


def _civil_signature(
    c: Composer,
    rng: random.Random,
    auth: Authority,
    role: str,
    signer: str,
    spouses: tuple[str, str] | None = None,
) -> None:
    after = "Phó Chủ tịch" if rng.random() < 0.5 else "Chủ tịch"
    c.ensure(c.pitch() * 9)
    c.gap(0.3)

    def officer_block(k: Composer) -> None:
        signature(
            k,
            [role],
            signer,
            seal_text=auth.seal_ring(),
            note="(Ký, ghi rõ họ, chữ đệm, tên, chức vụ và đóng dấu)",
            after=after,
        )

    blocks: list[tuple[float, float, Callable[[Composer], None]]] = []
    if spouses:
        blocks += [
            (0.0, 0.22, lambda k: signature(k, ["Chồng"], spouses[0])),
            (0.22, 0.44, lambda k: signature(k, ["Vợ"], spouses[1])),
        ]
    c.columns([*blocks, (0.42, 1.0, officer_block)])


def _book(rng: random.Random, registered: date) -> tuple[str, str]:
    return str(rng.randint(1, 320)), f"{rng.randint(1, 3):02d}/{registered.year}"


def _base_fields(
    auth: Authority, number: str, book: str, registered: date, signer: str
) -> dict[str, str]:
    return {
        "document_number": number,
        "book_number": book,
        "issue_date": registered.isoformat(),
        "issuing_authority": auth.name,
        "signer_name": signer,
    }


def birth_certificate(rng: random.Random, style: Style) -> Document:
    """Giấy khai sinh: child, parents, registration."""
    born = random_date(rng, date(1992, 1, 1), date(2025, 8, 31))
    registered = born + timedelta(days=rng.randint(3, 58))
    father = random_person(rng, gender="Nam", years=(born.year - 40, born.year - 20))
    mother = random_person(
        rng, gender="Nữ", years=(born.year - 38, born.year - 18), residence=father.residence
    )
    child = child_of(rng, father, mother, born)
    auth = commune_authority(father.residence, registered)
    number, book = _book(rng, registered)
    signer = officer(rng)
    caps = rng.random() < 0.7
    c = Composer(style, rng)
    _civil_header(c, auth, number, book)
    title(c, "GIẤY KHAI SINH")
    name = printed_name(child.full_name, caps)
    c.field("Họ, chữ đệm, tên: ", name)
    c.field("Ngày, tháng, năm sinh: ", fmt_date(born, "slash0"), leaders=False)
    c.flow([("ghi bằng chữ: ", "italic"), (date_words(born).capitalize(), "regular")])
    c.fields_row(
        [("Giới tính:", child.gender), ("Dân tộc:", child.ethnicity), ("Quốc tịch:", NATION)]
    )
    c.field("Nơi sinh: ", child.birth_place)
    c.field("Quê quán: ", address(child.origin, registered, with_street=False))
    fields = {
        "full_name": name,
        "date_of_birth": born.isoformat(),
        "gender": child.gender,
        "ethnicity": child.ethnicity,
        "nationality": NATION,
        "place_of_birth": child.birth_place,
        "place_of_origin": address(child.origin, registered, with_street=False),
    }
    if registered.year >= 2016:
        c.field("Số định danh cá nhân: ", child.id_number)
        fields["id_number"] = child.id_number
    for role, parent in (("mẹ", mother), ("cha", father)):
        pname = printed_name(parent.full_name, caps)
        c.field(f"Họ, chữ đệm, tên người {role}: ", pname)
        c.fields_row(
            [
                ("Năm sinh:", str(parent.dob.year)),
                ("Dân tộc:", parent.ethnicity),
                ("Quốc tịch:", NATION),
            ]
        )
        c.field("Nơi cư trú: ", address(parent.residence, registered))
        fields[f"{'mother' if role == 'mẹ' else 'father'}_name"] = pname
    declarant = rng.choice((father, mother))
    c.field("Họ, chữ đệm, tên người đi khai sinh: ", declarant.full_name)
    paper = (
        f"CCCD số {declarant.id_number}"
        if registered.year >= 2016
        else f"CMND số {declarant.old_cmnd}"
    )
    c.field("Giấy tờ tùy thân: ", paper)
    c.field("Nơi đăng ký khai sinh: ", auth.name)
    c.field("Ngày, tháng, năm đăng ký: ", printed_date(style, registered))
    _civil_signature(c, rng, auth, "NGƯỜI KÝ GIẤY KHAI SINH", signer)
    fields.update(_base_fields(auth, number, book, registered, signer))
    return Document("birth_certificate", c.pages, fields)


def _spouse_block(c: Composer, role: str, p: Person, when: date, caps: bool) -> None:
    c.flow([(f"Họ, chữ đệm, tên {role}:", "regular")])
    c.flow([(printed_name(p.full_name, caps), "bold")])
    c.flow([("Ngày, tháng, năm sinh: ", "regular"), (fmt_date(p.dob, "slash0"), "regular")])
    c.flow(
        [
            ("Dân tộc: ", "regular"),
            (p.ethnicity, "regular"),
            (" Quốc tịch: ", "regular"),
            (NATION, "regular"),
        ]
    )
    c.flow([("Nơi cư trú: ", "regular"), (address(p.residence, when), "regular")])
    c.flow([("Giấy tờ tùy thân: ", "regular"), (f"CCCD số {p.id_number}", "regular")])


def marriage_certificate(rng: random.Random, style: Style) -> Document:
    """Giấy chứng nhận kết hôn with husband and wife columns."""
    registered = issue_date(rng)
    husband = random_person(rng, gender="Nam", years=(registered.year - 45, registered.year - 21))
    wife = random_person(rng, gender="Nữ", years=(registered.year - 40, registered.year - 19))
    auth = commune_authority(rng.choice((husband, wife)).residence, registered)
    number, book = _book(rng, registered)
    signer = officer(rng)
    caps = rng.random() < 0.7
    c = Composer(style, rng)
    _civil_header(c, auth, number, book)
    title(c, "GIẤY CHỨNG NHẬN KẾT HÔN")
    c.columns(
        [
            (0.0, 0.48, lambda k: _spouse_block(k, "chồng", husband, registered, caps)),
            (0.52, 1.0, lambda k: _spouse_block(k, "vợ", wife, registered, caps)),
        ]
    )
    c.gap(0.5)
    c.field("Nơi đăng ký kết hôn: ", auth.name)
    c.field("Ngày, tháng, năm đăng ký: ", printed_date(style, registered))
    _civil_signature(
        c,
        rng,
        auth,
        "NGƯỜI KÝ GIẤY CHỨNG NHẬN KẾT HÔN",
        signer,
        spouses=(husband.full_name, wife.full_name),
    )
    fields = {
        "husband_name": printed_name(husband.full_name, caps),
        "wife_name": printed_name(wife.full_name, caps),
    }
    fields.update(_base_fields(auth, number, book, registered, signer))
    return Document("marriage_certificate", c.pages, fields)


STATUSES = (
    "Hiện tại chưa đăng ký kết hôn với ai.",
    "Chưa đăng ký kết hôn với ai.",
    "Đã đăng ký kết hôn, nhưng đã ly hôn theo Bản án số 45/2019/HNGĐ-ST.",
    "Có đăng ký kết hôn, vợ/chồng đã chết.",
)
PURPOSES = (
    "làm thủ tục đăng ký kết hôn",
    "bổ sung hồ sơ vay vốn ngân hàng",
    "làm thủ tục mua bán nhà đất",
    "bổ sung hồ sơ xin việc",
)


def marital_status_certificate(rng: random.Random, style: Style) -> Document:
    """Giấy xác nhận tình trạng hôn nhân, valid six months."""
    issued = issue_date(rng)
    p = random_person(rng, years=(issued.year - 60, issued.year - 18))
    auth = commune_authority(p.residence, issued)
    number = str(rng.randint(1, 999))
    book = f"{rng.randint(1, 3):02d}/{issued.year}"
    signer = officer(rng)
    status = rng.choice(STATUSES)
    expiry = issued + timedelta(days=182)
    c = Composer(style, rng)
    _civil_header(c, auth, number, book)
    title(c, "GIẤY XÁC NHẬN", "TÌNH TRẠNG HÔN NHÂN")
    c.para(
        f"{auth.name} xét đề nghị của {p.title.lower()} {p.full_name}, về việc xác nhận "
        f"tình trạng hôn nhân cho người có tên dưới đây,"
    )
    c.centered([("XÁC NHẬN:", "bold")])
    caps = rng.random() < 0.5
    name = printed_name(p.full_name, caps)
    residence = address(p.residence, issued)
    c.field("Họ, chữ đệm, tên: ", name)
    c.field("Ngày, tháng, năm sinh: ", printed_date(style, p.dob))
    c.fields_row([("Giới tính:", p.gender), ("Dân tộc:", p.ethnicity), ("Quốc tịch:", NATION)])
    c.field("Giấy tờ tùy thân: ", f"Căn cước công dân số {p.id_number}")
    c.field("Nơi cư trú: ", residence)
    since = random_date(rng, p.dob + timedelta(days=18 * 365), issued)
    c.field(
        "Trong thời gian cư trú tại ",
        f"{auth.name} từ ngày {fmt_date(since, 'slash0')} đến ngày {fmt_date(issued, 'slash0')}",
        leaders=False,
    )
    c.field("Tình trạng hôn nhân: ", status)
    c.field("Giấy này được cấp để: ", rng.choice(PURPOSES))
    c.field("Giấy này có giá trị sử dụng đến ngày: ", printed_date(style, expiry))
    c.flow([(f"{auth.place}, {long_date(issued)}", "italic")], align="right")
    _civil_signature(c, rng, auth, "NGƯỜI KÝ GIẤY XÁC NHẬN", signer)
    fields = {
        "full_name": name,
        "date_of_birth": p.dob.isoformat(),
        "gender": p.gender,
        "ethnicity": p.ethnicity,
        "nationality": NATION,
        "id_number": p.id_number,
        "place_of_residence": residence,
        "marital_status": status,
        "expiry_date": expiry.isoformat(),
    }
    fields.update(_base_fields(auth, number, book, issued, signer))
    return Document("marital_status_certificate", c.pages, fields)


CAUSES = ("Bệnh già", "Bệnh tim mạch", "Tai nạn giao thông", "Ung thư phổi", "Đột quỵ")


def death_extract(rng: random.Random, style: Style) -> Document:
    """Trích lục khai tử."""
    died = issue_date(rng) - timedelta(days=rng.randint(1, 14))
    registered = died + timedelta(days=rng.randint(1, 14))
    p = random_person(rng, years=(died.year - 95, died.year - 40))
    auth = commune_authority(p.residence, registered)
    number, book = _book(rng, registered)
    signer = officer(rng)
    caps = rng.random() < 0.7
    name = printed_name(p.full_name, caps)
    c = Composer(style, rng)
    _civil_header(c, auth, number, book)
    title(c, "TRÍCH LỤC KHAI TỬ")
    c.field("Họ, chữ đệm, tên: ", name)
    c.field("Ngày, tháng, năm sinh: ", printed_date(style, p.dob))
    c.fields_row([("Giới tính:", p.gender), ("Dân tộc:", p.ethnicity), ("Quốc tịch:", NATION)])
    c.field("Giấy tờ tùy thân: ", f"CCCD số {p.id_number}")
    c.field(
        "Đã chết vào lúc: ",
        f"{rng.randint(0, 23)} giờ {rng.randint(0, 59):02d} phút, {text_date(style, died)}",
    )
    c.field("Nơi chết: ", address(p.residence, registered))
    c.field("Nguyên nhân chết: ", rng.choice(CAUSES))
    declarant = random_person(rng, family=p.family, residence=p.residence)
    c.field("Họ, chữ đệm, tên người đi khai tử: ", declarant.full_name)
    c.field("Nơi đăng ký khai tử: ", auth.name)
    c.field("Ngày, tháng, năm đăng ký: ", printed_date(style, registered))
    _civil_signature(c, rng, auth, "NGƯỜI KÝ TRÍCH LỤC", signer)
    fields = {
        "full_name": name,
        "date_of_birth": p.dob.isoformat(),
        "gender": p.gender,
        "ethnicity": p.ethnicity,
        "nationality": NATION,
        "id_number": p.id_number,
    }
    fields.update(_base_fields(auth, number, book, registered, signer))
    return Document("death_extract", c.pages, fields)
