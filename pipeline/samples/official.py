"""Papers issued by offices: decisions, official letters and notices, dossier receipts."""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta

from pipeline.samples import stamps
from pipeline.samples.blocks import closing, header, signature, table, title
from pipeline.samples.compose import Composer, Style
from pipeline.samples.papers import (
    Authority,
    Document,
    address,
    commune_authority,
    department_authority,
    district_authority,
    doc_number,
    issue_date,
    place_date,
    province_authority,
    text_date,
)
from pipeline.samples.people import Person, long_date, officer, random_person
from pipeline.samples.render import ImageOp

LAWS = (
    "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;",
    "Căn cứ Luật sửa đổi, bổ sung một số điều của Luật Tổ chức Chính phủ và Luật Tổ chức chính "
    "quyền địa phương ngày 22 tháng 11 năm 2019;",
    "Căn cứ Nghị định số 61/2018/NĐ-CP ngày 23 tháng 4 năm 2018 của Chính phủ về thực hiện cơ chế "
    "một cửa, một cửa liên thông trong giải quyết thủ tục hành chính;",
    "Căn cứ Nghị định số 30/2020/NĐ-CP ngày 05 tháng 3 năm 2020 của Chính phủ về công tác văn thư;",
    "Căn cứ Nghị định số 45/2020/NĐ-CP ngày 08 tháng 4 năm 2020 của Chính phủ về thực hiện thủ tục "
    "hành chính trên môi trường điện tử;",
    "Căn cứ Thông tư số 01/2023/TT-VPCP ngày 05 tháng 4 năm 2023 của Văn phòng Chính phủ quy định "
    "một số nội dung và biện pháp thi hành trong số hóa hồ sơ, kết quả giải quyết thủ tục hành "
    "chính;",
)
PERSONAL_DECISIONS = (
    (
        "cấp Giấy phép xây dựng nhà ở riêng lẻ cho hộ",
        "Căn cứ Luật Xây dựng ngày 18 tháng 6 năm 2014;",
        "Cấp Giấy phép xây dựng nhà ở riêng lẻ cho hộ {who}, địa chỉ thường trú: {addr}, được xây "
        "dựng công trình nhà ở riêng lẻ tại thửa đất số {parcel}, tờ bản đồ số {sheet}.",
    ),
    (
        "giao đất ở có thu tiền sử dụng đất cho",
        "Căn cứ Luật Đất đai ngày 18 tháng 01 năm 2024;",
        "Giao {area} m² đất ở tại thửa đất số {parcel}, tờ bản đồ số {sheet} cho {who}, địa chỉ "
        "thường trú: {addr}, hình thức giao đất có thu tiền sử dụng đất.",
    ),
    (
        "hỗ trợ kinh phí khám chữa bệnh cho",
        "Căn cứ Luật Ngân sách nhà nước ngày 25 tháng 6 năm 2015;",
        "Hỗ trợ kinh phí khám chữa bệnh cho {who}, địa chỉ thường trú: {addr}, số tiền "
        "{money} đồng.",
    ),
)
GENERAL_DECISIONS = (
    (
        "ban hành Quy chế tiếp nhận, giải quyết thủ tục hành chính theo cơ chế một cửa, một cửa "
        "liên thông",
        "Ban hành kèm theo Quyết định này Quy chế tiếp nhận, giải quyết thủ tục hành "
        "chính theo cơ chế một cửa, một cửa liên thông.",
    ),
    (
        "công bố danh mục thủ tục hành chính được tiếp nhận và trả kết quả qua dịch vụ bưu chính "
        "công ích",
        "Công bố kèm theo Quyết định này danh mục {n} thủ tục hành chính được tiếp nhận "
        "và trả kết quả qua dịch vụ bưu chính công ích.",
    ),
    (
        "phê duyệt Kế hoạch số hóa hồ sơ, kết quả giải quyết thủ tục hành chính năm {year}",
        "Phê duyệt Kế hoạch số hóa hồ sơ, kết quả giải quyết thủ tục hành chính năm {year} kèm "
        "theo Quyết định này.",
    ),
)
LETTER_SUBJECTS = (
    "triển khai số hóa hồ sơ, kết quả giải quyết thủ tục hành chính",
    "tăng cường tiếp nhận hồ sơ trực tuyến toàn trình",
    "rà soát, cập nhật dữ liệu dân cư phục vụ giải quyết thủ tục hành chính",
    "đôn đốc báo cáo kết quả thực hiện cơ chế một cửa quý {quarter} năm {year}",
)
PROCEDURES = (
    "Đăng ký khai sinh",
    "Cấp bản sao trích lục hộ tịch",
    "Đăng ký kết hôn",
    "Cấp Giấy xác nhận tình trạng hôn nhân",
    "Chứng thực bản sao từ bản chính giấy tờ, văn bản",
    "Đăng ký thường trú",
    "Cấp giấy phép xây dựng nhà ở riêng lẻ",
    "Đăng ký biến động quyền sử dụng đất",
    "Đăng ký thành lập hộ kinh doanh",
    "Đăng ký khai tử",
)
PAPERS = (
    "Tờ khai theo mẫu",
    "Căn cước công dân",
    "Giấy khai sinh",
    "Giấy chứng nhận kết hôn",
    "Giấy chứng nhận quyền sử dụng đất",
    "Giấy ủy quyền",
    "Bản vẽ thiết kế",
)


def _issuer(rng: random.Random, place_person: Person, when: date) -> Authority:
    roll = rng.random()
    if roll < 0.35 and when < date(2025, 7, 1):
        return district_authority(place_person.residence)
    if roll < 0.6:
        return province_authority(place_person.residence.province, when)
    if roll < 0.8:
        return commune_authority(place_person.residence, when)
    return department_authority(rng, place_person.residence.province, when)


def administrative_decision(rng: random.Random, style: Style) -> Document:
    """Quyết định: Căn cứ …; QUYẾT ĐỊNH: Điều 1–3; Nơi nhận; signed and sealed."""
    issued = issue_date(rng)
    p = random_person(rng, years=(1950, 2000))
    auth = _issuer(rng, p, issued)
    number = doc_number(rng, "QĐ", auth.abbr, rng.random() < 0.2, issued)
    signer = officer(rng)
    fields = {
        "document_number": number,
        "issue_date": issued.isoformat(),
        "issuing_authority": auth.name,
        "signer_name": signer,
    }
    personal = rng.random() < 0.6
    if personal:
        subject_head, law, article = rng.choice(PERSONAL_DECISIONS)
        who = f"{p.title.lower()} {p.full_name}"
        subject = f"{subject_head} {who}"
        article = article.format(
            who=who,
            addr=address(p.residence, issued),
            parcel=rng.randint(20, 900),
            sheet=rng.randint(1, 60),
            area=rng.randint(40, 300),
            money=f"{rng.randint(4, 100) * 250_000:,}".replace(",", "."),
        )
        fields["full_name"] = p.full_name
    else:
        subject, article = (
            t.format(year=issued.year, n=rng.randint(12, 140))
            for t in rng.choice(GENERAL_DECISIONS)
        )
        law = rng.choice(LAWS[2:])
    fields["subject"] = subject
    c = Composer(style, rng)
    header(c, auth.parent, auth.caps, number, place_date(auth, issued))
    title(c, "QUYẾT ĐỊNH", f"Về việc {subject}", underline=True)
    head = auth.head if not auth.collective else f"{auth.head} {auth.name.upper()}"
    c.centered([(head, "bold")])
    c.gap(0.3)
    grounds = [LAWS[0], LAWS[1]] + rng.sample([g for g in LAWS[2:] if g != law], rng.randint(1, 2))
    grounds.append(law)
    for ground in grounds:
        c.para(ground, style="italic")
    unit = rng.choice(
        (
            "Trưởng phòng Tư pháp",
            "Trưởng phòng Quản lý đô thị",
            "Trưởng phòng Tài nguyên và Môi trường",
            "Trưởng phòng Nội vụ",
        )
    )
    c.para(
        f"Theo đề nghị của {unit} tại Tờ trình số {rng.randint(10, 900)}/TTr-{auth.abbr} "
        f"{text_date(style, issued - timedelta(days=rng.randint(3, 20)))}.",
        style="italic",
    )
    c.gap(0.2)
    c.centered([("QUYẾT ĐỊNH:", "bold")])
    c.gap(0.2)
    articles = [article, "Quyết định này có hiệu lực kể từ ngày ký."]
    executors = f"Chánh Văn phòng, {unit}"
    if personal:
        executors += f", {p.title.lower()} {p.full_name}"
    articles.append(
        f"{executors} và các cơ quan, đơn vị có liên quan chịu trách nhiệm thi hành "
        "Quyết định này./."
    )
    for i, text in enumerate(articles, 1):
        c.flow([(f"Điều {i}.", "bold"), (text, "regular")], align="justify", indent=style.indent)
    closing(
        c,
        auth.titles(rng),
        signer,
        recipients=["- Như Điều 3;", "- Chủ tịch, các PCT;", f"- Lưu: VT, {auth.abbr}."],
        seal_text=auth.seal_ring(),
        seal_center=auth.seal_center,
    )
    return Document("administrative_decision", c.pages, fields)


def official_letter(rng: random.Random, style: Style) -> Document:
    """Công văn (number + `V/v …`) or Thông báo, addressed with `Kính gửi:`."""
    issued = issue_date(rng)
    p = random_person(rng)
    auth = _issuer(rng, p, issued)
    notice = rng.random() < 0.35
    unit = rng.choice(("VP", "CNTT", "HCC", "TP", "KSTT"))
    number = doc_number(
        rng, "TB" if notice else "", f"{auth.abbr}-{unit}" if not notice else auth.abbr
    )
    subject = rng.choice(LETTER_SUBJECTS).format(
        quarter=rng.choice(("I", "II", "III", "IV")), year=issued.year
    )
    signer = officer(rng)
    c = Composer(style, rng)
    header(
        c,
        auth.parent,
        auth.caps,
        number,
        place_date(auth, issued),
        vv=None if notice else f"V/v {subject}",
    )
    if notice:
        title(c, "THÔNG BÁO", f"Về việc {subject}")
    else:
        c.gap(0.5)
        c.flow(
            [("Kính gửi:", "regular"), ("- Các phòng, ban chuyên môn;", "regular")],
            indent=style.indent * 2,
        )
        c.flow([("- Ủy ban nhân dân các xã, phường.", "regular")], indent=style.indent * 2 + 270)
        c.gap(0.3)
    plan = f"{rng.randint(10, 400)}/KH-UBND"
    deadline = issued + timedelta(days=rng.randint(10, 60))
    c.para(
        f"Thực hiện Kế hoạch số {plan} {text_date(style, issued - timedelta(days=30))} "
        f"về chuyển đổi số trong tiếp nhận, giải quyết thủ tục hành chính năm {issued.year}, "
        f"{auth.name} {'thông báo' if notice else 'đề nghị các cơ quan, đơn vị'} một số nội dung "
        "sau:"
    )
    items = [
        "Tổ chức số hóa hồ sơ, kết quả giải quyết thủ tục hành chính còn hiệu lực đang lưu trữ "
        f"tại đơn vị, hoàn thành trước {text_date(style, deadline)}.",
        "Không yêu cầu tổ chức, cá nhân nộp lại giấy tờ, kết quả giải quyết thủ tục hành chính đã "
        "được số hóa hoặc đã có trong cơ sở dữ liệu quốc gia.",
        f"Báo cáo kết quả thực hiện về {auth.name} trước "
        f"{text_date(style, deadline + timedelta(days=7))} để tổng hợp.",
    ]
    for i, item in enumerate(items[: rng.randint(2, 3)], 1):
        c.para(f"{i}. {item}")
    contact = random_person(rng)
    c.para(
        f"Trong quá trình thực hiện, nếu có vướng mắc, đề nghị liên hệ {contact.title.lower()} "
        f"{contact.full_name}, số điện thoại {contact.phone} để được hướng dẫn./."
    )
    closing(
        c,
        auth.titles(rng),
        signer,
        recipients=["- Như trên;", "- Lãnh đạo;", f"- Lưu: VT, {unit}."],
        seal_text=auth.seal_ring(),
        seal_center=auth.seal_center,
    )
    fields = {
        "document_number": number,
        "issue_date": issued.isoformat(),
        "issuing_authority": auth.name,
        "subject": subject,
        "signer_name": signer,
    }
    return Document("official_letter", c.pages, fields)


def _working_days(start: date, days: int) -> date:
    d = start
    while days:
        d += timedelta(days=1)
        if d.weekday() < 5:
            days -= 1
    return d


def dossier_receipt(rng: random.Random, style: Style) -> Document:
    """Giấy tiếp nhận hồ sơ và hẹn trả kết quả with a dossier code and usually a QR code."""
    received_day = issue_date(rng, first=date(2019, 1, 1))
    if received_day.weekday() >= 5:
        received_day -= timedelta(days=received_day.weekday() - 4)
    received = datetime.combine(received_day, datetime.min.time()).replace(
        hour=rng.randint(7, 16), minute=rng.randint(0, 59)
    )
    p = random_person(rng)
    commune = commune_authority(p.residence, received_day)
    procedure = rng.choice(PROCEDURES)
    days = rng.choice((1, 3, 5, 7, 10, 15))
    due = _working_days(received_day, days)
    code = (
        f"H{rng.randint(10, 62)}.{rng.randint(1, 40):02d}.{rng.randint(1, 40):02d}-"
        f"{received_day:%y%m%d}-{rng.randint(1, 9999):04d}"
    )
    officer_name = officer(rng)
    c = Composer(style, rng)
    unit = commune.name[len("Ủy ban nhân dân ") :]
    header(
        c,
        f"UBND {unit}".upper(),
        ["BỘ PHẬN MỘT CỬA"],
        None,
        f"{commune.place}, {long_date(received_day)}",
    )
    qr = stamps.qr_code(f"{code}|{rng.randint(1, 3)}.{rng.randint(1000, 9999)}|{p.id_number}", 7)
    right = c.x1
    if qr is not None and rng.random() < 0.8:
        c.page.ops.append(ImageOp(c.x1 - qr.width, c.y, qr.width, qr.height, qr))
        c.x1 -= qr.width + 20
    title(c, "GIẤY TIẾP NHẬN HỒ SƠ", "VÀ HẸN TRẢ KẾT QUẢ")
    c.centered([("Mã hồ sơ: ", "regular"), (code, "bold")])
    c.x1 = right
    c.gap(0.3)
    c.para(f"Bộ phận Một cửa {unit} tiếp nhận hồ sơ của:", indent=0)
    c.field("Ông/Bà: ", p.full_name)
    c.field("Địa chỉ: ", address(p.residence, received_day))
    c.field("Số điện thoại: ", p.phone)
    c.field("Nội dung yêu cầu giải quyết: ", procedure)
    c.flow([("1. Thành phần hồ sơ nộp gồm:", "regular")])
    rows = [["TT", "Tên giấy tờ", "Hình thức", "Số lượng"]]
    for i, paper in enumerate(rng.sample(PAPERS, rng.randint(2, 4)), 1):
        rows.append(
            [str(i), paper, rng.choice(("Bản chính", "Bản sao", "Bản sao chứng thực")), "01"]
        )
    table(c, [0.08, 0.5, 0.27, 0.15], rows)
    c.flow([("2. Số lượng hồ sơ: 01 (bộ)", "regular")])
    c.flow(
        [(f"3. Thời gian giải quyết hồ sơ theo quy định là: {days:02d} ngày làm việc", "regular")]
    )
    c.flow(
        [
            ("4. Thời gian nhận hồ sơ: ", "regular"),
            (f"{received:%H} giờ {received:%M} phút, {text_date(style, received_day)}", "regular"),
        ]
    )
    c.flow(
        [
            ("5. Thời gian trả kết quả giải quyết hồ sơ: ", "regular"),
            (
                f"{rng.choice(('08', '09', '14', '15'))} giờ 00 phút, {text_date(style, due)}",
                "regular",
            ),
        ]
    )
    c.flow(
        [
            ("6. Vào Sổ theo dõi hồ sơ, Quyển số: ", "regular"),
            (f"{rng.randint(1, 9):02d}, Số thứ tự: {rng.randint(1, 900)}", "regular"),
        ]
    )
    c.gap(0.3)
    c.ensure(c.pitch() * 8)
    c.columns(
        [
            (
                0.0,
                0.48,
                lambda k: signature(
                    k, ["NGƯỜI NỘP HỒ SƠ"], p.full_name, note="(Ký và ghi rõ họ tên)"
                ),
            ),
            (
                0.52,
                1.0,
                lambda k: signature(
                    k, ["NGƯỜI TIẾP NHẬN HỒ SƠ"], officer_name, note="(Ký và ghi rõ họ tên)"
                ),
            ),
        ]
    )
    fields = {
        "dossier_code": code,
        "full_name": p.full_name,
        "procedure_name": procedure,
        "received_date": received_day.isoformat(),
        "appointment_date": due.isoformat(),
    }
    return Document("dossier_receipt", c.pages, fields)
