"""Papers citizens write themselves: applications (Đơn, Tờ khai) and powers of attorney."""

from __future__ import annotations

import random
from datetime import date

from pipeline.samples.blocks import signature, title
from pipeline.samples.compose import Composer, Style
from pipeline.samples.papers import (
    Authority,
    Document,
    address,
    commune_authority,
    issue_date,
    printed_date,
)
from pipeline.samples.people import Person, fmt_date, long_date, officer, random_date, random_person

REQUESTS = (
    ("cấp bản sao trích lục khai sinh", "để bổ sung hồ sơ học tập cho con"),
    ("xác nhận tình trạng hôn nhân", "để làm thủ tục đăng ký kết hôn"),
    ("cấp giấy phép xây dựng nhà ở riêng lẻ", "để xây dựng nhà ở trên thửa đất của gia đình"),
    ("xác nhận thông tin về cư trú", "để bổ sung hồ sơ vay vốn ngân hàng"),
    ("đăng ký biến động quyền sử dụng đất", "do nhận chuyển nhượng quyền sử dụng đất"),
    ("chứng thực bản sao từ bản chính giấy tờ", "để nộp hồ sơ xin việc"),
)
CARD_ISSUER = "Cục Cảnh sát quản lý hành chính về trật tự xã hội"


def _motto(c: Composer) -> None:
    """Forms carry only the national motto, centred, with a rule under it."""
    c.centered([("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "bold")])
    motto = c.centered([("Độc lập - Tự do - Hạnh phúc", "bold")])
    w = c.width(motto[0], "bold")
    mid = (c.x0 + c.x1) / 2
    c.rule(mid - w / 2, c.y + 2, mid + w / 2, 2.5)
    c.gap(0.6)


def _card_issue(rng: random.Random, p: Person, before: date) -> date:
    first = max(date(2021, 1, 1), date(p.dob.year + 14, 1, 1))
    return random_date(rng, min(first, before), before)


def application_form(rng: random.Random, style: Style) -> Document:
    """Đơn đề nghị / Tờ khai: Kính gửi, Tên tôi là, Tôi làm đơn này …, the applicant's signature."""
    signed = issue_date(rng, first=date(2021, 6, 1))
    p = random_person(rng, years=(1950, 2004))
    auth: Authority = commune_authority(p.residence, signed)
    request, reason = rng.choice(REQUESTS)
    residence = address(p.residence, signed)
    card_issued = _card_issue(rng, p, signed)
    form = rng.random() < 0.4
    c = Composer(style, rng)
    _motto(c)
    if form:
        title(c, "TỜ KHAI", f"Đề nghị {request}")
    else:
        title(c, "ĐƠN ĐỀ NGHỊ", f"V/v {request}")
    c.flow([("Kính gửi: ", "bold"), (auth.name, "regular")], indent=style.indent * 1.5)
    c.gap(0.3)
    label = "Họ, chữ đệm, tên người yêu cầu: " if form else "Tên tôi là: "
    c.field(label, p.full_name)
    c.fields_row([("Ngày sinh:", printed_date(style, p.dob)), ("Giới tính:", p.gender)])
    c.field("Số CCCD: ", p.id_number)
    c.field(
        "Ngày cấp: ", f"{fmt_date(card_issued, 'slash0')} Nơi cấp: {CARD_ISSUER}", leaders=False
    )
    c.field("Nơi thường trú: ", residence)
    c.field("Số điện thoại: ", p.phone)
    c.para(f"Tôi làm đơn này đề nghị {auth.name} {request} {reason}.")
    c.para(
        "Tôi xin cam đoan những thông tin trên là đúng sự thật và chịu hoàn toàn trách nhiệm "
        "trước pháp luật về nội dung đã khai."
    )
    c.gap(0.3)
    c.flow([(f"{auth.place}, {long_date(signed)}", "italic")], align="right")
    c.ensure(c.pitch() * 7)
    c.columns(
        [
            (
                0.45,
                1.0,
                lambda k: signature(
                    k,
                    ["NGƯỜI LÀM ĐƠN" if not form else "NGƯỜI KHAI"],
                    p.full_name,
                    note="(Ký, ghi rõ họ tên)",
                ),
            )
        ]
    )
    fields = {
        "full_name": p.full_name,
        "date_of_birth": p.dob.isoformat(),
        "gender": p.gender,
        "id_number": p.id_number,
        "place_of_residence": residence,
        "procedure_name": request,
        "issue_date": signed.isoformat(),
        "signer_name": p.full_name,
    }
    return Document("application_form", c.pages, fields)


def _party(c: Composer, heading: str, p: Person, when: date, issued: date) -> None:
    c.flow([(heading, "bold")])
    c.field("Họ và tên: ", p.full_name)
    c.field("Sinh ngày: ", fmt_date(p.dob, "slash0"))
    c.field("Số CCCD: ", f"{p.id_number} cấp ngày {fmt_date(issued, 'slash0')}", leaders=False)
    c.field("Nơi cấp: ", CARD_ISSUER)
    c.field("Địa chỉ thường trú: ", address(p.residence, when))


def power_of_attorney(rng: random.Random, style: Style) -> Document:
    """Giấy ủy quyền between two citizens, sometimes with the commune's attestation and seal."""
    signed = issue_date(rng, first=date(2021, 6, 1))
    a = random_person(rng, years=(1945, 2000))
    b = random_person(rng, years=(1960, 2004), family=a.family if rng.random() < 0.5 else None)
    auth = commune_authority(a.residence, signed)
    request, _ = rng.choice(REQUESTS)
    c = Composer(style, rng)
    _motto(c)
    title(c, "GIẤY ỦY QUYỀN")
    c.para("Căn cứ Bộ luật Dân sự năm 2015;", style="italic")
    c.para(f"Hôm nay, {long_date(signed)}, tại {auth.name}, chúng tôi gồm:")
    _party(c, "I. BÊN ỦY QUYỀN (Bên A):", a, signed, _card_issue(rng, a, signed))
    _party(c, "II. BÊN ĐƯỢC ỦY QUYỀN (Bên B):", b, signed, _card_issue(rng, b, signed))
    c.flow([("III. NỘI DUNG ỦY QUYỀN:", "bold")])
    c.para(
        f"Bên A ủy quyền cho Bên B thay mặt Bên A liên hệ với cơ quan có thẩm quyền để thực "
        f"hiện thủ tục {request}, ký các giấy tờ có liên quan và nhận kết quả."
    )
    c.flow([("IV. THỜI HẠN ỦY QUYỀN:", "bold")])
    c.para("Kể từ ngày ký cho đến khi hoàn thành công việc được ủy quyền.")
    c.flow([("V. CAM KẾT:", "bold")])
    c.para(
        "Hai bên cam kết chịu trách nhiệm trước pháp luật về mọi thông tin ủy quyền ở trên. "
        "Giấy ủy quyền được lập thành 02 bản, mỗi bên giữ 01 bản./."
    )
    c.ensure(c.pitch() * 7)
    c.columns(
        [
            (
                0.0,
                0.5,
                lambda k: signature(k, ["BÊN ỦY QUYỀN"], a.full_name, note="(Ký, ghi rõ họ tên)"),
            ),
            (
                0.5,
                1.0,
                lambda k: signature(
                    k, ["BÊN ĐƯỢC ỦY QUYỀN"], b.full_name, note="(Ký, ghi rõ họ tên)"
                ),
            ),
        ]
    )
    if rng.random() < 0.5:
        _attestation(c, rng, auth, a, signed)
    fields = {
        "full_name": a.full_name,
        "date_of_birth": a.dob.isoformat(),
        "id_number": a.id_number,
        "place_of_residence": address(a.residence, signed),
        "issue_date": signed.isoformat(),
    }
    return Document("power_of_attorney", c.pages, fields)


def _attestation(c: Composer, rng: random.Random, auth: Authority, a: Person, signed: date) -> None:
    c.gap(0.5)
    c.ensure(c.pitch() * 11)
    c.centered([("LỜI CHỨNG THỰC", "bold")])
    signer = officer(rng)
    c.para(
        f"Ngày {fmt_date(signed, 'slash0')}, tại {auth.name}, tôi {signer}, "
        f"{auth.deputy.capitalize()}, chứng thực: {a.title} {a.full_name} đã ký vào giấy ủy "
        "quyền này trước mặt tôi."
    )
    c.para(
        f"Số chứng thực: {rng.randint(1, 900)}, quyển số {rng.randint(1, 9):02d}/{signed.year}"
        "-SCT/CK,ĐC."
    )
    c.columns(
        [(0.45, 1.0, lambda k: signature(k, auth.titles(rng), signer, seal_text=auth.seal_ring()))]
    )
