"""Server-rendered pages for officers (Jinja2 + a little JavaScript), in Vietnamese."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlsplit

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates

from pipeline.errors import InputError
from pipeline.models import DOC_TYPES, FIELD_NAMES
from search.web import charts, labels
from search.web import stats as stats_mod
from search.web.accounts import ROLE_VI, User
from search.web.api_admin import reindex_record
from search.web.context import WebContext, client_ip, get_ctx
from search.web.files import load_record, page_numbers, searchable_pdf
from search.web.security import (
    CSRF_FIELD,
    check_login_csrf,
    clear_session,
    issue_session,
    require,
    set_login_csrf,
)

router = APIRouter(include_in_schema=False)
templates = Jinja2Templates(directory=Path(__file__).parent / "templates")
templates.env.filters["dmy"] = labels.dmy
templates.env.filters["dmy_time"] = labels.dmy_time
templates.env.globals.update(
    DOC_TYPE_VI=labels.DOC_TYPE_VI, FIELD_VI=labels.FIELD_VI, ACTION_VI=labels.ACTION_VI,
    ROLE_VI=ROLE_VI, DOC_TYPES=DOC_TYPES, CSRF_FIELD=CSRF_FIELD,
)  # fmt: skip
Ctx = Annotated[WebContext, Depends(get_ctx)]
Officer = Annotated[User, Depends(require("officer"))]
Archivist = Annotated[User, Depends(require("archivist"))]


def render(request: Request, name: str, status: int = 200, **context: Any) -> HTMLResponse:
    """A page with the signed-in user and their CSRF token in its context."""
    context.setdefault("user", getattr(request.state, "user", None))
    context.setdefault("csrf", getattr(request.state, "csrf", None) or "")
    return templates.TemplateResponse(request, name, context, status_code=status)


def error_page(request: Request, status: int, message: str) -> HTMLResponse:
    """An error as a page (the API answers JSON instead)."""
    titles = {403: "Không có quyền truy cập", 404: "Không tìm thấy", 429: "Thử lại sau"}
    title = titles.get(status, "Có lỗi xảy ra")
    return render(request, "error.html", status, title=title, message=message, code=status)


def _safe_next(target: str | None) -> str:
    """Only local paths are followed after login (no open redirect)."""
    if not target or not target.startswith("/") or target.startswith("//"):
        return "/"
    parts = urlsplit(target)
    return target if not parts.scheme and not parts.netloc else "/"


@router.get("/login")
def login_form(request: Request, ctx: Ctx, next: str = "/") -> Response:
    """The sign-in form."""
    return _login_page(request, ctx, _safe_next(next), None, 200)


def _login_page(
    request: Request, ctx: WebContext, target: str, error: str | None, status: int, wait: int = 0
) -> Response:
    """The login form with a fresh CSRF token (cookie + hidden field)."""
    holder = Response()
    token = set_login_csrf(ctx, holder)
    page = render(request, "login.html", status, next=target, error=error, login_token=token)
    page.headers.append("set-cookie", holder.headers["set-cookie"])
    if wait:
        page.headers["Retry-After"] = str(wait)
    return page


@router.post("/login")
def login(
    request: Request,
    ctx: Ctx,
    username: Annotated[str, Form(max_length=64)],
    password: Annotated[str, Form(max_length=256)],
    csrf_token: Annotated[str, Form(max_length=128)] = "",
    next: Annotated[str, Form(max_length=512)] = "/",
) -> Response:
    """Check the password (with backoff after failures), then set the session cookie."""
    target = _safe_next(next)
    if not check_login_csrf(ctx, request, csrf_token):
        return _login_page(
            request, ctx, target, "Phiên đăng nhập đã hết hạn, vui lòng thử lại.", 403
        )
    result = ctx.accounts.login(username, password, client_ip(request))
    name = username.strip().lower()[:64]
    if result.user is None:
        ctx.audit.write("login", username=name, ip=client_ip(request), outcome=result.reason)
        if result.reason == "locked":
            wait = int(result.retry_after_s) + 1
            message = f"Đăng nhập sai quá nhiều lần. Vui lòng thử lại sau {wait} giây."
            return _login_page(request, ctx, target, message, 429, wait)
        return _login_page(request, ctx, target, "Sai tên đăng nhập hoặc mật khẩu.", 401)
    ctx.audit.write("login", username=result.user.username, ip=client_ip(request))
    response = RedirectResponse(target, status_code=303)
    issue_session(ctx, response, result.user)
    return response


@router.post("/logout")
def logout(request: Request, ctx: Ctx, user: Officer) -> Response:
    """End the session."""
    ctx.record(request, "logout", user=user)
    ctx.accounts.end_sessions(user.username)  # a copied cookie is void from now on too
    response = RedirectResponse("/login", status_code=303)
    clear_session(ctx, response)
    return response


@router.get("/")
def search_page(request: Request, user: Officer) -> HTMLResponse:
    """The search box with instant results, filters and facets."""
    return render(request, "search.html")


@router.get("/records/{record_id}")
def record_page(request: Request, ctx: Ctx, user: Officer, record_id: str) -> HTMLResponse:
    """A record: the original page images beside the extracted fields; a reuse panel."""
    record, _ = load_record(ctx.archive, record_id)
    ctx.record(request, "view", user=user, records=[record["id"]])
    return render(
        request, "record.html", record=record, pages=page_numbers(record),
        has_pdf=searchable_pdf(ctx.archive, record) is not None, FIELD_NAMES=FIELD_NAMES,
        saved=request.query_params.get("saved"),
    )  # fmt: skip


@router.post("/records/{record_id}/correct")
async def correct_form(request: Request, ctx: Ctx, user: Archivist, record_id: str) -> Response:
    """The correction form: changed fields and type are saved with the archivist's name."""
    from pipeline.review import correct

    record, _ = load_record(ctx.archive, record_id)
    form = await request.form()
    old = {k: v.get("value") for k, v in (record.get("fields") or {}).items()}
    changes: dict[str, str | None] = {}
    for name in FIELD_NAMES:
        key = f"field.{name}"
        if key not in form:
            continue
        value = " ".join(str(form[key]).split())
        new = labels_to_iso(name, value) if value else None
        if new != (old.get(name) or None) and not (new is None and name not in old):
            changes[name] = value or None
    doc_type = str(form.get("doc_type") or record["doc_type"])
    try:
        updated = correct(ctx.archive, record["id"], doc_type=doc_type, fields=changes,
                          user=user.username)  # fmt: skip
    except InputError as e:
        ctx.record(request, "correct", user=user, outcome="bad-input", records=[record["id"]])
        return error_page(request, 400, str(e))
    reindex_record(ctx, updated)
    ctx.record(request, "correct", user=user, records=[record["id"]],
               detail={"fields": sorted(changes), "doc_type": doc_type})  # fmt: skip
    return RedirectResponse(f"/records/{record['id']}?saved=1", status_code=303)


def labels_to_iso(name: str, value: str) -> str:
    """Compare dates as the archive stores them (ISO) whatever the officer typed."""
    from pipeline.models import DATE_FIELDS
    from pipeline.normalize import parse_date

    return (parse_date(value) or value) if name in DATE_FIELDS else value


@router.post("/records/{record_id}/approve")
def approve_form(request: Request, ctx: Ctx, user: Archivist, record_id: str) -> Response:
    """Accept a record from its page."""
    from pipeline.review import approve

    record, _ = load_record(ctx.archive, record_id)
    updated = approve(ctx.archive, record["id"], user=user.username)
    reindex_record(ctx, updated)
    ctx.record(request, "approve", user=user, records=[record["id"]])
    return RedirectResponse("/review", status_code=303)


@router.get("/review")
def review_page(request: Request, ctx: Ctx, user: Archivist) -> HTMLResponse:
    """The review queue and the upload form."""
    from pipeline.review import pending_reviews

    return render(request, "review.html", items=pending_reviews(ctx.archive)[:200])


@router.get("/stats")
def stats_page(
    request: Request, ctx: Ctx, user: Officer,
    start_text: Annotated[str, Query(alias="from", max_length=10)] = "",
    end_text: Annotated[str, Query(alias="to", max_length=10)] = "",
) -> HTMLResponse:  # fmt: skip
    """Figures and charts for a date range; the CSV link carries the same range."""
    error = None
    try:
        start, end = labels.parse_day(start_text), labels.parse_day(end_text)
    except ValueError:
        start = end = None
        error = "Ngày không hợp lệ; nhập theo dạng dd/mm/yyyy."
    if start and end and start > end:
        start, end = end, start
    figures = stats_mod.compute(ctx.archive, ctx.store, start, end)
    query = "&".join(f"{k}={v}" for k, v in (("from", start), ("to", end)) if v)
    return render(request, "stats.html", figures=figures, svg=_charts(figures), start=start,
                  end=end, query=query, error=error)  # fmt: skip


def _charts(figures: dict[str, Any]) -> dict[str, Any]:
    """The SVG charts of the statistics page."""
    dmy = labels.dmy
    return {
        "per_day": charts.columns(
            [(dmy(p["day"])[:5], p["count"]) for p in figures["per_day"]],
            title="Số giấy tờ số hóa theo ngày"),
        "by_type": charts.bars(
            [(labels.DOC_TYPE_VI.get(p["doc_type"], p["doc_type"]), p["count"])
             for p in figures["by_type"]], title="Theo loại giấy tờ"),
        "by_agency": charts.bars(
            [(p["agency"], p["count"]) for p in figures["by_agency"]], title="Theo cơ quan cấp"),
        "confidence": charts.columns(
            [(f"{p['from']:.1f}", p["count"]) for p in figures["ocr_confidence"]],
            title="Phân bố độ tin cậy OCR", height=180),
    }  # fmt: skip
