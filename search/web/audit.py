"""The audit trail: who searched, viewed, downloaded, corrected or logged in, from where.

Entries are appended to SQLite (WAL, synchronous=FULL) and triggers refuse UPDATE and
DELETE. The audit log keeps the full query (that is its job); application logs mask ID
numbers with `mask_ids`.
"""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass
from typing import Any

from pipeline.archive import now_iso
from search.web.store import Store

ACTIONS = (
    "login", "logout", "search", "view", "download", "reuse", "approve", "correct", "upload",
    "user", "reindex", "audit",
)  # fmt: skip
_ID_NUMBER = re.compile(r"(?<!\d)(\d{3})(\d{4}|\d{7})(\d{2})(?!\d)")


def mask_ids(text: str) -> str:
    """`001090012345` → `001*******45` (9- and 12-digit ID numbers; first 3, last 2 kept)."""
    return _ID_NUMBER.sub(lambda m: m[1] + "*" * len(m[2]) + m[3], text)


class MaskIdsFilter(logging.Filter):
    """Logging filter that masks ID numbers in the formatted message of every record."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Mask the message and its string arguments in place; never drops a record."""
        if isinstance(record.msg, str):
            record.msg = mask_ids(record.msg)
        if isinstance(record.args, tuple):  # keep the tuple: formatters may unpack it
            record.args = tuple(_masked(a) for a in record.args)
        elif isinstance(record.args, dict):
            record.args = {k: _masked(v) for k, v in record.args.items()}
        try:
            message = record.getMessage()
        except (TypeError, ValueError):
            return True
        if mask_ids(message) != message:  # an ID passed as a number: give up the arguments
            record.msg, record.args = mask_ids(message), ()
        return True


def _masked(value: object) -> object:
    return mask_ids(value) if isinstance(value, str) else value


def mask_log_handlers(
    logger_names: tuple[str, ...] = ("", "uvicorn.access", "uvicorn.error"),
) -> None:
    """Mask ID numbers on every handler of these loggers (handlers also see propagated records)."""
    mask = MaskIdsFilter()
    for name in logger_names:
        for handler in logging.getLogger(name).handlers:
            if not any(isinstance(f, MaskIdsFilter) for f in handler.filters):
                handler.addFilter(mask)


@dataclass(frozen=True)
class AuditFilter:
    """Criteria for reading the audit log (all optional)."""

    username: str | None = None
    action: str | None = None
    since: str | None = None  # ISO date or datetime, inclusive
    until: str | None = None  # ISO date or datetime, inclusive (a date means the whole day)
    contains: str | None = None  # in the query, records or detail
    limit: int = 200
    offset: int = 0


class AuditLog:
    """Append and read audit entries."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def write(
        self,
        action: str,
        *,
        username: str | None,
        ip: str | None,
        outcome: str = "ok",
        query: str | None = None,
        records: list[str] | None = None,
        detail: dict[str, Any] | None = None,
    ) -> None:
        """Append one entry (committed and synced before returning)."""
        with self.store.transaction() as db:
            db.execute(
                "INSERT INTO audit (at, username, ip, action, outcome, query, records, detail) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    now_iso(), username, ip, action, outcome, query,
                    json.dumps(records) if records is not None else None,
                    json.dumps(detail, ensure_ascii=False) if detail is not None else None,
                ),
            )  # fmt: skip

    def read(self, criteria: AuditFilter) -> list[dict[str, Any]]:
        """Entries matching the criteria, newest first."""
        where, params = _where(criteria)
        rows = self.store.query(
            f"SELECT * FROM audit{where} ORDER BY seq DESC LIMIT ? OFFSET ?",  # noqa: S608
            (*params, max(1, min(criteria.limit, 10_000)), max(0, criteria.offset)),
        )
        return [_entry(dict(r)) for r in rows]

    def count(self, criteria: AuditFilter) -> int:
        """Number of entries matching the criteria."""
        where, params = _where(criteria)
        return int(self.store.query(f"SELECT COUNT(*) FROM audit{where}", params)[0][0])


def _where(c: AuditFilter) -> tuple[str, tuple[object, ...]]:
    """A parameterised WHERE clause (values never spliced into the SQL)."""
    clauses: list[str] = []
    params: list[object] = []
    if c.username:
        clauses.append("username = ?")
        params.append(c.username.lower())
    if c.action:
        clauses.append("action = ?")
        params.append(c.action)
    if c.since:
        clauses.append("substr(at, 1, ?) >= ?")
        params += [len(c.since), c.since]
    if c.until:
        clauses.append("substr(at, 1, ?) <= ?")
        params += [len(c.until), c.until]
    if c.contains:
        clauses.append("(instr(query, ?) > 0 OR instr(records, ?) > 0 OR instr(detail, ?) > 0)")
        params += [c.contains] * 3
    return (" WHERE " + " AND ".join(clauses) if clauses else ""), tuple(params)


def _entry(row: dict[str, Any]) -> dict[str, Any]:
    for key in ("records", "detail"):
        if row.get(key):
            row[key] = json.loads(row[key])
    return row
