"""Vietnamese places for sample papers: province codes, old districts, communes and streets."""

from __future__ import annotations

import random
from dataclasses import dataclass

# Birth-province codes printed in personal ID numbers (cards issued before 2025), from DOMAIN.md.
# fmt: off
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
    "077": "Bà Rịa–Vũng Tàu", "079": "TP. Hồ Chí Minh", "080": "Long An", "082": "Tiền Giang",
    "083": "Bến Tre", "084": "Trà Vinh", "086": "Vĩnh Long", "087": "Đồng Tháp",
    "089": "An Giang", "091": "Kiên Giang", "092": "Cần Thơ", "093": "Hậu Giang",
    "094": "Sóc Trăng", "095": "Bạc Liêu", "096": "Cà Mau",
}
# fmt: on


@dataclass(frozen=True)
class District:
    """An old (pre-2025) district with its communes or wards, prefixes included."""

    name: str  # "quận Cầu Giấy"
    communes: tuple[str, ...]  # ("phường Dịch Vọng", …)
    streets: tuple[str, ...] = ()  # urban streets; empty for rural districts


@dataclass(frozen=True)
class Province:
    """A province as printed on papers, with its ID code and its post-2025 successor."""

    code: str
    kind: str  # "tỉnh" or "thành phố"
    name: str  # "Hà Nội"
    new_name: str  # province after the July 2025 merger
    tax_prefix: str  # first two digits of enterprise codes registered there
    districts: tuple[District, ...]

    @property
    def full(self) -> str:
        """Name with its kind: `thành phố Hà Nội`, `tỉnh Bắc Ninh`."""
        return f"{self.kind} {self.name}"


def _d(name: str, communes: str, streets: str = "") -> District:
    return District(name, tuple(communes.split("|")), tuple(s for s in streets.split("|") if s))


# fmt: off
PROVINCES: tuple[Province, ...] = (
    Province("001", "thành phố", "Hà Nội", "Hà Nội", "01", (
        _d("quận Cầu Giấy", "phường Dịch Vọng|phường Dịch Vọng Hậu|phường Trung Hòa|phường Yên Hòa",
           "Trần Duy Hưng|Xuân Thủy|Cầu Giấy|Hoàng Quốc Việt|Nguyễn Khánh Toàn"),
        _d("quận Đống Đa", "phường Láng Hạ|phường Ô Chợ Dừa|phường Kim Liên|phường Văn Miếu",
           "Láng Hạ|Tôn Đức Thắng|Xã Đàn|Thái Hà|Chùa Bộc"),
        _d("quận Hoàng Mai", "phường Định Công|phường Tương Mai|phường Hoàng Liệt",
           "Giải Phóng|Tam Trinh|Kim Giang"),
        _d("huyện Gia Lâm", "xã Đa Tốn|xã Kiêu Kỵ|thị trấn Trâu Quỳ|xã Bát Tràng"),
        _d("huyện Đông Anh", "xã Uy Nỗ|xã Kim Chung|xã Vân Nội|thị trấn Đông Anh"),
    )),
    Province("079", "thành phố", "Hồ Chí Minh", "Hồ Chí Minh", "03", (
        _d("Quận 3", "Phường 7|Phường 9|Phường Võ Thị Sáu",
           "Nam Kỳ Khởi Nghĩa|Võ Văn Tần|Lý Chính Thắng|Cách Mạng Tháng Tám"),
        _d("quận Bình Thạnh", "Phường 1|Phường 13|Phường 25",
           "Xô Viết Nghệ Tĩnh|Điện Biên Phủ|Bạch Đằng|Nơ Trang Long"),
        _d("quận Gò Vấp", "Phường 5|Phường 10|Phường 17", "Quang Trung|Nguyễn Oanh|Phan Văn Trị"),
        _d("huyện Củ Chi", "xã Tân Thông Hội|xã Phước Vĩnh An|thị trấn Củ Chi"),
    )),
    Province("031", "thành phố", "Hải Phòng", "Hải Phòng", "02", (
        _d("quận Lê Chân", "phường An Biên|phường Dư Hàng Kênh|phường Vĩnh Niệm",
           "Tô Hiệu|Hai Bà Trưng|Lạch Tray"),
        _d("huyện Thủy Nguyên", "xã Lập Lễ|xã Thủy Sơn|thị trấn Núi Đèo"),
    )),
    Province("048", "thành phố", "Đà Nẵng", "Đà Nẵng", "04", (
        _d("quận Hải Châu", "phường Thạch Thang|phường Hòa Cường Bắc|phường Phước Ninh",
           "Lê Duẩn|Hùng Vương|Nguyễn Văn Linh|Bạch Đằng"),
        _d("huyện Hòa Vang", "xã Hòa Phong|xã Hòa Nhơn|xã Hòa Tiến"),
    )),
    Province("027", "tỉnh", "Bắc Ninh", "Bắc Ninh", "23", (
        _d("thành phố Bắc Ninh", "phường Suối Hoa|phường Võ Cường|phường Kinh Bắc",
           "Lý Thái Tổ|Nguyễn Gia Thiều|Ngô Gia Tự"),
        _d("thị xã Từ Sơn", "phường Đông Ngàn|phường Tân Hồng|phường Đình Bảng"),
        _d("huyện Yên Phong", "xã Tam Giang|xã Đông Phong|thị trấn Chờ"),
    )),
    Province("024", "tỉnh", "Bắc Giang", "Bắc Ninh", "24", (
        _d("huyện Hiệp Hòa", "xã Đức Thắng|xã Hoàng Vân|thị trấn Thắng"),
        _d("huyện Lạng Giang", "xã Tân Dĩnh|xã Phi Mô|thị trấn Vôi"),
    )),
    Province("036", "tỉnh", "Nam Định", "Ninh Bình", "06", (
        _d("huyện Hải Hậu", "xã Hải Minh|xã Hải Đông|thị trấn Yên Định"),
        _d("huyện Xuân Trường", "xã Xuân Ngọc|xã Xuân Hồng|thị trấn Xuân Trường"),
    )),
    Province("034", "tỉnh", "Thái Bình", "Hưng Yên", "10", (
        _d("huyện Vũ Thư", "xã Tân Hòa|xã Song An|thị trấn Vũ Thư"),
        _d("huyện Kiến Xương", "xã Bình Minh|xã Quang Trung|thị trấn Kiến Xương"),
    )),
    Province("038", "tỉnh", "Thanh Hóa", "Thanh Hóa", "28", (
        _d("thành phố Thanh Hóa", "phường Điện Biên|phường Đông Thọ|phường Ba Đình",
           "Lê Lợi|Trần Phú|Bà Triệu"),
        _d("huyện Hoằng Hóa", "xã Hoằng Đạo|xã Hoằng Quỳ|thị trấn Bút Sơn"),
        _d("huyện Thọ Xuân", "xã Xuân Lai|xã Thọ Diên|thị trấn Lam Sơn"),
    )),
    Province("040", "tỉnh", "Nghệ An", "Nghệ An", "29", (
        _d("thành phố Vinh", "phường Hưng Bình|phường Lê Mao|phường Trường Thi",
           "Quang Trung|Lê Hồng Phong|Nguyễn Thị Minh Khai"),
        _d("huyện Nghi Lộc", "xã Nghi Phong|xã Nghi Xuân|thị trấn Quán Hành"),
    )),
    Province("046", "tỉnh", "Thừa Thiên Huế", "Huế", "33", (
        _d("thành phố Huế", "phường Phú Hội|phường Vĩnh Ninh|phường Tây Lộc",
           "Lê Lợi|Hùng Vương|Đống Đa"),
        _d("huyện Phú Vang", "xã Phú Thượng|xã Phú Dương|thị trấn Thuận An"),
    )),
    Province("056", "tỉnh", "Khánh Hòa", "Khánh Hòa", "42", (
        _d("thành phố Nha Trang", "phường Lộc Thọ|phường Phước Hòa|phường Vĩnh Hải",
           "Trần Phú|Yersin|Thống Nhất"),
        _d("huyện Diên Khánh", "xã Diên An|xã Diên Phú|thị trấn Diên Khánh"),
    )),
    Province("092", "thành phố", "Cần Thơ", "Cần Thơ", "18", (
        _d("quận Ninh Kiều", "phường Tân An|phường An Hòa|phường Xuân Khánh",
           "Nguyễn Trãi|Hòa Bình|Ba Tháng Hai"),
        _d("huyện Phong Điền", "xã Nhơn Ái|xã Tân Thới|thị trấn Phong Điền"),
    )),
    Province("075", "tỉnh", "Đồng Nai", "Đồng Nai", "36", (
        _d("thành phố Biên Hòa", "phường Tân Phong|phường Trảng Dài|phường Quyết Thắng",
           "Phạm Văn Thuận|Đồng Khởi|Võ Thị Sáu"),
        _d("huyện Trảng Bom", "xã Bắc Sơn|xã Hố Nai 3|thị trấn Trảng Bom"),
    )),
    Province("066", "tỉnh", "Đắk Lắk", "Đắk Lắk", "60", (
        _d("thành phố Buôn Ma Thuột", "phường Tân Lợi|phường Thành Công|xã Hòa Thắng",
           "Lê Duẩn|Phan Bội Châu|Nguyễn Tất Thành"),
        _d("huyện Cư M'gar", "xã Ea Pốk|xã Quảng Tiến|thị trấn Quảng Phú"),
    )),
)
VILLAGE_WORDS = ("Đông", "Đoài", "Thượng", "Hạ", "Trung", "Nam", "Bắc", "Tân Lập", "Phú Mỹ",
                 "An Lạc")
# fmt: on


@dataclass(frozen=True)
class Place:
    """A drawn place: province, old district and commune, with a street line if urban."""

    province: Province
    district: District
    commune: str
    street_line: str  # "Số 12, ngõ 45 phố Trần Duy Hưng" or "Thôn Đông"

    def address(self, *, with_street: bool = True, new_style: bool = False) -> str:
        """Address as printed; new-style (after 07/2025) drops the district level."""
        if new_style:
            parts = [self.commune, f"{self.province.kind} {self.province.new_name}"]
        else:
            parts = [self.commune, self.district.name, self.province.full]
        if with_street:
            parts.insert(0, self.street_line)
        text = ", ".join(parts)
        return text[0].upper() + text[1:]

    @property
    def commune_short(self) -> str:
        """Commune name without its prefix: `Dịch Vọng`, or `Phường 7` kept whole."""
        for prefix in ("phường ", "xã ", "thị trấn "):
            if self.commune.startswith(prefix):
                return self.commune[len(prefix) :]
        return self.commune

    @property
    def district_short(self) -> str:
        """District name without its prefix: `Cầu Giấy`."""
        for prefix in ("quận ", "huyện ", "thị xã ", "thành phố "):
            if self.district.name.startswith(prefix):
                return self.district.name[len(prefix) :]
        return self.district.name


def random_place(rng: random.Random, province: Province | None = None) -> Place:
    """Pick a commune and build a plausible street or village line for it."""
    province = province or rng.choice(PROVINCES)
    district = rng.choice(province.districts)
    commune = rng.choice(district.communes)
    if district.streets:
        street = rng.choice(district.streets)
        number = rng.randint(1, 250)
        kind = rng.random()
        if kind < 0.4:
            line = f"Số {number} đường {street}"
        elif kind < 0.7:
            line = f"Số {number}, ngõ {rng.randint(2, 199)} {street}"
        else:
            line = f"Số {number}/{rng.randint(2, 60)} {street}"
    else:
        word = rng.choice(VILLAGE_WORDS)
        line = rng.choice(
            (f"Thôn {word}", f"Xóm {rng.randint(1, 12)}", f"Ấp {word}", f"Tổ {rng.randint(1, 20)}")
        )
    return Place(province, district, commune, line)


def random_province(rng: random.Random) -> Province:
    """A province weighted towards the big cities, as dossiers are."""
    weights = [6 if p.code in ("001", "079") else 2 for p in PROVINCES]
    return rng.choices(PROVINCES, weights=weights)[0]
