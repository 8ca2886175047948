"""`dossier export --person`: ingest two papers of one person, export the hand-over ZIP."""

from __future__ import annotations

import hashlib
import json
import zipfile
from datetime import date
from pathlib import Path

import pytest
from hostile import text_pdf

from flows.cmd_export import export_person
from pipeline.archive import Archive
from pipeline.config import Settings
from pipeline.errors import InputError
from pipeline.export import zip_name

pytestmark = pytest.mark.integration

HA_ID = "040192003311"
CARD = [
    "CĂN CƯỚC CÔNG DÂN",
    f"Số / No.: {HA_ID}",
    "Họ và tên / Full name: ĐẶNG THỊ THU HÀ",
    "Ngày sinh / Date of birth: 21/09/1992",
    "Giới tính / Sex: Nữ",
    "Ngày cấp: 15/06/2022",
]
RESIDENCE = [
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "Độc lập - Tự do - Hạnh phúc",
    "Hà Nội, ngày 10 tháng 10 năm 2025",
    "XÁC NHẬN THÔNG TIN VỀ CƯ TRÚ",
    "Họ, chữ đệm và tên: ĐẶNG THỊ THU HÀ",
    "Ngày, tháng, năm sinh: 21/09/1992",
    f"Số định danh cá nhân: {HA_ID}",
    "Nơi thường trú: Số 5 phố Huế, phường Hai Bà Trưng, Hà Nội",
]


@pytest.fixture(scope="module")
def export_settings(
    tmp_path_factory: pytest.TempPathFactory, settings: Settings, es_node, prefect_harness
) -> Settings:
    """A private archive and index with Hà's card and residence confirmation ingested."""
    from flows.ingest import ingest_batch

    home = tmp_path_factory.mktemp("export-home")
    private = Settings(
        home=home, archive_dir=home / "archive", inbox_dir=home / "inbox",
        index_prefix=f"{settings.index_prefix}-export", es_url=settings.es_url,
    )  # fmt: skip
    scans = tmp_path_factory.mktemp("export-scans")
    text_pdf(scans / "ha-cccd.pdf", CARD)
    text_pdf(scans / "ha-ct07.pdf", RESIDENCE)
    report = ingest_batch([str(scans)], None, private)
    assert [o.status for o in report.outcomes] == ["processed", "processed"]
    assert report.indexed == 2
    return private


def test_export_writes_the_papers_and_a_manifest(export_settings: Settings, tmp_path: Path) -> None:
    out = tmp_path / "hand-over" / "ha.zip"
    summary = export_person(export_settings, HA_ID, out, date(2026, 1, 1))
    assert summary["zip"] == str(out) and summary["missing"] == []
    assert [p.name for p in out.parent.iterdir()] == ["ha.zip"]  # no temp file left behind
    with zipfile.ZipFile(out) as zf:
        names = zf.namelist()
        manifest = json.loads(zf.read("manifest.json"))
        members = {name: zf.read(name) for name in names if name != "manifest.json"}
    assert names[-1] == "manifest.json" and len(members) == 2
    assert manifest["id_number"] == HA_ID and manifest["as_of"] == "2026-01-01"
    docs = manifest["documents"]
    assert {d["doc_type"] for d in docs} == {"citizen_id_card", "residence_confirmation"}
    archive = Archive(export_settings.archive_path)
    for doc in docs:
        assert doc["reusable"] is True and doc["reason"]
        assert doc["fields"]["id_number"] == HA_ID
        assert hashlib.sha256(members[doc["file"]]).hexdigest() == doc["sha256"]
        assert doc["file"].endswith(".pdf") and "/" not in doc["file"]
        folder = archive.record_dir(doc["original_sha256"])
        searchable = folder / "doc-1.pdf"
        expected = "searchable_pdf" if searchable.is_file() else "original"
        assert doc["file_kind"] == expected
    card = next(d for d in docs if d["doc_type"] == "citizen_id_card")
    assert card["issue_date"] == "2022-06-15" and card["source_file"] == "ha-cccd.pdf"


def test_export_without_reusable_papers_writes_nothing(
    export_settings: Settings, tmp_path: Path
) -> None:
    out = tmp_path / "none.zip"
    with pytest.raises(InputError):
        export_person(export_settings, "001099999999", out, date(2026, 1, 1))
    assert not out.exists() and list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("source", "expected"),
    [("ha-cccd.pdf", "01-citizen_id_card-ha-cccd.pdf"),
     ("../../etc/passwd", "01-citizen_id_card-passwd.pdf"),
     ("..\\x\\.hidden.jpg", "01-citizen_id_card-hidden.pdf"),
     ("Giấy tờ của Hà.pdf", "01-citizen_id_card-Giấy_tờ_của_Hà.pdf"),
     ("", "01-citizen_id_card-document.pdf")],
)  # fmt: skip
def test_zip_member_names_are_safe(source: str, expected: str) -> None:
    assert zip_name(1, "citizen_id_card", source, ".pdf") == expected
