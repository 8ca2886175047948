"""Web app benchmark: search-page latency in headless Chromium and a loopback load test.

Loads synthetic records (bench/search_bench.py's generator, the `dossier reindex` path)
under a private `webbench-<random>` index prefix, builds the officers' web app on it (a
temporary home with the SQLite users/audit database and an archive holding a sample of the
sidecars, so record views work), serves it with uvicorn on a free loopback port, then:

- browser: signs in as an officer in headless Debian Chromium, and for each query clears
  the box, types the query and times, inside the page, from the last `input` event to the
  results list being rendered for that query (the page's own debounce included);
- load: N concurrent clients (a separate process, asyncio + httpx) call /api/v1/search and
  /api/v1/records/{id} with an officer API key for a fixed time; every request is audited.

Everything under the prefix is deleted at the end.

    .venv/bin/python bench/web_bench.py --records 100000 --queries 20 --clients 20 --seconds 30
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import shutil
import socket
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from multiprocessing import get_context
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))  # search_bench, run from anywhere

from search_bench import Truth, _cleanup, _percentiles, generate, machine, warm_up  # noqa: E402

from ocr_models.vietnamese import fold  # noqa: E402
from pipeline.archive import Archive  # noqa: E402
from pipeline.config import Settings  # noqa: E402
from search.client import connect  # noqa: E402
from search.reindex import build_index  # noqa: E402

OFFICER = "officer1"
PASSWORD = "mật-khẩu-benchmark-đủ-dài"
SECRET = "web-bench-" + uuid.uuid4().hex * 2
# The search page's debounce, read from its script so the report states what it included.
_APP_JS = Path(__file__).resolve().parents[1] / "search" / "web" / "static" / "app.js"
_DEBOUNCE = re.search(r"setTimeout\(run, (\d+)\)", _APP_JS.read_text(encoding="utf-8"))
DEBOUNCE_MS = int(_DEBOUNCE.group(1)) if _DEBOUNCE else None
WAIT_S = 30

# Installed once on the search page: the time of the last `input` event on #q, and the
# first moment after it that the results area shows the rendered answer to that text
# (summary no longer "Đang tìm…", and the URL's q, set when the request starts, is the
# box's text), then the next animation frame (the browser is about to paint it).
PROBE_JS = """
const q = document.getElementById("q");
const results = document.querySelector("section.results");
const summary = document.getElementById("summary");
window.__bench = {armed: false, last: null, dom: null, frame: null, expect: null};
q.addEventListener("input", () => { const b = window.__bench;
  if (b.armed) { b.last = performance.now(); b.dom = null; b.frame = null; } }, true);
new MutationObserver(() => {
  const b = window.__bench;
  if (!b.armed || b.last === null || b.dom !== null) return;
  const text = q.value.trim();
  if (text !== b.expect || summary.textContent.startsWith("Đang tìm")) return;
  if (new URLSearchParams(location.search).get("q") !== text) return;
  b.dom = performance.now();
  requestAnimationFrame(() => { b.frame = performance.now(); });
}).observe(results, {childList: true, subtree: true, characterData: true});
"""


def _write_sidecars(
    records: Iterator[dict], archive: Archive, every: int, kept: list[str]
) -> Iterator[dict]:
    """Pass records through, writing every `every`-th as a sidecar so it can be viewed."""
    for n, record in enumerate(records):
        if n % every == 0:
            path = archive.sidecar_path(record["id"])
            assert path is not None
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
            kept.append(record["id"])
        yield record


def build_app(home: Path, settings: Settings) -> tuple[Any, str]:
    """The web app on the benchmark's prefix, with one officer (password and API key)."""
    from search.web.app import create_app
    from search.web.config import WebSettings

    web = WebSettings(secret=SECRET, secure_cookie=False)
    app = create_app(settings, web)
    accounts = app.state.ctx.accounts
    accounts.add(OFFICER, "officer", PASSWORD)
    return app, accounts.reset_key(OFFICER)


@contextmanager
def running(app: Any) -> Iterator[str]:
    """The app served by uvicorn on a free loopback port, in a thread (as the web tests do)."""
    import uvicorn

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = int(s.getsockname()[1])
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    if not server.started:
        raise RuntimeError("uvicorn did not start")
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@contextmanager
def chromium(profile: Path) -> Iterator[Any]:
    """Headless Debian Chromium through chromedriver (the flags of tests/test_web_browser)."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    binary, driver_path = shutil.which("chromium"), shutil.which("chromedriver")
    if binary is None or driver_path is None:
        raise RuntimeError("install Debian's chromium and chromium-driver (make setup)")
    options = webdriver.ChromeOptions()
    options.binary_location = binary
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-background-networking", "--disable-component-update",
                 "--no-first-run", "--disable-sync", "--window-size=1366,768", "--lang=vi",
                 f"--user-data-dir={profile}"):  # fmt: skip
        options.add_argument(flag)
    driver = webdriver.Chrome(options=options, service=Service(driver_path))
    try:
        yield driver
    finally:
        driver.quit()


def _until(driver: Any, condition: Any) -> Any:
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, WAIT_S, poll_frequency=0.02).until(condition)


def _login(driver: Any, base: str) -> None:
    from selenium.webdriver.common.by import By

    driver.get(f"{base}/login?next=/")
    driver.find_element(By.ID, "username").send_keys(OFFICER)
    driver.find_element(By.ID, "password").send_keys(PASSWORD)
    driver.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
    _until(driver, lambda d: "/login" not in d.current_url and d.find_elements(By.ID, "q"))


def browser_queries(truth: Truth, n: int, seed: int) -> list[str]:
    """`n` queries as officers type them: folded names, every fourth an ID number."""
    people = random.Random(seed + 11).sample(truth.people, min(n, len(truth.people)))
    return [p.id_number if i % 4 == 3 else fold(p.full_name).lower() for i, p in enumerate(people)]


def _type_and_time(driver: Any, box: Any, query: str) -> dict[str, Any]:
    """Clear the box like a user, wait for the empty page, type `query`, read the probe."""
    from selenium.webdriver.common.keys import Keys

    driver.execute_script("window.__bench.armed = false;")
    box.send_keys(Keys.CONTROL, "a")
    box.send_keys(Keys.BACKSPACE)
    _until(driver, lambda d: d.execute_script(
        "return !document.querySelector('#hits li') && location.search === ''"))  # fmt: skip
    time.sleep(0.1)
    driver.execute_script(
        "performance.clearResourceTimings();"
        "Object.assign(window.__bench, {armed: true, last: null, dom: null, frame: null,"
        " expect: arguments[0]});",
        query,
    )
    box.send_keys(query)
    probe = _until(driver, lambda d: d.execute_script(
        "const b = window.__bench; return b.frame !== null && b;"))  # fmt: skip
    hits = driver.execute_script("return document.querySelectorAll('#hits li.hit').length")
    fetch_ms = driver.execute_script(  # the /api/v1/search request as the browser saw it
        "const e = performance.getEntriesByType('resource')"
        ".filter((r) => r.name.includes('/api/v1/search')).pop(); return e ? e.duration : null;"
    )
    return {"query": query, "hits": hits, "dom_ms": round(probe["dom"] - probe["last"], 1),
            "frame_ms": round(probe["frame"] - probe["last"], 1),
            "fetch_ms": round(fetch_ms or 0.0, 1)}  # fmt: skip


def measure_browser(base: str, queries: list[str], profile: Path) -> dict[str, Any]:
    """Last keystroke to results shown, measured in the page (after 3 untimed queries)."""
    from selenium.webdriver.common.by import By

    with chromium(profile) as driver:
        _login(driver, base)
        driver.execute_script(PROBE_JS)
        box = driver.find_element(By.ID, "q")
        for query in queries[:3]:  # untimed: first page fetches, JIT, connection set-up
            _type_and_time(driver, box, query)
        runs = [_type_and_time(driver, box, query) for query in queries[3:]]
    frame = [r["frame_ms"] for r in runs]
    return {
        "queries": len(runs),
        "debounce_ms_included": DEBOUNCE_MS,
        "last_keystroke_to_rendered_ms": _percentiles([r["dom_ms"] for r in runs]),
        "last_keystroke_to_next_frame_ms": _percentiles(frame),
        "search_request_ms": _percentiles([r["fetch_ms"] for r in runs]),
        "within_300_ms": sum(f <= 300 for f in frame),
        "runs": runs,
    }


def load_plan(truth: Truth, viewable: list[str], seed: int, n: int = 400) -> list[list[str]]:
    """Requests the clients cycle through: 3 searches (folded, accented, ID) to 1 view."""
    rng = random.Random(seed + 13)
    plan: list[list[str]] = []
    for person in rng.sample(truth.people, min(n, len(truth.people))):
        plan += [
            ["search_folded", fold(person.full_name).lower()],
            ["search_accented", person.full_name],
            ["search_id", person.id_number],
        ]
        if viewable:
            plan.append(["view", rng.choice(viewable)])
    return plan


async def _load(base: str, key: str, plan: list[list[str]], clients: int, seconds: float) -> dict:
    import httpx

    samples: list[tuple[str, float, bool]] = []
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=base, headers={"X-API-Key": key}, limits=limits,
                                 timeout=30) as client:  # fmt: skip

        async def one_client(offset: int, deadline: float) -> None:
            i = offset * (len(plan) // clients)  # each client walks the whole mix in order
            while time.perf_counter() < deadline:
                kind, value = plan[i % len(plan)]
                i += 1
                started = time.perf_counter()
                try:
                    if kind == "view":
                        response = await client.get(f"/api/v1/records/{value}")
                    else:
                        response = await client.get("/api/v1/search", params={"q": value})
                    ok = response.status_code == 200
                except httpx.HTTPError:
                    ok = False
                samples.append((kind, (time.perf_counter() - started) * 1000, ok))

        started = time.perf_counter()
        deadline = started + seconds
        await asyncio.gather(*(one_client(c, deadline) for c in range(clients)))
        elapsed = time.perf_counter() - started
    by_kind: dict[str, Any] = {}
    for kind in sorted({k for k, _, _ in samples}):
        times = [ms for k, ms, _ in samples if k == kind]
        by_kind[kind] = {"requests": len(times), "latency_ms": _percentiles(times)}
    return {"clients": clients, "seconds": round(elapsed, 1), "requests": len(samples),
            "requests_per_s": round(len(samples) / elapsed, 1),
            "latency_ms": _percentiles([ms for _, ms, _ in samples]),
            "errors": sum(not ok for _, _, ok in samples), "by_kind": by_kind}  # fmt: skip


def load_worker(base: str, key: str, plan: list[list[str]], clients: int, seconds: float) -> dict:
    """The load test, run in its own process so the clients do not share the server's GIL."""
    return asyncio.run(_load(base, key, plan, clients, seconds))


def measure_load(
    base: str, key: str, plan: list[list[str]], clients: int, seconds: float
) -> dict[str, Any]:
    """Run `load_worker` in a spawned process and return its figures."""
    with ProcessPoolExecutor(1, mp_context=get_context("spawn")) as pool:
        return pool.submit(load_worker, base, key, plan, clients, seconds).result()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=20, help="typed in the browser")
    parser.add_argument("--clients", type=int, default=20, help="concurrent load clients")
    parser.add_argument("--seconds", type=float, default=30.0, help="load test duration")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--es-url", default="http://127.0.0.1:9200")
    args = parser.parse_args()
    prefix = f"webbench-{uuid.uuid4().hex[:8]}"
    home = Path(tempfile.mkdtemp(prefix="web-bench-"))
    settings = Settings(home=home, archive_dir=home / "archive", inbox_dir=home / "inbox",
                        es_url=args.es_url, index_prefix=prefix, es_replicas=0,
                        es_timeout_s=60)  # fmt: skip
    es = connect(settings)
    truth = Truth()
    viewable: list[str] = []
    command = " ".join([".venv/bin/python bench/web_bench.py", *sys.argv[1:]])
    result: dict[str, Any] = {"machine": machine(), "command": command,
                              "records": args.records, "prefix": prefix}  # fmt: skip
    try:
        result["load_average_before"] = os.getloadavg()
        started = time.perf_counter()
        records = _write_sidecars(generate(args.records, args.seed, truth),
                                  Archive(settings.archive_path), 100, viewable)  # fmt: skip
        report = build_index(es, settings, records)
        assert not report.failed, report.failed[:3]
        result["bulk"] = {"indexed": report.indexed,
                          "seconds": round(time.perf_counter() - started, 1)}  # fmt: skip
        warm_up(es, settings, truth, args.seed)
        app, key = build_app(home, settings)
        with running(app) as base:
            queries = browser_queries(truth, args.queries + 3, args.seed)
            result["browser"] = measure_browser(base, queries, home / "chromium-profile")
            result["browser"]["load_average_after"] = os.getloadavg()
            plan = load_plan(truth, viewable, args.seed)
            before = app.state.ctx.audit.count(_all_entries())
            result["load"] = measure_load(base, key, plan, args.clients, args.seconds)
            result["load"]["audited"] = app.state.ctx.audit.count(_all_entries()) - before
            result["load"]["load_average_after"] = os.getloadavg()
    finally:
        _cleanup(es, prefix)
        shutil.rmtree(home, ignore_errors=True)
    print(json.dumps(result, ensure_ascii=False, indent=2))


def _all_entries() -> Any:
    from search.web.audit import AuditFilter

    return AuditFilter()


if __name__ == "__main__":
    main()
