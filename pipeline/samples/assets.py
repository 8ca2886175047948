"""Registers of assets and firms: land-use certificates and business registration certificates."""

from __future__ import annotations

import random
from datetime import date, timedelta

from pipeline.samples.blocks import closing, header, title
from pipeline.samples.compose import Composer, Style
from pipeline.samples.geo import random_place
from pipeline.samples.papers import (
    MERGER_DAY,
    Document,
    address,
    department_authority,
    district_authority,
    issue_date,
    place_date,
    province_authority,
    upper_first,
)
from pipeline.samples.people import (
    ascii_fold,
    fmt_date,
    long_date,
    number_words,
    officer,
    random_date,
    random_person,
    tax_code,
)
from pipeline.samples.render import RED, RectOp

PURPOSES = ("Đất ở tại đô thị", "Đất ở tại nông thôn", "Đất trồng cây lâu năm", "Đất trồng lúa")
ORIGINS = (
    "Nhà nước công nhận quyền sử dụng đất như giao đất có thu tiền sử dụng đất",
    "Nhận chuyển nhượng đất được công nhận quyền sử dụng đất như giao đất có thu tiền",
    "Nhận thừa kế đất được công nhận quyền sử dụng đất",
)
TRADES = (
    ("THƯƠNG MẠI VÀ DỊCH VỤ", "TRADING AND SERVICES"),
    ("XÂY DỰNG", "CONSTRUCTION"),
    ("ĐẦU TƯ VÀ PHÁT TRIỂN", "INVESTMENT AND DEVELOPMENT"),
    ("CÔNG NGHỆ", "TECHNOLOGY"),
    ("VẬN TẢI", "TRANSPORT"),
    ("THỰC PHẨM", "FOOD"),
    ("DƯỢC PHẨM", "PHARMACEUTICAL"),
)
BRANDS = (
    "AN PHÁT",
    "HƯNG THỊNH",
    "MINH ANH",
    "ĐẠI VIỆT",
    "HOÀNG LONG",
    "THÀNH CÔNG",
    "PHÚC LỘC",
    "TÂN TIẾN",
    "SAO MAI",
    "HẢI ĐĂNG",
    "NAM VIỆT",
    "THIÊN PHÚ",
)
FORMS = (
    ("CÔNG TY TNHH", "CÔNG TY TRÁCH NHIỆM HỮU HẠN HAI THÀNH VIÊN TRỞ LÊN", "COMPANY LIMITED"),
    ("CÔNG TY TNHH", "CÔNG TY TRÁCH NHIỆM HỮU HẠN MỘT THÀNH VIÊN", "COMPANY LIMITED"),
    ("CÔNG TY CỔ PHẦN", "CÔNG TY CỔ PHẦN", "JOINT STOCK COMPANY"),
)


def _area_words(area: float) -> str:
    whole, tenth = int(area), round(area * 10) % 10
    words = number_words(whole) + (f" phẩy {number_words(tenth)}" if tenth else "")
    return upper_first(f"{words} mét vuông")


def land_use_certificate(rng: random.Random, style: Style) -> Document:
    """Sổ hồng: owner (section I), parcel (section II), serial `CS 123456`, signed and sealed."""
    issued = issue_date(rng, first=date(2010, 1, 1))
    owner = random_person(rng, gender="Nam" if rng.random() < 0.7 else "Nữ", years=(1940, 1995))
    parcel = random_place(rng, owner.residence.province)
    if issued < MERGER_DAY and rng.random() < 0.6:
        auth = district_authority(parcel)
    elif rng.random() < 0.5:
        auth = department_authority(rng, parcel.province, issued, "Sở Tài nguyên và Môi trường")
    else:
        auth = province_authority(parcel.province, issued)
    serial = f"{rng.choice(('CS', 'CT', 'CH', 'DA', 'DB'))} {rng.randrange(10**6):06d}"
    area = round(rng.uniform(35, 450) * (1 if rng.random() < 0.6 else 4), 1)
    area_text = f"{area:.1f}".replace(".", ",")
    number, sheet = str(rng.randint(1, 999)), str(rng.randint(1, 80))
    land_address = address(parcel, issued, with_street=rng.random() < 0.5)
    residence = address(owner.residence, issued)
    signer = officer(rng)
    name = owner.full_name.upper()
    c = Composer(style, rng)
    border = 60
    c.page.ops.append(
        RectOp(
            border,
            border,
            c.size[0] - border,
            c.size[1] - border,
            outline=(225, 120, 140),
            width=14,
        )
    )
    c.page.ops.append(
        RectOp(
            border + 30,
            border + 30,
            c.size[0] - border - 30,
            c.size[1] - border - 30,
            outline=(225, 120, 140),
            width=4,
        )
    )
    c.centered([("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "bold")])
    c.centered([("Độc lập - Tự do - Hạnh phúc", "bold")])
    c.gap(0.5)
    for line in (
        "GIẤY CHỨNG NHẬN",
        "QUYỀN SỬ DỤNG ĐẤT",
        "QUYỀN SỞ HỮU NHÀ Ở VÀ TÀI SẢN KHÁC",
        "GẮN LIỀN VỚI ĐẤT",
    ):
        c.centered(
            [(line, "bold", RED)], size=style.size * (1.35 if line == "GIẤY CHỨNG NHẬN" else 1.1)
        )
    c.gap(0.5)
    c.flow([("I. Người sử dụng đất, chủ sở hữu nhà ở và tài sản khác gắn liền với đất", "bold")])
    c.flow(
        [
            (f"{owner.title}: ", "regular"),
            (f"{name},", "bold"),
            (f"sinh năm: {owner.dob.year}", "regular"),
        ],
        indent=style.indent,
    )
    c.flow([("CCCD số: ", "regular"), (owner.id_number, "regular")], indent=style.indent)
    c.flow([("Địa chỉ thường trú: ", "regular"), (residence, "regular")], indent=style.indent)
    c.gap(0.3)
    c.flow([("II. Thửa đất, nhà ở và tài sản khác gắn liền với đất", "bold")])
    c.flow([("1. Thửa đất:", "bold")], indent=style.indent / 2)
    items = [
        ("a) Thửa đất số: ", f"{number}; tờ bản đồ số: {sheet}"),
        ("b) Địa chỉ: ", land_address),
        ("c) Diện tích: ", f"{area_text} m² (Bằng chữ: {_area_words(area)})"),
        ("d) Hình thức sử dụng: ", "Sử dụng riêng"),
        ("đ) Mục đích sử dụng: ", rng.choice(PURPOSES)),
        ("e) Thời hạn sử dụng: ", "Lâu dài"),
        ("g) Nguồn gốc sử dụng: ", rng.choice(ORIGINS)),
    ]
    for label, value in items:
        c.flow([(label, "regular"), (value, "regular")], indent=style.indent, hang=style.indent)
    c.flow([("2. Nhà ở: ", "bold"), ("-/-", "regular")], indent=style.indent / 2)
    c.flow([("3. Ghi chú: ", "bold"), ("-/-", "regular")], indent=style.indent / 2)
    c.gap(0.5)
    c.flow([(place_date(auth, issued), "italic")], align="right")
    titles = auth.titles(rng)
    # Certificates name the issuing body in full in the signature block.
    if titles[0].startswith("TM."):
        titles[0] = f"TM. {auth.name.upper()}"
    else:
        titles.insert(0, auth.name.upper())
    closing(c, titles, signer, seal_text=auth.seal_ring(), seal_center=auth.seal_center)
    c.gap(0.5)
    c.flow([(serial, "bold", RED)], size=style.size * 1.2)
    c.flow([("Số vào sổ cấp GCN: ", "regular"), (f"CS{rng.randint(100, 99999):05d}", "regular")])
    fields = {
        "full_name": name,
        "id_number": owner.id_number,
        "place_of_residence": residence,
        "certificate_serial": serial,
        "land_parcel_number": number,
        "map_sheet_number": sheet,
        "land_area_m2": f"{area:.1f}",
        "land_address": land_address,
        "issue_date": issued.isoformat(),
        "issuing_authority": auth.name,
        "signer_name": signer,
    }
    return Document("land_use_certificate", c.pages, fields)


def _capital(rng: random.Random) -> tuple[str, str]:
    billions = rng.choice((1, 2, 3, 5, 10, 15, 20, 50))
    return f"{billions * 10**9:,}".replace(",", "."), upper_first(
        f"{number_words(billions)} tỷ đồng"
    )


def business_registration(rng: random.Random, style: Style) -> Document:
    """Giấy chứng nhận đăng ký doanh nghiệp (or a branch), with a valid enterprise code."""
    first = random_date(rng, date(2008, 1, 1), date(2024, 12, 31))
    changed = issue_date(rng, first=first + timedelta(days=30)) if rng.random() < 0.6 else None
    issued = changed or first
    head = random_person(rng, years=(1960, 1998))
    office = random_place(rng)
    office_addr = address(office, issued)
    dept = department_authority(
        rng,
        office.province,
        issued,
        "Sở Tài chính" if issued >= MERGER_DAY else "Sở Kế hoạch và Đầu tư",
    )
    pname = office.province.new_name if issued >= MERGER_DAY else office.province.name
    code = tax_code(rng, office.province.tax_prefix)
    branch = rng.random() < 0.2
    short, long_form, english = rng.choice(FORMS)
    trade, trade_en = rng.choice(TRADES)
    brand = rng.choice(BRANDS)
    name = f"{short} {trade} {brand}"
    if branch:
        code += f"-{rng.randint(1, 12):03d}"
        name = f"CHI NHÁNH {name} TẠI {pname.upper()}"
    signer = officer(rng)
    c = Composer(style, rng)
    header(
        c,
        f"{dept.name} {office.province.kind} {pname}".upper(),
        ["PHÒNG ĐĂNG KÝ KINH DOANH"],
        None,
        None,
    )
    if branch:
        title(c, "GIẤY CHỨNG NHẬN ĐĂNG KÝ HOẠT ĐỘNG CHI NHÁNH")
        c.centered([("Mã số chi nhánh: ", "bold"), (code, "bold")])
    else:
        title(c, "GIẤY CHỨNG NHẬN ĐĂNG KÝ DOANH NGHIỆP", long_form)
        c.centered([("Mã số doanh nghiệp: ", "bold"), (code, "bold")])
    c.centered([("Đăng ký lần đầu: ", "regular"), (long_date(first), "regular")])
    if changed:
        c.centered(
            [
                (f"Đăng ký thay đổi lần thứ: {rng.randint(1, 9)}, ", "regular"),
                (long_date(changed), "regular"),
            ]
        )
    c.gap(0.4)
    what = "chi nhánh" if branch else "công ty"
    c.flow([(f"1. Tên {what}", "bold")])
    c.field(f"Tên {what} viết bằng tiếng Việt: ", name, leaders=False)
    if not branch:
        c.field(
            f"Tên {what} viết bằng tiếng nước ngoài: ",
            f"{ascii_fold(brand)} {trade_en} {english}",
            leaders=False,
        )
        c.field(
            f"Tên {what} viết tắt: ",
            f"{ascii_fold(brand).replace(' ', '')} CO., LTD",
            leaders=False,
        )
    c.flow(
        [
            ("2. Địa chỉ chi nhánh: " if branch else "2. Địa chỉ trụ sở chính: ", "bold"),
            (office_addr, "regular"),
        ]
    )
    c.flow([(f"Điện thoại: {head.phone}", "regular")])
    label = "Người đứng đầu chi nhánh" if branch else "Người đại diện theo pháp luật của công ty"
    if not branch:
        capital, words = _capital(rng)
        c.flow([("3. Vốn điều lệ: ", "bold"), (f"{capital} đồng", "regular")])
        c.flow([(f"Bằng chữ: {words}", "regular")])
    c.flow([(f"{'3' if branch else '4'}. {label}", "bold")])
    c.fields_row([("Họ và tên:", head.full_name.upper()), ("Giới tính:", head.gender)])
    roles = (
        ("Giám đốc chi nhánh",)
        if branch
        else ("Giám đốc", "Tổng giám đốc", "Chủ tịch Hội đồng thành viên")
    )
    c.field("Chức danh: ", rng.choice(roles))
    c.fields_row(
        [
            ("Sinh ngày:", fmt_date(head.dob, "slash0")),
            ("Dân tộc:", head.ethnicity),
            ("Quốc tịch:", "Việt Nam"),
        ]
    )
    c.field("Số giấy tờ pháp lý của cá nhân: ", head.id_number)
    c.field("Địa chỉ thường trú: ", address(head.residence, issued))
    closing(
        c,
        ["KT. TRƯỞNG PHÒNG", "PHÓ TRƯỞNG PHÒNG"] if rng.random() < 0.5 else ["TRƯỞNG PHÒNG"],
        signer,
        seal_text=f"PHÒNG ĐĂNG KÝ KINH DOANH * {pname.upper()}",
    )
    fields = {
        "business_code": code,
        "business_name": name,
        "first_registration_date": first.isoformat(),
        "full_name": head.full_name.upper(),
        "date_of_birth": head.dob.isoformat(),
        "gender": head.gender,
        "id_number": head.id_number,
        "issue_date": issued.isoformat(),
        "issuing_authority": "Phòng Đăng ký kinh doanh",
        "signer_name": signer,
    }
    if not branch:
        fields["head_office_address"] = office_addr
    return Document("business_registration", c.pages, fields)
