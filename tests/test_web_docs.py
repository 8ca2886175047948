"""The OpenAPI pages work offline: every script, style and icon comes from the app itself."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from pipeline.config import Settings
from search.web.app import create_app
from search.web.config import WebSettings

ASSET = re.compile(r"""(?:src|href|spec-url)\s*=\s*["']([^"']+)["']|url:\s*'([^']+)'""")


@pytest.fixture
def client(tmp_path: Path) -> TestClient:
    settings = Settings(home=tmp_path, index_prefix="test-web-docs")
    web = WebSettings(secret="d" * 48, secure_cookie=False)  # type: ignore[arg-type]
    return TestClient(create_app(settings, web))


def _assets(html: str) -> list[str]:
    return [a or b for a, b in ASSET.findall(html)]


@pytest.mark.parametrize(
    ("page", "kinds"), [("/docs", (".js", ".css", ".png")), ("/redoc", (".js",))]
)
def test_docs_pages_load_only_local_assets(
    client: TestClient, page: str, kinds: tuple[str, ...]
) -> None:
    response = client.get(page)
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")
    urls = _assets(response.text)
    assert "/openapi.json" in urls
    for kind in kinds:
        assert any(u.endswith(kind) for u in urls), f"no {kind} asset on {page}"
    assert not [u for u in urls if "//" in u], "a CDN or absolute URL would fail offline"
    assert "fonts.googleapis" not in response.text and "cdn." not in response.text
    for url in urls:
        asset = client.get(url)
        assert asset.status_code == 200 and len(asset.content) > 0, url


def test_swagger_ui_is_version_5_which_renders_openapi_3_1(client: TestClient) -> None:
    assert client.get("/openapi.json").json()["openapi"].startswith("3.1")
    bundle = client.get("/docs-assets/swagger-ui-bundle.js").text
    assert re.search(r'"5\.\d+\.\d+"', bundle)


def test_docs_stay_public_like_the_openapi_document(client: TestClient) -> None:
    """No sign-in needed, as before: the schema holds no records, only the API's shape."""
    assert client.get("/openapi.json").status_code == 200
    assert (
        client.get("/docs", headers={"accept": "text/html"}, follow_redirects=False).status_code
        == 200
    )
    assert client.get("/api/v1/search", params={"q": "x"}).status_code == 401
