"""Tell people when a batch had failures: always a log line, optionally a webhook POST."""

from __future__ import annotations

import json
import logging
import urllib.error
import urllib.request
from typing import Any

from flows.report import BatchReport

log = logging.getLogger(__name__)


def failure_payload(flow_name: str, report: BatchReport) -> dict[str, Any] | None:
    """The notification body, or None when there is nothing to report."""
    if not report.failed and not report.pending:
        return None
    return {
        "flow": flow_name,
        "files": len(report.outcomes),
        "failed": [
            {"file": o.file, "reason": o.error_code, "message": o.message} for o in report.failed
        ],  # fmt: skip
        "pending_index": report.pending,
        "index_error": report.index_error,
    }


def notify_failures(flow_name: str, report: BatchReport, webhook_url: str | None) -> bool:
    """Log failures and POST them as JSON to `webhook_url` when set; True if delivered."""
    payload = failure_payload(flow_name, report)
    if payload is None:
        return False
    log.warning(
        "%s: %d files failed, %d records pending indexing",
        flow_name, len(payload["failed"]), payload["pending_index"],
    )  # fmt: skip
    if not webhook_url:
        return False
    body = json.dumps(payload, ensure_ascii=False).encode()
    request = urllib.request.Request(
        webhook_url, data=body, headers={"Content-Type": "application/json"}, method="POST"
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 (configured URL)
            return 200 <= response.status < 300
    except (urllib.error.URLError, OSError) as e:
        log.warning("failure webhook %s not reachable: %s", webhook_url, e)
        return False
