"""The `dossier` CLI contracts, run as a real subprocess (exit codes, one JSON per line)."""

import json
import subprocess
import sys
from pathlib import Path

from hostile import text_image, truncated_jpeg

ID_CARD = [
    "CĂN CƯỚC CÔNG DÂN",
    "Số / No.: 001090012345",
    "Họ và tên / Full name: NGUYỄN VĂN AN",
    "Ngày sinh / Date of birth: 05/03/1990",
    "Giới tính / Sex: Nam",
]
DOC_KEYS = {
    "doc_type", "doc_type_confidence", "page_start", "page_end", "text", "ocr_confidence",
    "fields", "needs_review", "warnings",
}  # fmt: skip


def dossier(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "flows.cli", *args],
        capture_output=True, text=True, timeout=300, env=env,
    )  # fmt: skip


def test_version_and_help() -> None:
    out = dossier("--version")
    assert out.returncode == 0 and out.stdout.startswith("dossier ")
    for cmd in ("process", "ingest", "search", "reuse", "samples", "services", "demo"):
        res = dossier(cmd, "--help")
        assert res.returncode == 0, (cmd, res.stderr)
        assert "Usage" in res.stdout


def test_process_json_contract_and_bad_input_does_not_stop_the_batch(tmp_path: Path) -> None:
    good = tmp_path / "card.png"
    text_image(ID_CARD, (1600, 700)).save(good, dpi=(150, 150))
    bad = truncated_jpeg(tmp_path / "cut.jpg")
    missing = tmp_path / "nope.pdf"
    res = dossier("process", str(bad), str(good), str(missing), "--json")
    assert res.returncode == 2, res.stderr
    lines = [json.loads(line) for line in res.stdout.splitlines()]
    assert [line["file"] for line in lines] == [str(bad), str(good), str(missing)]
    assert lines[0]["error"]["code"] == "corrupt" and "cut.jpg" in lines[0]["error"]["message"]
    assert lines[2]["error"]["code"] == "missing"
    ok = lines[1]
    assert len(ok["sha256"]) == 64
    doc = ok["documents"][0]
    assert set(doc) == DOC_KEYS
    assert doc["doc_type"] == "citizen_id_card"
    assert doc["fields"]["id_number"]["value"] == "001090012345"
    assert 0 <= doc["fields"]["id_number"]["confidence"] <= 1
    assert (doc["page_start"], doc["page_end"]) == (1, 1)


def test_process_all_good_exits_zero(tmp_path: Path) -> None:
    good = tmp_path / "card.png"
    text_image(ID_CARD, (1600, 700)).save(good)
    res = dossier("process", str(good), "--json")
    assert res.returncode == 0, res.stderr
    assert len(res.stdout.splitlines()) == 1


def test_empty_directory_is_a_one_line_error(tmp_path: Path) -> None:
    res = dossier("process", str(tmp_path))
    assert res.returncode == 2
    assert "holds no supported scans" in res.stderr
    assert "Traceback" not in res.stderr


def test_unknown_type_filter_is_rejected_before_searching() -> None:
    res = dossier("search", "Nguyễn", "--type", "passport")
    assert res.returncode == 1
    assert "unknown document type" in res.stderr and "birth_certificate" in res.stderr


def test_unreachable_elasticsearch_says_how_to_start_it(tmp_path: Path) -> None:
    import os

    env = {**os.environ, "DOSSIER_ES_URL": "http://127.0.0.1:9", "DOSSIER_HOME": str(tmp_path)}
    res = dossier("search", "Nguyễn Văn An", env=env)
    assert res.returncode == 4, res.stderr
    assert "dossier services up" in res.stderr
    assert "Traceback" not in res.stderr
