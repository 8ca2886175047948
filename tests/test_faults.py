"""Faults during a batch: killed worker, files vanishing or unreadable. Nothing lost or doubled."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hostile import text_image
from test_cli import dossier

from pipeline.archive import Archive
from pipeline.config import Settings
from pipeline.errors import InputError
from pipeline.intake import open_input
from search.indexer import count

pytestmark = pytest.mark.integration
N_CARDS = 8


def _cards(folder: Path, n: int) -> list[Path]:
    paths = []
    for i in range(n):
        lines = [
            "CĂN CƯỚC CÔNG DÂN",
            f"Số / No.: 0010900{i:05d}",
            f"Họ và tên / Full name: NGUYỄN VĂN {'ABCDEFGHIK'[i]}N",
            "Ngày sinh / Date of birth: 05/03/1990",
        ]
        path = folder / f"card-{i}.png"
        text_image(lines, (1700, 600)).save(path, dpi=(150, 150))
        paths.append(path)
    return paths


def _env(tmp_path: Path, settings: Settings) -> dict[str, str]:
    return {
        **os.environ,
        "DOSSIER_HOME": str(tmp_path / "home"),
        "DOSSIER_ARCHIVE_DIR": str(tmp_path / "archive"),
        "DOSSIER_INDEX_PREFIX": f"{settings.index_prefix}-kill",
        "DOSSIER_ES_URL": settings.es_url,
    }


def test_killed_mid_batch_then_rerun_finishes_without_duplicates(
    tmp_path: Path, settings: Settings, es_node
) -> None:
    scans = tmp_path / "scans"
    scans.mkdir()
    _cards(scans, N_CARDS)
    env = _env(tmp_path, settings)
    log = tmp_path / "first-run.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "flows.cli", "ingest", str(scans)],
            env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
    records = tmp_path / "archive" / "records"
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline and proc.poll() is None:
        if list(records.glob("*/*/file.json")):
            break
        time.sleep(0.05)
    assert proc.poll() is None, log.read_text(errors="replace")[-3000:]  # not ended early
    os.killpg(proc.pid, signal.SIGKILL)  # the worker dies mid-batch, mid-document
    proc.wait()
    done_before = len(list(records.glob("*/*/file.json")))
    assert 1 <= done_before < N_CARDS, log.read_text(errors="replace")[-3000:]

    res = dossier("ingest", str(scans), "--json", env=env)
    assert res.returncode == 0, res.stderr
    report = json.loads(res.stdout)
    statuses = [f["status"] for f in report["files"]]
    assert statuses.count("duplicate") >= done_before
    assert statuses.count("processed") + statuses.count("duplicate") == N_CARDS
    archive = Archive(tmp_path / "archive")
    ids = [r["id"] for r in archive.iter_records()]
    assert len(ids) == len(set(ids)) == N_CARDS
    assert all(r["index_state"] == "indexed" for r in archive.iter_records())
    alias_settings = Settings(index_prefix=env["DOSSIER_INDEX_PREFIX"], es_url=settings.es_url)
    assert count(es_node, alias_settings) == N_CARDS


def test_file_removed_mid_run_is_reported_and_the_rest_goes_on(
    tmp_path: Path, settings: Settings, es_node, prefect_harness
) -> None:
    from flows.ingest import ingest_batch
    from flows.report import ProgressHook

    scans = tmp_path / "scans"
    scans.mkdir()
    first, second, third = _cards(scans, 3)

    def vanish(name: str) -> None:
        if name.endswith("card-0.png"):
            second.unlink()  # another process moves it away while the batch runs

    s = Settings(
        home=tmp_path, archive_dir=tmp_path / "archive", es_url=settings.es_url,
        index_prefix=f"{settings.index_prefix}-vanish",
    )  # fmt: skip
    report = ingest_batch([str(scans)], None, s, ProgressHook(on_file_start=vanish))
    by_name = {Path(o.file).name: o for o in report.outcomes}
    assert by_name["card-1.png"].status == "quarantined"
    assert by_name["card-1.png"].error_code == "missing"
    assert by_name["card-0.png"].status == by_name["card-2.png"].status == "processed"


def test_permission_denied_is_an_input_error(tmp_path: Path, monkeypatch) -> None:
    path = _cards(tmp_path, 1)[0]
    real_open = Path.open

    def denied(self: Path, *args, **kwargs):
        if self == path:
            raise PermissionError(13, "Permission denied", str(self))
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", denied)
    with pytest.raises(InputError) as e:
        open_input(path, max_bytes=10**8)
    assert e.value.reason == "unreadable" and "permission" in str(e.value)
