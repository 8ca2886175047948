"""One big batch on a local Dask cluster (prefect-dask): same outcomes, no duplicates."""

from __future__ import annotations

from pathlib import Path

import pytest
from hostile import text_image, truncated_jpeg

from pipeline.archive import Archive
from pipeline.config import Settings
from search.indexer import count

pytestmark = pytest.mark.integration
pytest.importorskip("prefect_dask")


def _cards(folder: Path) -> Path:
    folder.mkdir()
    for i, name in enumerate(["Lê Văn An", "Phạm Thị Bình", "Đỗ Minh Châu"]):
        lines = [
            "CĂN CƯỚC CÔNG DÂN",
            f"Số / No.: 00119001234{i}",
            f"Họ và tên / Full name: {name.upper()}",
            "Ngày sinh / Date of birth: 05/03/1990",
        ]
        text_image(lines, (1700, 600)).save(folder / f"card-{i}.png", dpi=(150, 150))
    truncated_jpeg(folder / "broken.jpg")
    return folder


def test_big_batch_on_dask_processes_every_file_once(
    tmp_path: Path, settings: Settings, es_node, prefect_harness
) -> None:
    from flows.ingest import ingest_batch_on_dask

    own = Settings(
        home=tmp_path / "home", archive_dir=tmp_path / "archive", es_url=settings.es_url,
        index_prefix=f"{settings.index_prefix}-dask",
    )  # fmt: skip
    folder = _cards(tmp_path / "scans")
    first = ingest_batch_on_dask([str(folder)], None, own, workers=2)
    statuses = sorted((Path(o.file).name, o.status) for o in first.outcomes)
    assert statuses == [
        ("broken.jpg", "quarantined"),
        ("card-0.png", "processed"),
        ("card-1.png", "processed"),
        ("card-2.png", "processed"),
    ]
    records = list(Archive(own.archive_path).iter_records())
    assert len(records) == 3 and first.indexed == 3
    assert count(es_node, own) == 3
    again = ingest_batch_on_dask([str(folder)], None, own, workers=2)
    assert sorted(o.status for o in again.outcomes) == ["duplicate"] * 3 + ["quarantined"]
    assert len(list(Archive(own.archive_path).iter_records())) == 3
    assert count(es_node, own) == 3
