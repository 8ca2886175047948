import gzip
import json
from pathlib import Path

import pytest

from ocr_models.classifier import (
    DEFAULT_PATH,
    FORMAT_VERSION,
    ModelFormatError,
    TextClassifier,
    analyze,
    fit,
    load,
    load_default,
    save,
)
from pipeline.archive import atomic_write_json
from pipeline.classify import classify
from pipeline.training import archive_examples, corrected_doc_type, generated_examples, ocr_noise

TEXTS = {
    "birth_certificate": [
        "GIẤY KHAI SINH\nHọ, chữ đệm, tên người mẹ",
        "Giấy khai sinh Quyển số 01",
    ],
    "administrative_decision": [
        "QUYẾT ĐỊNH\nĐiều 1. Phê duyệt",
        "Số: 12/QĐ-UBND Quyết định Điều 2",
    ],
    "land_use_certificate": ["Thửa đất số 12 Tờ bản đồ số 4", "GIẤY CHỨNG NHẬN QUYỀN SỬ DỤNG ĐẤT"],
}


@pytest.fixture(scope="module")
def tiny() -> TextClassifier:
    texts = [t for ts in TEXTS.values() for t in ts] * 2
    labels = [k for k, ts in TEXTS.items() for _ in ts] * 2
    return fit(texts, labels, max_features=300, meta={"test": True})


def test_features_ignore_diacritics_case_and_digits() -> None:
    assert analyze("Giấy khai sinh 2021") == analyze("GIAY KHAI SINH 1999")


def test_predicts_the_type_it_learnt(tiny: TextClassifier) -> None:
    probs = tiny.predict_proba("giay khai sinh quyen so")
    assert max(probs, key=probs.__getitem__) == "birth_certificate"
    assert sum(probs.values()) == pytest.approx(1.0)


def test_save_load_round_trip_gives_the_same_answers(tiny: TextClassifier, tmp_path: Path) -> None:
    path = tmp_path / "m.json.gz"
    save(tiny, path)
    again = load(path)
    text = "Thửa đất số 7"
    for k, v in tiny.predict_proba(text).items():
        assert again.predict_proba(text)[k] == pytest.approx(v, abs=1e-3)
    assert again.meta == {"test": True}
    assert not list(tmp_path.glob(".*.tmp"))  # atomic write leaves no temp file


def test_saving_twice_gives_identical_bytes(tiny: TextClassifier, tmp_path: Path) -> None:
    save(tiny, tmp_path / "a.gz")
    save(tiny, tmp_path / "b.gz")
    assert (tmp_path / "a.gz").read_bytes() == (tmp_path / "b.gz").read_bytes()


def test_other_format_version_is_refused(tiny: TextClassifier, tmp_path: Path) -> None:
    data = tiny.to_json() | {"format_version": FORMAT_VERSION + 1}
    path = tmp_path / "future.json.gz"
    path.write_bytes(gzip.compress(json.dumps(data).encode()))
    with pytest.raises(ModelFormatError, match="retrain"):
        load(path)
    assert load_default(path) is None  # the pipeline falls back to rules


def test_damaged_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "bad.json.gz"
    path.write_bytes(b"not gzip")
    with pytest.raises(ModelFormatError):
        load(path)
    assert load_default(tmp_path / "missing.json.gz") is None


def test_shipped_model_is_small_loads_and_covers_every_type() -> None:
    assert DEFAULT_PATH.stat().st_size < 2 * 1024 * 1024
    model = load_default()
    assert model is not None
    assert set(model.classes) >= {"citizen_id_card", "dossier_receipt", "other"}


def test_classify_uses_a_given_model_and_runs_without_one(tiny: TextClassifier) -> None:
    text = "Thửa đất số 12, tờ bản đồ số 4"
    assert classify(text, model=tiny).doc_type == "land_use_certificate"
    assert classify(text, use_model=False).doc_type == "land_use_certificate"


def test_generated_examples_are_deterministic_and_cover_types() -> None:
    a = list(generated_examples(14, 3, variants=1))
    b = list(generated_examples(14, 3, variants=1))
    assert a == b
    assert {e.doc_type for e in a} >= {"citizen_id_card", "dossier_receipt", "other"}


def test_ocr_noise_keeps_some_text() -> None:
    import random

    noisy = ocr_noise("GIẤY KHAI SINH\nHọ, chữ đệm, tên", random.Random(1), 0.5)
    assert noisy and noisy != "GIẤY KHAI SINH\nHọ, chữ đệm, tên"


@pytest.mark.parametrize(
    ("record", "label"),
    [
        (
            {"doc_type": "other", "corrections": [{"field": "doc_type", "value": "death_extract"}]},
            "death_extract",
        ),
        (
            {
                "doc_type": "other",
                "corrections": [
                    {"field": "doc_type", "new": "x"},
                    {"field": "doc_type", "to": "household_book"},
                ],
            },
            "household_book",
        ),
        (
            {"doc_type": "official_letter", "corrections": [{"field": "subject", "value": "V/v"}]},
            "official_letter",
        ),
        ({"doc_type": "official_letter"}, None),
        ({"doc_type": "official_letter", "corrections": []}, None),
        ({"doc_type": "other", "corrections": [{"field": "doc_type", "value": "passport"}]}, None),
        ({"corrections": "garbage"}, None),
    ],
)
def test_corrected_doc_type_is_tolerant(record: dict, label: str | None) -> None:
    assert corrected_doc_type(record) == label


def test_archive_corrections_become_examples(tmp_path: Path) -> None:
    records = tmp_path / "records" / "ab" / "abc"
    atomic_write_json(records / "file.json", {"sha256": "abc"})
    atomic_write_json(
        records / "doc-1.json",
        {
            "id": "abc-1",
            "doc_type": "other",
            "text": "TRÍCH LỤC KHAI TỬ",
            "corrections": [{"field": "doc_type", "value": "death_extract"}],
        },
    )
    atomic_write_json(records / "doc-2.json", {"id": "abc-2", "doc_type": "other", "text": "x"})
    examples = list(archive_examples(tmp_path))
    assert [(e.doc_type, e.source) for e in examples] == [("death_extract", "archive:abc-1")]
    assert list(archive_examples(tmp_path / "missing")) == []
