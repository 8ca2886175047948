"""search/: mapping, indexer and queries against the real Elasticsearch node."""

from __future__ import annotations

import hashlib
import http.server
import json
import logging
import os
import random
import re
import socket
import threading
import time
import uuid
from collections.abc import Iterator
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from elastic_transport import ApiResponseMeta, HttpHeaders, NodeConfig
from elasticsearch import ApiError, BadRequestError, Elasticsearch
from elasticsearch import ConnectionError as ESConnectionError

from ocr_models import vietnamese
from ocr_models.vietnamese import fold
from pipeline.config import Settings
from pipeline.errors import (
    ConfigError,
    DependencyError,
    InputError,
    ProcessingError,
    TransientError,
)
from search import folding, person
from search.client import as_dossier_error, connect, is_transient
from search.indexer import count, delete_records, index_records, to_es_doc
from search.mapping import alias_name, ensure_index, template_name
from search.queries import SearchFilters, reuse, search
from search.suggest import variant_queries

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
            "household_book",
            "SỔ HỘ KHẨU\nChủ hộ: Nguyễn Thị Lan",
            {**lan, "issue_date": "2010-01-01"},
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
            {
                "document_number": "732/QĐ-UBND",
                "subject": "Về việc cấp giấy phép xây dựng",
                "issue_date": "2023-05-02",
                "issuing_authority": "Ủy ban nhân dân tỉnh Bắc Ninh",
            },
        ),  # fmt: skip
        "land": make_record(
            "land_use_certificate",
            "GIẤY CHỨNG NHẬN QUYỀN SỬ DỤNG ĐẤT\nThửa đất số: 125 Tờ bản đồ số: 7",
            {
                "full_name": "Lê Văn Nam",
                "certificate_serial": "CS 123456",
                "land_parcel_number": "125",
                "map_sheet_number": "7",
                "land_area_m2": "123.5",
            },
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


@pytest.mark.parametrize("url", ["not a url", "localhost:9200", ""])
def test_connect_rejects_a_malformed_url(url: str) -> None:
    with pytest.raises(ConfigError, match="DOSSIER_ES_URL"):
        connect(Settings(es_url=url))


def test_connect_rejects_tls_options_on_plain_http(tmp_path: Path) -> None:
    ca = tmp_path / "ca.pem"
    ca.write_text("not really a certificate")
    with pytest.raises(ConfigError, match="https"):
        connect(Settings(es_url="http://127.0.0.1:9200", es_ca_certs=ca))
    with pytest.raises(ConfigError, match="not a file"):
        connect(Settings(es_url="https://127.0.0.1:9200", es_ca_certs=tmp_path / "missing.pem"))


@pytest.fixture
def silent_port() -> Iterator[int]:
    """A local port that accepts connections and never answers (a hung node)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as server:
        server.bind(("127.0.0.1", 0))
        server.listen(8)
        yield server.getsockname()[1]


def test_connect_to_a_silent_node_does_not_hang(silent_port: int) -> None:
    started = time.monotonic()
    with pytest.raises(DependencyError) as info:
        connect(Settings(es_url=f"http://127.0.0.1:{silent_port}", es_timeout_s=30))
    assert time.monotonic() - started < 5
    assert "not reachable" in str(info.value)


class _NotElasticsearch(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        self.send_response(404)
        self.send_header("content-length", "0")
        self.end_headers()

    def log_message(self, *args: Any) -> None:
        pass


def test_connect_to_something_else_says_so() -> None:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _NotElasticsearch)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        with pytest.raises(DependencyError, match="not Elasticsearch"):
            connect(Settings(es_url=f"http://127.0.0.1:{server.server_address[1]}"))
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.integration
def test_connect_returns_a_working_client(settings: Settings) -> None:
    client = connect(settings)
    assert client.cluster.health()["status"] in {"green", "yellow"}


@pytest.mark.integration
def test_a_node_going_away_mid_query_is_transient(settings: Settings) -> None:
    dead = Elasticsearch("http://127.0.0.1:1", max_retries=0)
    with pytest.raises(TransientError):
        search(dead, settings, "Lan")


# --- mapping and ensure_index -----------------------------------------------------------


@pytest.mark.integration
def test_ensure_index_creates_template_versioned_index_and_alias(
    es: Elasticsearch, fresh_settings: Settings
) -> None:
    prefix = fresh_settings.index_prefix
    alias = ensure_index(es, fresh_settings)
    assert alias == f"{prefix}-documents"
    template = es.indices.get_index_template(name=template_name(prefix))["index_templates"][0]
    assert template["index_template"]["index_patterns"] == [f"{prefix}-documents-*"]
    backing = es.indices.get_alias(name=alias)
    assert len(backing) == 1
    ((index, info),) = backing.items()
    assert re.fullmatch(rf"{re.escape(prefix)}-documents-v\d+-\d+", index)
    assert info["aliases"][alias]["is_write_index"] is True
    mapping = es.indices.get_mapping(index=index)[index]["mappings"]
    assert mapping["dynamic"] == "strict"
    assert mapping["properties"]["fields"]["properties"]["date_of_birth"]["type"] == "date"
    assert mapping["properties"]["fields"]["properties"]["id_number"]["type"] == "keyword"
    assert mapping["properties"]["person"]["properties"]["name_folded"]["type"] == "text"
    settings_ = es.indices.get_settings(index=index)[index]["settings"]["index"]
    assert settings_["number_of_shards"] == "1"
    assert settings_["number_of_replicas"] == "0"


@pytest.mark.integration
def test_ensure_index_is_idempotent(es: Elasticsearch, fresh_settings: Settings) -> None:
    first = ensure_index(es, fresh_settings)
    indices = set(es.indices.get_alias(name=first))
    assert ensure_index(es, fresh_settings) == first
    assert set(es.indices.get_alias(name=first)) == indices


@pytest.mark.integration
def test_ensure_index_is_race_safe(fresh_settings: Settings) -> None:
    results: list[str] = []
    errors: list[BaseException] = []
    barrier = threading.Barrier(6)

    def worker() -> None:
        client = connect(fresh_settings)
        barrier.wait()
        try:
            results.append(ensure_index(client, fresh_settings))
        except BaseException as e:  # noqa: BLE001 - collected and asserted below
            errors.append(e)

    threads = [threading.Thread(target=worker) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert set(results) == {alias_name(fresh_settings.index_prefix)}
    client = connect(fresh_settings)
    assert len(client.indices.get_alias(name=results[0])) == 1


@pytest.mark.integration
def test_ensure_index_refuses_a_concrete_index_named_like_the_alias(
    es: Elasticsearch, fresh_settings: Settings
) -> None:
    es.indices.create(index=alias_name(fresh_settings.index_prefix))
    try:
        with pytest.raises(Exception, match="not as an alias"):
            ensure_index(es, fresh_settings)
    finally:
        es.indices.delete(index=alias_name(fresh_settings.index_prefix))


@pytest.mark.integration
def test_ensure_index_writes_the_template_only_when_it_changes(
    es: Elasticsearch, fresh_settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="search.mapping"):
        ensure_index(es, fresh_settings)
        ensure_index(es, fresh_settings)
    written = [r for r in caplog.records if "index template" in r.getMessage()]
    assert len(written) == 1


@pytest.mark.integration
def test_strict_mapping_rejects_unknown_fields(es: Elasticsearch, fresh_settings: Settings) -> None:
    alias = ensure_index(es, fresh_settings)
    with pytest.raises(BadRequestError):
        es.index(index=alias, id="x", document={"id": "x", "nickname": "Lan"})
    with pytest.raises(BadRequestError):
        es.index(index=alias, id="y", document={"id": "y", "fields": {"nickname": "Lan"}})


# --- to_es_doc --------------------------------------------------------------------------


def test_to_es_doc_maps_a_realistic_id_card() -> None:
    record = id_card("Nguyễn Thị Lan", LAN_ID, "1990-03-05", "2021-04-01", place_of_origin="Hà Nội")
    doc = to_es_doc(record)
    assert doc["id"] == record["id"]
    assert doc["doc_type"] == "citizen_id_card"
    assert doc["fields"]["full_name"] == "Nguyễn Thị Lan"
    assert doc["fields"]["date_of_birth"] == "1990-03-05"
    assert doc["field_confidence"]["full_name"] == 0.9
    assert "NGUYEN THI LAN" in doc["text_folded"]
    assert "CAN CUOC CONG DAN" in doc["text_folded"]
    assert "Ha Noi" in doc["fields_folded"]
    assert doc["person"] == {
        "id_number": LAN_ID,
        "name": "Nguyễn Thị Lan",
        "name_folded": "Nguyen Thi Lan",
        "name_exact": "nguyễn thị lan",
        "name_folded_exact": "nguyen thi lan",
        "date_of_birth": "1990-03-05",
        "key": LAN_ID,
    }
    assert LAN_ID in doc["codes"]
    assert doc["invalid_fields"] == []
    assert "index_state" not in doc


def test_to_es_doc_links_a_person_without_id_by_folded_name_and_birth_date() -> None:
    record = make_record(
        "birth_certificate", "", {"full_name": "Đỗ Thị Hà", "date_of_birth": "2015-09-09"}
    )
    assert to_es_doc(record)["person"]["key"] == "do thi ha|2015-09-09"


def test_to_es_doc_writes_one_tone_style() -> None:
    a = to_es_doc(make_record("birth_certificate", "Trần Văn Hoà", {"full_name": "Trần Văn Hoà"}))
    b = to_es_doc(make_record("birth_certificate", "Trần Văn Hòa", {"full_name": "Trần Văn Hòa"}))
    assert a["fields"]["full_name"] == b["fields"]["full_name"]
    assert a["text"] == b["text"]


def test_to_es_doc_moves_values_the_mapping_would_reject_to_invalid_fields() -> None:
    fields = {
        "full_name": "Lê Văn Nam",
        "issue_date": "31/13/2030",
        "expiry_date": "2030-02-30",
        "land_area_m2": "12,5",
        "nickname": "Nam",
    }
    doc = to_es_doc(make_record("land_use_certificate", "x", fields))
    invalid = {entry["name"]: entry["value"] for entry in doc["invalid_fields"]}
    assert invalid == {
        "issue_date": "31/13/2030",
        "expiry_date": "2030-02-30",
        "land_area_m2": "12,5",
        "nickname": "Nam",
    }
    assert set(doc["fields"]) == {"full_name"}


def test_to_es_doc_normalises_identifiers_for_exact_lookup() -> None:
    fields = {"certificate_serial": "CS 123456", "document_number": "732/QĐ-UBND",
              "land_area_m2": "123.5"}  # fmt: skip
    doc = to_es_doc(make_record("land_use_certificate", "", fields))
    assert doc["fields"]["land_area_m2"] == 123.5
    assert "cs123456" in doc["codes"]
    assert "732/qd-ubnd" in doc["codes"]


def test_to_es_doc_needs_an_id() -> None:
    record = make_record()
    del record["id"]
    with pytest.raises(InputError):
        to_es_doc(record)


# --- indexing ---------------------------------------------------------------------------


@pytest.mark.integration
def test_bad_values_do_not_fail_the_bulk(es: Elasticsearch, fresh_settings: Settings) -> None:
    bad = make_record("citizen_id_card", "x", {"issue_date": "32/01/2020", "gender": "Nữ"})
    bad["ingested_at"] = "yesterday"
    bad["page_count"] = "many"
    no_id = make_record()
    no_id["id"] = None
    report = index_records(es, fresh_settings, [bad, no_id])
    assert report.indexed == 1
    assert [reason for _, reason in report.failed] == ["record has no usable `id`"]
    stored = es.get(index=alias_name(fresh_settings.index_prefix), id=bad["id"])["_source"]
    assert stored["invalid_fields"] == [{"name": "issue_date", "value": "32/01/2020"}]
    assert "ingested_at" not in stored


@pytest.mark.integration
def test_reindexing_the_same_records_changes_nothing(
    es: Elasticsearch, fresh_settings: Settings
) -> None:
    records = [id_card(f"Hoàng Văn {n}", f"0011900000{n:02d}", "1990-01-01", "2020-01-01")
               for n in range(3)]  # fmt: skip
    alias = alias_name(fresh_settings.index_prefix)
    assert index_records(es, fresh_settings, records).indexed == 3
    before = {r["id"]: es.get(index=alias, id=r["id"]) for r in records}
    again = index_records(es, fresh_settings, records)
    assert (again.indexed, again.unchanged, again.failed) == (3, 3, [])
    assert count(es, fresh_settings) == 3
    for doc_id, old in before.items():
        new = es.get(index=alias, id=doc_id)
        assert new["_source"] == old["_source"]
        assert new["_version"] == old["_version"]


@pytest.mark.integration
def test_reindexing_a_changed_record_replaces_it(
    es: Elasticsearch, fresh_settings: Settings
) -> None:
    record = id_card("Hoàng Văn Ba", "001190000099", "1990-01-01", "2020-01-01")
    index_records(es, fresh_settings, [record])
    record["fields"]["full_name"]["value"] = "Hoàng Văn Bá"
    report = index_records(es, fresh_settings, [record])
    assert (report.indexed, report.unchanged) == (1, 0)
    assert count(es, fresh_settings) == 1
    assert search(es, fresh_settings, "Hoàng Văn Bá")["hits"][0]["fields"]["full_name"] == (
        "Hoàng Văn Bá"
    )


@pytest.mark.integration
def test_a_huge_document_is_indexed_and_highlighted(
    es: Elasticsearch, fresh_settings: Settings
) -> None:
    filler = "Điều khoản chung của hợp đồng thuê đất. " * 30_000  # ~1.2 million characters
    record = make_record("other", filler + "Người nhận: Đặng Thùy Dương", {})
    assert index_records(es, fresh_settings, [record]).indexed == 1
    for query in ("Đặng Thùy Dương", "dang thuy duong", "hop dong"):
        result = search(es, fresh_settings, query)
        assert ids_of(result) == [record["id"]], query


@pytest.mark.integration
def test_delete_and_count(es: Elasticsearch, fresh_settings: Settings) -> None:
    assert count(es, fresh_settings) == 0
    assert delete_records(es, fresh_settings, ["nothing"]) == 0
    records = [make_record("birth_certificate"), make_record("birth_certificate"), make_record()]
    index_records(es, fresh_settings, records)
    assert count(es, fresh_settings) == 3
    assert count(es, fresh_settings, doc_type="birth_certificate") == 2
    assert delete_records(es, fresh_settings, [records[0]["id"], records[2]["id"], "nope"]) == 2
    assert count(es, fresh_settings) == 1


@pytest.mark.integration
def test_queries_before_the_first_index_return_nothing(
    es: Elasticsearch, fresh_settings: Settings
) -> None:
    for query in ("Lan", "", "Hoàng Văn Nam"):
        result = search(es, fresh_settings, query, facets=True)
        assert (result["total"], result["hits"], result["suggestions"]) == (0, [], [])
    assert reuse(es, fresh_settings, LAN_ID) == {
        "id_number": LAN_ID, "name": None, "date_of_birth": None, "documents": []
    }  # fmt: skip


# --- search -----------------------------------------------------------------------------

HIT_KEYS = {"id", "doc_type", "source_file", "score", "fields", "highlight"}
# `total` and `hits` are the contract; the rest was added with filters, facets and suggestions.
RESULT_KEYS = {"total", "hits", "page", "size", "sort", "filters", "facets", "suggestions"}


def with_id(corpus: dict[str, dict[str, Any]], number: str) -> set[str]:
    return {
        r["id"] for r in corpus.values() if r["fields"].get("id_number", {}).get("value") == number
    }


def named(corpus: dict[str, dict[str, Any]], name: str) -> set[str]:
    return {
        r["id"] for r in corpus.values() if r["fields"].get("full_name", {}).get("value") == name
    }


@pytest.mark.integration
def test_search_result_shape(es: Elasticsearch, settings: Settings, corpus: dict) -> None:
    result = search(es, settings, "Nguyễn Thị Lan")
    assert set(result) == RESULT_KEYS
    assert result["total"] >= 1
    for hit in result["hits"]:
        assert set(hit) == HIT_KEYS
        assert isinstance(hit["score"], float)
        assert isinstance(hit["fields"], dict)


@pytest.mark.integration
def test_search_by_id_number_is_exact(es: Elasticsearch, settings: Settings, corpus: dict) -> None:
    result = search(es, settings, LAN_ID, size=50)
    assert set(ids_of(result)) == with_id(corpus, LAN_ID)
    assert all(hit["fields"]["id_number"] == LAN_ID for hit in result["hits"])


@pytest.mark.integration
@pytest.mark.parametrize(
    ("query", "key"),
    [
        ("732/QĐ-UBND", "decision"),
        ("732/qđ-ubnd", "decision"),
        ("732/QD-UBND", "decision"),
        ("CS 123456", "land"),
        ("cs123456", "land"),
        ("0100047516", "business"),
        ("H10.22.15-240315-0042", "receipt"),
        ("01/2015", "hoa_birth"),
    ],
)
def test_search_by_identifier_finds_the_paper_first(
    es: Elasticsearch, settings: Settings, corpus: dict, query: str, key: str
) -> None:
    result = search(es, settings, query)
    assert ids_of(result)[0] == corpus[key]["id"]


@pytest.mark.integration
def test_search_by_name_without_diacritics(
    es: Elasticsearch, settings: Settings, corpus: dict
) -> None:
    result = search(es, settings, "nguyen thi lan", size=50)
    found = set(ids_of(result))
    assert named(corpus, "Nguyễn Thị Lan") <= found
    assert named(corpus, "Nguyễn Thị Lân") <= found
    assert corpus["hoa_birth"]["id"] not in found


@pytest.mark.integration
def test_search_by_name_with_diacritics_ranks_exact_accents_first(
    es: Elasticsearch, settings: Settings, corpus: dict
) -> None:
    lan, lan_accent = named(corpus, "Nguyễn Thị Lan"), named(corpus, "Nguyễn Thị Lân")
    for query, first, second in [
        ("Nguyễn Thị Lân", lan_accent, lan),
        ("Lân", lan_accent, lan),
        ("Nguyễn Thị Lan", lan, lan_accent),
    ]:
        ranked = ids_of(search(es, settings, query, size=50))
        top = ranked[: len(first)]
        assert set(top) == first, query
        assert second <= set(ranked[len(first) :]), query


@pytest.mark.integration
def test_search_accepts_either_tone_placement(
    es: Elasticsearch, settings: Settings, corpus: dict
) -> None:
    for query in ("Trần Văn Hoà", "Trần Văn Hòa", "tran van hoa"):
        assert ids_of(search(es, settings, query))[0] == corpus["hoa_birth"]["id"]


@pytest.mark.integration
def test_search_tolerates_a_typo_in_a_folded_name(
    es: Elasticsearch, settings: Settings, corpus: dict
) -> None:
    assert corpus["hoa_birth"]["id"] in ids_of(search(es, settings, "tran van hao"))


@pytest.mark.integration
def test_search_birth_date_or_year_ranks_the_person_first(
    es: Elasticsearch, settings: Settings, corpus: dict
) -> None:
    lan = named(corpus, "Nguyễn Thị Lan")
    lan_accent = named(corpus, "Nguyễn Thị Lân")
    ranked = ids_of(search(es, settings, "nguyen thi lan 20/07/1988", size=50))
    assert set(ranked[: len(lan_accent)]) == lan_accent
    ranked = ids_of(search(es, settings, "nguyen thi lan 1990", size=50))
    assert set(ranked[: len(lan)]) == lan
    assert set(ids_of(search(es, settings, "05/03/1990", size=50))) >= lan


@pytest.mark.integration
def test_search_filters_by_doc_type(es: Elasticsearch, settings: Settings, corpus: dict) -> None:
    result = search(es, settings, "Nguyễn Thị Lan", doc_type="marital_status_certificate")
    assert ids_of(result) == [corpus["lan_marital"]["id"]]
    assert result["total"] == 1
    with pytest.raises(InputError):
        search(es, settings, "Lan", doc_type="passport")


@pytest.mark.integration
def test_highlights_show_accented_text_for_folded_matches(
    es: Elasticsearch, settings: Settings, corpus: dict
) -> None:
    result = search(es, settings, "nguyen thi lan", size=50)
    hits = {hit["id"]: hit for hit in result["hits"]}
    card = hits[corpus["lan_accent_card"]["id"]]
    assert "<em>" in card["highlight"]["person.name"][0]
    assert "Lân" in card["highlight"]["person.name"][0]
    assert "NGUYỄN" in " ".join(card["highlight"]["text"])


@pytest.mark.integration
@pytest.mark.parametrize(
    "query",
    [
        "*", "~", '"', "(", ")", "\\", "/", "AND OR", "NOT", "field:value",
        "fields.full_name:Lan", "Lan~2", "Lan*", "((Lan", "Lan AND", "/[a-z]+/", "a\\",
        '"Nguyễn Thị Lan', "+Lan -Lân", "Lan^10", "{!lucene}Lan", "<script>Lan</script>",
        "\x00\x1f\u200b", "🙂 Lan", "x" * 10_000, " ".join(["Lan"] * 500),
        "a" * 300 + " Lan", "0" * 50, "9" * 12 + "/" * 40, "CS", "ĐĐĐ 123456",
    ],
)  # fmt: skip
def test_lucene_syntax_in_the_query_is_inert(
    es: Elasticsearch, settings: Settings, corpus: dict, query: str
) -> None:
    result = search(es, settings, query, facets=True, sort="newest")
    assert set(result) == RESULT_KEYS
    assert 0 <= result["total"] <= len(corpus)
    assert sum(b["count"] for b in result["facets"]["doc_type"]) == result["total"]
    for hit in result["hits"]:
        assert set(hit) == HIT_KEYS
    ranked = search(es, settings, query, filters=SearchFilters(authority=query[:256]))
    assert ranked["total"] <= result["total"] and ranked["suggestions"] == []


@pytest.mark.integration
@pytest.mark.parametrize("query", ["Lan*", "Lan~2", '"Nguyễn Thị Lan"', "(Lan)", "Lan^10"])
def test_operators_are_read_as_the_word_they_decorate(
    es: Elasticsearch, settings: Settings, corpus: dict, query: str
) -> None:
    assert set(ids_of(search(es, settings, query, size=50))) >= named(corpus, "Nguyễn Thị Lan")


@pytest.mark.integration
@pytest.mark.parametrize("query", ["", "   ", "*", "()"])
def test_empty_query_lists_newest_first(
    es: Elasticsearch, settings: Settings, corpus: dict, query: str
) -> None:
    result = search(es, settings, query, size=50)
    assert result["total"] == len(corpus)
    newest_first = sorted(corpus.values(), key=lambda r: r["ingested_at"], reverse=True)
    assert ids_of(result) == [r["id"] for r in newest_first]
    assert all(hit["score"] is None for hit in result["hits"])  # listed, not ranked


@pytest.mark.integration
def test_paging(es: Elasticsearch, settings: Settings, corpus: dict) -> None:
    first = search(es, settings, "", size=4, page=1)
    second = search(es, settings, "", size=4, page=2)
    assert first["total"] == second["total"] == len(corpus)
    assert not set(ids_of(first)) & set(ids_of(second))
    beyond = search(es, settings, "", size=100, page=500)
    assert (beyond["total"], beyond["hits"], beyond["page"]) == (len(corpus), [], 500)
    for size, page in [(0, 1), (101, 1), (10, 0)]:
        with pytest.raises(InputError):
            search(es, settings, "", size=size, page=page)


# --- reuse ------------------------------------------------------------------------------


@pytest.mark.integration
def test_reuse_lists_every_paper_of_the_person_newest_first(
    es: Elasticsearch, settings: Settings, corpus: dict
) -> None:
    result = reuse(es, settings, LAN_ID, as_of=date(2025, 6, 1))
    assert set(result) == {"id_number", "name", "date_of_birth", "documents"}
    assert result["id_number"] == LAN_ID
    assert (result["name"], result["date_of_birth"]) == ("Nguyễn Thị Lan", "1990-03-05")
    docs = result["documents"]
    assert {d["id"] for d in docs} == with_id(corpus, LAN_ID)
    for doc in docs:
        assert set(doc) == {"id", "doc_type", "source_file", "issue_date", "expiry_date",
                            "reusable", "reason", "id_number", "linked_by"}  # fmt: skip
        assert doc["linked_by"] == "id_number"
        assert isinstance(doc["reusable"], bool)
        assert doc["reason"]
    dated = [d["issue_date"] for d in docs if d["issue_date"]]
    assert dated == sorted(dated, reverse=True)
    assert docs[-1]["issue_date"] is None  # the undated application form comes last
    verdicts = {d["doc_type"]: d["reusable"] for d in docs}
    assert verdicts == {
        "marital_status_certificate": True,  # 2025-01-10 + 6 months = 2025-07-10
        "residence_confirmation": True,  # 2024-06-01 + 1 year = 2025-06-01, last day
        "citizen_id_card": True,  # born 1990-03-05, issued at 31: valid to 2030-03-05
        "household_book": False,  # void since 2023-01-01
        "application_form": False,
    }


@pytest.mark.integration
def test_reuse_pages_through_every_match(
    es: Elasticsearch, settings: Settings, corpus: dict, monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = reuse(es, settings, LAN_ID, as_of=date(2025, 6, 1))
    monkeypatch.setattr(person, "REUSE_PAGE_SIZE", 2)
    assert reuse(es, settings, LAN_ID, as_of=date(2025, 6, 1)) == expected


@pytest.mark.integration
def test_reuse_normalises_and_validates_the_id(
    es: Elasticsearch, settings: Settings, corpus: dict
) -> None:
    spaced = reuse(es, settings, "0791 9000 1234", as_of=date(2025, 6, 1))
    assert spaced["id_number"] == LAN_ID
    assert len(spaced["documents"]) == len(with_id(corpus, LAN_ID))
    assert reuse(es, settings, "001099999999")["documents"] == []
    for bad in ["", "abc", "12345", "0791900012345", "07919000123*"]:
        with pytest.raises(InputError):
            reuse(es, settings, bad)


@pytest.mark.integration
def test_reuse_defaults_to_today(es: Elasticsearch, settings: Settings, corpus: dict) -> None:
    docs = reuse(es, settings, LAN_ID)["documents"]
    household = next(d for d in docs if d["doc_type"] == "household_book")
    assert household["reusable"] is False


@pytest.mark.integration
def test_reuse_at_scale_has_full_recall(es: Elasticsearch, fresh_settings: Settings) -> None:
    number = "036090000777"
    issued = [f"20{n % 20 + 5:02d}-01-{n % 28 + 1:02d}" for n in range(1203)]
    records = [id_card("Vũ Văn Tám", number, "1990-01-01", day) for day in issued]
    records += [id_card("Vũ Văn Chín", "036090000778", "1990-01-01", "2020-01-01")]
    assert index_records(es, fresh_settings, records).indexed == len(records)
    docs = reuse(es, fresh_settings, number, as_of=date(2025, 1, 1))["documents"]
    assert len(docs) == 1203
    assert {d["id"] for d in docs} == {r["id"] for r in records[:-1]}
    dates = [d["issue_date"] for d in docs]
    assert dates == sorted(dates, reverse=True)


# --- filters, facets, sorting and suggestions -------------------------------------------

BAC_NINH = "Ủy ban nhân dân tỉnh Bắc Ninh"
HA_NOI = "Ủy ban nhân dân thành phố Hà Nội"


@pytest.fixture(scope="module")
def filter_settings(index_prefix: str) -> Settings:
    return Settings(es_url=ES_URL, index_prefix=f"{index_prefix}-flt", es_shards=1, es_replicas=0)


@pytest.fixture(scope="module")
def papers(es: Elasticsearch, filter_settings: Settings) -> dict[str, dict[str, Any]]:
    """Papers with issue dates, authorities and dossier codes, and Hoàng/Huỳnh namesakes."""
    records = {
        "nam_card": id_card("Hoàng Văn Nam", "027085001111", "1985-01-02", "2021-03-01",
                            issuing_authority="Cục Cảnh sát quản lý hành chính về trật tự xã hội"),
        "nam_residence": make_record("residence_confirmation", "Họ và tên: Hoàng Văn Nam", {
            "full_name": "Hoàng Văn Nam", "id_number": "027085001111",
            "date_of_birth": "1985-01-02", "issue_date": "2024-06-01",
            "issuing_authority": BAC_NINH}),
        "huynh_card": id_card("Huỳnh Văn Nam", "079085002222", "1985-06-30", "2019-11-20"),
        "huynh_decision": make_record("administrative_decision", "QUYẾT ĐỊNH Huỳnh Văn Nam", {
            "full_name": "Huỳnh Văn Nam", "document_number": "12/QĐ-UBND",
            "issue_date": "2023-05-02", "issuing_authority": HA_NOI}),
        "vu_birth": make_record("birth_certificate", "GIẤY KHAI SINH Vũ Thị Mai", {
            "full_name": "Vũ Thị Mai", "date_of_birth": "2015-09-09", "issue_date": "2015-09-20",
            "issuing_authority": BAC_NINH}),
        "undated": make_record("application_form", "ĐƠN ĐỀ NGHỊ Tên tôi là Hoàng Văn Nam",
                               {"full_name": "Hoàng Văn Nam"}),
    }  # fmt: skip
    records["nam_residence"]["dossier_code"] = "H10.22.15-240315-0042"
    records["undated"]["dossier_code"] = "H10.22.15-240315-0042"
    assert index_records(es, filter_settings, records.values()).failed == []
    return records


def _ids(result: dict[str, Any]) -> set[str]:
    return {hit["id"] for hit in result["hits"]}


def _of(papers: dict[str, dict[str, Any]], *keys: str) -> set[str]:
    return {papers[k]["id"] for k in keys}


@pytest.mark.integration
def test_filters_restrict_without_changing_the_query(
    es: Elasticsearch, filter_settings: Settings, papers: dict
) -> None:
    def run(query: str = "", **kw: Any) -> set[str]:
        return _ids(search(es, filter_settings, query, size=50, filters=SearchFilters(**kw)))

    assert run(issued_from=date(2021, 1, 1)) == _of(papers, "nam_card", "nam_residence",
                                                    "huynh_decision")  # fmt: skip
    assert run(issued_from=date(2019, 1, 1), issued_to=date(2021, 3, 1)) == _of(
        papers, "nam_card", "huynh_card"
    )
    assert run(born_to=date(1985, 3, 1)) == _of(papers, "nam_card", "nam_residence")
    assert run(born_from=date(2000, 1, 1)) == _of(papers, "vu_birth")
    assert run(authority=BAC_NINH) == _of(papers, "nam_residence", "vu_birth")
    assert run(authority="tỉnh Bắc Ninh") == _of(papers, "nam_residence", "vu_birth")
    assert run(authority="Uỷ ban nhân dân tỉnh Bắc Ninh") == _of(
        papers, "nam_residence", "vu_birth"
    )
    assert run(dossier_code="h10.22.15-240315-0042") == _of(papers, "nam_residence", "undated")
    assert run("hoang van nam", dossier_code="H10.22.15-240315-0042") == _of(
        papers, "nam_residence", "undated"
    )
    assert run("huynh van nam", authority=HA_NOI) == _of(papers, "huynh_decision")
    for hostile in ("*", "(a OR b)", "field:value", "\\", "x" * 300):
        if len(hostile) > 256:
            with pytest.raises(InputError):
                run(authority=hostile)
        else:
            assert run(authority=hostile) == set()
            assert run(dossier_code=hostile) == set()
    with pytest.raises(InputError, match="empty"):
        run(issued_from=date(2022, 1, 1), issued_to=date(2021, 1, 1))
    result = search(es, filter_settings, "", doc_type="citizen_id_card",
                    filters=SearchFilters(born_to=date(1985, 3, 1)))  # fmt: skip
    assert _ids(result) == _of(papers, "nam_card")
    assert result["filters"] == {"doc_type": "citizen_id_card", "born_to": "1985-03-01"}


@pytest.mark.integration
def test_facets_count_types_authorities_and_years(
    es: Elasticsearch, filter_settings: Settings, papers: dict
) -> None:
    result = search(es, filter_settings, "", facets=True)
    facets = result["facets"]
    assert set(facets) == {"doc_type", "issuing_authority", "issue_year"}
    as_dict = {name: {b["value"]: b["count"] for b in buckets} for name, buckets in facets.items()}
    assert as_dict["doc_type"] == {"citizen_id_card": 2, "residence_confirmation": 1,
                                   "administrative_decision": 1, "birth_certificate": 1,
                                   "application_form": 1}  # fmt: skip
    assert as_dict["issuing_authority"][BAC_NINH] == 2
    assert as_dict["issuing_authority"][HA_NOI] == 1
    assert as_dict["issue_year"] == {"2024": 1, "2023": 1, "2021": 1, "2019": 1, "2015": 1}
    assert [b["value"] for b in facets["issue_year"]] == ["2024", "2023", "2021", "2019", "2015"]
    narrowed = search(es, filter_settings, "hoang van nam", facets=True)["facets"]
    assert {b["value"] for b in narrowed["doc_type"]} == {
        "citizen_id_card", "residence_confirmation", "application_form"}  # fmt: skip
    assert search(es, filter_settings, "")["facets"] == {}


@pytest.mark.integration
def test_sort_newest_puts_the_latest_issue_first(
    es: Elasticsearch, filter_settings: Settings, papers: dict
) -> None:
    result = search(es, filter_settings, "nam", sort="newest", size=50)
    dates = [hit["fields"].get("issue_date") for hit in result["hits"]]
    assert dates == ["2024-06-01", "2023-05-02", "2021-03-01", "2019-11-20", None]
    assert result["sort"] == "newest"
    relevance = search(es, filter_settings, "Hoàng Văn Nam", size=50)
    assert relevance["hits"][0]["id"] in _of(papers, "nam_card", "nam_residence", "undated")
    ingested = search(es, filter_settings, "nam", sort="ingested", size=50)
    assert [h["id"] for h in ingested["hits"]][0] == papers["undated"]["id"]
    with pytest.raises(InputError):
        search(es, filter_settings, "nam", sort="random")


@pytest.mark.integration
def test_paging_with_filters(es: Elasticsearch, filter_settings: Settings, papers: dict) -> None:
    flt = SearchFilters(issued_from=date(2015, 1, 1))
    pages = [search(es, filter_settings, "", size=2, page=n, filters=flt) for n in (1, 2, 3)]
    assert [len(p["hits"]) for p in pages] == [2, 2, 1]
    assert {p["total"] for p in pages} == {5}
    assert len(set().union(*(_ids(p) for p in pages))) == 5


@pytest.mark.integration
@pytest.mark.parametrize(
    ("query", "suggested"),
    [
        ("Hoàng Văn Nam", "Huỳnh Văn Nam"),
        ("hoang van nam", "huynh van nam"),
        ("HUỲNH VĂN NAM", "HOÀNG VĂN NAM"),
        ("huynh van nam 1985", "hoang van nam 1985"),
    ],
)
def test_regional_variants_are_suggestions_not_hits(
    es: Elasticsearch, filter_settings: Settings, papers: dict, query: str, suggested: str
) -> None:
    result = search(es, filter_settings, query, size=50)
    own = "hoang" if "hoang" in fold(query).lower() else "huynh"
    names = {fold(h["fields"].get("full_name", "")).lower() for h in result["hits"]}
    assert names == {f"{own} van nam"}  # the variant is never mixed into the hits
    [suggestion] = result["suggestions"]
    assert suggestion["query"] == suggested
    assert suggestion["total"] == (2 if own == "hoang" else 3)
    assert "variant" in suggestion["reason"]
    assert search(es, filter_settings, suggested)["total"] == suggestion["total"]


@pytest.mark.integration
def test_suggestions_need_hits_and_respect_filters(
    es: Elasticsearch, filter_settings: Settings, papers: dict
) -> None:
    assert search(es, filter_settings, "Vũ Thị Mai")["suggestions"] == []  # no Võ Thị Mai
    assert search(es, filter_settings, "Nguyễn Thị Lan")["suggestions"] == []
    filtered = search(es, filter_settings, "Hoàng Văn Nam", doc_type="administrative_decision")
    assert filtered["total"] == 0
    assert [s["total"] for s in filtered["suggestions"]] == [1]
    assert search(es, filter_settings, "Hoàng Văn Nam", suggest=False)["suggestions"] == []


def test_variant_queries_keep_the_rest_of_the_query() -> None:
    assert list(variant_queries("Vũ Thị Phúc 1990")) == [
        ("Võ Thị Phúc 1990", "Võ is a regional variant of Vũ"),
        ("Vũ Thị Phước 1990", "Phước is a regional variant of Phúc"),
    ]
    assert list(variant_queries("HUỲNH THỊ HOA"))[1][0] == "HUỲNH THỊ HUÊ"
    assert list(variant_queries("")) == []
    assert len(list(variant_queries("Hoàng Vũ Phúc Bảo Cảnh"))) == 3


def test_cached_folding_matches_the_reference() -> None:
    rng = random.Random(3)
    alphabet = "aăâeêioôơuưyAĐđ\u0300\u0301\u0309\u0303\u0323 qugihnt.0-ﬁ한\u1100\u1161_1,\n"
    samples = ["Hoà Thuỷ ủy QUỲNH Nguyễn Thị Lân 1\u0301", "ǅ ﬁ Ω ᾅ", ""]
    samples += ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12)))
                for _ in range(5000)]  # fmt: skip
    for text in samples:
        assert folding.canonicalize(text) == vietnamese.canonicalize(text), ascii(text)
        assert folding.fold(text) == vietnamese.fold(text), ascii(text)


@pytest.mark.integration
def test_namesakes_born_the_same_year_both_reach_the_top(
    es: Elasticsearch, fresh_settings: Settings
) -> None:
    many = [id_card("Nguyễn Văn An", "001090000001", "1990-01-01", f"20{n + 10}-01-01")
            for n in range(6)]  # fmt: skip
    other = id_card("Nguyễn Văn An", "001090000002", "1990-07-07", "2020-01-01")
    older = [id_card("Nguyễn Văn An", f"0010800000{n:02d}", "1980-01-01", "2020-01-01")
             for n in range(25)]  # fmt: skip
    index_records(es, fresh_settings, [*many, other, *older])
    top = search(es, fresh_settings, "nguyen van an 1990", size=3)["hits"]
    assert other["id"] in {hit["id"] for hit in top}
    pages = [search(es, fresh_settings, "nguyen van an 1990", size=4, page=n)["hits"]
             for n in range(1, 10)]  # fmt: skip
    seen = [hit["id"] for page in pages for hit in page]
    assert len(seen) == len(set(seen)) == 32  # reordering never duplicates or drops a hit
    assert set(seen[:7]) == {r["id"] for r in [*many, other]}  # the birth year still ranks


@pytest.mark.integration
def test_search_command_filters_facets_and_sort(
    filter_settings: Settings, papers: dict, monkeypatch: pytest.MonkeyPatch
) -> None:
    from typer.testing import CliRunner

    from flows import cli

    monkeypatch.setattr(cli, "_settings", lambda: filter_settings)
    runner = CliRunner()
    args = ["search", "nam", "--issued-from", "2020-01-01", "--sort", "newest", "--facets"]
    out = runner.invoke(cli.app, [*args, "--json"])
    assert out.exit_code == 0, out.output
    result = json.loads(out.stdout)
    assert [h["fields"]["issue_date"] for h in result["hits"]] == [
        "2024-06-01", "2023-05-02", "2021-03-01"]  # fmt: skip
    assert result["facets"]["issue_year"][0] == {"value": "2024", "count": 1}
    table = runner.invoke(cli.app, ["search", "Hoàng Văn Nam", "--facets"])
    assert table.exit_code == 0, table.output
    assert "Gợi ý" in table.stdout and "Huỳnh Văn Nam" in table.stdout
    assert "Năm cấp" in table.stdout
    bad = runner.invoke(cli.app, ["search", "nam", "--born-from", "yesterday"])
    assert bad.exit_code != 0


GARBAGE = [None, 5, -1, 1.5, float("nan"), True, "", "x", [], [1, None, {}], {}, {"value": 5},
           "2020-13-45", "\x00", 10**30]  # fmt: skip


@pytest.mark.parametrize("key", sorted(id_card("A", "001090000001", "1990-01-01", "2020-01-01")))
def test_to_es_doc_survives_garbage_in_any_key(key: str) -> None:
    for value in GARBAGE:
        record = id_card("Nguyễn Thị Lan", LAN_ID, "1990-03-05", "2021-04-01")
        record[key] = value
        try:
            doc = to_es_doc(record)
        except InputError:
            assert key == "id"
            continue
        assert isinstance(doc["warnings"], list)
