"""The retrain flow under the Prefect test harness: tiny sample count, model to a tmp path."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from ocr_models.classifier import DEFAULT_PATH, load
from pipeline.config import Settings

pytestmark = pytest.mark.integration

SHA = "ab" * 32


def _corrected_archive(root: Path) -> None:
    """One archived paper an officer re-typed from `other` to `birth_certificate`."""
    folder = root / "records" / SHA[:2] / SHA
    folder.mkdir(parents=True)
    record = {
        "id": f"{SHA}-1", "sha256": SHA, "doc_index": 1, "doc_type": "other",
        "text": "GIẤY KHAI SINH\nHọ, chữ đệm, tên: Trần Văn Hòa\nQuyển số: 01/2015",
        "corrections": [{"what": "doc_type", "old": "other", "new": "birth_certificate"}],
    }  # fmt: skip
    (folder / "doc-1.json").write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    (folder / "file.json").write_text(json.dumps({"sha256": SHA, "state": "done"}))


def test_retrain_flow_learns_from_corrections_and_keeps_the_shipped_model(
    tmp_path: Path, prefect_harness
) -> None:
    from flows.retrain import retrain_classifier

    pytest.importorskip("sklearn")
    shipped = hashlib.sha256(DEFAULT_PATH.read_bytes()).hexdigest()
    settings = Settings(home=tmp_path, archive_dir=tmp_path / "archive")
    _corrected_archive(settings.archive_path)
    out = tmp_path / "models" / "classifier-test.json.gz"
    summary = retrain_classifier(samples=14, seed=3, output=out, settings=settings)
    assert summary["model"] == str(out) and summary["size_bytes"] == out.stat().st_size
    assert summary["examples"]["archive"] == 1
    assert summary["examples"]["generated"] >= 14
    model = load(out)
    assert model.rule_weight > 0
    assert hashlib.sha256(DEFAULT_PATH.read_bytes()).hexdigest() == shipped
