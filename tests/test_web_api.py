"""REST API: every endpoint, every role, the audit entries each action writes, bad inputs."""

from __future__ import annotations

import io
from collections.abc import Iterator

import pytest
from elasticsearch import Elasticsearch
from fastapi.testclient import TestClient
from PIL import Image
from test_web_support import ID_LAN, WebWorld, as_, audit_entries, seed

from pipeline.config import Settings

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def world(
    tmp_path_factory: pytest.TempPathFactory, settings: Settings, es_node: Elasticsearch
) -> WebWorld:
    return seed(tmp_path_factory.mktemp("web-api"), settings, es_node, suffix="webapi")


@pytest.fixture(scope="module")
def client(world: WebWorld) -> Iterator[TestClient]:
    with TestClient(world.app) as c:
        yield c


PROTECTED = [
    ("get", "/api/v1/search?q=lan"),
    ("get", "/api/v1/records/{card}"),
    ("get", "/api/v1/records/{card}/original"),
    ("get", "/api/v1/records/{card}/pages/1"),
    ("get", "/api/v1/records/{card}/searchable.pdf"),
    ("get", f"/api/v1/reuse/{ID_LAN}"),
    ("get", "/api/v1/dossiers/H10.22.15-240315-0042"),
    ("get", "/api/v1/stats"),
    ("get", "/api/v1/stats.csv"),
    ("get", "/api/v1/review"),
    ("post", "/api/v1/review/{birth}/approve"),
    ("post", "/api/v1/review/{birth}/correct"),
    ("post", "/api/v1/ingest"),
    ("get", "/api/v1/users"),
    ("post", "/api/v1/users/officer1/reset-key"),
    ("get", "/api/v1/audit"),
    ("post", "/api/v1/admin/reindex"),
]
ARCHIVIST_ONLY = [p for p in PROTECTED if "review" in p[1] or "ingest" in p[1]]
ADMIN_ONLY = [p for p in PROTECTED if "users" in p[1] or "audit" in p[1] or "admin" in p[1]]


def _url(world: WebWorld, template: str) -> str:
    return template.format(**world.ids)


def test_health_needs_no_login(client: TestClient) -> None:
    body = client.get("/api/v1/health").json()
    assert body == {"status": "ok", "elasticsearch": "up", "archive": True}


def test_openapi_documents_the_api(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    assert "/api/v1/search" in paths and "/api/v1/ingest" in paths
    assert client.get("/docs").status_code == 200


@pytest.mark.parametrize(("method", "path"), PROTECTED)
def test_no_credentials_is_401_with_error_body(
    world: WebWorld, client: TestClient, method: str, path: str
) -> None:
    response = client.request(method.upper(), _url(world, path))
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthorized"


def test_a_wrong_api_key_is_401(world: WebWorld, client: TestClient) -> None:
    bad = world.keys["admin"][:-4] + "AAAA"
    assert client.get("/api/v1/search", headers={"X-API-Key": bad}).status_code == 401
    assert client.get("/api/v1/search", headers={"X-API-Key": "nonsense"}).status_code == 401


@pytest.mark.parametrize(("method", "path"), ARCHIVIST_ONLY + ADMIN_ONLY)
def test_officer_cannot_review_upload_or_administer(
    world: WebWorld, client: TestClient, method: str, path: str
) -> None:
    response = client.request(method.upper(), _url(world, path), headers=as_(world, "officer"))
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "forbidden"


@pytest.mark.parametrize(("method", "path"), ADMIN_ONLY)
def test_archivist_cannot_administer(
    world: WebWorld, client: TestClient, method: str, path: str
) -> None:
    response = client.request(method.upper(), _url(world, path), headers=as_(world, "archivist"))
    assert response.status_code == 403


def test_search_without_diacritics_finds_the_person_and_is_audited(
    world: WebWorld, client: TestClient
) -> None:
    response = client.get(
        "/api/v1/search", params={"q": "nguyen thi lan"}, headers=as_(world, "officer")
    )
    body = response.json()
    assert response.status_code == 200
    assert body["hits"][0]["id"] == world.ids["card"]
    assert "<em>" in body["hits"][0]["highlight"]["person.name"][0]
    assert {"doc_type", "issuing_authority", "issue_year"} <= set(body["facets"])
    assert body["pages"] >= 1
    entry = audit_entries(world, "search")[0]
    assert entry["username"] == "officer1" and entry["query"] == "nguyen thi lan"
    assert entry["records"][0] == world.ids["card"]  # type: ignore[index]
    assert entry["ip"] == "testclient"


def test_search_filters_and_pagination(world: WebWorld, client: TestClient) -> None:
    headers = as_(world, "officer")
    body = client.get(
        "/api/v1/search", params={"q": "", "doc_type": "administrative_decision"}, headers=headers
    ).json()
    assert [h["id"] for h in body["hits"]] == [world.ids["decision"]]
    body = client.get(
        "/api/v1/search", params={"issued_from": "2021-01-01", "size": 1}, headers=headers
    ).json()
    assert body["total"] == 1 and body["hits"][0]["id"] == world.ids["card"]
    response = client.get("/api/v1/search", params={"size": 1000}, headers=headers)
    assert response.status_code == 422 and response.json()["error"]["code"] == "invalid"
    response = client.get("/api/v1/search", params={"doc_type": "nope"}, headers=headers)
    assert response.status_code == 400 and "doc_type" in response.json()["error"]["message"]


@pytest.mark.parametrize(
    "query", ['lan" OR id_number:*', "full_name:(*) AND ~", ")))(((", "*:*", "Lan~2 /x/ [a TO z]"]
)
def test_lucene_syntax_is_plain_text(world: WebWorld, client: TestClient, query: str) -> None:
    response = client.get("/api/v1/search", params={"q": query}, headers=as_(world, "officer"))
    assert response.status_code == 200, response.text
    assert response.json()["total"] <= 3


def test_record_detail_with_etag_and_audit(world: WebWorld, client: TestClient) -> None:
    headers = as_(world, "officer")
    url = f"/api/v1/records/{world.ids['card']}"
    response = client.get(url, headers=headers)
    assert response.status_code == 200
    body = response.json()
    assert body["fields"]["id_number"]["value"] == ID_LAN
    assert body["files"]["original"].endswith("/original")
    assert body["files"]["pages"] == [f"{url}/pages/1"]
    etag = response.headers["etag"]
    again = client.get(url, headers={**headers, "If-None-Match": etag})
    assert again.status_code == 304
    assert audit_entries(world, "view")[0]["records"] == [world.ids["card"]]


@pytest.mark.parametrize("bad", ["nope", "..%2F..%2Fetc%2Fpasswd", "0" * 64 + "-9"])
def test_unknown_record_is_404(world: WebWorld, client: TestClient, bad: str) -> None:
    response = client.get(f"/api/v1/records/{bad}", headers=as_(world, "officer"))
    assert response.status_code == 404
    assert response.json()["error"]["status"] == 404


def test_download_original_and_pages(world: WebWorld, client: TestClient) -> None:
    headers = as_(world, "officer")
    rid = world.ids["decision"]
    response = client.get(f"/api/v1/records/{rid}/original", headers=headers)
    assert response.status_code == 200
    assert response.content == world.files["decision"].read_bytes()
    assert response.headers["content-type"] == "application/pdf"
    assert 'attachment; filename="quyet-dinh.pdf"' in response.headers["content-disposition"]
    entry = audit_entries(world, "download")[0]
    assert entry["records"] == [rid] and entry["username"] == "officer1"
    page = client.get(f"/api/v1/records/{rid}/pages/1", headers=headers)
    assert page.headers["content-type"] == "image/jpeg"
    assert Image.open(io.BytesIO(page.content)).width > 100
    assert client.get(f"/api/v1/records/{rid}/pages/2", headers=headers).status_code == 404
    card = client.get(f"/api/v1/records/{world.ids['card']}/pages/1", headers=headers)
    assert card.status_code == 200 and card.headers["etag"]


def test_searchable_pdf_is_served_once_it_exists(world: WebWorld, client: TestClient) -> None:
    headers = as_(world, "officer")
    rid = world.ids["card"]
    assert client.get(f"/api/v1/records/{rid}/searchable.pdf", headers=headers).status_code == 404
    sha = rid.rsplit("-", 1)[0]
    folder = world.settings.archive_path / "records" / sha[:2] / sha
    (folder / "searchable.pdf").write_bytes(world.files["decision"].read_bytes())
    try:
        response = client.get(f"/api/v1/records/{rid}/searchable.pdf", headers=headers)
        assert response.status_code == 200 and response.content.startswith(b"%PDF")
        assert (
            client.get(f"/api/v1/records/{rid}", headers=headers)
            .json()["files"]["searchable_pdf"]
            .endswith("/searchable.pdf")
        )
    finally:
        (folder / "searchable.pdf").unlink()


def test_reuse_lookup_is_audited_with_its_outcome(world: WebWorld, client: TestClient) -> None:
    response = client.get(
        f"/api/v1/reuse/{ID_LAN}", params={"as_of": "2024-01-01"}, headers=as_(world, "officer")
    )
    body = response.json()
    assert [d["id"] for d in body["documents"]] == [world.ids["card"]]
    assert body["documents"][0]["reusable"] is True
    entry = audit_entries(world, "reuse")[0]
    assert entry["query"] == ID_LAN and entry["detail"] == {"found": 1, "reusable": 1}
    bad = client.get("/api/v1/reuse/12ab", headers=as_(world, "officer"))
    assert bad.status_code == 400 and bad.json()["error"]["message"]


def test_review_queue_correct_and_approve(world: WebWorld, client: TestClient) -> None:
    headers = as_(world, "archivist")
    queue = client.get("/api/v1/review", headers=headers).json()
    assert world.ids["birth"] in [i["id"] for i in queue["items"]]
    rid = world.ids["birth"]
    response = client.post(
        f"/api/v1/review/{rid}/correct",
        headers=headers,
        json={
            "fields": {
                "full_name": "Lê Minh Khoa Anh",
                "date_of_birth": "03/01/2021",
                "gender": None,
            }
        },
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["fields"]["date_of_birth"]["value"] == "2021-01-03"
    assert "gender" not in body["fields"] and body["index_state"] == "indexed"
    entry = audit_entries(world, "correct")[0]
    assert entry["username"] == "archivist1" and entry["records"] == [rid]
    whats = {c["what"] for c in entry["detail"]["changes"]}  # type: ignore[index]
    assert whats == {"fields.full_name", "fields.date_of_birth", "fields.gender"}
    found = client.get(
        "/api/v1/search", params={"q": "khoa anh"}, headers=as_(world, "officer")
    ).json()
    assert found["hits"][0]["id"] == rid
    assert rid not in [
        i["id"] for i in client.get("/api/v1/review", headers=headers).json()["items"]
    ]
    approved = client.post(f"/api/v1/review/{rid}/approve", headers=headers)
    assert approved.status_code == 200 and approved.json()["review"]["by"] == "archivist1"
    assert audit_entries(world, "approve")[0]["records"] == [rid]


def test_bad_corrections_are_400(world: WebWorld, client: TestClient) -> None:
    headers = as_(world, "archivist")
    rid = world.ids["card"]
    bad_field = client.post(
        f"/api/v1/review/{rid}/correct", headers=headers, json={"fields": {"shoe_size": "42"}}
    )
    assert bad_field.status_code == 400 and "shoe_size" in bad_field.json()["error"]["message"]
    bad_date = client.post(
        f"/api/v1/review/{rid}/correct",
        headers=headers,
        json={"fields": {"issue_date": "not a date"}},
    )
    assert bad_date.status_code == 400
    missing = client.post("/api/v1/review/nope-1/correct", headers=headers, json={})
    assert missing.status_code == 404


def test_admin_manages_users_and_keys(world: WebWorld, client: TestClient) -> None:
    headers = as_(world, "admin")
    created = client.post(
        "/api/v1/users", headers=headers, json={"username": "clerk2", "role": "officer"}
    )
    assert created.status_code == 201
    key = created.json()["api_key"]
    assert client.get("/api/v1/stats", headers={"X-API-Key": key}).status_code == 200
    users = {u["username"]: u for u in client.get("/api/v1/users", headers=headers).json()["users"]}
    assert users["clerk2"]["role"] == "officer" and "api_key_hash" not in users["clerk2"]
    rotated = client.post("/api/v1/users/clerk2/reset-key", headers=headers).json()["api_key"]
    assert client.get("/api/v1/stats", headers={"X-API-Key": key}).status_code == 401
    client.post("/api/v1/users/clerk2/disable", headers=headers)
    assert client.get("/api/v1/stats", headers={"X-API-Key": rotated}).status_code == 401
    ops = [e["detail"]["op"] for e in audit_entries(world, "user")]  # type: ignore[index]
    assert ops[:3] == ["disable", "reset-key", "add"]


def test_admin_reads_the_audit_log_with_filters(world: WebWorld, client: TestClient) -> None:
    client.get("/api/v1/search", params={"q": "quyết định"}, headers=as_(world, "officer"))
    body = client.get(
        "/api/v1/audit",
        params={"action": "search", "username": "officer1"},
        headers=as_(world, "admin"),
    ).json()
    assert body["total"] >= 1
    assert all(e["action"] == "search" and e["username"] == "officer1" for e in body["entries"])
    body = client.get(
        "/api/v1/audit", params={"contains": "quyết định"}, headers=as_(world, "admin")
    ).json()
    assert body["entries"][0]["query"] == "quyết định"


def test_admin_can_reindex_from_the_archive(world: WebWorld, client: TestClient) -> None:
    response = client.post("/api/v1/admin/reindex", headers=as_(world, "admin"))
    assert response.status_code == 200, response.text
    assert response.json()["indexed"] >= 3
    assert audit_entries(world, "reindex")[0]["username"] == "admin1"


def test_stats_json_csv_and_cli_agree(
    world: WebWorld, client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    import json

    import typer
    from typer.testing import CliRunner

    import flows.cmd_web as cmd_web

    headers = as_(world, "officer")
    stats = client.get("/api/v1/stats", headers=headers).json()
    assert stats["papers"] >= 3 and stats["reuse"]["lookups"] >= 1
    assert sum(b["count"] for b in stats["ocr_confidence"]) == stats["papers"]
    assert {r["doc_type"] for r in stats["by_type"]} >= {"citizen_id_card", "birth_certificate"}
    csv_text = client.get("/api/v1/stats.csv", headers=headers).text
    assert (
        csv_text.startswith("section,key,value") and f"total,papers,{stats['papers']}" in csv_text
    )
    empty = client.get(
        "/api/v1/stats", params={"from": "2000-01-01", "to": "2000-01-02"}, headers=headers
    ).json()
    assert empty["papers"] == 0
    bad = client.get(
        "/api/v1/stats", params={"from": "2020-02-02", "to": "2020-01-01"}, headers=headers
    )
    assert bad.status_code == 400
    monkeypatch.setattr(cmd_web, "_settings", lambda: world.settings)
    app = typer.Typer()
    cmd_web.register(app)
    result = CliRunner().invoke(app, ["stats", "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == stats


def test_cookie_session_writes_need_the_csrf_token(world: WebWorld) -> None:
    from test_web_support import PASSWORD

    with TestClient(world.app) as browser:
        page = browser.get("/login")
        token = page.text.split('name="csrf_token" value="')[1].split('"')[0]
        login = browser.post(
            "/login",
            data={"username": "archivist1", "password": PASSWORD, "csrf_token": token},
            follow_redirects=False,
        )
        assert login.status_code == 303
        url = f"/api/v1/review/{world.ids['decision']}/approve"
        assert browser.post(url).status_code == 403
        assert browser.post(url, headers={"X-CSRF-Token": "wrong"}).status_code == 403
        csrf = browser.get("/").text.split('name="csrf-token" content="')[1].split('"')[0]
        assert browser.post(url, headers={"X-CSRF-Token": csrf}).status_code == 200
