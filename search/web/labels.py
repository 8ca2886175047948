"""Vietnamese labels and date formats for the pages (officers read dd/mm/yyyy)."""

from __future__ import annotations

import re
from datetime import date

from pipeline.labels import DOC_TYPE_VI as DOC_TYPE_VI  # re-exported for the templates
from pipeline.labels import FIELD_VI as FIELD_VI

ACTION_VI = {
    "login": "Đăng nhập", "logout": "Đăng xuất", "search": "Tìm kiếm", "view": "Xem hồ sơ",
    "download": "Tải tệp", "reuse": "Tra cứu tái sử dụng", "approve": "Duyệt",
    "correct": "Sửa trường", "upload": "Tải lên", "user": "Tài khoản", "reindex": "Lập chỉ mục",
    "audit": "Xem nhật ký",
}  # fmt: skip


def dmy(value: object) -> str:
    """ISO date (or datetime) → dd/mm/yyyy; anything else unchanged."""
    text = str(value or "")
    if len(text) >= 10 and text[4] == "-" and text[7] == "-":
        return f"{text[8:10]}/{text[5:7]}/{text[:4]}"
    return text


def dmy_time(value: object) -> str:
    """ISO datetime → dd/mm/yyyy HH:MM (local time as recorded)."""
    text = str(value or "")
    if len(text) >= 16 and text[10] == "T":
        return f"{dmy(text)} {text[11:16]}"
    return dmy(text)


def parse_day(text: str | None) -> date | None:
    """`dd/mm/yyyy` (as officers type it) or ISO `yyyy-mm-dd` → date; blank → None.

    ValueError when the text is neither.
    """
    value = (text or "").strip()
    if not value:
        return None
    if m := _DMY.match(value):
        return date(int(m[3]), int(m[2]), int(m[1]))
    return date.fromisoformat(value)


_DMY = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
_ISO_IN_TEXT = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
# Reasons written by pipeline.reuse, in officers' Vietnamese (unknown ones stay as they are).
_REASONS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(p), r)
    for p, r in (
        (r"^valid until (\S+) \((.+)\)$", r"còn hiệu lực đến \1 (\2)"),
        (r"^expired on (\S+) \((.+)\)$", r"hết hiệu lực từ sau \1 (\2)"),
        (r"^does not expire \((.+)\)$", r"không hết hạn (\1)"),
        (r"^no validity limit for an? .+$", "không giới hạn thời hạn"),
        (r"^made for a single dossier, not reusable$", "chỉ dùng cho một hồ sơ, không dùng lại"),
        (r"^household books are void since (\S+)$", r"sổ hộ khẩu hết giá trị từ \1"),
        (r"^old 9-digit CMND cards are void after (\S+)$", r"CMND 9 số hết giá trị sau \1"),
        (r"^issued on (\S+), after (\S+)$", r"cấp ngày \1, sau ngày \2"),
        (r"^(issue date|date of birth) unknown, so .+$", r"thiếu \1, không tính được thời hạn"),
        (r"^term of the authorisation not recorded; check the paper$",
         "không rõ thời hạn ủy quyền; cần xem bản giấy"),
        (r"^no reuse rule for this document type; check the paper$",
         "chưa có quy tắc tái sử dụng cho loại này; cần xem bản giấy"),
        (r"card renewal at age (\d+)", r"đổi thẻ khi đủ \1 tuổi"),
        (r"card issued at age (\d+) or later", r"thẻ cấp từ \1 tuổi"),
        (r"printed expiry date", "theo ngày hết hạn in trên giấy"),
        (r"(\d+) months from issue", r"\1 tháng kể từ ngày cấp"),
        (r"CMND valid 15 years", "CMND có giá trị 15 năm"),
        (r"old CMND cards end on that day", "CMND cũ hết giá trị vào ngày đó"),
        (r"household books end on that day", "sổ hộ khẩu hết giá trị vào ngày đó"),
        (r"\bissue date\b", "ngày cấp"),
        (r"\bdate of birth\b", "ngày sinh"),
    )
)  # fmt: skip


def reuse_reason_vi(reason: str) -> str:
    """A reuse verdict's reason in Vietnamese, dates as dd/mm/yyyy."""
    text = reason or ""
    for pattern, replacement in _REASONS:
        text = pattern.sub(replacement, text)
    return _ISO_IN_TEXT.sub(lambda m: f"{m[3]}/{m[2]}/{m[1]}", text)
