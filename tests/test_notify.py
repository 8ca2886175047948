"""Failure notifications: a log line always, a JSON POST to a webhook when configured."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

from flows.notify import failure_payload, notify_failures
from flows.report import BatchReport
from pipeline.ingest import IngestOutcome


def _report(failed: bool) -> BatchReport:
    outcomes = [IngestOutcome("a.png", "processed", "x" * 64, 1)]
    if failed:
        outcomes.append(
            IngestOutcome("b.jpg", "quarantined", error_code="corrupt", message="b.jpg: bad")
        )
    return BatchReport(outcomes=outcomes)


def test_clean_batch_sends_nothing() -> None:
    assert failure_payload("ingest-batch", _report(failed=False)) is None
    assert notify_failures("ingest-batch", _report(failed=False), "http://127.0.0.1:9/") is False


def test_failures_are_posted_as_json() -> None:
    received: list[dict] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 (http.server API)
            body = self.rfile.read(int(self.headers["Content-Length"]))
            received.append(json.loads(body))
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.handle_request, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.server_port}/hook"
    try:
        assert notify_failures("nightly-digitisation", _report(failed=True), url) is True
    finally:
        thread.join(10)
        server.server_close()
    assert received == [
        {
            "flow": "nightly-digitisation",
            "files": 2,
            "failed": [{"file": "b.jpg", "reason": "corrupt", "message": "b.jpg: bad"}],
            "pending_index": 0,
            "index_error": None,
        }
    ]


def test_unreachable_webhook_does_not_raise(caplog) -> None:
    assert notify_failures("ingest-batch", _report(failed=True), "http://127.0.0.1:9/") is False
    assert "not reachable" in caplog.text
