"""Elasticsearch killed (SIGKILL) mid-batch and restarted: nothing lost, nothing doubled.

A throwaway node of its own (own port, own DOSSIER_HOME under /tmp, small heap) is started
for this module, so killing it never touches the node the other tests share.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from elasticsearch import Elasticsearch
from hostile import truncated_jpeg
from test_cli import dossier
from test_faults import _cards

from pipeline.archive import Archive
from pipeline.config import Settings
from pipeline.verify import verify_archive
from search.mapping import alias_name
from search.node import ES_MARKER, es_dir, es_start, es_status, es_stop
from search.processes import alive_pid

pytestmark = pytest.mark.integration
N_CARDS = 5
KILL_AT = "card-3.png"  # cards 0-1 go in while the node is up; it dies as card 3 starts


def _free_port_pair() -> int:
    """A free HTTP port whose transport port (+100, see search.node) is free too."""
    for _ in range(50):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        if port + 100 > 65535:
            continue
        with socket.socket() as t:
            try:
                t.bind(("127.0.0.1", port + 100))
            except OSError:
                continue
        return port
    raise RuntimeError("no free port pair")


@pytest.fixture(scope="module")
def throwaway(settings: Settings) -> Iterator[Settings]:
    """Settings for a private node on its own port and home; stopped and removed after."""
    # Under /tmp (not pytest's 0700 tmp dir) so the unprivileged ES user can enter it.
    home = Path(tempfile.mkdtemp(prefix="dossier-es-restart-"))
    home.chmod(0o755)
    s = Settings(
        home=home, archive_dir=home / "archive", es_url=f"http://127.0.0.1:{_free_port_pair()}",
        es_heap="384m", es_timeout_s=5, index_prefix=f"{settings.index_prefix}-restart",
    )  # fmt: skip
    es_start(s)
    try:
        yield s
    finally:
        es_stop(s, timeout_s=20)
        node_files = es_dir(s).resolve()
        shutil.rmtree(home, ignore_errors=True)
        if node_files.is_relative_to("/var/lib/dossier-es"):
            shutil.rmtree(node_files, ignore_errors=True)


def _sigkill_node(s: Settings) -> int:
    pid = alive_pid(es_dir(s) / "elasticsearch.pid", ES_MARKER)
    assert pid is not None, "the throwaway node is not running"
    os.kill(pid, signal.SIGKILL)
    deadline = time.monotonic() + 30
    while es_status(s).running and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not es_status(s).running
    return pid


def _index_ids(s: Settings) -> list[str]:
    es = Elasticsearch(s.es_url, request_timeout=30)
    try:
        es.indices.refresh(index=alias_name(s.index_prefix))
        resp = es.search(index=alias_name(s.index_prefix), size=1000, source=False,
                         query={"match_all": {}})  # fmt: skip
        return [h["_id"] for h in resp["hits"]["hits"]]
    finally:
        es.close()


def _env(s: Settings) -> dict[str, str]:
    return {
        **os.environ, "DOSSIER_HOME": str(s.home), "DOSSIER_ARCHIVE_DIR": str(s.archive_path),
        "DOSSIER_ES_URL": s.es_url, "DOSSIER_INDEX_PREFIX": s.index_prefix,
    }  # fmt: skip


def test_node_killed_mid_batch_then_restarted_loses_and_doubles_nothing(
    tmp_path: Path, throwaway: Settings, prefect_harness
) -> None:
    from flows.ingest import ingest_batch
    from flows.report import ProgressHook

    scans = tmp_path / "scans"
    scans.mkdir()
    cards = _cards(scans, N_CARDS)
    truncated_jpeg(scans / "zz-broken.jpg")
    first = ingest_batch([str(p) for p in cards[:2]], None, throwaway)
    assert first.indexed == 2 and first.pending == 0

    killed: list[int] = []

    def kill_node(name: str) -> None:
        if name.endswith(KILL_AT) and not killed:
            killed.append(_sigkill_node(throwaway))

    report = ingest_batch([str(scans)], None, throwaway, ProgressHook(on_file_start=kill_node))
    assert killed, "the node was never killed"
    by_name = {Path(o.file).name: o for o in report.outcomes}
    assert len(by_name) == N_CARDS + 1  # every input has an outcome
    assert [by_name[p.name].status for p in cards] == ["duplicate"] * 2 + ["processed"] * 3
    broken = by_name["zz-broken.jpg"]
    assert broken.status == "quarantined" and broken.error_code == "corrupt"
    assert json.loads((Path(str(broken.quarantine_dir)) / "reason.json").read_text())["reason"]
    assert report.pending == 3 and report.indexed == 0 and report.index_error  # cards 2-4

    archive = Archive(throwaway.archive_path)
    states = sorted(r["index_state"] for r in archive.iter_records())
    assert states == ["indexed"] * 2 + ["pending"] * 3  # archived even with the index down

    es_start(throwaway)  # same data directory: what was indexed before the kill survives
    res = dossier("reindex", "--pending", "--json", env=_env(throwaway))
    assert res.returncode == 0, res.stderr
    assert json.loads(res.stdout)["indexed"] == 3 and not json.loads(res.stdout)["failed"]

    again = ingest_batch([str(scans)], None, throwaway)  # a rerun adds nothing
    assert sorted(o.status for o in again.outcomes) == ["duplicate"] * N_CARDS + ["quarantined"]

    records = list(archive.iter_records())
    ids = [r["id"] for r in records]
    assert len(ids) == len(set(ids)) == N_CARDS
    assert {r["source_file"] for r in records} == {p.name for p in cards}
    assert all(r["index_state"] == "indexed" for r in records)
    index_ids = _index_ids(throwaway)
    assert sorted(index_ids) == sorted(ids)  # exactly one document per record
    assert verify_archive(archive).ok
    res = dossier("verify", "--json", env=_env(throwaway))
    assert res.returncode == 0 and json.loads(res.stdout)["ok"], res.stdout[-2000:]
