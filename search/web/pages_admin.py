"""Admin pages: the audit log and user accounts."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse

from pipeline.errors import InputError
from search.web import labels
from search.web.accounts import ROLES, User
from search.web.audit import ACTIONS, AuditFilter
from search.web.context import WebContext, get_ctx
from search.web.pages import render
from search.web.security import require

router = APIRouter(include_in_schema=False)
Ctx = Annotated[WebContext, Depends(get_ctx)]
Admin = Annotated[User, Depends(require("admin"))]


@router.get("/audit")
def audit_page(
    request: Request, ctx: Ctx, user: Admin, username: str = "", action: str = "",
    since: str = "", until: str = "", contains: str = "",
) -> HTMLResponse:  # fmt: skip
    """The audit log, filtered (admins only)."""
    try:
        since_day, until_day = labels.parse_day(since), labels.parse_day(until)
    except ValueError:
        since_day = until_day = None
    criteria = AuditFilter(
        username or None, action or None, since_day.isoformat() if since_day else None,
        until_day.isoformat() if until_day else None, contains or None, 300,
    )  # fmt: skip
    return render(
        request, "audit.html", entries=ctx.audit.read(criteria), total=ctx.audit.count(criteria),
        actions=ACTIONS, f=criteria,
    )  # fmt: skip


def _users_page(
    request: Request, ctx: WebContext, *, status: int = 200, notice: str | None = None,
    new_key: str | None = None, error: str | None = None,
) -> HTMLResponse:  # fmt: skip
    return render(
        request, "users.html", status, users=ctx.accounts.list(), roles=ROLES, notice=notice,
        new_key=new_key, error=error,
    )  # fmt: skip


@router.get("/users")
def users_page(request: Request, ctx: Ctx, user: Admin) -> HTMLResponse:
    """Accounts: add, disable or enable, new API key."""
    return _users_page(request, ctx)


@router.post("/users")
def add_user_form(
    request: Request, ctx: Ctx, user: Admin,
    username: Annotated[str, Form(max_length=64)],
    role: Annotated[str, Form(max_length=16)],
    password: Annotated[str, Form(max_length=256)],
) -> HTMLResponse:  # fmt: skip
    """Create an account; its API key is shown once."""
    try:
        created = ctx.accounts.add(username, role, password)
    except InputError as e:
        return _users_page(request, ctx, status=400, error=str(e))
    key = ctx.accounts.reset_key(created.username)
    detail = {"op": "add", "username": created.username, "role": created.role}
    ctx.record(request, "user", user=user, detail=detail)
    return _users_page(request, ctx, notice=f"Đã tạo tài khoản {created.username}.", new_key=key)


@router.post("/users/{username}/{op}")
def user_action(request: Request, ctx: Ctx, user: Admin, username: str, op: str) -> HTMLResponse:
    """Disable, enable or give a new API key to an account."""
    key = None
    try:
        if op in ("disable", "enable"):
            ctx.accounts.set_disabled(username, op == "disable")
            notice = f"Đã {'khóa' if op == 'disable' else 'mở khóa'} tài khoản {username}."
        elif op == "reset-key":
            key = ctx.accounts.reset_key(username)
            notice = f"Đã cấp khóa API mới cho {username}."
        else:
            return _users_page(request, ctx, status=404, error=f"không có thao tác {op!r}")
    except InputError as e:
        return _users_page(request, ctx, status=400, error=str(e))
    ctx.record(request, "user", user=user, detail={"op": op, "username": username})
    return _users_page(request, ctx, notice=notice, new_key=key)
