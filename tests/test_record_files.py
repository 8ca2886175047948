"""Record files beside the sidecars: searchable PDF per document, OCR output, thumbnails."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import numpy as np
import pdfplumber
import pytest
from hostile import image_pdf, text_image, text_pdf
from PIL import Image

from pipeline.archive import Archive
from pipeline.config import Settings
from pipeline.ingest import ingest_file
from pipeline.models import PageText, Word
from pipeline.process import make_engine
from pipeline.record_files import keep_page_image, kept_page_image, write_document_pdf
from pipeline.verify import verify_archive

MOTTO = ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]
DECISION = [*MOTTO, "", "QUYẾT ĐỊNH", "Về việc cấp giấy phép xây dựng", "Điều 1. Cấp phép cho ông"]
APPLICATION = [*MOTTO, "", "ĐƠN ĐỀ NGHỊ", "Kính gửi: Ủy ban nhân dân phường Bến Nghé"]


@pytest.fixture(scope="module")
def ingested(tmp_path_factory: pytest.TempPathFactory) -> tuple[Archive, dict]:
    home = tmp_path_factory.mktemp("home")
    settings = Settings(home=home, archive_dir=home / "archive", inbox_dir=home / "inbox")
    pages = [
        text_image(DECISION, (1240, 900)),
        text_image(["Điều 2. Quyết định này có hiệu lực kể từ ngày ký"], (1240, 900)),
        text_image(APPLICATION, (1240, 900)),
    ]
    pdf = image_pdf(home / "dossier.pdf", pages)
    outcome = ingest_file(pdf, "dossier.pdf", settings, make_engine(settings))
    assert outcome.status == "processed"
    return Archive(settings.archive_path), {"outcome": outcome, "pdf": pdf, "settings": settings}


def test_each_document_gets_a_searchable_pdf_of_its_pages(ingested) -> None:
    archive, info = ingested
    records = info["outcome"].records
    assert [(r["page_start"], r["page_end"]) for r in records] == [(1, 2), (3, 3)]
    folder = archive.record_dir(info["outcome"].sha256)
    expected_words = [("QUYẾT", "Điều"), ("ĐƠN",)]
    for record, words in zip(records, expected_words, strict=True):
        assert record["searchable_pdf"] == f"doc-{record['doc_index']}.pdf"
        with pdfplumber.open(folder / record["searchable_pdf"]) as pdf:
            assert len(pdf.pages) == record["page_end"] - record["page_start"] + 1
            text = "\n".join(page.extract_text() or "" for page in pdf.pages)
        assert all(w in text for w in words), text


def test_ocr_output_has_word_boxes_in_the_corrected_page(ingested) -> None:
    archive, info = ingested
    folder = archive.record_dir(info["outcome"].sha256)
    assert all(r["ocr_output"] == "ocr-pages.json" for r in info["outcome"].records)
    output = json.loads((folder / "ocr-pages.json").read_text(encoding="utf-8"))
    assert [p["number"] for p in output["pages"]] == [1, 2, 3]
    first = output["pages"][0]
    assert first["source"] == "ocr" and first["width"] > 0 and first["height"] > 0
    text, left, top, width, height, conf = first["words"][0]
    assert text and 0 <= left < left + width <= first["width"]
    assert 0 <= top < top + height <= first["height"] and 0 <= conf <= 1


def test_thumbnails_exist_and_the_archive_verifies(ingested) -> None:
    archive, info = ingested
    folder = archive.record_dir(info["outcome"].sha256)
    first, second = info["outcome"].records
    assert first["thumbnails"] == ["pages/page-1.jpg", "pages/page-2.jpg"]
    assert second["thumbnails"] == ["pages/page-3.jpg"]
    with Image.open(folder / "pages" / "page-3.jpg") as thumb:
        assert thumb.width == 300
    assert not [p for p in folder.rglob(".*")], "work files are cleaned up"
    report = verify_archive(archive)
    assert report.ok, report.problems
    schema = json.loads((Path(__file__).parents[1] / "docs" / "record.schema.json").read_text())
    for record in info["outcome"].records:
        jsonschema.validate(record, schema)


def test_an_archived_file_is_not_processed_again(ingested) -> None:
    archive, info = ingested
    folder = archive.record_dir(info["outcome"].sha256)
    before = {p: p.stat().st_mtime_ns for p in folder.rglob("*")}
    settings = info["settings"]
    outcome = ingest_file(info["pdf"], "again.pdf", settings, make_engine(settings))
    assert outcome.status == "duplicate"
    after = {p: p.stat().st_mtime_ns for p in folder.rglob("*") if p.name != "file.json"}
    assert after == {p: t for p, t in before.items() if p.name != "file.json"}


def test_verify_flags_strays_among_record_files(ingested) -> None:
    archive, info = ingested
    folder = archive.record_dir(info["outcome"].sha256)
    stray = [folder / "pages" / "notes.txt", folder / "doc-9.pdf"]
    for path in stray:
        path.write_bytes(b"x")
    try:
        kinds = sorted(p.kind for p in verify_archive(archive).problems)
    finally:
        for path in stray:
            path.unlink()
    assert kinds == ["orphan_file", "orphan_file"]


def test_kept_page_images_keep_bilevel_as_png_and_their_dpi(tmp_path: Path) -> None:
    bilevel = np.full((40, 60), 255, np.uint8)
    bilevel[10:20, 10:50] = 0
    gray = np.full((40, 60), 200, np.uint8)
    keep_page_image(tmp_path, 1, bilevel, 300)
    keep_page_image(tmp_path, 2, gray, 200)
    first, second = kept_page_image(tmp_path, 1), kept_page_image(tmp_path, 2)
    assert first is not None and first.suffix == ".png"
    assert second is not None and second.suffix == ".jpg"
    with Image.open(second) as image:
        assert round(image.info["dpi"][0]) == 200
    assert kept_page_image(tmp_path, 3) is None


def test_a_document_with_no_page_image_gets_no_pdf(tmp_path: Path) -> None:
    pages = [PageText(1, "x", 0.0, "failed", [Word("x", 0, 0, 1, 1, 0.1)])]
    assert not write_document_pdf(tmp_path / "doc-1.pdf", pages, tmp_path, None)
    assert not (tmp_path / "doc-1.pdf").exists()


def test_a_born_digital_pdf_reuses_its_own_pages(tmp_path: Path) -> None:
    settings = Settings(home=tmp_path, archive_dir=tmp_path / "archive", inbox_dir=tmp_path / "in")
    pdf = text_pdf(tmp_path / "digital.pdf", [*DECISION, "Nơi nhận: như Điều 3"] * 2)
    outcome = ingest_file(pdf, "digital.pdf", settings, make_engine(settings))
    [record] = outcome.records
    folder = Archive(settings.archive_path).record_dir(record["sha256"])
    with pdfplumber.open(folder / record["searchable_pdf"]) as doc:
        assert len(doc.pages) == 1 and "QUYẾT ĐỊNH" in (doc.pages[0].extract_text() or "")
    assert record["thumbnails"] == ["pages/page-1.jpg"]
    assert verify_archive(Archive(settings.archive_path)).ok
