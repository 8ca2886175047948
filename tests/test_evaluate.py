import json
import shutil
from pathlib import Path

import pytest
import typer
from hostile import text_image
from typer.testing import CliRunner

from flows.cmd_eval import format_report, register
from pipeline.baseline import raw_tesseract_page
from pipeline.evaluate import cer, evaluate_text, word_recall

TRUTH = "ỦY BAN NHÂN DÂN\nTỈNH BẮC NINH\nQUYẾT ĐỊNH"


def _folder(tmp_path: Path) -> Path:
    for name, kind in (("a.png", "clean"), ("b.png", "fax")):
        text_image(TRUTH.splitlines()).save(tmp_path / name)
        truth = {"file": name, "degradation": kind, "documents": [{"text": TRUTH}]}
        (tmp_path / f"{name}.truth.json").write_text(json.dumps(truth), encoding="utf-8")
    return tmp_path


def test_cer_and_recall_ignore_whitespace_and_order() -> None:
    assert cer("ỦY BAN  NHÂN DÂN\n\nTỈNH BẮC NINH QUYẾT ĐỊNH", TRUTH) == 0.0
    assert word_recall("QUYẾT ĐỊNH TỈNH BẮC NINH ỦY BAN NHÂN DÂN", TRUTH) == 1.0


def test_evaluate_text_scores_per_degradation_kind(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    perfect = {"a.png": TRUTH, "b.png": "ỦY BAN NHÂN DÂN"}
    tallies = evaluate_text(folder, lambda p: perfect[p.name])
    assert tallies["clean"].as_json()["cer"] == 0.0
    assert tallies["fax"].as_json()["word_recall"] == pytest.approx(4 / 9, abs=1e-3)
    assert tallies["total"].files == 2


@pytest.mark.skipif(shutil.which("tesseract") is None, reason="tesseract not installed")
def test_raw_tesseract_baseline_reads_a_clean_page(tmp_path: Path) -> None:
    path = tmp_path / "p.png"
    text_image(TRUTH.splitlines()).save(path, dpi=(150, 150))
    assert word_recall(raw_tesseract_page(path), TRUTH) > 0.8


def test_report_table_has_baseline_columns() -> None:
    row = {"files": 2, "cer": 0.01, "word_recall": 0.99, "type_accuracy": 1.0,
           "field_accuracy": 0.9}  # fmt: skip
    report = {
        "total": row, "by_degradation": {"fax": row},
        "confusion": [{"truth": "other", "predicted": "official_letter", "count": 1}],
        "baseline_raw_tesseract": {"fax": {"cer": 0.2, "word_recall": 0.9}},
    }  # fmt: skip
    report["by_degradation"]["prose/clean"] = {**row, "cer": 0.0012, "field_accuracy": None}
    table = format_report(report)
    assert "raw CER" in table and "20.00%" in table
    assert "other → official_letter: 1" in table
    prose = next(line for line in table.splitlines() if line.startswith("prose/clean"))
    assert "0.12%" in prose and prose.split()[5] == "-"  # no fields: no field accuracy


def test_eval_command_is_registered_and_refuses_a_folder_without_truth(tmp_path: Path) -> None:
    app = typer.Typer()
    register(app)

    @app.callback()
    def main() -> None:
        """Test app."""

    result = CliRunner().invoke(app, ["eval", "--help"])
    assert result.exit_code == 0 and "--baseline" in result.output
    result = CliRunner().invoke(app, ["eval", str(tmp_path)])
    assert result.exit_code != 0
