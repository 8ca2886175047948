"""Accounts, sessions and the audit log: hashing, lockout, cookies, CSRF, secrets, masking."""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from pipeline.config import Settings
from pipeline.errors import ConfigError, InputError
from search.web.accounts import Accounts
from search.web.app import create_app
from search.web.audit import AuditFilter, AuditLog, MaskIdsFilter, mask_ids, mask_log_handlers
from search.web.config import WebSettings
from search.web.files import safe_filename
from search.web.pages import _safe_next
from search.web.store import Store

SECRET = "s" * 48
PASSWORD = "một-mật-khẩu-dài"


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store(tmp_path / "app.db")


@pytest.fixture
def accounts(store: Store) -> Accounts:
    accounts = Accounts(store, max_failures=3, base_s=30, max_s=120)
    accounts.add("lan", "officer", PASSWORD)
    return accounts


def _app(tmp_path: Path, **options: object) -> TestClient:
    settings = Settings(home=tmp_path, index_prefix="test-web-auth")
    web = WebSettings(**{"secret": SECRET, "secure_cookie": False, **options})  # type: ignore[arg-type]
    base = "https://testserver" if web.secure_cookie else "http://testserver"
    return TestClient(create_app(settings, web), base_url=base)


def test_passwords_and_keys_are_stored_hashed(store: Store, accounts: Accounts) -> None:
    key = accounts.reset_key("lan")
    row = store.query("SELECT password_hash, api_key_hash FROM users WHERE username = 'lan'")[0]
    assert row["password_hash"].startswith("$argon2id$") and PASSWORD not in row["password_hash"]
    assert key not in row["api_key_hash"] and len(row["api_key_hash"]) == 64
    assert accounts.by_api_key(key) is not None and accounts.by_api_key(key + "x") is None


def test_bad_usernames_roles_and_short_passwords_are_refused(accounts: Accounts) -> None:
    for name, role, password in [
        ("../root", "officer", PASSWORD),
        ("ok.name", "boss", PASSWORD),
        ("shorty", "officer", "short"),
        ("lan", "officer", PASSWORD),
    ]:
        with pytest.raises(InputError):
            accounts.add(name, role, password)


def test_login_locks_out_per_user_and_ip_with_backoff(accounts: Accounts) -> None:
    for _ in range(2):
        assert accounts.login("lan", "wrong", "10.0.0.1").retry_after_s == 0
    third = accounts.login("lan", "wrong", "10.0.0.1")
    assert third.user is None and third.retry_after_s == 30
    locked = accounts.login("lan", PASSWORD, "10.0.0.1")
    assert locked.user is None and locked.reason == "locked"
    assert accounts.login("lan", PASSWORD, "10.0.0.2").user is not None  # other IP unaffected
    accounts.store.query("SELECT 1")
    with accounts.store.transaction() as db:
        db.execute("UPDATE login_attempts SET locked_until = 0")
    assert accounts.login("lan", "wrong", "10.0.0.1").retry_after_s == 60  # doubles
    with accounts.store.transaction() as db:
        db.execute("UPDATE login_attempts SET locked_until = 0")
    assert accounts.login("lan", PASSWORD, "10.0.0.1").user is not None
    assert accounts.login("lan", "wrong", "10.0.0.1").retry_after_s == 0  # success reset it


def test_unknown_and_disabled_users_cannot_sign_in(accounts: Accounts) -> None:
    assert accounts.login("nobody", PASSWORD, "1.1.1.1").reason == "bad-credentials"
    key = accounts.reset_key("lan")
    accounts.set_disabled("lan")
    assert accounts.login("lan", PASSWORD, "1.1.1.1").reason == "disabled"
    assert accounts.by_api_key(key) is None


def test_audit_log_is_append_only(store: Store) -> None:
    log = AuditLog(store)
    log.write("search", username="lan", ip="1.2.3.4", query="nguyen thi lan", records=["a-1"])
    with pytest.raises(sqlite3.DatabaseError), store.transaction() as db:
        db.execute("UPDATE audit SET username = 'x'")
    with pytest.raises(sqlite3.DatabaseError), store.transaction() as db:
        db.execute("DELETE FROM audit")
    [entry] = log.read(AuditFilter())
    assert entry["username"] == "lan" and entry["records"] == ["a-1"]
    assert store.query("PRAGMA journal_mode")[0][0] == "wal"


def test_id_numbers_are_masked_in_logs(caplog: pytest.LogCaptureFixture) -> None:
    assert mask_ids("reuse 001190012345 and cmnd 123456789") == (
        "reuse 001*******45 and cmnd 123****89"
    )
    assert mask_ids("dossier H10.22.15-240315-0042, year 2024") == (
        "dossier H10.22.15-240315-0042, year 2024"
    )
    logger = logging.getLogger("search.web.test")
    logger.addFilter(MaskIdsFilter())
    with caplog.at_level(logging.INFO, logger="search.web.test"):
        logger.info("GET /api/v1/reuse/%s", "001190012345")
    assert "001190012345" not in caplog.text and "001*******45" in caplog.text


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("../../etc/passwd", "passwd"),
        ("..\\..\\win.ini", "win.ini"),
        ("a/b/.hidden", "hidden"),
        ("scan\x00\n.png", "scan.png"),
        ("giấy khai sinh.pdf", "giấy khai sinh.pdf"),
        ("", "upload"),
        ("..", "upload"),
        ("x;rm -rf *.png", "x_rm -rf _.png"),
    ],
)
def test_filenames_are_sanitised(given: str, expected: str) -> None:
    assert safe_filename(given) == expected


def test_redirect_after_login_stays_local() -> None:
    assert _safe_next("/records/abc?x=1") == "/records/abc?x=1"
    for bad in ("//evil.example", "https://evil.example/", "javascript:alert(1)", ""):
        assert _safe_next(bad) == "/"


@pytest.mark.parametrize("secret", [None, "", "changeme", "short-secret"])
def test_refuses_to_start_without_a_strong_secret(tmp_path: Path, secret: str | None) -> None:
    settings = Settings(home=tmp_path)
    with pytest.raises(ConfigError, match="DOSSIER_WEB_SECRET"):
        create_app(settings, WebSettings(secret=secret))  # type: ignore[arg-type]
    create_app(settings, WebSettings(secret=secret, dev=True))  # type: ignore[arg-type]


def test_login_sets_a_hardened_session_cookie_and_is_audited(tmp_path: Path) -> None:
    client = _app(tmp_path, secure_cookie=True)
    ctx = client.app.state.ctx  # type: ignore[attr-defined]
    ctx.accounts.add("lan", "officer", PASSWORD)
    page = client.get("/login")
    token = page.text.split('name="csrf_token" value="')[1].split('"')[0]
    bad = client.post("/login", data={"username": "lan", "password": "nope", "csrf_token": token})
    assert bad.status_code == 401 and "Sai tên đăng nhập" in bad.text
    token = bad.text.split('name="csrf_token" value="')[1].split('"')[0]
    ok = client.post(
        "/login",
        data={"username": "lan", "password": PASSWORD, "csrf_token": token, "next": "/stats"},
        follow_redirects=False,
    )
    assert ok.status_code == 303 and ok.headers["location"] == "/stats"
    cookie = [c for c in ok.headers.get_list("set-cookie") if c.startswith("dossier_session=")][0]
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie and "Secure" in cookie
    outcomes = [e["outcome"] for e in ctx.audit.read(AuditFilter(action="login"))]
    assert outcomes == ["ok", "bad-credentials"]


def test_login_form_needs_its_csrf_token(tmp_path: Path) -> None:
    client = _app(tmp_path)
    client.app.state.ctx.accounts.add("lan", "officer", PASSWORD)  # type: ignore[attr-defined]
    client.get("/login")
    response = client.post("/login", data={"username": "lan", "password": PASSWORD})
    assert response.status_code == 403 and "dossier_session" not in response.headers.get(
        "set-cookie", ""
    )


def test_login_lockout_answers_429_with_retry_after(tmp_path: Path) -> None:
    client = _app(tmp_path, login_max_failures=2)
    client.app.state.ctx.accounts.add("lan", "officer", PASSWORD)  # type: ignore[attr-defined]
    response = None
    for _ in range(3):
        token = client.get("/login").text.split('name="csrf_token" value="')[1].split('"')[0]
        response = client.post(
            "/login", data={"username": "lan", "password": "x" * 12, "csrf_token": token}
        )
    assert response is not None and response.status_code == 429
    assert int(response.headers["retry-after"]) > 0


def test_pages_redirect_to_login_and_keep_security_headers(tmp_path: Path) -> None:
    client = _app(tmp_path)
    response = client.get("/stats", headers={"accept": "text/html"}, follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/login?next=/stats"
    login = client.get("/login")
    assert "default-src 'self'" in login.headers["content-security-policy"]
    assert login.headers["x-content-type-options"] == "nosniff"


def test_log_handlers_mask_id_numbers(capsys: pytest.CaptureFixture[str]) -> None:
    from uvicorn.logging import AccessFormatter

    logger = logging.getLogger("uvicorn.access")
    handler = logging.StreamHandler()
    handler.setFormatter(AccessFormatter('%(client_addr)s - "%(request_line)s" %(status_code)s'))
    logger.addHandler(handler)
    level = logger.level
    logger.setLevel(logging.INFO)
    try:
        mask_log_handlers(("uvicorn.access",))
        path = "/api/v1/reuse/001190012345"
        logger.info('%s - "%s %s HTTP/%s" %d', "127.0.0.1:1", "GET", path, "1.1", 200)
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
    err = capsys.readouterr().err
    assert "GET /api/v1/reuse/001*******45 HTTP/1.1" in err and "001190012345" not in err


def test_elasticsearch_down_is_503_with_an_error_body(tmp_path: Path) -> None:
    settings = Settings(home=tmp_path, es_url="http://127.0.0.1:9", index_prefix="test-web-down")
    client = TestClient(create_app(settings, WebSettings(secret=SECRET)))  # type: ignore[arg-type]
    key = client.app.state.ctx.accounts  # type: ignore[attr-defined]
    key.add("lan", "officer", PASSWORD)
    api_key = key.reset_key("lan")
    health = client.get("/api/v1/health")
    assert health.status_code == 503 and health.json()["elasticsearch"] == "down"
    response = client.get("/api/v1/search", params={"q": "lan"}, headers={"X-API-Key": api_key})
    assert response.status_code == 503 and response.json()["error"]["code"] == "dependency"
