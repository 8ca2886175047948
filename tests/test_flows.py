"""The ingest flow for real: Prefect (test harness), Tesseract, the archive and Elasticsearch."""

from __future__ import annotations

from pathlib import Path

import pytest
from hostile import text_image, truncated_jpeg

from pipeline.archive import Archive
from pipeline.config import Settings
from search.indexer import count
from search.queries import reuse, search

pytestmark = pytest.mark.integration

PEOPLE = [
    ("Nguyễn Thị Lan", "001190012345", "05/03/1990", "Nữ"),
    ("Trần Văn Hùng", "079085001122", "12/11/1985", "Nam"),
]


def _card(folder: Path, name: str, id_number: str, dob: str, gender: str) -> Path:
    lines = [
        "CĂN CƯỚC CÔNG DÂN",
        f"Số / No.: {id_number}",
        f"Họ và tên / Full name: {name.upper()}",
        f"Ngày sinh / Date of birth: {dob}",
        f"Giới tính / Sex: {gender}",
        "Quốc tịch / Nationality: Việt Nam",
        "Ngày cấp: 10/10/2021",
    ]
    path = folder / f"cccd-{id_number}.png"
    text_image(lines, (1700, 800)).save(path, dpi=(150, 150))
    return path


@pytest.fixture(scope="module")
def batch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("batch")
    for person in PEOPLE:
        _card(folder, *person)
    truncated_jpeg(folder / "broken.jpg")
    return folder


@pytest.fixture(scope="module")
def first_run(batch: Path, settings: Settings, es_node, prefect_harness):
    from flows.ingest import ingest_batch

    return ingest_batch([str(batch)], None, settings)


def test_batch_goes_on_past_a_bad_file(first_run, settings: Settings, batch: Path) -> None:
    statuses = {Path(o.file).name: o.status for o in first_run.outcomes}
    assert statuses == {
        "broken.jpg": "quarantined",
        "cccd-001190012345.png": "processed",
        "cccd-079085001122.png": "processed",
    }
    reason = next((settings.archive_path / "quarantine").glob("*/reason.json")).read_text()
    assert "corrupt" in reason and "broken.jpg" in reason
    assert (batch / "broken.jpg").exists()  # the original is never deleted or altered


def test_records_are_archived_and_indexed(first_run, settings: Settings, es_node) -> None:
    assert first_run.indexed == 2 and first_run.pending == 0
    records = list(Archive(settings.archive_path).iter_records())
    assert len(records) == 2
    assert all(r["index_state"] == "indexed" for r in records)
    assert count(es_node, settings) == 2


def test_search_with_and_without_diacritics(first_run, settings: Settings, es_node) -> None:
    for query in ("Nguyễn Thị Lan", "nguyen thi lan"):
        result = search(es_node, settings, query)
        assert result["total"] >= 1, query
        top = result["hits"][0]
        assert top["fields"]["id_number"] == "001190012345"
        assert top["source_file"] == "cccd-001190012345.png"


def test_reuse_by_id_number(first_run, settings: Settings, es_node) -> None:
    result = reuse(es_node, settings, "079085001122")
    assert [d["doc_type"] for d in result["documents"]] == ["citizen_id_card"]
    assert result["documents"][0]["source_file"] == "cccd-079085001122.png"


def test_rerun_changes_nothing(first_run, batch: Path, settings: Settings, es_node) -> None:
    from flows.ingest import ingest_batch

    again = ingest_batch([str(batch)], None, settings)
    statuses = sorted(o.status for o in again.outcomes)
    assert statuses == ["duplicate", "duplicate", "quarantined"]
    assert count(es_node, settings) == 2
    assert len(list(Archive(settings.archive_path).iter_records())) == 2


def test_elasticsearch_down_leaves_records_pending_then_indexed(
    tmp_path: Path, settings: Settings, es_node, prefect_harness
) -> None:
    from flows.ingest import ingest_batch

    folder = tmp_path / "late"
    folder.mkdir()
    _card(folder, "Lê Văn Bình", "036095004321", "01/01/1995", "Nam")
    down = Settings(
        home=settings.home, archive_dir=settings.archive_path, index_prefix=settings.index_prefix,
        es_url="http://127.0.0.1:9", es_timeout_s=2,
    )  # fmt: skip
    report = ingest_batch([str(folder)], None, down)
    assert report.pending == 1 and report.indexed == 0
    assert "not reachable" in (report.index_error or "")
    sha = report.outcomes[0].sha256
    assert Archive(settings.archive_path).load_records(sha)[0]["index_state"] == "pending"

    back = ingest_batch([str(folder)], None, settings)  # next run indexes what was pending
    assert back.outcomes[0].status == "duplicate"
    assert back.indexed == 1
    assert search(es_node, settings, "036095004321")["total"] == 1
