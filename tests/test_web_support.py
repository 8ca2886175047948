"""Shared set-up of the web tests: a seeded archive and index, accounts of each role, an app."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from elasticsearch import Elasticsearch
from fastapi import FastAPI
from hostile import text_image, text_pdf

from pipeline.archive import Archive
from pipeline.config import Settings
from pipeline.intake import open_input
from pipeline.models import DocumentResult, FieldValue, FileResult
from search.indexer import index_records
from search.web.app import create_app
from search.web.config import WebSettings

SECRET = "test-secret-" + "x" * 40
PASSWORD = "mật-khẩu-đủ-dài-1"
ID_LAN = "001190012345"


@dataclass
class WebWorld:
    """A seeded installation: settings, app, record ids and API keys by role."""

    settings: Settings
    web: WebSettings
    app: FastAPI
    ids: dict[str, str]
    keys: dict[str, str] = field(default_factory=dict)
    files: dict[str, Path] = field(default_factory=dict)


def _fields(**values: str) -> dict[str, FieldValue]:
    return {k: FieldValue(v, 0.9) for k, v in values.items()}


def _archive_one(
    archive: Archive, path: Path, doc: DocumentResult, media_type: str
) -> dict[str, object]:
    item = open_input(path, max_bytes=10**8)
    [record] = archive.write_result(
        item, FileResult(item.given, item.sha256, item.size, media_type, 1, [doc])
    )
    return record


def seed(
    root: Path, base: Settings, es: Elasticsearch, suffix: str = "web", **web_options: object
) -> WebWorld:
    """Three papers (a card, a birth certificate needing review, a PDF decision), indexed."""
    settings = Settings(
        home=root,
        archive_dir=root / "archive",
        inbox_dir=root / "inbox",
        index_prefix=f"{base.index_prefix}-{suffix}",
        es_url=base.es_url,
    )
    src = root / "src"
    src.mkdir(parents=True)
    card_png = src / "the-can-cuoc.png"
    text_image(["CĂN CƯỚC CÔNG DÂN", "Họ và tên: Nguyễn Thị Lan", f"Số: {ID_LAN}"]).save(card_png)
    birth_png = src / "giay-khai-sinh.png"
    text_image(["GIẤY KHAI SINH", "Họ, chữ đệm, tên: Lê Minh Khoa"]).save(birth_png)
    decision_pdf = text_pdf(src / "quyet-dinh.pdf", ["QUYẾT ĐỊNH", "Số: 732/QĐ-UBND"])
    archive = Archive(settings.archive_path)
    card = _archive_one(
        archive,
        card_png,
        DocumentResult(
            "citizen_id_card",
            0.95,
            1,
            1,
            f"CĂN CƯỚC CÔNG DÂN Họ và tên: Nguyễn Thị Lan Số: {ID_LAN}",
            0.92,
            _fields(
                full_name="Nguyễn Thị Lan",
                id_number=ID_LAN,
                date_of_birth="1990-03-05",
                gender="Nữ",
                issue_date="2021-05-10",
                issuing_authority="Cục Cảnh sát quản lý hành chính về trật tự xã hội",
            ),
        ),
        "image/png",
    )
    birth = _archive_one(
        archive,
        birth_png,
        DocumentResult(
            "birth_certificate",
            0.55,
            1,
            1,
            "GIẤY KHAI SINH Họ, chữ đệm, tên: Lê Minh Khoa",
            0.48,
            _fields(full_name="Lê Minh Khoa", date_of_birth="2021-01-02", gender="Nam"),
            needs_review=True,
            warnings=["OCR confidence 0.48"],
        ),
        "image/png",
    )
    decision = _archive_one(
        archive,
        decision_pdf,
        DocumentResult(
            "administrative_decision",
            0.9,
            1,
            1,
            "QUYẾT ĐỊNH Số: 732/QĐ-UBND",
            0.99,
            _fields(
                document_number="732/QĐ-UBND",
                issue_date="2020-03-05",
                issuing_authority="Ủy ban nhân dân tỉnh Bắc Ninh",
            ),
        ),
        "application/pdf",
    )
    records = [card, birth, decision]
    index_records(es, settings, records, refresh=True)  # type: ignore[arg-type]
    archive.set_index_state(records, "indexed")  # type: ignore[arg-type]
    options: dict[str, object] = {
        "secret": SECRET,
        "secure_cookie": False,
        "max_upload_bytes": 2_000_000,
        **web_options,
    }
    web = WebSettings(**options)  # type: ignore[arg-type]
    app = create_app(settings, web)
    world = WebWorld(
        settings,
        web,
        app,
        ids={"card": str(card["id"]), "birth": str(birth["id"]), "decision": str(decision["id"])},
        files={"card": card_png, "birth": birth_png, "decision": decision_pdf},
    )
    accounts = app.state.ctx.accounts
    for role in ("officer", "archivist", "admin"):
        accounts.add(role + "1", role, PASSWORD)
        world.keys[role] = accounts.reset_key(role + "1")
    return world


def as_(world: WebWorld, role: str) -> dict[str, str]:
    """API-key headers of the seeded user with `role`."""
    return {"X-API-Key": world.keys[role]}


def audit_entries(world: WebWorld, action: str) -> list[dict[str, object]]:
    """Audit entries of one action, newest first."""
    from search.web.audit import AuditFilter

    return world.app.state.ctx.audit.read(AuditFilter(action=action))  # type: ignore[no-any-return]


@contextmanager
def running(app: FastAPI) -> Iterator[str]:
    """The app served by uvicorn on a free local port, in a thread; yields its base URL."""
    import uvicorn

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = int(s.getsockname()[1])
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.started, "uvicorn did not start"
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
