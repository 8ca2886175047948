"""`dossier reindex`: rebuild from the archive alone and switch the alias with no downtime."""

from __future__ import annotations

import json
import threading
import uuid
from pathlib import Path
from typing import Any

import pytest
import typer
from elasticsearch import Elasticsearch
from PIL import Image
from typer.testing import CliRunner

from flows import cmd_records
from pipeline.archive import Archive
from pipeline.config import Settings
from pipeline.errors import ConfigError
from pipeline.intake import open_input
from pipeline.models import DocumentResult, FieldValue, FileResult
from search import reindex as reindex_module
from search.indexer import index_records
from search.mapping import alias_name, index_pattern
from search.queries import search
from search.reindex import current_indices, reindex, reindex_pending

pytestmark = pytest.mark.integration

PEOPLE = [
    ("Nguyễn Thị Lan", "079190001234", "1990-03-05"),
    ("Nguyễn Thị Lân", "001188009876", "1988-07-20"),
    ("Hoàng Văn Nam", "027085001111", "1985-01-02"),
    ("Huỳnh Văn Nam", "079085002222", "1985-06-30"),
    ("Trần Văn Hòa", "036092003333", "1992-09-09"),
    ("Đặng Thùy Dương", "040195004444", "1995-12-01"),
]
QUERIES = ["nguyen thi lan", "Nguyễn Thị Lân", "079190001234", "hoang van nam", "tran van hoa",
           "", "Dương 1995", "can cuoc"]  # fmt: skip


def _archive(root: Path, scans: Path, copies: int = 2) -> Archive:
    """An archive with `copies` ID-card scans per person, written by the real Archive."""
    archive = Archive(root)
    scans.mkdir(parents=True, exist_ok=True)
    n = 0
    for name, number, dob in PEOPLE:
        for copy in range(copies):
            n += 1
            path = scans / f"card-{n}.png"
            Image.new("L", (30 + copy, 30), n).save(path)
            item = open_input(path, max_bytes=10**8)
            fields = {"full_name": FieldValue(name, 0.9), "id_number": FieldValue(number, 0.95),
                      "date_of_birth": FieldValue(dob, 0.9)}  # fmt: skip
            text = f"CĂN CƯỚC CÔNG DÂN\nSố: {number}\nHọ và tên: {name.upper()}"
            doc = DocumentResult("citizen_id_card", 0.9, 1, 1, text, 0.9, fields)
            archive.write_result(item, FileResult(item.given, item.sha256, item.size,
                                                  item.media_type, 1, [doc]))  # fmt: skip
    return archive


@pytest.fixture
def env(tmp_path: Path, settings: Settings, es_node: Elasticsearch) -> dict[str, Any]:
    """A private archive and index prefix (cleaned up with the session prefix)."""
    own = Settings(
        home=tmp_path, archive_dir=tmp_path / "archive", es_url=settings.es_url,
        index_prefix=f"{settings.index_prefix}-{uuid.uuid4().hex[:6]}", es_replicas=0,
    )  # fmt: skip
    archive = _archive(own.archive_path, tmp_path / "scans")
    return {"settings": own, "archive": archive, "es": es_node}


def _results(es: Elasticsearch, settings: Settings) -> dict[str, Any]:
    out = {}
    for query in QUERIES:
        result = search(es, settings, query, size=50)
        out[query] = (result["total"], [(h["id"], h["score"]) for h in result["hits"]])
    return out


def _all_indices(es: Elasticsearch, settings: Settings) -> set[str]:
    return set(es.indices.get(index=index_pattern(settings.index_prefix)))


def test_rebuild_switches_the_alias_and_keeps_results(env: dict[str, Any]) -> None:
    es, settings, archive = env["es"], env["settings"], env["archive"]
    index_records(es, settings, archive.iter_records())
    [first] = current_indices(es, settings)
    before = _results(es, settings)
    assert before["nguyen thi lan"][0] == 4

    report = reindex(es, settings, archive)
    assert report.indexed == 2 * len(PEOPLE)
    assert (report.previous, report.deleted, report.skipped, report.failed) == ([first], [], [], [])
    assert current_indices(es, settings) == [report.index] != [first]
    assert _results(es, settings) == before
    assert _all_indices(es, settings) == {first, report.index}  # one previous kept

    again = reindex(es, settings, archive, keep=1)
    assert again.deleted == [first]
    assert _all_indices(es, settings) == {report.index, again.index}
    assert set(reindex(es, settings, archive, keep=0).deleted) == {report.index, again.index}
    assert _results(es, settings) == before


def test_rebuild_after_dropping_every_index(env: dict[str, Any]) -> None:
    es, settings, archive = env["es"], env["settings"], env["archive"]
    index_records(es, settings, archive.iter_records())
    before = _results(es, settings)
    for name in _all_indices(es, settings):
        es.indices.delete(index=name)
    assert search(es, settings, "nguyen thi lan")["total"] == 0
    report = reindex(es, settings, archive)
    assert report.previous == []
    assert _results(es, settings) == before


def test_searches_keep_answering_during_a_rebuild(
    env: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    es, settings, archive = env["es"], env["settings"], env["archive"]
    index_records(es, settings, archive.iter_records())
    expected = search(es, settings, "nguyen thi lan", size=50)["total"]
    monkeypatch.setattr(reindex_module, "BULK_CHUNK", 1)  # many small requests: a slow rebuild
    totals: list[int] = []
    errors: list[BaseException] = []
    done = threading.Event()

    def keep_searching() -> None:
        while not done.is_set():
            try:
                totals.append(search(es, settings, "nguyen thi lan", size=50)["total"])
            except BaseException as e:  # noqa: BLE001 - collected and asserted below
                errors.append(e)

    worker = threading.Thread(target=keep_searching)
    worker.start()
    try:
        for _ in range(2):
            reindex(es, settings, archive)
    finally:
        done.set()
        worker.join()
    assert errors == []
    assert len(totals) > 3
    assert set(totals) == {expected}


def test_a_corrupt_sidecar_is_skipped_not_fatal(env: dict[str, Any]) -> None:
    es, settings, archive = env["es"], env["settings"], env["archive"]
    paths = list(archive.sidecar_paths())
    paths[0].write_text("{ half a record")
    paths[1].write_text("[]")
    no_id = json.loads(paths[2].read_text())
    no_id["id"] = None
    paths[2].write_text(json.dumps(no_id))
    odd = json.loads(paths[3].read_text())
    odd.update(warnings=5, fields="x", text=7, needs_review="maybe", page_count=[1])
    paths[3].write_text(json.dumps(odd))  # wrong types: indexed leniently, never fatal
    report = reindex(es, settings, archive)
    assert sorted(path for path, _ in report.skipped) == sorted([str(paths[0]), str(paths[1])])
    assert [reason for _, reason in report.failed] == ["record has no usable `id`"]
    assert report.indexed == len(paths) - 3
    assert search(es, settings, "")["total"] == len(paths) - 3


def test_pending_records_are_indexed_and_marked(env: dict[str, Any]) -> None:
    es, settings, archive = env["es"], env["settings"], env["archive"]
    records = list(archive.iter_records())
    assert {r["index_state"] for r in records} == {"pending"}  # as written while ES was down
    archive.set_index_state(records[:4], "indexed")
    index_records(es, settings, records[:4])
    report = reindex_pending(es, settings, archive)
    assert (report.indexed, report.failed) == (len(records) - 4, [])
    assert {r["index_state"] for r in archive.iter_records()} == {"indexed"}
    assert search(es, settings, "")["total"] == len(records)
    assert reindex_pending(es, settings, archive).indexed == 0


def test_a_rebuild_marks_pending_records_indexed(env: dict[str, Any]) -> None:
    es, settings, archive = env["es"], env["settings"], env["archive"]
    reindex(es, settings, archive)
    assert {r["index_state"] for r in archive.iter_records()} == {"indexed"}


def test_a_concrete_index_named_like_the_alias_is_refused(env: dict[str, Any]) -> None:
    es, settings, archive = env["es"], env["settings"], env["archive"]
    es.indices.create(index=alias_name(settings.index_prefix))
    try:
        with pytest.raises(ConfigError, match="not as an alias"):
            reindex(es, settings, archive)
        assert _all_indices(es, settings) == set()  # nothing half-built left behind
    finally:
        es.indices.delete(index=alias_name(settings.index_prefix))


def test_reindex_command_json_and_exit_code(
    env: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    settings, archive = env["settings"], env["archive"]
    monkeypatch.setattr(cmd_records, "_settings", lambda: settings)
    app = typer.Typer()
    cmd_records.register(app)
    runner = CliRunner()
    result = runner.invoke(app, ["reindex", "--pending", "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["indexed"] == 2 * len(PEOPLE)
    result = runner.invoke(app, ["reindex", "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["index"] in current_indices(env["es"], settings)
    next(archive.sidecar_paths()).write_text("{")
    result = runner.invoke(app, ["reindex"])
    assert result.exit_code == 1
    assert "skipped" in result.output


def test_reindex_flow(env: dict[str, Any], prefect_harness: None) -> None:
    from flows.reindex import reindex as reindex_flow

    settings = env["settings"]
    result = reindex_flow(settings=settings)
    assert result["indexed"] == 2 * len(PEOPLE)
    assert reindex_flow(pending=True, settings=settings)["indexed"] == 0


def test_sidecars_written_during_a_rebuild_are_caught_up(
    env: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    es, settings, archive = env["es"], env["settings"], env["archive"]
    late = Archive(archive.root)
    original_bulk_load = reindex_module.bulk_load

    def bulk_load_while_ingesting(*args: Any, **kwargs: Any) -> None:
        original_bulk_load(*args, **kwargs)  # the stream has passed every sidecar by now
        path = tmp_path / "late.png"
        Image.new("L", (77, 77), 7).save(path)
        item = open_input(path, max_bytes=10**8)
        doc = DocumentResult("birth_certificate", 0.9, 1, 1, "GIẤY KHAI SINH Lò Văn Muộn", 0.9,
                             {"full_name": FieldValue("Lò Văn Muộn", 0.9)})  # fmt: skip
        late.write_result(item, FileResult(item.given, item.sha256, item.size, item.media_type,
                                           1, [doc]))  # fmt: skip

    monkeypatch.setattr(reindex_module, "bulk_load", bulk_load_while_ingesting)
    report = reindex(es, settings, archive)
    assert report.caught_up == 1
    assert search(es, settings, "lo van muon")["total"] == 1
