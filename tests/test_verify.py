"""`verify_archive` and `dossier verify`: drift in originals and sidecars is found and named."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import typer
from PIL import Image
from typer.testing import CliRunner

from flows import cmd_records
from pipeline.archive import Archive
from pipeline.config import Settings
from pipeline.intake import InputFile, open_input
from pipeline.models import DocumentResult, FieldValue, FileResult
from pipeline.verify import REQUIRED_KEYS, schema_errors, verify_archive

SCHEMA_PATH = Path(__file__).resolve().parents[1] / "docs" / "record.schema.json"


def _scan(folder: Path, n: int) -> InputFile:
    path = folder / f"scan-{n}.png"
    Image.new("L", (40, 40), n).save(path)
    return open_input(path, max_bytes=10**8)


def _archive(tmp_path: Path, files: int = 3, docs: int = 2) -> tuple[Archive, list[InputFile]]:
    archive = Archive(tmp_path / "archive")
    items = []
    for n in range(files):
        item = _scan(tmp_path, n + 1)
        documents = [
            DocumentResult("citizen_id_card", 0.9, i, i, f"CĂN CƯỚC {i}", 0.8,
                           {"full_name": FieldValue("Nguyễn Văn An", 0.9)})
            for i in range(1, docs + 1)
        ]  # fmt: skip
        result = FileResult(item.given, item.sha256, item.size, item.media_type, docs, documents)
        archive.write_result(item, result)
        items.append(item)
    return archive, items


def kinds(archive: Archive) -> list[str]:
    return sorted(p.kind for p in verify_archive(archive).problems)


def test_a_clean_archive_verifies(tmp_path: Path) -> None:
    archive, _ = _archive(tmp_path)
    report = verify_archive(archive)
    assert report.ok, report.problems
    assert (report.originals, report.sidecars) == (3, 6)
    assert report.as_json()["ok"] is True


def test_an_empty_or_missing_archive_verifies(tmp_path: Path) -> None:
    report = verify_archive(Archive(tmp_path / "nothing-here"))
    assert report.ok and report.originals == report.sidecars == 0


def test_a_tampered_original_is_a_hash_mismatch(tmp_path: Path) -> None:
    archive, items = _archive(tmp_path)
    original = archive.original_path(items[0].sha256, items[0].media_type)
    original.chmod(0o644)
    original.write_bytes(original.read_bytes() + b"tampered")
    assert kinds(archive) == ["hash_mismatch"]


def test_a_deleted_original_is_missing(tmp_path: Path) -> None:
    archive, items = _archive(tmp_path)
    archive.original_path(items[1].sha256, items[1].media_type).unlink()
    assert kinds(archive) == ["missing_original"]


@pytest.mark.parametrize(
    ("content", "why"),
    [
        ("{ half a record", "unreadable"),
        ("[1, 2]", "not a JSON object"),
        ('{"id": "x"}', "missing `schema_version`"),
        (b"\xff\xfe not utf-8", "unreadable"),
    ],
)
def test_a_corrupt_sidecar_is_reported(tmp_path: Path, content: str | bytes, why: str) -> None:
    archive, items = _archive(tmp_path)
    path = archive.record_dir(items[2].sha256) / "doc-2.json"
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content)
    problems = verify_archive(archive).problems
    assert [(p.kind, p.path) for p in problems] == [("corrupt_sidecar", str(path))]
    assert why in problems[0].message


def test_a_sidecar_with_wrong_values_is_reported(tmp_path: Path) -> None:
    archive, items = _archive(tmp_path)
    path = archive.record_dir(items[0].sha256) / "doc-1.json"
    record = json.loads(path.read_text())
    record.update(doc_type="passport", index_state="maybe", doc_index=True)
    path.write_text(json.dumps(record))
    [problem] = verify_archive(archive).problems
    assert problem.kind == "corrupt_sidecar"
    assert "doc_index" in problem.message


def test_deleted_sidecar_orphans_and_temp_files_are_reported(tmp_path: Path) -> None:
    archive, items = _archive(tmp_path)
    (archive.record_dir(items[0].sha256) / "doc-2.json").unlink()
    (archive.record_dir(items[1].sha256) / ".doc-1.json.abc.tmp").write_text("{")
    (archive.root / "originals" / "zz").mkdir()
    (archive.root / "originals" / "zz" / "notes.txt").write_text("hello")
    stray = _scan(tmp_path, 99)
    archive.store_original(stray)  # an original no record refers to
    (archive.record_dir(items[2].sha256) / "file.json").unlink()
    assert kinds(archive) == [
        "missing_sidecar", "orphan_file", "orphan_original", "orphan_record", "stray_temp_file",
    ]  # fmt: skip


def test_schema_file_matches_the_checker_and_real_sidecars(tmp_path: Path) -> None:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    assert set(schema["required"]) == set(REQUIRED_KEYS)
    archive, _ = _archive(tmp_path, files=1)
    for record in archive.iter_records():
        jsonschema.validate(record, schema)
        assert schema_errors(record) == []
    broken = {**record, "sha256": "nope"}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(broken, schema)
    assert schema_errors(broken)


def _cli(monkeypatch: pytest.MonkeyPatch, archive: Archive, *args: str) -> tuple[int, str]:
    settings = Settings(home=archive.root.parent, archive_dir=archive.root)
    monkeypatch.setattr(cmd_records, "_settings", lambda: settings)
    app = typer.Typer()
    cmd_records.register(app)
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stdout


def test_verify_command_exit_code_and_json(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    archive, items = _archive(tmp_path)
    code, out = _cli(monkeypatch, archive, "verify", "--json")
    assert code == 0 and json.loads(out)["ok"] is True
    (archive.record_dir(items[0].sha256) / "doc-1.json").write_text("{")
    code, out = _cli(monkeypatch, archive, "verify", "--json")
    report = json.loads(out)
    assert code == 1
    assert report["ok"] is False and report["counts"] == {"corrupt_sidecar": 1}
    code, out = _cli(monkeypatch, archive, "verify")
    assert code == 1 and "corrupt_sidecar" in out


def test_show_command_prints_the_record_and_its_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    archive, items = _archive(tmp_path, files=1)
    record_id = f"{items[0].sha256}-2"
    code, out = _cli(monkeypatch, archive, "show", record_id, "--json")
    assert code == 0
    shown = json.loads(out)
    assert shown["record"]["id"] == record_id
    assert shown["files"]["sidecar"] == str(archive.record_dir(items[0].sha256) / "doc-2.json")
    assert shown["files"]["original_exists"] is True
    code, out = _cli(monkeypatch, archive, "show", record_id)
    assert code == 0 and "Họ và tên" in out and "Nguyễn Văn An" in out and "Bản gốc" in out
    for bad in ("nope", "../../etc/passwd", f"{items[0].sha256}-9"):
        code, _ = _cli(monkeypatch, archive, "show", bad)
        assert code != 0
