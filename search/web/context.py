"""What every request handler shares: settings, database, accounts, audit log, ES client."""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from typing import Any

from elasticsearch import Elasticsearch
from fastapi import Request
from itsdangerous import URLSafeTimedSerializer

from pipeline.archive import Archive
from pipeline.config import Settings
from search.web.accounts import Accounts, User
from search.web.audit import AuditLog
from search.web.config import WebSettings
from search.web.store import Store

log = logging.getLogger(__name__)


@dataclass
class WebContext:
    """Built once by the app factory; reached from a request as `request.app.state.ctx`."""

    settings: Settings
    web: WebSettings
    store: Store
    accounts: Accounts
    audit: AuditLog
    signer: URLSafeTimedSerializer
    _es: Elasticsearch | None = None
    _es_lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def archive(self) -> Archive:
        """The archive (system of record)."""
        return Archive(self.settings.archive_path)

    def es(self) -> Elasticsearch:
        """The Elasticsearch client, connected on first use (DependencyError when down)."""
        from search.client import connect

        with self._es_lock:
            if self._es is None:
                self._es = connect(self.settings)
            return self._es

    def record(
        self,
        request: Request,
        action: str,
        *,
        user: User | None,
        outcome: str = "ok",
        query: str | None = None,
        records: list[str] | None = None,
        detail: dict[str, Any] | None = None,
    ) -> None:
        """Append an audit entry for this request."""
        self.audit.write(
            action, username=user.username if user else None, ip=client_ip(request),
            outcome=outcome, query=query, records=records, detail=detail,
        )  # fmt: skip


def client_ip(request: Request) -> str:
    """The peer address (a reverse proxy in front must be trusted explicitly; none is)."""
    return request.client.host if request.client else "unknown"


def get_ctx(request: Request) -> WebContext:
    """The app's context (a FastAPI dependency)."""
    ctx: WebContext = request.app.state.ctx
    return ctx
