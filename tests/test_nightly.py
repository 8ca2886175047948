"""The nightly flow over a real inbox: settle delay, moves, quarantine, exactly-once."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest
from hostile import text_pdf, truncated_jpeg

from pipeline.archive import Archive
from pipeline.config import Settings
from pipeline.inbox import release, snapshot, stable_files

pytestmark = pytest.mark.integration

LETTER = [
    "ỦY BAN NHÂN DÂN XÃ AN BÌNH",
    "Số: 12/TB-UBND",
    "THÔNG BÁO",
    "V/v lịch tiếp công dân tháng 12 năm 2026",
    "An Bình, ngày 20 tháng 11 năm 2026",
]


def _age(path: Path, seconds: float) -> None:
    past = time.time() - seconds
    os.utime(path, (past, past))


def test_only_settled_files_are_taken(tmp_path: Path) -> None:
    old, fresh = tmp_path / "old.pdf", tmp_path / "fresh.pdf"
    for p in (old, fresh):
        p.write_bytes(b"%PDF-1.4 x")
    _age(old, 600)
    (tmp_path / ".partial.pdf").write_bytes(b"%PDF")
    assert [s.path.name for s in stable_files(tmp_path, 120)] == ["old.pdf"]


def test_release_keeps_a_file_that_changed(tmp_path: Path) -> None:
    f = tmp_path / "a.pdf"
    f.write_bytes(b"%PDF-1.4 one")
    copy = tmp_path / "copy"
    copy.write_bytes(f.read_bytes())
    snap = snapshot(f)
    f.write_bytes(b"%PDF-1.4 one two")
    assert release(snap, copy).startswith("kept")
    assert f.exists()


@pytest.fixture()
def nightly_settings(tmp_path: Path, settings: Settings) -> Settings:
    return Settings(
        home=tmp_path,
        inbox_dir=tmp_path / "inbox",
        archive_dir=tmp_path / "archive",
        index_prefix=settings.index_prefix + "-nightly",
        es_url=settings.es_url,
    )


def test_nightly_run(nightly_settings: Settings, es_node, prefect_harness, tmp_path: Path) -> None:
    from flows.nightly import nightly_digitisation

    inbox = nightly_settings.inbox_path
    (inbox / "counter-2").mkdir(parents=True)
    text_pdf(inbox / "letter.pdf", LETTER)
    (inbox / "counter-2" / "letter-again.pdf").write_bytes((inbox / "letter.pdf").read_bytes())
    truncated_jpeg(inbox / "broken.jpg")
    uploading = inbox / "uploading.pdf"
    uploading.write_bytes(b"%PDF-1.4 half")
    outside = tmp_path / "secret.pdf"
    outside.write_bytes(b"%PDF-1.4 not yours")
    (inbox / "link.pdf").symlink_to(outside)
    for p in (inbox / "letter.pdf", inbox / "counter-2" / "letter-again.pdf", inbox / "broken.jpg"):
        _age(p, 600)

    summary = nightly_digitisation(settle_seconds=120, settings=nightly_settings)

    assert summary["processed"] == 1 and summary["duplicates"] == 1
    assert [f["reason"] for f in summary["failures"]] == ["corrupt"]
    assert summary["indexed"] >= 1
    # Settled files left the inbox (their copies are archived or quarantined) …
    assert not (inbox / "letter.pdf").exists()
    assert not (inbox / "counter-2" / "letter-again.pdf").exists()
    assert not (inbox / "broken.jpg").exists()
    # … the upload in progress and the symlink were not touched, nor what it points to.
    assert uploading.exists() and (inbox / "link.pdf").is_symlink()
    assert outside.read_bytes() == b"%PDF-1.4 not yours"
    assert "symbolic link" in summary["inbox"][str(inbox / "link.pdf")]
    archive = Archive(nightly_settings.archive_path)
    records = list(archive.iter_records())
    assert len(records) == 1 and records[0]["doc_type"] == "official_letter"
    report = next((archive.root / "reports").glob("nightly-*.json"))
    assert json.loads(report.read_text())["files"] == 3
    quarantined = next((archive.root / "quarantine").glob("*/original.bin"))
    assert quarantined.stat().st_size > 0

    again = nightly_digitisation(settle_seconds=120, settings=nightly_settings)
    assert again["files"] == 0  # nothing settled is left: a re-run duplicates nothing
    assert len(list(archive.iter_records())) == 1
