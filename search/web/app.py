"""The app factory: routers, error bodies, security headers; refuses a weak secret key."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from itsdangerous import URLSafeTimedSerializer
from starlette.exceptions import HTTPException as StarletteHTTPException

from pipeline.config import Settings
from pipeline.errors import DependencyError, DossierError, InputError, TransientError
from search.web.accounts import Accounts
from search.web.audit import AuditLog
from search.web.config import WebSettings
from search.web.context import WebContext
from search.web.docs import install_docs
from search.web.files import NotFound
from search.web.limits import BodyLimit
from search.web.store import Store

log = logging.getLogger(__name__)
STATIC_DIR = Path(__file__).parent / "static"
_CODES = {400: "bad-request", 401: "unauthorized", 403: "forbidden", 404: "not-found",
          405: "method-not-allowed", 413: "too-large", 415: "unsupported", 422: "invalid",
          429: "too-many-requests", 503: "unavailable"}  # fmt: skip
CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "object-src 'none'; frame-src 'self'; frame-ancestors 'none'; base-uri 'none'; "
    "form-action 'self'"
)


def create_app(settings: Settings | None = None, web: WebSettings | None = None) -> FastAPI:
    """The FastAPI app; ConfigError when the secret key is missing outside development mode."""
    from search.web import api, api_admin, pages, pages_admin

    settings = settings or Settings()
    web = web or WebSettings()
    secret = web.secret_key()
    store = Store(web.database(settings))
    ctx = WebContext(
        settings=settings, web=web, store=store,
        accounts=Accounts(store, max_failures=web.login_max_failures,
                          base_s=web.lockout_base_s, max_s=web.lockout_max_s),
        audit=AuditLog(store), signer=URLSafeTimedSerializer(secret, salt="dossier-web"),
    )  # fmt: skip
    app = FastAPI(
        title="dossier",
        summary="Records database of the one-stop-shop: search, records, review, statistics.",
        version="1",
        docs_url=None,  # served from local assets by search.web.docs
        redoc_url=None,
    )
    app.state.ctx = ctx
    app.include_router(api.router)
    app.include_router(api_admin.router)
    app.include_router(pages.router)
    app.include_router(pages_admin.router)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    install_docs(app)
    _install_handlers(app)
    app.add_middleware(
        BodyLimit, upload_paths=("/api/v1/ingest",), upload_limit=web.max_upload_bytes
    )

    @app.middleware("http")
    async def security_headers(request: Request, call_next: Any) -> Response:
        response: Response = await call_next(request)
        if not request.url.path.startswith(("/docs", "/redoc")):
            response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("X-Frame-Options", "SAMEORIGIN")
        return response

    return app


def error_body(status: int, message: str, code: str | None = None, **extra: Any) -> JSONResponse:
    """The one error shape: `{"error": {"status", "code", "message"}}`."""
    body = {"status": status, "code": code or _CODES.get(status, "error"), "message": message}
    return JSONResponse({"error": {**body, **extra}}, status_code=status)


def _wants_html(request: Request) -> bool:
    return not request.url.path.startswith("/api/") and "text/html" in request.headers.get(
        "accept", ""
    )


def _install_handlers(app: FastAPI) -> None:
    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        if exc.status_code == 401 and _wants_html(request):
            target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
            from urllib.parse import quote

            return RedirectResponse(f"/login?next={quote(target)}", status_code=303)
        if _wants_html(request):
            from search.web.pages import error_page

            return error_page(request, exc.status_code, str(exc.detail))
        return error_body(exc.status_code, str(exc.detail))

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> Response:
        problems = [
            {"where": ".".join(str(p) for p in e.get("loc", ())), "problem": e.get("msg", "")}
            for e in exc.errors()
        ]
        return error_body(422, "the request is not valid", "invalid", details=problems)

    @app.exception_handler(DossierError)
    async def dossier_error(request: Request, exc: DossierError) -> Response:
        status, code = _status_of(exc)
        if _wants_html(request):
            from search.web.pages import error_page

            return error_page(request, status, str(exc))
        return error_body(status, str(exc), code)


def _status_of(exc: DossierError) -> tuple[int, str]:
    """HTTP status and error code for a typed error."""
    if isinstance(exc, NotFound):
        return 404, "not-found"
    if isinstance(exc, InputError):
        return (413 if exc.reason == "too-large" else 400), exc.reason
    if isinstance(exc, DependencyError | TransientError):
        return 503, exc.code
    return 500, exc.code
