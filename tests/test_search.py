"""search/: mapping, indexer and queries against the real Elasticsearch node."""

from __future__ import annotations

import hashlib
import os
import re
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from datetime import date, datetime, timedelta, timezone
from typing import Any

import pytest
from elastic_transport import ApiResponseMeta, HttpHeaders, NodeConfig
from elasticsearch import ApiError, BadRequestError, Elasticsearch
from elasticsearch import ConnectionError as ESConnectionError

from pipeline.config import Settings
from pipeline.errors import DependencyError, InputError, ProcessingError, TransientError
from search import queries
from search.client import as_dossier_error, connect, is_transient
from search.indexer import count, delete_records, index_records, to_es_doc
from search.mapping import alias_name, ensure_index, template_name
from search.queries import reuse, search

ES_URL = os.environ.get("DOSSIER_ES_URL", "http://127.0.0.1:9200")
VN = timezone(timedelta(hours=7))
T0 = datetime(2026, 1, 5, 9, 0, tzinfo=VN)

# --- fixtures (module-level; to be merged into the shared conftest) ----------------------


def _delete_prefix(es: Elasticsearch, prefix: str) -> None:
    """Delete `{prefix}-*` indices (aliases go with them) and index templates."""
    for index in es.indices.get(index=f"{prefix}-*", expand_wildcards="all"):
        es.options(ignore_status=404).indices.delete(index=index)
    templates = es.options(ignore_status=404).indices.get_index_template(name=f"{prefix}-*")
    for template in templates.body.get("index_templates", []) if templates else []:
        es.options(ignore_status=404).indices.delete_index_template(name=template["name"])


@pytest.fixture(scope="module")
def es() -> Iterator[Elasticsearch]:
    client = Elasticsearch(ES_URL, request_timeout=30)
    try:
        client.options(request_timeout=3).cluster.health()
    except Exception as e:  # noqa: BLE001 - any failure means "no node to test against"
        pytest.skip(f"Elasticsearch not reachable at {ES_URL}: {type(e).__name__}")
    yield client
    client.close()


@pytest.fixture(scope="module")
def index_prefix(es: Elasticsearch) -> Iterator[str]:
    prefix = f"test-{uuid.uuid4().hex[:8]}"
    yield prefix
    _delete_prefix(es, prefix)


@pytest.fixture(scope="module")
def settings(index_prefix: str) -> Settings:
    return Settings(es_url=ES_URL, index_prefix=index_prefix, es_shards=1, es_replicas=0)


@pytest.fixture
def fresh_settings(index_prefix: str) -> Settings:
    """Settings for an empty, private index (cleaned with the module prefix)."""
    sub = f"{index_prefix}-{uuid.uuid4().hex[:6]}"
    return Settings(es_url=ES_URL, index_prefix=sub, es_shards=1, es_replicas=0)


# --- a small record factory (docs/record.md shape) --------------------------------------

_serial = iter(range(1, 10_000))


def make_record(
    doc_type: str = "citizen_id_card",
    text: str = "",
    fields: dict[str, str] | None = None,
    *,
    source_file: str | None = None,
) -> dict[str, Any]:
    """A sidecar record; ingested one minute after the previous one."""
    n = next(_serial)
    sha = hashlib.sha256(f"record-{n}-{uuid.uuid4()}".encode()).hexdigest()
    return {
        "schema_version": 1,
        "id": f"{sha}-1",
        "sha256": sha,
        "doc_index": 1,
        "source_file": source_file or f"scan-{n:04d}.jpg",
        "original_path": f"originals/{sha[:2]}/{sha}.jpg",
        "media_type": "image/jpeg",
        "ingested_at": (T0 + timedelta(minutes=n)).isoformat(),
        "pipeline_version": "0.1.0",
        "doc_type": doc_type,
        "doc_type_confidence": 0.9,
        "page_start": 1,
        "page_end": 1,
        "page_count": 1,
        "text": text,
        "ocr_confidence": 0.88,
        "fields": {k: {"value": v, "confidence": 0.9} for k, v in (fields or {}).items()},
        "needs_review": False,
        "warnings": [],
        "dossier_code": None,
        "index_state": "indexed",
    }


def id_card(name: str, number: str, dob: str, issued: str, **extra: str) -> dict[str, Any]:
    """A citizen ID card record with OCR text that repeats its fields."""
    text = (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nCĂN CƯỚC CÔNG DÂN\n"
        f"Số / No.: {number}\nHọ và tên / Full name: {name.upper()}\n"
        f"Ngày sinh / Date of birth: {date.fromisoformat(dob):%d/%m/%Y}"
    )
    fields = {"full_name": name, "id_number": number, "date_of_birth": dob, "issue_date": issued}
    return make_record("citizen_id_card", text, {**fields, **extra})


LAN_ID = "079190001234"
LAN_ACCENT_ID = "001188009876"


@pytest.fixture(scope="module")
def corpus(es: Elasticsearch, settings: Settings) -> dict[str, dict[str, Any]]:
    """A small archive indexed once for the query tests."""
    lan = {"full_name": "Nguyễn Thị Lan", "id_number": LAN_ID, "date_of_birth": "1990-03-05"}
    records = {
        "lan_card": id_card("Nguyễn Thị Lan", LAN_ID, "1990-03-05", "2021-04-01"),
        "lan_accent_card": id_card("Nguyễn Thị Lân", LAN_ACCENT_ID, "1988-07-20", "2022-01-10"),
        "lan_marital": make_record(
            "marital_status_certificate",
            "GIẤY XÁC NHẬN TÌNH TRẠNG HÔN NHÂN\nHọ, chữ đệm, tên: Nguyễn Thị Lan",
            {**lan, "issue_date": "2025-01-10", "marital_status": "Chưa đăng ký kết hôn"},
        ),
        "lan_household": make_record(
            "household_book", "SỔ HỘ KHẨU\nChủ hộ: Nguyễn Thị Lan", {**lan, "issue_date": "2010-01-01"}
        ),
        "lan_residence": make_record(
            "residence_confirmation",
            "XÁC NHẬN THÔNG TIN VỀ CƯ TRÚ\nHọ và tên: Nguyễn Thị Lan",
            {**lan, "issue_date": "2024-06-01"},
        ),
        "lan_application": make_record(
            "application_form", "ĐƠN ĐỀ NGHỊ\nTên tôi là: Nguyễn Thị Lan", dict(lan)
        ),
        "hoa_birth": make_record(
            "birth_certificate",
            "GIẤY KHAI SINH\nHọ, chữ đệm, tên: Trần Văn Hòa\nNgày, tháng, năm sinh: 09/09/2015",
            {"full_name": "Trần Văn Hòa", "date_of_birth": "2015-09-09", "book_number": "01/2015"},
        ),
        "decision": make_record(
            "administrative_decision",
            "ỦY BAN NHÂN DÂN TỈNH BẮC NINH\nSố: 732/QĐ-UBND\nQUYẾT ĐỊNH\n"
            "Về việc cấp giấy phép xây dựng\nĐiều 1. Cấp phép cho ông Lê Văn Nam",
            {"document_number": "732/QĐ-UBND", "subject": "Về việc cấp giấy phép xây dựng",
             "issue_date": "2023-05-02", "issuing_authority": "Ủy ban nhân dân tỉnh Bắc Ninh"},
        ),  # fmt: skip
        "land": make_record(
            "land_use_certificate",
            "GIẤY CHỨNG NHẬN QUYỀN SỬ DỤNG ĐẤT\nThửa đất số: 125 Tờ bản đồ số: 7",
            {"full_name": "Lê Văn Nam", "certificate_serial": "CS 123456",
             "land_parcel_number": "125", "map_sheet_number": "7", "land_area_m2": "123.5"},
        ),  # fmt: skip
        "business": make_record(
            "business_registration",
            "GIẤY CHỨNG NHẬN ĐĂNG KÝ DOANH NGHIỆP\nMã số doanh nghiệp: 0100047516",
            {"business_code": "0100047516", "business_name": "Công ty TNHH Sao Mai"},
        ),
        "receipt": make_record(
            "dossier_receipt",
            "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ\nMã hồ sơ: H10.22.15-240315-0042",
            {"dossier_code": "H10.22.15-240315-0042", "full_name": "Phạm Minh Đức"},
        ),
    }
    report = index_records(es, settings, records.values())
    assert report.failed == []
    assert report.indexed == len(records)
    return records


def ids_of(result: dict[str, Any]) -> list[str]:
    return [hit["id"] for hit in result["hits"]]


# --- client and error mapping (no node needed) ------------------------------------------


def _api_error(status: int) -> ApiError:
    meta = ApiResponseMeta(status, "1.1", HttpHeaders(), 0.0, NodeConfig("http", "localhost", 9200))
    return ApiError("boom", meta=meta, body={})


@pytest.mark.parametrize("status", [429, 500, 502, 503, 504])
def test_throttling_and_server_errors_are_transient(status: int) -> None:
    assert is_transient(_api_error(status))
    assert isinstance(as_dossier_error(_api_error(status), "testing"), TransientError)


@pytest.mark.parametrize("status", [400, 404, 409])
def test_client_errors_are_not_transient(status: int) -> None:
    assert not is_transient(_api_error(status))
    assert isinstance(as_dossier_error(_api_error(status), "testing"), ProcessingError)


def test_connection_errors_are_transient() -> None:
    assert is_transient(ESConnectionError("refused"))
    assert not is_transient(ValueError("not an ES error"))


def test_connect_to_a_closed_port_fails_fast_with_a_hint() -> None:
    started = time.monotonic()
    with pytest.raises(DependencyError) as info:
        connect(Settings(es_url="http://127.0.0.1:1", es_timeout_s=30))
    assert time.monotonic() - started < 5
    assert "not reachable" in str(info.value)
    assert "dossier services up" in str(info.value)


def test_connect_to_a_blackholed_address_does_not_hang() -> None:
    started = time.monotonic()
    with pytest.raises(DependencyError):
        connect(Settings(es_url="http://10.255.255.1:9200", es_timeout_s=30))
    assert time.monotonic() - started < 6


@pytest.mark.integration
def test_connect_returns_a_working_client(settings: Settings) -> None:
    client = connect(settings)
    assert client.cluster.health()["status"] in {"green", "yellow"}


@pytest.mark.integration
def test_a_node_going_away_mid_query_is_transient(settings: Settings) -> None:
    dead = Elasticsearch("http://127.0.0.1:1", max_retries=0)
    with pytest.raises(TransientError):
        search(dead, settings, "Lan")
