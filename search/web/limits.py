"""Request body limits enforced while the body streams in, before any parsing or spooling."""

from __future__ import annotations

import json
from typing import Any

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

DEFAULT_LIMIT = 1024 * 1024  # forms and JSON bodies
MULTIPART_SLACK = 64 * 1024  # multipart headers and the other form fields around the file


class BodyTooLarge(HTTPException):
    """The request body passed its limit (an HTTPException, so body parsers re-raise it)."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, f"request body over {limit} bytes")


class BodyLimit:
    """Answer 413 as soon as a body passes its limit (declared or counted while streaming)."""

    def __init__(self, app: ASGIApp, upload_paths: tuple[str, ...], upload_limit: int) -> None:
        self.app = app
        self.upload_paths = upload_paths
        self.upload_limit = upload_limit + MULTIPART_SLACK

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Wrap `receive` to count body bytes; reject an oversize Content-Length at once."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.upload_limit if scope["path"] in self.upload_paths else DEFAULT_LIMIT
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > limit:
            await _reject(send, limit)
            return
        seen = 0
        started = False

        async def counting_receive() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    raise BodyTooLarge(limit)
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counting_receive, tracking_send)
        except BodyTooLarge:
            if not started:
                await _reject(send, limit)


async def _reject(send: Send, limit: int) -> None:
    body: dict[str, Any] = {"error": {"status": 413, "code": "too-large",
                                      "message": f"request body over {limit} bytes"}}  # fmt: skip
    payload = json.dumps(body).encode()
    await send({"type": "http.response.start", "status": 413, "headers": [
        (b"content-type", b"application/json"), (b"content-length", str(len(payload)).encode()),
        (b"connection", b"close")]})  # fmt: skip
    await send({"type": "http.response.body", "body": payload})
