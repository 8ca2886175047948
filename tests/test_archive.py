import json
import stat
from pathlib import Path

import pytest
from PIL import Image

from pipeline.archive import Archive, atomic_write_json
from pipeline.errors import TransientError
from pipeline.intake import open_input
from pipeline.models import DocumentResult, FieldValue, FileResult


def _input(tmp_path: Path, name: str = "scan.png"):
    path = tmp_path / name
    Image.new("L", (50, 50), 200).save(path)
    return open_input(path, max_bytes=10**8)


def _result(item, docs: int = 2) -> FileResult:
    documents = [
        DocumentResult("citizen_id_card", 0.9, i, i, f"text {i}", 0.8,
                       {"full_name": FieldValue("Nguyễn Văn An", 0.9)})
        for i in range(1, docs + 1)
    ]  # fmt: skip
    return FileResult(item.given, item.sha256, item.size, item.media_type, docs, documents)


def test_original_is_content_addressed_read_only_and_source_untouched(tmp_path: Path) -> None:
    item = _input(tmp_path)
    before = item.path.read_bytes()
    archive = Archive(tmp_path / "archive")
    stored = archive.store_original(item)
    assert stored.name == f"{item.sha256}.png"
    assert stored.read_bytes() == before == item.path.read_bytes()
    assert not stored.stat().st_mode & stat.S_IWUSR
    assert archive.store_original(item) == stored  # idempotent


def test_one_sidecar_per_document_with_deterministic_ids(tmp_path: Path) -> None:
    item = _input(tmp_path)
    archive = Archive(tmp_path / "archive")
    records = archive.write_result(item, _result(item), dossier_code="H10.22.15-240315-0042")
    assert [r["id"] for r in records] == [f"{item.sha256}-1", f"{item.sha256}-2"]
    assert records[0]["fields"]["full_name"] == {"value": "Nguyễn Văn An", "confidence": 0.9}
    assert records[0]["dossier_code"] == "H10.22.15-240315-0042"
    assert archive.load_records(item.sha256) == records
    assert archive.file_state(item.sha256)["state"] == "done"
    assert sorted(r["id"] for r in archive.iter_records()) == sorted(r["id"] for r in records)
    raw = (archive.record_dir(item.sha256) / "doc-1.json").read_text(encoding="utf-8")
    assert "Nguyễn" in raw  # stored readable, not \u-escaped


def test_index_state_round_trip(tmp_path: Path) -> None:
    item = _input(tmp_path)
    archive = Archive(tmp_path / "archive")
    records = archive.write_result(item, _result(item, 1))
    assert records[0]["index_state"] == "pending"
    archive.set_index_state(records, "indexed")
    assert archive.load_records(item.sha256)[0]["index_state"] == "indexed"


def test_corrupt_sidecar_is_skipped_not_fatal(tmp_path: Path) -> None:
    item = _input(tmp_path)
    archive = Archive(tmp_path / "archive")
    archive.write_result(item, _result(item, 2))
    (archive.record_dir(item.sha256) / "doc-2.json").write_text("{ half a record")
    assert [r["doc_index"] for r in archive.iter_records()] == [1]


def test_disk_full_leaves_previous_record_and_no_temp_file(tmp_path, monkeypatch) -> None:
    import errno
    import os

    target = tmp_path / "rec" / "doc-1.json"
    atomic_write_json(target, {"a": 1})

    def disk_full(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", disk_full)
    with pytest.raises(TransientError) as e:
        atomic_write_json(target, {"a": 2})
    assert "disk space" in str(e.value)
    assert json.loads(target.read_text()) == {"a": 1}
    assert list(target.parent.iterdir()) == [target]


def test_quarantine_copies_with_reason_and_keeps_source(tmp_path: Path) -> None:
    bad = tmp_path / "bad.jpg"
    bad.write_bytes(b"\xff\xd8\xff garbage")
    archive = Archive(tmp_path / "archive")
    folder = archive.quarantine(bad, "inbox/bad.jpg", "corrupt", "bad.jpg: cannot decode")
    info = json.loads((folder / "reason.json").read_text())
    assert info["reason"] == "corrupt" and info["file"] == "inbox/bad.jpg"
    assert (folder / "original.bin").read_bytes() == bad.read_bytes()
    assert bad.exists()


def test_sidecar_paths_are_in_document_order_and_skips_are_reported(tmp_path: Path) -> None:
    item = _input(tmp_path)
    archive = Archive(tmp_path / "archive")
    archive.write_result(item, _result(item, 11))
    paths = list(archive.sidecar_paths())
    assert [p.name for p in paths] == [f"doc-{n}.json" for n in range(1, 12)]
    paths[1].write_text("{ half")
    paths[2].write_text('"a string"')
    skipped: list[tuple[Path, str]] = []
    records = list(archive.iter_records(on_skip=lambda p, why: skipped.append((p, why))))
    assert [r["doc_index"] for r in records] == [1, *range(4, 12)]
    assert [p for p, _ in skipped] == [paths[1], paths[2]]
    assert "unreadable" in skipped[0][1] and "not a JSON object" in skipped[1][1]


def test_sidecar_path_of_a_record_id(tmp_path: Path) -> None:
    item = _input(tmp_path)
    archive = Archive(tmp_path / "archive")
    archive.write_result(item, _result(item, 2))
    assert (
        archive.sidecar_path(f"{item.sha256}-2") == archive.record_dir(item.sha256) / "doc-2.json"
    )
    assert archive.sidecar_path(f" {item.sha256.upper()}-1 ").is_file()
    for bad in ("", "abc-1", f"{item.sha256}", f"{item.sha256}-x", "../../etc/passwd",
                f"{item.sha256}-1/../../x"):  # fmt: skip
        assert archive.sidecar_path(bad) is None


def _dossier_scan(item, *receipt_codes: str) -> FileResult:
    """A batch scan of a dossier: receipt(s) with their codes, then two papers."""
    receipts = [
        DocumentResult("dossier_receipt", 0.9, i, i, "GIẤY TIẾP NHẬN HỒ SƠ", 0.8,
                       {"dossier_code": FieldValue(code, 0.95)})
        for i, code in enumerate(receipt_codes, start=1)
    ]  # fmt: skip
    n = len(receipts)
    papers = [
        DocumentResult("birth_certificate", 0.9, n + 1, n + 1, "GIẤY KHAI SINH", 0.8, {}),
        DocumentResult("citizen_id_card", 0.9, n + 2, n + 2, "CĂN CƯỚC", 0.8, {}),
    ]
    docs = receipts + papers
    return FileResult(item.given, item.sha256, item.size, item.media_type, len(docs), docs)


def test_papers_scanned_with_their_receipt_join_its_dossier(tmp_path: Path) -> None:
    item = _input(tmp_path)
    records = Archive(tmp_path / "a").write_result(item, _dossier_scan(item, "H10.22-0042"))
    assert [r["dossier_code"] for r in records] == ["H10.22-0042"] * 3
    # The code given at ingest wins over the receipt's.
    given = Archive(tmp_path / "b").write_result(
        item, _dossier_scan(item, "H10.22-0042"), dossier_code="H10.22-0099"
    )
    assert {r["dossier_code"] for r in given} == {"H10.22-0099"}


def test_two_receipts_in_one_file_group_nothing_else(tmp_path: Path) -> None:
    item = _input(tmp_path)
    records = Archive(tmp_path / "a").write_result(item, _dossier_scan(item, "A-1", "B-2"))
    assert [r["dossier_code"] for r in records] == ["A-1", "B-2", None, None]
