"""Specification of the sample generator: what `generate()` writes and what its truth promises."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import unicodedata
from collections import Counter
from datetime import date
from pathlib import Path

import cv2
import numpy as np
import pdfplumber
import pytest
from PIL import Image

from pipeline.errors import ConfigError
from pipeline.evaluate import sample_kind
from pipeline.samples import DEGRADATIONS, DOC_TYPES, generate
from pipeline.samples.__main__ import main

SEED = 7
COUNT = 16
TRUTH_KEYS = {"file", "degradation", "sample", "dpi", "font", "documents", "pages"}
DOC_KEYS = {"doc_type", "page_start", "page_end", "fields", "text"}
DATE_FIELDS = {
    "date_of_birth",
    "issue_date",
    "expiry_date",
    "first_registration_date",
    "received_date",
    "appointment_date",
}
# fmt: off
PROVINCE_CODES = {  # DOMAIN.md: codes on cards issued before 2025
    "001", "002", "004", "006", "008", "010", "011", "012", "014", "015", "017", "019", "020",
    "022", "024", "025", "026", "027", "030", "031", "033", "034", "035", "036", "037", "038",
    "040", "042", "044", "045", "046", "048", "049", "051", "052", "054", "056", "058", "060",
    "062", "064", "066", "067", "068", "070", "072", "074", "075", "077", "079", "080", "082",
    "083", "084", "086", "087", "089", "091", "092", "093", "094", "095", "096",
}
# fmt: on


@pytest.fixture(scope="module")
def batch(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    return generate(tmp_path_factory.mktemp("samples"), COUNT, SEED)


def truth_of(scan: Path) -> dict:
    return json.loads(scan.with_name(scan.name + ".truth.json").read_text(encoding="utf-8"))


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def id_number_ok(number: str, dob: str | None = None, gender: str | None = None) -> bool:
    """DOMAIN.md: province code, century/sex digit and year agree with the person."""
    if re.fullmatch(r"\d{9}", number):
        return True  # an old CMND: nine digits, no check on them
    if not re.fullmatch(r"\d{12}", number) or number[:3] not in PROVINCE_CODES:
        return False
    if dob is None or gender is None:
        return True
    year = int(dob[:4])
    century_sex = (year // 100 - 19) * 2 + (1 if gender == "Nữ" else 0)
    return int(number[3]) == century_sex and number[4:6] == f"{year % 100:02d}"


def tax_code_ok(code: str) -> bool:
    """DOMAIN.md: weights 31…3 on digits 1–9; digit 10 = 10 − (sum mod 11); never sum ≡ 0."""
    m = re.fullmatch(r"(\d{10})(-\d{3})?", code)
    if not m:
        return False
    digits = m.group(1)
    total = sum(w * int(d) for w, d in zip((31, 29, 23, 19, 17, 13, 7, 5, 3), digits, strict=False))
    return total % 11 != 0 and 10 - total % 11 == int(digits[9])


# ---------------------------------------------------------------------------- the batch


def test_returns_one_scan_per_sample_with_truth_beside_it(batch: list[Path]) -> None:
    assert len(batch) == COUNT
    for scan in batch:
        assert scan.is_file()
        truth = truth_of(scan)
        assert set(truth) == TRUTH_KEYS
        assert truth["file"] == scan.name
        assert scan.name.startswith(
            f"{batch.index(scan):03d}-{truth['documents'][0]['doc_type']}-{truth['degradation']}."
        )


def test_sixteen_samples_cover_every_doc_type_and_degradation(batch: list[Path]) -> None:
    truths = [truth_of(s) for s in batch]
    assert {t["degradation"] for t in truths} == set(DEGRADATIONS)
    assert {d["doc_type"] for t in truths for d in t["documents"]} >= set(DOC_TYPES)
    assert any(p["blank"] for t in truths for p in t["pages"])  # a duplex back in a PDF


def test_same_seed_gives_identical_files(batch: list[Path], tmp_path: Path) -> None:
    again = generate(tmp_path, len(DEGRADATIONS), SEED)
    for first, second in zip(batch, again, strict=False):
        assert first.name == second.name
        assert digest(first) == digest(second), first.name
        assert truth_of(first) == truth_of(second)


def test_another_seed_gives_other_papers(batch: list[Path], tmp_path: Path) -> None:
    other = generate(tmp_path, 1, SEED + 1)
    assert truth_of(other[0])["documents"] != truth_of(batch[0])["documents"]


def test_documents_tile_the_pages_and_blank_pages_belong_to_none(batch: list[Path]) -> None:
    for scan in batch:
        truth = truth_of(scan)
        pages = truth["pages"]
        assert [p["number"] for p in pages] == list(range(1, len(pages) + 1))
        covered: list[int] = []
        for doc in truth["documents"]:
            assert set(doc) == DOC_KEYS
            assert 1 <= doc["page_start"] <= doc["page_end"] <= len(pages)
            covered += range(doc["page_start"], doc["page_end"] + 1)
        assert len(covered) == len(set(covered))
        blank = {p["number"] for p in pages if p["blank"]}
        assert set(covered) | blank == {p["number"] for p in pages}
        assert not set(covered) & blank


def test_text_reads_the_left_header_column_before_the_right(batch: list[Path]) -> None:
    checked = 0
    for scan in batch:
        for doc in truth_of(scan)["documents"]:
            if doc["doc_type"] not in ("administrative_decision", "official_letter"):
                continue
            lines = doc["text"].split("\n")
            number = next(i for i, line in enumerate(lines) if line.startswith("Số: "))
            nation = lines.index("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
            dated = next(i for i, line in enumerate(lines) if ", ngày " in line)
            assert number < nation < dated
            checked += 1
    assert checked


def test_multi_document_files(batch: list[Path]) -> None:
    for scan in batch:
        truth = truth_of(scan)
        kinds = [d["doc_type"] for d in truth["documents"]]
        if truth["degradation"] == "pdf_scan":
            assert 2 <= len(kinds) <= 3 and len(set(kinds)) == len(kinds)
        elif truth["degradation"] == "tiff_multi":
            assert len(kinds) == 2 and len(set(kinds)) == 2
        else:
            assert len(kinds) == 1
            if truth["degradation"] != "pdf_text":  # single-image formats hold one sheet
                assert len(truth["pages"]) == 1


def test_text_and_fields_are_nfc_and_fields_appear_in_the_text(batch: list[Path]) -> None:
    for scan in batch:
        for doc in truth_of(scan)["documents"]:
            text = doc["text"]
            assert text == unicodedata.normalize("NFC", text) and text.strip()
            flat = " ".join(text.split()).casefold()
            for name, value in doc["fields"].items():
                assert value == unicodedata.normalize("NFC", value)
                assert value == " ".join(value.split()), (name, value)
                if name not in DATE_FIELDS and name != "land_area_m2":
                    assert value.casefold() in flat, (scan.name, name, value)


def test_field_values_follow_domain_formats(batch: list[Path]) -> None:
    seen: Counter[str] = Counter()
    for scan in batch:
        for doc in truth_of(scan)["documents"]:
            f = doc["fields"]
            seen.update(f.keys())
            for name in DATE_FIELDS & set(f):
                assert date.fromisoformat(f[name]).isoformat() == f[name]
            if "id_number" in f:
                assert id_number_ok(f["id_number"], f.get("date_of_birth"), f.get("gender")), f
            if "gender" in f:
                assert f["gender"] in ("Nam", "Nữ")
            if "business_code" in f:
                assert tax_code_ok(f["business_code"]), f["business_code"]
            if "land_area_m2" in f:
                assert re.fullmatch(r"\d+(\.\d+)?", f["land_area_m2"])
            if "certificate_serial" in f:
                assert re.fullmatch(r"[A-Z]{2} \d{6}", f["certificate_serial"])
            if "dossier_code" in f:
                m = re.fullmatch(r"H\d{2}\.\d{2}\.\d{2}-(\d{6})-\d{4}", f["dossier_code"])
                assert m and m.group(1) == f["received_date"][2:].replace("-", "")
                assert f["appointment_date"] >= f["received_date"]
            if "book_number" in f:
                assert re.fullmatch(r"\d{2}/\d{4}", f["book_number"])
            if doc["doc_type"] != "citizen_id_card" and "full_name" in f:
                assert len(f["full_name"].split()) >= 3
    assert seen["id_number"] >= 5 and seen["issue_date"] >= 8


def test_generated_tax_codes_and_ids_are_valid_in_bulk() -> None:
    import random

    from pipeline.samples.people import personal_id, random_person, tax_code

    rng = random.Random(1)
    assert all(tax_code_ok(tax_code(rng, "01")) for _ in range(500))
    for _ in range(200):
        p = random_person(rng)
        assert id_number_ok(p.id_number, p.dob.isoformat(), p.gender)
    assert personal_id(rng, "001", date(2003, 1, 2), "Nữ")[:6] == "001303"
    assert tax_code_ok("0100047516") and not tax_code_ok("0100047517")


def test_names_collide_like_real_ones() -> None:
    import random

    from pipeline.samples.people import random_person

    rng = random.Random(3)
    people = [random_person(rng) for _ in range(400)]
    share = sum(p.family == "Nguyễn" for p in people) / len(people)
    assert 0.3 < share < 0.5
    assert len({p.full_name for p in people}) < len(people)  # collisions happen


# ---------------------------------------------------------------------------- the files


def test_scans_decode_with_the_page_count_of_the_truth(batch: list[Path]) -> None:
    for scan in batch:
        truth = truth_of(scan)
        n = len(truth["pages"])
        if scan.suffix == ".pdf":
            with pdfplumber.open(scan) as pdf:
                assert len(pdf.pages) == n
        else:
            with Image.open(scan) as img:
                img.load()
                assert getattr(img, "n_frames", 1) == n
                assert min(img.size) > (700 if truth["degradation"] == "lowres" else 1000)


def test_formats_match_the_degradation(batch: list[Path]) -> None:
    for scan in batch:
        truth = truth_of(scan)
        kind = truth["degradation"]
        if scan.suffix == ".pdf":
            continue
        with Image.open(scan) as img:
            if kind == "clean":
                assert scan.suffix == ".png" and truth["dpi"] == 300
            elif kind == "fax":
                assert img.mode == "1" and img.info.get("compression") == "group4"
                assert truth["dpi"] == 200
            elif kind == "photocopy":
                assert img.mode == "L" and truth["dpi"] == 300
            elif kind in ("scan200", "lowres", "phone"):
                assert img.format == "JPEG" and "exif" not in img.info
                assert truth["dpi"] == {"scan200": 200, "lowres": 150}.get(kind, truth["dpi"])
            if kind == "phone":
                assert 150 <= truth["dpi"] <= 480


def test_born_digital_pdf_has_the_truth_text_in_its_text_layer(batch: list[Path]) -> None:
    scan = next(s for s in batch if truth_of(s)["degradation"] == "pdf_text")
    with pdfplumber.open(scan) as pdf:
        extracted = " ".join(" ".join((p.extract_text() or "").split()) for p in pdf.pages)
    words = set(extracted.split())
    truth_words = [w for d in truth_of(scan)["documents"] for w in d["text"].split()]
    assert sum(w in words for w in truth_words) / len(truth_words) > 0.98


def test_card_back_qr_links_new_and_old_numbers(tmp_path: Path) -> None:
    scan = generate(tmp_path, 1, SEED, kinds=["clean", "citizen_id_card"])[0]
    img = cv2.imread(str(scan))
    # The classic detector misses some dense codes that the ArUco-based one reads.
    text = (
        cv2.QRCodeDetector().detectAndDecode(img)[0]
        or cv2.QRCodeDetectorAruco().detectAndDecode(img)[0]
    )
    fields = truth_of(scan)["documents"][0]["fields"]
    parts = text.split("|")
    # id_number|old_cmnd|name|ddmmyyyy|gender|address|issue_ddmmyyyy
    assert len(parts) == 7 and parts[0] == fields["id_number"]
    assert re.fullmatch(r"\d{9}", parts[1]) and parts[4] == fields["gender"]
    assert parts[3] == "".join(reversed(fields["date_of_birth"].split("-")))
    assert parts[6] == "".join(reversed(fields["issue_date"].split("-")))


def test_some_id_cards_are_old_nine_digit_cmnd_with_their_own_labels(tmp_path: Path) -> None:
    scans = generate(tmp_path, 14, 5, kinds=["citizen_id_card", "clean"])
    old = [t for t in map(truth_of, scans) if len(t["documents"][0]["fields"]["id_number"]) == 9]
    assert 1 <= len(old) <= 6  # about one card in seven
    for truth in old:
        doc = truth["documents"][0]
        assert "GIẤY CHỨNG MINH NHÂN DÂN" in doc["text"] and "Nơi ĐKHK thường trú" in doc["text"]
        assert {"place_of_origin", "place_of_residence", "issue_date", "signer_name"} <= set(
            doc["fields"]
        )
        assert doc["fields"]["issue_date"] < "2016-01-01"


def test_unknown_kinds_are_refused(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="unknown sample kinds"):
        generate(tmp_path, 1, kinds=["passport"])
    assert main([str(tmp_path), "--kind", "passport"]) == ConfigError.exit_code


def test_kinds_restrict_doc_types_and_degradations(tmp_path: Path) -> None:
    scans = generate(tmp_path, 2, 0, kinds=["fax", "death_extract"])
    assert [truth_of(s)["degradation"] for s in scans] == ["fax", "fax"]
    assert all(truth_of(s)["documents"][0]["doc_type"] == "death_extract" for s in scans)


def test_fonts_set_every_paper_in_the_families_named(tmp_path: Path) -> None:
    scans = generate(tmp_path / "held", 4, 3, kinds=["clean"], fonts=["Liberation Mono"])
    assert {truth_of(s)["font"] for s in scans} == {"Liberation Mono"}
    # The usual mix never uses a held-out family, and naming the fonts changes nothing else.
    usual = generate(tmp_path / "usual", 4, 3, kinds=["clean"])
    assert "Liberation Mono" not in {truth_of(s)["font"] for s in usual}
    assert [truth_of(s)["documents"][0]["fields"] for s in scans] == [
        truth_of(s)["documents"][0]["fields"] for s in usual
    ]


def test_unknown_fonts_are_refused_with_the_installed_ones(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="Comic Sans") as raised:
        generate(tmp_path, 1, fonts=["Comic Sans"])
    assert "Liberation Serif" in str(raised.value.hint)
    assert main([str(tmp_path), "--font", "Comic Sans"]) == ConfigError.exit_code
    assert not list(tmp_path.iterdir())


def test_command_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(tmp_path), "--count", "1", "--seed", "2", "--kind", "clean"]) == 0
    out = capsys.readouterr().out.split()
    assert len(out) == 1 and Path(out[0]).name.endswith("-clean.png")


# ---------------------------------------------------------------------------- legibility


@pytest.mark.skipif(shutil.which("tesseract") is None, reason="tesseract not installed")
@pytest.mark.parametrize("doc_type", ["administrative_decision", "birth_certificate"])
def test_tesseract_reads_a_clean_sample(
    doc_type: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import pytesseract

    monkeypatch.setenv("OMP_THREAD_LIMIT", "1")  # OpenMP makes tesseract ~6x slower on 2 cores
    scan = generate(tmp_path, 1, SEED, kinds=["clean", doc_type])[0]
    with Image.open(scan) as img:
        # pytesseract re-encodes the image without its resolution: say it, or the layout
        # analysis guesses a scale and drops paragraphs.
        text = pytesseract.image_to_string(img, lang="vie", config="--dpi 300")

    def words(s: str) -> Counter[str]:
        tokens = (
            w.strip(".,;:()[]\"'…-–/").casefold() for w in unicodedata.normalize("NFC", s).split()
        )
        return Counter(t for t in tokens if t)

    truth = words(truth_of(scan)["documents"][0]["text"])
    found = words(text)
    recall = sum(min(n, found[w]) for w, n in truth.items()) / sum(truth.values())
    assert recall >= 0.9, f"{recall:.3f}"


def test_clean_render_has_red_seal_and_blue_signature(tmp_path: Path) -> None:
    scan = generate(tmp_path, 1, SEED, kinds=["clean", "administrative_decision"])[0]
    rgb = np.asarray(Image.open(scan).convert("RGB")).astype(int)
    r, g, b = rgb[..., 0], rgb[..., 1], rgb[..., 2]
    assert ((r - g > 80) & (r - b > 80)).sum() > 2000  # seal ink
    assert ((b - r > 60) & (b - g > 40)).sum() > 500  # ballpoint


def test_news_article_is_running_prose_made_only_when_asked(tmp_path: Path) -> None:
    assert "news_article" not in DOC_TYPES  # never in a default set
    scans = generate(tmp_path, 2, 3, kinds=["news_article", "clean"])
    for scan in scans:
        truth = truth_of(scan)
        assert truth["sample"] == "news_article"
        (doc,) = truth["documents"]
        assert doc["doc_type"] == "other" and doc["fields"] == {}
        assert len(doc["text"].split()) > 150
        assert sample_kind(truth) == "prose/clean"
    assert sample_kind(truth_of(generate(tmp_path / "f", 1, 3, kinds=["fax"])[0])) == "fax"


def test_an_old_cmnd_scan_is_read_into_its_fields(tmp_path: Path) -> None:
    """The whole pipeline on a clean old CMND (seed 23 draws one): type and key fields."""
    from pipeline.config import Settings
    from pipeline.decode import iter_pages
    from pipeline.document import build_document
    from pipeline.intake import open_input
    from pipeline.ocr import ocr_page
    from pipeline.pagepool import EngineSpec
    from pipeline.split import split_documents

    scan = generate(tmp_path, 1, 23, kinds=["citizen_id_card", "clean"])[0]
    truth = truth_of(scan)["documents"][0]["fields"]
    assert len(truth["id_number"]) == 9
    settings = Settings(home=tmp_path / "home")
    engine = EngineSpec("tesserocr", "vie", 120.0).build()
    item = open_input(scan, max_bytes=settings.max_file_bytes)
    pages = [ocr_page(page, engine) for page in iter_pages(item, settings)]
    (doc,) = [build_document(group) for group in split_documents(pages)]
    assert doc.doc_type == "citizen_id_card"
    for name in ("id_number", "full_name", "place_of_origin", "issue_date"):
        assert doc.fields[name].value == truth[name], name
    # found and joined over its two lines (OCR reads the photo's edge as `Tư` before `Kiến`)
    residence = doc.fields["place_of_residence"].value
    head, *_, tail = truth["place_of_residence"].split(", ")
    assert residence.startswith(head) and residence.endswith(tail)
