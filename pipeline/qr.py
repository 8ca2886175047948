"""QR codes on a page: decode them, recognise what they encode, and turn them into fields.

Two payloads matter at the counter (DOMAIN.md): the back of a chip CCCD carries
`id_number|old_cmnd|name|ddmmyyyy|gender|address|issue_ddmmyyyy`, and a dossier receipt
carries `dossier_code|procedure_code|applicant_id`. A decoded code is more reliable than OCR
of the same facts, so the document builder prefers these values.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import date

import cv2
import numpy as np

from pipeline.models import FIELD_NAMES

log = logging.getLogger(__name__)

# Codes located but not read get enlarged and retried; more than this is noise, not codes.
_MAX_RETRIES = 3

_ID_NUMBER = re.compile(r"^\d{12}$")
_OLD_CMND = re.compile(r"^(\d{9}|\d{12})?$")
_DDMMYYYY = re.compile(r"^(\d{2})(\d{2})(\d{4})$")
_DOSSIER_CODE = re.compile(r"^[A-Z0-9][A-Z0-9.\-]{5,40}$")
_GENDERS = {"nam": "Nam", "nữ": "Nữ", "nu": "Nữ", "male": "Nam", "female": "Nữ"}


@dataclass(frozen=True)
class QrPayload:
    """What one decoded QR code is (`citizen_id_card`, `dossier_receipt` or None) and its fields."""

    kind: str | None
    fields: dict[str, str]


def decode_qr(image: np.ndarray | None) -> list[str]:
    """Texts of the QR codes found on a page image (gray or colour), in detection order.

    Runs OpenCV's classic detector and the ArUco-based one (better on dense card codes) on
    the page; where a code was located but not read, its crop is enlarged and read again.
    An unreadable page gives an empty list.

    Most pages carry no code: the ArUco detector's locate step (~0.1 s a page) says so first,
    which skips the decoders (~0.35 s a page). On 103 generated pages it located every code
    that the full decoders read and nothing else. The codes it locates are read at those
    corners first; the decoders search the page only when that reads nothing.
    """
    if image is None or image.size == 0:
        return []
    gray = _to_gray(image)
    points = _locate(gray)
    if points is not None and not len(points):
        return []
    found = _read_located(gray, points) if points is not None else []
    if found:
        return found  # read where the locator found them: no second detection
    if points is not None and (found := _read_enlarged(gray, list(points))):
        return found  # located but not read: enlarged first, before searching the page
    located: list[np.ndarray] = []
    for detector in _detectors():
        texts, boxes = _detect(detector, gray)
        _add(found, texts)
        located.extend(boxes)
        if found:
            return found
    return _read_enlarged(gray, located)


def _read_enlarged(gray: np.ndarray, boxes: list[np.ndarray]) -> list[str]:
    """Texts of the codes at `boxes`, each cropped with its quiet zone and enlarged 2× and 3×.

    A code located but not read at the page's scale mostly reads so (a card's dense code on
    a 200 dpi scan): on the bench's pages ~20 ms, where the decoders' search of the whole
    page first took ~125 ms.
    """
    found: list[str] = []
    for box in boxes[:_MAX_RETRIES]:
        crop = _crop(gray, np.asarray(box, dtype=np.float32).reshape(-1, 2))
        for scale in (2.0, 3.0):
            big = cv2.resize(crop, None, fx=scale, fy=scale, interpolation=cv2.INTER_CUBIC)
            for detector in _detectors():
                _add(found, _detect(detector, big)[0])
            if found:
                return found
    return found


# Papers that carry a code (DOMAIN.md): the back of a chip card, a dossier receipt. A page
# read well enough to show neither is not searched for one (the locator costs ~0.1 s).
_CODE_CUES = re.compile(
    r"idvnm|identity|identification|dac diem nhan dang|can cuoc|ma ho so|hen tra|tiep nhan"
)
_FEW_WORDS = 60
_UNSURE_READ = 0.75


def worth_decoding(folded_text: str, words: int, confidence: float) -> bool:
    """Whether a page's OCR leaves room for a QR code.

    Yes when a card or receipt cue is on it, or too little (or too poorly) read text to
    rule a code out.
    """
    return words < _FEW_WORDS or confidence < _UNSURE_READ or bool(_CODE_CUES.search(folded_text))


def _locate(gray: np.ndarray) -> np.ndarray | None:
    """Corners of the codes the ArUco-based detector locates (empty: none on the page).

    None when it cannot tell: no such detector in this OpenCV, an error, a tiny image.
    """
    aruco = getattr(cv2, "QRCodeDetectorAruco", None)
    if aruco is None or min(gray.shape[:2]) < 21:
        return None
    try:
        located, points = aruco().detectMulti(gray)
    except cv2.error as e:
        log.debug("QR locate failed: %s", e)
        return None
    return points if located and points is not None else np.empty((0, 4, 2), np.float32)


def _read_located(gray: np.ndarray, points: np.ndarray) -> list[str]:
    """Texts of the codes at `points`, read by the same detector without locating again."""
    try:
        ok, texts, _straight = cv2.QRCodeDetectorAruco().decodeMulti(gray, points)
    except cv2.error as e:
        log.debug("QR decode failed: %s", e)
        return []
    found: list[str] = []
    if ok:
        _add(found, [_repair_utf8(t) for t in texts if t])
    return found


def _add(found: list[str], texts: list[str]) -> None:
    for text in texts:
        if text and text not in found:
            found.append(text)


def _to_gray(image: np.ndarray) -> np.ndarray:
    gray = image if image.ndim == 2 else cv2.cvtColor(image[..., :3], cv2.COLOR_RGB2GRAY)
    if gray.dtype != np.uint8:
        gray = np.clip(gray, 0, 255).astype(np.uint8)
    return gray


def _crop(gray: np.ndarray, box: np.ndarray) -> np.ndarray:
    """The located code with a wide quiet zone around it."""
    xs, ys = box[:, 0], box[:, 1]
    pad = 0.3 * max(xs.max() - xs.min(), ys.max() - ys.min()) + 8
    h, w = gray.shape[:2]
    x0, x1 = int(max(0, xs.min() - pad)), int(min(w, xs.max() + pad))
    y0, y1 = int(max(0, ys.min() - pad)), int(min(h, ys.max() + pad))
    return gray[y0:y1, x0:x1]


def _detectors() -> list[object]:
    detectors: list[object] = []
    aruco = getattr(cv2, "QRCodeDetectorAruco", None)
    if aruco is not None:
        detectors.append(aruco())
    detectors.append(cv2.QRCodeDetector())
    return detectors


def _detect(detector: object, gray: np.ndarray) -> tuple[list[str], list[np.ndarray]]:
    """Decoded texts and the corner boxes of codes located but not read; errors give nothing."""
    if min(gray.shape[:2]) < 21:
        return [], []
    try:
        ok, texts, points, _codes = detector.detectAndDecodeMulti(gray)  # type: ignore[attr-defined]
    except cv2.error as e:
        log.debug("QR detector failed: %s", e)
        return [], []
    if not ok or points is None:
        return [], []
    decoded = [_repair_utf8(t) for t in texts if t]
    boxes = [
        np.asarray(p, dtype=np.float32).reshape(-1, 2)
        for p, t in zip(points, texts, strict=False)
        if not t
    ]
    return decoded, boxes


def _repair_utf8(text: str) -> str:
    """Undo a UTF-8 payload that was decoded as Latin-1 (some OpenCV builds do this)."""
    try:
        return text.encode("latin-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return text


def parse_qr(code: str) -> QrPayload:
    """Recognise one QR text: a CCCD back, a dossier receipt, or something else (kind None)."""
    parts = [p.strip() for p in code.strip().split("|")]
    if len(parts) >= 6 and _ID_NUMBER.match(parts[0]) and _OLD_CMND.match(parts[1]):
        return QrPayload("citizen_id_card", _card_fields(parts))
    if 2 <= len(parts) <= 5 and _DOSSIER_CODE.match(parts[0]) and "-" in parts[0]:
        fields = {"dossier_code": parts[0]}
        if len(parts) >= 3 and re.fullmatch(r"\d{9}|\d{12}", parts[2]):
            fields["applicant_id_number"] = parts[2]
        if re.fullmatch(r"[\w.\-]{1,20}", parts[1]):
            fields["procedure_code"] = parts[1]
        return QrPayload("dossier_receipt", fields)
    return QrPayload(None, {})


def _card_fields(parts: list[str]) -> dict[str, str]:
    fields = {"id_number": parts[0]}
    if parts[1]:
        fields["old_id_number"] = parts[1]
    if parts[2]:
        fields["full_name"] = " ".join(parts[2].split())
    dob = _iso(parts[3]) if len(parts) > 3 else None
    if dob:
        fields["date_of_birth"] = dob
    gender = _GENDERS.get(parts[4].lower()) if len(parts) > 4 else None
    if gender:
        fields["gender"] = gender
    if len(parts) > 5 and parts[5]:
        fields["place_of_residence"] = " ".join(parts[5].split())
    issued = _iso(parts[6]) if len(parts) > 6 else None
    if issued:
        fields["issue_date"] = issued
    return fields


def _iso(ddmmyyyy: str) -> str | None:
    m = _DDMMYYYY.match(ddmmyyyy)
    if not m:
        return None
    try:
        return date(int(m[3]), int(m[2]), int(m[1])).isoformat()
    except ValueError:
        return None


def qr_doc_type(codes: list[str]) -> str | None:
    """The doc_type a page's QR codes prove, if any (first recognised code wins)."""
    for code in codes:
        kind = parse_qr(code).kind
        if kind:
            return kind
    return None


def fields_from_qr(codes: list[str]) -> dict[str, str]:
    """Fields (DOMAIN names, ISO dates) read from recognised QR codes; first value wins.

    ID-card back: id_number, full_name, date_of_birth, gender, place_of_residence,
    issue_date. Receipt: dossier_code. Values outside the DOMAIN vocabulary (the old CMND
    number, the applicant's ID and procedure code on a receipt) stay in `parse_qr`.
    """
    out: dict[str, str] = {}
    for code in codes:
        for name, value in parse_qr(code).fields.items():
            if name in FIELD_NAMES:
                out.setdefault(name, value)
    return out
