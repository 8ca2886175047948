"""Upload through the API: checked by content, size-limited, names sanitised, indexed."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from elasticsearch import Elasticsearch
from fastapi.testclient import TestClient
from test_web_support import WebWorld, as_, audit_entries, seed

from pipeline.config import Settings

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def world(
    tmp_path_factory: pytest.TempPathFactory, settings: Settings, es_node: Elasticsearch
) -> WebWorld:
    return seed(tmp_path_factory.mktemp("web-upload"), settings, es_node, suffix="webupload")


@pytest.fixture(scope="module")
def client(world: WebWorld) -> Iterator[TestClient]:
    with TestClient(world.app) as c:
        yield c


def _png_bytes() -> bytes:
    from hostile import text_image

    buf = io.BytesIO()
    text_image(["GIẤY KHAI SINH", "Họ, chữ đệm, tên: Trần Văn Bình"], (900, 300)).save(buf, "PNG")
    return buf.getvalue()


def test_upload_sanitises_a_path_traversal_name(world: WebWorld, client: TestClient) -> None:
    files = {"file": ("../../../etc/evil scan.png", _png_bytes(), "image/png")}
    response = client.post("/api/v1/ingest", headers=as_(world, "archivist"), files=files)
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["file"] == "evil scan.png" and body["status"] == "processed"
    assert body["index_state"] == "indexed" and body["documents"]
    record = client.get(
        f"/api/v1/records/{body['documents'][0]['id']}", headers=as_(world, "officer")
    ).json()
    assert record["source_file"] == "evil scan.png"
    assert not (world.settings.home_path.parent / "etc").exists()
    entry = audit_entries(world, "upload")[0]
    assert entry["detail"]["status"] == "processed"  # type: ignore[index]
    again = client.post("/api/v1/ingest", headers=as_(world, "archivist"), files=files)
    assert again.status_code == 200 and again.json()["status"] == "duplicate"


def test_upload_is_checked_by_content_not_extension(world: WebWorld, client: TestClient) -> None:
    files = {"file": ("scan.pdf", b"#!/bin/sh\nrm -rf /\n" * 10, "application/pdf")}
    response = client.post("/api/v1/ingest", headers=as_(world, "archivist"), files=files)
    assert response.status_code == 415
    assert response.json()["error"]["code"] == "unsupported"
    assert audit_entries(world, "upload")[0]["outcome"] == "unsupported"


def test_oversize_upload_is_413(world: WebWorld, client: TestClient) -> None:
    big = b"\x89PNG\r\n\x1a\n" + b"\0" * (world.web.max_upload_bytes + 10)
    files = {"file": ("big.png", big, "image/png")}
    response = client.post("/api/v1/ingest", headers=as_(world, "archivist"), files=files)
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "too-large"


def test_streamed_oversize_upload_is_cut_off(world: WebWorld, client: TestClient) -> None:
    def chunks() -> Iterator[bytes]:
        yield b"--b\r\nContent-Disposition: form-data; name=file; filename=x.png\r\n\r\n"
        for _ in range(world.web.max_upload_bytes // 65536 + 4):
            yield b"\0" * 65536

    headers = {**as_(world, "archivist"), "content-type": "multipart/form-data; boundary=b"}
    response = client.post("/api/v1/ingest", headers=headers, content=chunks())
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "too-large"


def test_oversize_json_body_is_413(world: WebWorld, client: TestClient) -> None:
    body = {"fields": {"subject": "x" * 2_000_000}}
    url = f"/api/v1/review/{world.ids['card']}/correct"
    response = client.post(url, headers=as_(world, "archivist"), json=body)
    assert response.status_code == 413


def test_corrupt_upload_is_quarantined_not_indexed(world: WebWorld, client: TestClient) -> None:
    files = {"file": ("broken.png", b"\x89PNG\r\n\x1a\n" + b"garbage" * 50, "image/png")}
    response = client.post("/api/v1/ingest", headers=as_(world, "archivist"), files=files)
    assert response.status_code == 422
    assert (world.settings.archive_path / "quarantine").is_dir()


def test_uploads_leave_no_temporary_files(world: WebWorld) -> None:
    uploads = Path(world.settings.home_path) / "web" / "uploads"
    assert not any(uploads.iterdir())
