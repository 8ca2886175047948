"""Server-rendered pages: what each role sees, the correction form, stats and audit pages."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date

import pytest
from elasticsearch import Elasticsearch
from fastapi.testclient import TestClient
from test_web_support import PASSWORD, WebWorld, audit_entries, seed

from pipeline.config import Settings
from search.web.labels import dmy, dmy_time, parse_day, reuse_reason_vi

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def world(
    tmp_path_factory: pytest.TempPathFactory, settings: Settings, es_node: Elasticsearch
) -> WebWorld:
    return seed(tmp_path_factory.mktemp("web-pages"), settings, es_node, suffix="webpages")


def signed_in(world: WebWorld, username: str) -> TestClient:
    client = TestClient(world.app)
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/login").text)
    assert token is not None
    response = client.post(
        "/login",
        data={"username": username, "password": PASSWORD, "csrf_token": token[1]},
        follow_redirects=False,
    )
    assert response.status_code == 303
    return client


@pytest.fixture(scope="module")
def officer(world: WebWorld) -> Iterator[TestClient]:
    with signed_in(world, "officer1") as c:
        yield c


@pytest.fixture(scope="module")
def archivist(world: WebWorld) -> Iterator[TestClient]:
    with signed_in(world, "archivist1") as c:
        yield c


def csrf_of(page: str) -> str:
    match = re.search(r'name="csrf-token" content="([^"]+)"', page)
    assert match is not None
    return match[1]


def test_officer_sees_a_read_only_record(world: WebWorld, officer: TestClient) -> None:
    page = officer.get(f"/records/{world.ids['card']}")
    assert page.status_code == 200
    assert "Nguyễn Thị Lan" in page.text and "05/03/1990" in page.text
    assert 'id="correct-form"' not in page.text and "Duyệt &amp; tải lên" not in page.text
    assert f"/api/v1/records/{world.ids['card']}/pages/1" in page.text
    assert audit_entries(world, "view")[0]["records"] == [world.ids["card"]]


def test_archivist_corrects_through_the_form(world: WebWorld, archivist: TestClient) -> None:
    url = f"/records/{world.ids['decision']}"
    page = archivist.get(url)
    assert 'id="correct-form"' in page.text
    form = {
        "csrf_token": csrf_of(page.text),
        "doc_type": "administrative_decision",
        "field.document_number": "733/QĐ-UBND",
        "field.issue_date": "05/03/2020",
        "field.issuing_authority": "Ủy ban nhân dân tỉnh Bắc Ninh",
        "field.signer_name": "Trần Văn Bình",
    }
    response = archivist.post(f"{url}/correct", data=form, follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"].endswith("?saved=1")
    record = archivist.get(f"/api/v1/records/{world.ids['decision']}").json()
    assert record["fields"]["document_number"]["value"] == "733/QĐ-UBND"
    assert record["fields"]["signer_name"]["value"] == "Trần Văn Bình"
    whats = {c["what"] for c in record["corrections"]}
    assert whats == {"fields.document_number", "fields.signer_name"}  # the date was unchanged
    entry = audit_entries(world, "correct")[0]
    assert entry["username"] == "archivist1"
    assert entry["detail"]["fields"] == ["document_number", "signer_name"]  # type: ignore[index]
    assert "Đã lưu chỉnh sửa" in archivist.get(response.headers["location"]).text


def test_form_posts_without_the_csrf_token_are_refused(
    world: WebWorld, archivist: TestClient
) -> None:
    url = f"/records/{world.ids['card']}/correct"
    response = archivist.post(url, data={"field.full_name": "X"}, headers={"accept": "text/html"})
    assert response.status_code == 403 and "CSRF" in response.text


def test_officer_is_refused_archivist_and_admin_pages(officer: TestClient) -> None:
    for path in ("/review", "/audit"):
        response = officer.get(path, headers={"accept": "text/html"})
        assert response.status_code == 403 and "Không có quyền truy cập" in response.text


def test_review_page_lists_the_queue(world: WebWorld, archivist: TestClient) -> None:
    page = archivist.get("/review")
    assert page.status_code == 200 and world.ids["birth"] in page.text
    assert 'id="upload-form"' in page.text


def test_stats_page_with_a_vietnamese_date_range(officer: TestClient) -> None:
    today = date.today()
    page = officer.get("/stats", params={"from": "01/01/2000", "to": dmy(today.isoformat())})
    assert page.status_code == 200 and "<svg" in page.text
    assert "from=2000-01-01" in page.text  # the CSV link carries the same range
    bad = officer.get("/stats", params={"from": "31/02/2024"})
    assert "Ngày không hợp lệ" in bad.text


def test_admin_audit_page_filters(world: WebWorld) -> None:
    with signed_in(world, "admin1") as admin:
        page = admin.get("/audit", params={"action": "login", "username": "officer1"})
    assert page.status_code == 200 and "officer1" in page.text and "Đăng nhập" in page.text


def test_missing_record_page_is_a_404_page(officer: TestClient) -> None:
    response = officer.get("/records/" + "0" * 64 + "-1", headers={"accept": "text/html"})
    assert response.status_code == 404 and "Không tìm thấy" in response.text


def test_logout_ends_the_session(world: WebWorld) -> None:
    world.app.state.ctx.accounts.add("leaving", "officer", PASSWORD)
    client = signed_in(world, "leaving")
    page = client.get("/")
    stolen = client.cookies["dossier_session"]
    response = client.post(
        "/logout", data={"csrf_token": csrf_of(page.text)}, follow_redirects=False
    )
    assert response.status_code == 303
    assert client.get("/api/v1/stats").status_code == 401
    replay = TestClient(world.app, cookies={"dossier_session": stolen})
    assert replay.get("/api/v1/stats").status_code == 401  # the old cookie is void
    assert audit_entries(world, "logout")[0]["username"] == "leaving"


def test_vietnamese_dates_and_reasons() -> None:
    assert dmy("2021-05-10") == "10/05/2021" and dmy_time("2026-11-25T15:00:00+07:00") == (
        "25/11/2026 15:00"
    )
    assert parse_day("5/3/1990") == date(1990, 3, 5) and parse_day("1990-03-05") == date(1990, 3, 5)
    assert parse_day("") is None
    with pytest.raises(ValueError):
        parse_day("31/02/2024")
    assert reuse_reason_vi("valid until 2030-03-05 (card renewal at age 40)") == (
        "còn hiệu lực đến 05/03/2030 (đổi thẻ khi đủ 40 tuổi)"
    )
    assert reuse_reason_vi("household books are void since 2023-01-01") == (
        "sổ hộ khẩu hết giá trị từ 01/01/2023"
    )


def test_admin_manages_accounts_on_the_users_page(world: WebWorld) -> None:
    with signed_in(world, "admin1") as admin:
        page = admin.get("/users")
        assert page.status_code == 200 and "archivist1" in page.text
        csrf = csrf_of(page.text)
        form = {"csrf_token": csrf, "username": "thu.ha", "role": "archivist",
                "password": "mật-khẩu-mới-123"}  # fmt: skip
        created = admin.post("/users", data=form)
        key = re.search(r'<code id="new-key">([^<]+)</code>', created.text)
        assert created.status_code == 200 and key is not None
        assert admin.get("/api/v1/review", headers={"X-API-Key": key[1]}).status_code == 200
        duplicate = admin.post("/users", data=form)
        assert duplicate.status_code == 400 and "already exists" in duplicate.text
        disabled = admin.post("/users/thu.ha/disable", data={"csrf_token": csrf})
        assert "Đã khóa" in disabled.text
        assert admin.get("/api/v1/review", headers={"X-API-Key": key[1]}).status_code == 401
        assert admin.post("/users/thu.ha/enable", data={}).status_code == 403  # no CSRF token
    ops = [e["detail"]["op"] for e in audit_entries(world, "user")]  # type: ignore[index]
    assert ops[:2] == ["disable", "add"]


def test_officer_cannot_open_the_users_page(officer: TestClient) -> None:
    assert officer.get("/users", headers={"accept": "text/html"}).status_code == 403
