"""`dossier ingest`, `search --json` and `reuse --json` end to end, as a user runs them."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from hostile import text_pdf
from test_cli import dossier

from pipeline.config import Settings

pytestmark = pytest.mark.integration

CARD = [
    "CĂN CƯỚC CÔNG DÂN",
    "Số / No.: 040192003311",
    "Họ và tên / Full name: ĐẶNG THỊ THU HÀ",
    "Ngày sinh / Date of birth: 21/09/1992",
    "Giới tính / Sex: Nữ",
    "Ngày cấp: 15/06/2022",
]


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory, settings: Settings, es_node) -> dict:
    home = tmp_path_factory.mktemp("cli-home")
    return {
        **os.environ,
        "DOSSIER_HOME": str(home),
        "DOSSIER_INDEX_PREFIX": f"{settings.index_prefix}-cli",
        "DOSSIER_ES_URL": settings.es_url,
    }


@pytest.fixture(scope="module")
def ingested(env: dict, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("cli-scans")
    # A text-layer PDF: these tests pin the CLI contracts, not OCR accuracy.
    text_pdf(folder / "ha-cccd.pdf", CARD)
    (folder / "empty.pdf").write_bytes(b"")
    res = dossier("ingest", str(folder), "--json", env=env)
    assert res.returncode == 2, res.stderr  # one bad file: reported, the rest ingested
    report = json.loads(res.stdout)
    by_name = {Path(f["file"]).name: f for f in report["files"]}
    assert by_name["ha-cccd.pdf"]["status"] == "processed"
    assert by_name["empty.pdf"]["status"] == "quarantined"
    assert by_name["empty.pdf"]["error"] == "empty"
    assert report["indexed"] == 1
    return folder


def test_search_json_contract_without_diacritics(ingested: Path, env: dict) -> None:
    res = dossier("search", "dang thi thu ha", "--json", env=env)
    assert res.returncode == 0, res.stderr
    out = json.loads(res.stdout)
    assert out["total"] >= 1
    hit = out["hits"][0]
    assert set(hit) == {"id", "doc_type", "source_file", "score", "fields", "highlight"}
    assert hit["source_file"] == "ha-cccd.pdf"
    assert hit["doc_type"] == "citizen_id_card"
    assert hit["fields"]["id_number"] == "040192003311"


def test_reuse_json_contract(ingested: Path, env: dict) -> None:
    res = dossier("reuse", "040192003311", "--json", "--as-of", "2026-01-01", env=env)
    assert res.returncode == 0, res.stderr
    out = json.loads(res.stdout)
    assert out["id_number"] == "040192003311"
    [doc] = out["documents"]
    assert set(doc) >= {
        "id", "doc_type", "source_file", "issue_date", "expiry_date", "reusable", "reason"
    }  # fmt: skip
    assert doc["linked_by"] == "id_number"
    assert doc["source_file"] == "ha-cccd.pdf"
    assert isinstance(doc["reusable"], bool) and doc["reason"]


def test_reingest_through_cli_changes_nothing(ingested: Path, env: dict) -> None:
    res = dossier("ingest", str(ingested / "ha-cccd.pdf"), "--json", env=env)
    assert res.returncode == 0, res.stderr
    assert json.loads(res.stdout)["files"][0]["status"] == "duplicate"
    out = json.loads(dossier("search", "040192003311", "--json", env=env).stdout)
    assert out["total"] == 1


def test_other_prefix_sees_nothing(ingested: Path, env: dict) -> None:
    other = {**env, "DOSSIER_INDEX_PREFIX": env["DOSSIER_INDEX_PREFIX"] + "-other"}
    res = dossier("search", "040192003311", "--json", env=other)
    assert res.returncode == 0, res.stderr
    assert json.loads(res.stdout)["total"] == 0


def test_reuse_by_name_and_birth_date(ingested: Path, env: dict) -> None:
    res = dossier(
        "reuse", "--name", "Đặng Thị Thu Hà", "--dob", "21/09/1992", "--json", env=env
    )  # fmt: skip
    assert res.returncode == 0, res.stderr
    out = json.loads(res.stdout)
    assert (out["id_number"], out["date_of_birth"]) == ("040192003311", "1992-09-21")
    [doc] = out["documents"]
    assert doc["linked_by"] == "name+dob" and doc["source_file"] == "ha-cccd.pdf"
    wide = {**env, "COLUMNS": "250"}
    table = dossier("reuse", "--name", "dang thi thu ha", "--dob", "1992-09-21", env=wide)
    assert table.returncode == 0, table.stderr
    assert "ha-cccd.pdf" in table.stdout and "họ tên + ngày sinh" in table.stdout


def test_reuse_never_by_name_alone(env: dict) -> None:
    res = dossier("reuse", "--name", "Đặng Thị Thu Hà", env=env)
    assert res.returncode == 2
    assert "--dob" in res.stderr
