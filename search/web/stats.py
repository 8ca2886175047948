"""Statistics for the stats page and `dossier stats`: digitised papers, backlog, reuse rate."""

from __future__ import annotations

import csv
import io
from collections import Counter
from datetime import date
from typing import Any

from pipeline.archive import Archive
from search.web.store import Store

CONFIDENCE_BINS = 10


def _day(record: dict[str, Any]) -> str:
    """Local day a record was ingested (`ingested_at` carries the Vietnam offset)."""
    return str(record.get("ingested_at") or "")[:10]


def _in_range(day: str, start: date | None, end: date | None) -> bool:
    if not day:
        return start is None and end is None
    return (start is None or day >= start.isoformat()) and (end is None or day <= end.isoformat())


def compute(
    archive: Archive, store: Store, start: date | None = None, end: date | None = None
) -> dict[str, Any]:
    """Every figure of the statistics page for ingest days in [start, end] (inclusive)."""
    per_day: Counter[str] = Counter()
    by_type: Counter[str] = Counter()
    by_agency: Counter[str] = Counter()
    bins = [0] * CONFIDENCE_BINS
    papers = backlog = 0
    for record in archive.iter_records():
        day = _day(record)
        if not _in_range(day, start, end):
            continue
        papers += 1
        per_day[day] += 1
        by_type[str(record.get("doc_type") or "other")] += 1
        agency = ((record.get("fields") or {}).get("issuing_authority") or {}).get("value")
        by_agency[str(agency) if agency else "(không rõ)"] += 1
        backlog += bool(record.get("needs_review"))
        conf = float(record.get("ocr_confidence") or 0.0)
        bins[min(CONFIDENCE_BINS - 1, max(0, int(conf * CONFIDENCE_BINS)))] += 1
    lookups, found = _reuse_lookups(store, start, end)
    return {
        "from": start.isoformat() if start else None,
        "to": end.isoformat() if end else None,
        "papers": papers,
        "per_day": [{"day": d, "count": n} for d, n in sorted(per_day.items())],
        "by_type": [{"doc_type": t, "count": n} for t, n in by_type.most_common()],
        "by_agency": [{"agency": a, "count": n} for a, n in by_agency.most_common(15)],
        "review_backlog": backlog,
        "ocr_confidence": [
            {"from": i / CONFIDENCE_BINS, "to": (i + 1) / CONFIDENCE_BINS, "count": n}
            for i, n in enumerate(bins)
        ],
        "reuse": {
            "lookups": lookups,
            "found_reusable": found,
            "rate": round(found / lookups, 3) if lookups else None,
        },
    }


def _reuse_lookups(store: Store, start: date | None, end: date | None) -> tuple[int, int]:
    """Reuse look-ups in the audit log, and how many found at least one reusable paper."""
    sql = (
        "SELECT COUNT(*), COALESCE(SUM(json_extract(detail, '$.reusable') > 0), 0) FROM audit "
        "WHERE action = 'reuse' AND outcome = 'ok'"
    )
    params: list[object] = []
    if start is not None:
        sql += " AND substr(at, 1, 10) >= ?"
        params.append(start.isoformat())
    if end is not None:
        sql += " AND substr(at, 1, 10) <= ?"
        params.append(end.isoformat())
    row = store.query(sql, tuple(params))[0]
    return int(row[0]), int(row[1])


def to_csv(stats: dict[str, Any]) -> str:
    """The figures as CSV rows: section, key, value."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["section", "key", "value"])
    writer.writerow(["total", "papers", stats["papers"]])
    writer.writerow(["total", "review_backlog", stats["review_backlog"]])
    for row in stats["per_day"]:
        writer.writerow(["per_day", row["day"], row["count"]])
    for row in stats["by_type"]:
        writer.writerow(["by_type", row["doc_type"], row["count"]])
    for row in stats["by_agency"]:
        writer.writerow(["by_agency", row["agency"], row["count"]])
    for row in stats["ocr_confidence"]:
        writer.writerow(["ocr_confidence", f"{row['from']:.1f}-{row['to']:.1f}", row["count"]])
    reuse = stats["reuse"]
    writer.writerow(["reuse", "lookups", reuse["lookups"]])
    writer.writerow(["reuse", "found_reusable", reuse["found_reusable"]])
    writer.writerow(["reuse", "rate", "" if reuse["rate"] is None else reuse["rate"]])
    return out.getvalue()
