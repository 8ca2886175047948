"""Who is asking: API keys for machines, signed session cookies for people, CSRF, roles."""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import HTTPException, Request, Response
from itsdangerous import BadSignature

from search.web.accounts import Role, User
from search.web.context import WebContext, get_ctx

SESSION_COOKIE = "dossier_session"
LOGIN_CSRF_COOKIE = "dossier_login_csrf"
CSRF_HEADER = "X-CSRF-Token"
CSRF_FIELD = "csrf_token"
API_KEY_HEADER = "X-API-Key"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def issue_session(ctx: WebContext, response: Response, user: User) -> str:
    """Set the session cookie (HttpOnly, SameSite=Strict); returns its CSRF token."""
    csrf = secrets.token_urlsafe(24)
    token = ctx.signer.dumps({"u": user.username, "c": csrf, "e": user.epoch}, salt="session")
    response.set_cookie(
        SESSION_COOKIE, token, max_age=int(ctx.web.session_hours * 3600), httponly=True,
        samesite="strict", secure=ctx.web.secure_cookie, path="/",
    )  # fmt: skip
    return csrf


def clear_session(ctx: WebContext, response: Response) -> None:
    """Remove the session cookie."""
    response.delete_cookie(
        SESSION_COOKIE, httponly=True, samesite="strict", secure=ctx.web.secure_cookie, path="/"
    )


def set_login_csrf(ctx: WebContext, response: Response) -> str:
    """A CSRF token for the login form (double-submit: signed cookie + hidden field)."""
    token = secrets.token_urlsafe(24)
    response.set_cookie(
        LOGIN_CSRF_COOKIE, ctx.signer.dumps(token, salt="login"), max_age=3600, httponly=True,
        samesite="strict", secure=ctx.web.secure_cookie, path="/",
    )  # fmt: skip
    return token


def check_login_csrf(ctx: WebContext, request: Request, submitted: str) -> bool:
    """True when the login form's token matches its cookie."""
    try:
        expected = ctx.signer.loads(
            request.cookies.get(LOGIN_CSRF_COOKIE, ""), salt="login", max_age=3600
        )
    except BadSignature:
        return False
    return isinstance(expected, str) and hmac.compare_digest(expected, submitted or "")


def authenticate(ctx: WebContext, request: Request) -> User | None:
    """The user behind the API key or the session cookie (None when neither is valid)."""
    if hasattr(request.state, "user"):
        return request.state.user
    user: User | None = None
    request.state.csrf = None
    key = request.headers.get(API_KEY_HEADER)
    if key:
        user = ctx.accounts.by_api_key(key)
        request.state.via = "key"
    elif cookie := request.cookies.get(SESSION_COOKIE):
        user = _session_user(ctx, request, cookie)
        request.state.via = "session"
    request.state.user = user
    return user


def _session_user(ctx: WebContext, request: Request, cookie: str) -> User | None:
    try:
        data: Any = ctx.signer.loads(
            cookie, salt="session", max_age=int(ctx.web.session_hours * 3600)
        )
    except BadSignature:
        return None
    if not isinstance(data, dict):
        return None
    user = ctx.accounts.get(str(data.get("u", "")))
    if user is None or user.disabled or data.get("e") != user.epoch:
        return None
    request.state.csrf = str(data.get("c", ""))
    return user


async def _csrf_ok(request: Request) -> bool:
    """Cookie-authenticated writes must echo the session's CSRF token (header or form field)."""
    if request.method in SAFE_METHODS or getattr(request.state, "via", None) != "session":
        return True
    expected = request.state.csrf or ""
    given = request.headers.get(CSRF_HEADER, "")
    if not given and request.headers.get("content-type", "").startswith(
        ("application/x-www-form-urlencoded", "multipart/form-data")
    ):
        given = str((await request.form()).get(CSRF_FIELD, ""))
    return bool(expected) and hmac.compare_digest(expected, given)


def require(role: Role) -> Callable[[Request], Awaitable[User]]:
    """A dependency: 401 without credentials, 403 below `role` or on a bad CSRF token."""

    async def dependency(request: Request) -> User:
        ctx = get_ctx(request)
        user = authenticate(ctx, request)
        if user is None:
            raise HTTPException(401, "sign in, or send a valid X-API-Key header")
        if not user.can(role):
            raise HTTPException(403, f"this needs the {role} role")
        if not await _csrf_ok(request):
            raise HTTPException(403, "missing or wrong CSRF token; reload the page")
        return user

    return dependency
