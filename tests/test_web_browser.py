"""The officers' pages in real headless Chromium: sign in, search, view, download, correct."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from elasticsearch import Elasticsearch
from test_web_support import ID_LAN, PASSWORD, WebWorld, running, seed

from pipeline.config import Settings

pytestmark = pytest.mark.integration

CHROMIUM = shutil.which("chromium")
CHROMEDRIVER = shutil.which("chromedriver")
ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts" / "web"
WAIT_S = 20

if CHROMIUM is None or CHROMEDRIVER is None:
    pytest.skip(
        "Debian's chromium and chromium-driver are not installed (make setup installs them)",
        allow_module_level=True,
    )
webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is not installed")


@pytest.fixture(scope="module")
def world(
    tmp_path_factory: pytest.TempPathFactory, settings: Settings, es_node: Elasticsearch
) -> WebWorld:
    return seed(tmp_path_factory.mktemp("web-ui"), settings, es_node, suffix="webui")


@pytest.fixture(scope="module")
def server(world: WebWorld) -> Iterator[str]:
    with running(world.app) as url:
        yield url


@pytest.fixture(scope="module")
def downloads(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("downloads")


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory, downloads: Path) -> Iterator[Any]:
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--no-first-run",
        "--disable-sync",
        "--window-size=1366,768",
        "--lang=vi",
        f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}",
    ):
        options.add_argument(flag)
    options.add_experimental_option(
        "prefs",
        {
            "download.default_directory": str(downloads),
            "download.prompt_for_download": False,
        },
    )
    driver = webdriver.Chrome(options=options, service=Service(CHROMEDRIVER))
    driver.set_window_size(1366, 768)
    driver.execute_cdp_cmd(
        "Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)}
    )
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    try:
        yield driver
    finally:
        driver.quit()


def _wait(driver: Any, css: str) -> Any:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, WAIT_S).until(
        ec.visibility_of_element_located((By.CSS_SELECTOR, css))
    )


def _until(driver: Any, condition: Any) -> Any:
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, WAIT_S).until(condition)


def _login(driver: Any, server: str, username: str, next_path: str = "/") -> None:
    from selenium.webdriver.common.by import By

    driver.delete_all_cookies()
    driver.get(f"{server}/login?next={next_path}")
    driver.find_element(By.ID, "username").send_keys(username)
    driver.find_element(By.ID, "password").send_keys(PASSWORD)
    driver.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
    _until(driver, lambda d: "/login" not in d.current_url)


def _shot(driver: Any, name: str) -> None:
    driver.save_screenshot(str(ARTIFACTS / f"{name}.png"))


def test_officer_searches_without_diacritics_opens_and_downloads(
    browser: Any, server: str, world: WebWorld, downloads: Path
) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    browser.get(f"{server}/login")
    _wait(browser, "#username")
    _shot(browser, "01-login")
    _login(browser, server, "officer1")
    box = _wait(browser, "#q")
    box.send_keys("nguyen thi lan")
    first = _wait(browser, "li.hit a.open")
    assert "Nguyễn Thị Lan" in first.text
    _wait(browser, ".facet")
    _shot(browser, "02-search-without-diacritics")
    box.send_keys(Keys.ARROW_DOWN)
    _until(browser, lambda d: d.switch_to.active_element.get_attribute("class") == "open")
    browser.switch_to.active_element.send_keys(Keys.ENTER)
    _until(browser, lambda d: "/records/" in d.current_url)
    _wait(browser, "#reuse-panel table")
    _until(
        browser,
        lambda d: d.execute_script(
            "return [...document.images].every(i => i.complete && i.naturalWidth > 0)"
        ),
    )
    assert "Dùng lại được" in browser.find_element(By.ID, "reuse-panel").text
    _shot(browser, "03-record-view")
    browser.find_element(By.ID, "download-original").click()
    target = downloads / "the-can-cuoc.png"
    _until(browser, lambda d: target.is_file() and target.stat().st_size > 0)
    assert target.read_bytes() == world.files["card"].read_bytes()


def test_an_id_number_shows_the_persons_reusable_papers(browser: Any, server: str) -> None:
    _login(browser, server, "officer1")
    _wait(browser, "#q").send_keys(ID_LAN)
    panel = _wait(browser, "#search-reuse table")
    assert "Dùng lại được" in panel.text
    _wait(browser, "li.hit a.open")
    _shot(browser, "03b-search-by-id-number")


def test_archivist_uploads_a_scan(browser: Any, server: str, tmp_path: Path) -> None:
    from hostile import text_image
    from selenium.webdriver.common.by import By

    scan = tmp_path / "giấy khai sinh mới.png"
    text_image(["GIẤY KHAI SINH", "Họ, chữ đệm, tên: Phạm Thu Hà"], (900, 300)).save(scan)
    _login(browser, server, "archivist1", "/review")
    browser.find_element(By.ID, "upload-file").send_keys(str(scan))
    browser.find_element(By.CSS_SELECTOR, "#upload-form button[type=submit]").click()
    notice = _wait(browser, "#upload-result .notice")
    assert "Đã số hóa 1 trang" in notice.text
    assert browser.find_elements(By.CSS_SELECTOR, "#upload-result a")
    _shot(browser, "04a-upload-done")


def test_archivist_corrects_a_field(browser: Any, server: str, world: WebWorld) -> None:
    from selenium.webdriver.common.by import By

    _login(browser, server, "archivist1", "/review")
    _wait(browser, "#upload-form")
    _shot(browser, "04-review-queue")
    browser.find_element(By.LINK_TEXT, "Giấy khai sinh").click()
    field = _wait(browser, "#f-full_name")
    field.clear()
    field.send_keys("Lê Minh Khôi")
    browser.find_element(By.CSS_SELECTOR, "#correct-form button[type=submit]").click()
    _wait(browser, ".notice")
    assert browser.find_element(By.ID, "f-full_name").get_attribute("value") == "Lê Minh Khôi"
    assert "Lê Minh Khoa" in browser.find_element(By.CSS_SELECTOR, ".history").text
    _shot(browser, "05-record-corrected")
    sidecar = world.app.state.ctx.archive.sidecar_path(world.ids["birth"])
    assert "Lê Minh Khôi" in sidecar.read_text(encoding="utf-8")


def test_statistics_and_audit_pages(browser: Any, server: str) -> None:
    from selenium.webdriver.common.by import By

    _login(browser, server, "admin1", "/stats")
    _wait(browser, "svg.chart")
    assert browser.find_elements(By.CSS_SELECTOR, ".kpi")
    _shot(browser, "06-statistics")
    browser.get(f"{server}/audit")
    rows = _wait(browser, "table.audit tbody tr")
    assert rows.text
    _shot(browser, "07-audit-log")
    browser.get(f"{server}/users")
    assert "archivist1" in _wait(browser, "table.list tbody").text
    _shot(browser, "08-users")
