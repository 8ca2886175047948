"""The review queue: approve, correct with history, and the index catching up."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from PIL import Image
from test_cli import dossier

from pipeline.archive import Archive
from pipeline.errors import InputError
from pipeline.intake import open_input
from pipeline.models import DocumentResult, FieldValue, FileResult
from pipeline.review import approve, correct, pending_reviews


def _archived(tmp_path: Path, needs_review: bool = True) -> tuple[Archive, str]:
    path = tmp_path / "scan.png"
    Image.new("L", (30, 30), 128).save(path)
    item = open_input(path, max_bytes=10**7)
    doc = DocumentResult(
        "other", 0.4, 1, 1, "GIẤY KHAI SINH …", 0.9,
        {"full_name": FieldValue("Lê Minh Khoa", 0.8), "gender": FieldValue("Nam", 0.8)},
        needs_review=needs_review, warnings=["type confidence 0.40"],
    )  # fmt: skip
    archive = Archive(tmp_path / "archive")
    [record] = archive.write_result(
        item, FileResult(item.given, item.sha256, 1, "image/png", 1, [doc])
    )
    return archive, record["id"]


def test_queue_lists_only_flagged_records(tmp_path: Path) -> None:
    archive, rid = _archived(tmp_path)
    assert [r["id"] for r in pending_reviews(archive)] == [rid]
    approve(archive, rid, user="archivist1")
    assert pending_reviews(archive) == []
    record = archive.load_records(rid.rsplit("-", 1)[0])[0]
    assert record["review"]["by"] == "archivist1"
    assert record["index_state"] == "pending"  # the index must be told


def test_correction_keeps_history_and_normalises(tmp_path: Path) -> None:
    archive, rid = _archived(tmp_path)
    record = correct(
        archive, rid, doc_type="birth_certificate",
        fields={"date_of_birth": "02/01/2021", "gender": None, "full_name": "Lê Minh Khoa"},
        user="archivist1",
    )  # fmt: skip
    assert record["doc_type"] == "birth_certificate"
    assert record["fields"]["date_of_birth"] == {
        "value": "2021-01-02", "confidence": 1.0, "source": "review"
    }  # fmt: skip
    assert "gender" not in record["fields"]
    whats = [(c["what"], c["old"], c["new"], c["by"]) for c in record["corrections"]]
    assert whats == [
        ("doc_type", "other", "birth_certificate", "archivist1"),
        ("fields.date_of_birth", None, "2021-01-02", "archivist1"),
        ("fields.gender", "Nam", None, "archivist1"),
    ]  # the unchanged full_name is not recorded as a change
    assert not record["needs_review"]
    on_disk = json.loads(
        (archive.record_dir(rid.rsplit("-", 1)[0]) / "doc-1.json").read_text(encoding="utf-8")
    )
    assert on_disk == record


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"doc_type": "passport"}, "unknown document type"),
        ({"fields": {"shoe_size": "42"}}, "unknown field"),
        ({"fields": {"issue_date": "tomorrow"}}, "not a date"),
    ],
)
def test_bad_corrections_are_refused(tmp_path: Path, kwargs: dict, message: str) -> None:
    archive, rid = _archived(tmp_path)
    with pytest.raises(InputError, match=message):
        correct(archive, rid, **kwargs)
    assert archive.load_records(rid.rsplit("-", 1)[0])[0].get("corrections") is None


def test_cli_correct_with_index_down_leaves_record_pending(tmp_path: Path) -> None:
    archive, rid = _archived(tmp_path)
    env = {
        **os.environ, "DOSSIER_HOME": str(tmp_path), "DOSSIER_ARCHIVE_DIR": str(archive.root),
        "DOSSIER_ES_URL": "http://127.0.0.1:9",
    }  # fmt: skip
    res = dossier("review", "list", "--json", env=env)
    assert json.loads(res.stdout)["items"][0]["id"] == rid
    res = dossier("review", "correct", rid[:20], "--set", "full_name=Lê Minh Khoa Anh", env=env)
    assert res.returncode == 0, res.stderr
    assert "not indexed yet" in res.stdout
    record = archive.load_records(rid.rsplit("-", 1)[0])[0]
    assert record["fields"]["full_name"]["value"] == "Lê Minh Khoa Anh"
    assert record["index_state"] == "pending"


def test_corrections_become_training_labels(tmp_path: Path) -> None:
    from pipeline.training import archive_examples, corrected_doc_type

    archive, rid = _archived(tmp_path)
    assert corrected_doc_type(archive.load_records(rid.rsplit("-", 1)[0])[0]) is None
    record = correct(archive, rid, doc_type="birth_certificate", user="a")
    assert corrected_doc_type(record) == "birth_certificate"
    assert [e.doc_type for e in archive_examples(archive.root)] == ["birth_certificate"]
