"""REST API for archivists and admins: review queue, corrections, upload, users, audit."""

from __future__ import annotations

import logging
import tempfile
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, HTTPException, Query, Request, UploadFile
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from pipeline.errors import DependencyError, InputError, TransientError
from pipeline.intake import sniff_media_type
from search.web.accounts import User
from search.web.audit import AuditFilter
from search.web.context import WebContext, get_ctx
from search.web.files import safe_filename
from search.web.security import require

log = logging.getLogger(__name__)
router = APIRouter(prefix="/api/v1")
Ctx = Annotated[WebContext, Depends(get_ctx)]
Archivist = Annotated[User, Depends(require("archivist"))]
Admin = Annotated[User, Depends(require("admin"))]
_CHUNK = 1 << 20


def reindex_record(ctx: WebContext, record: dict[str, Any]) -> str:
    """Push a changed record to the index; when the index is down it stays `pending`."""
    from search.indexer import index_records

    try:
        index_records(ctx.es(), ctx.settings, [record], refresh=True)
    except (DependencyError, TransientError) as e:
        log.warning("%s: saved, not indexed yet: %s", str(record.get("id"))[:12], e)
        return "pending"
    ctx.archive.set_index_state([record], "indexed")
    return "indexed"


@router.get("/review", tags=["review"])
def review_queue(
    ctx: Ctx, user: Archivist, page: Annotated[int, Query(ge=1)] = 1,
    size: Annotated[int, Query(ge=1, le=100)] = 20,
) -> dict[str, Any]:  # fmt: skip
    """Documents flagged `needs_review`, oldest first, paginated."""
    from pipeline.review import pending_reviews

    queue = pending_reviews(ctx.archive)
    items = [
        {"id": r["id"], "doc_type": r.get("doc_type"), "source_file": r.get("source_file"),
         "ingested_at": r.get("ingested_at"), "warnings": r.get("warnings") or [],
         "ocr_confidence": r.get("ocr_confidence"),
         "doc_type_confidence": r.get("doc_type_confidence"), "fields": r.get("fields") or {}}
        for r in queue[(page - 1) * size : page * size]
    ]  # fmt: skip
    return {"total": len(queue), "page": page, "size": size,
            "pages": -(-len(queue) // size), "items": items}  # fmt: skip


@router.post("/review/{record_id}/approve", tags=["review"])
def approve_record(request: Request, ctx: Ctx, user: Archivist, record_id: str) -> dict[str, Any]:
    """Accept a record as it is: it leaves the review queue."""
    from pipeline.review import approve

    _exists(ctx, record_id)
    record = approve(ctx.archive, record_id, user=user.username)
    state = reindex_record(ctx, record)
    ctx.record(request, "approve", user=user, records=[record["id"]])
    return {"id": record["id"], "review": record["review"], "index_state": state}


class Correction(BaseModel):
    """A correction: the right type and/or field values (null removes a field)."""

    doc_type: str | None = None
    fields: dict[str, str | None] = Field(default_factory=dict)


@router.post("/review/{record_id}/correct", tags=["review"])
def correct_record(
    request: Request, ctx: Ctx, user: Archivist, record_id: str, body: Correction
) -> dict[str, Any]:
    """Fix the type and fields; the sidecar keeps who changed what; the index catches up."""
    from pipeline.review import correct

    _exists(ctx, record_id)
    try:
        record = correct(
            ctx.archive, record_id, doc_type=body.doc_type, fields=body.fields, user=user.username
        )
    except InputError:
        ctx.record(request, "correct", user=user, outcome="bad-input", records=[record_id])
        raise
    state = reindex_record(ctx, record)
    changes = [c for c in record.get("corrections", []) if c.get("at") == record["review"]["at"]]
    ctx.record(
        request, "correct", user=user, records=[record["id"]],
        detail={"changes": [{"what": c["what"], "old": c["old"], "new": c["new"]}
                            for c in changes]},
    )  # fmt: skip
    return {"id": record["id"], "doc_type": record["doc_type"], "fields": record["fields"],
            "corrections": record.get("corrections", []), "index_state": state}  # fmt: skip


def _exists(ctx: WebContext, record_id: str) -> None:
    path = ctx.archive.sidecar_path(record_id)
    if path is None or not path.is_file():
        raise HTTPException(404, f"no record {record_id!r}")


@router.post("/ingest", tags=["ingest"], status_code=201)
def upload(
    request: Request,
    ctx: Ctx,
    user: Archivist,
    file: Annotated[UploadFile, File(description="A scan: PDF, JPEG, PNG, TIFF, BMP or WebP")],
    dossier_code: Annotated[str | None, Form(max_length=64)] = None,
) -> JSONResponse:
    """Archive, process and index one uploaded scan (checked by content, size-limited)."""
    limit = ctx.web.max_upload_bytes
    declared = int(request.headers.get("content-length") or 0)
    name = safe_filename(file.filename or "")
    if declared > limit + 64 * 1024:
        return _rejected(ctx, request, user, name, 413, "too-large", _too_large(limit))
    uploads = ctx.settings.home_path / "web" / "uploads"
    uploads.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=uploads) as tmp:
        dest = Path(tmp) / name
        if not _copy_limited(file, dest, limit):
            return _rejected(ctx, request, user, name, 413, "too-large", _too_large(limit))
        with dest.open("rb") as fh:
            media_type = sniff_media_type(fh.read(2048))
        if media_type is None:
            message = f"{name}: not a supported scan (PDF, JPEG, PNG, TIFF, BMP or WebP)"
            return _rejected(ctx, request, user, name, 415, "unsupported", message)
        outcome = _ingest(ctx, dest, name, dossier_code)
    if outcome.status == "quarantined":
        code = outcome.error_code or "invalid"
        return _rejected(ctx, request, user, name, 422, code, outcome.message or code)
    state = "indexed"
    if outcome.status == "processed" or any(
        r.get("index_state") != "indexed" for r in outcome.records
    ):
        state = _index_all(ctx, outcome.records)
    ids = [r["id"] for r in outcome.records]
    detail = {"file": name, "status": outcome.status, "media_type": media_type}
    ctx.record(request, "upload", user=user, records=ids, detail=detail)
    body = {"file": name, "status": outcome.status, "sha256": outcome.sha256,
            "pages": outcome.pages, "index_state": state,
            "documents": [{"id": r["id"], "doc_type": r["doc_type"],
                           "needs_review": r.get("needs_review", False)}
                          for r in outcome.records]}  # fmt: skip
    return JSONResponse(body, status_code=201 if outcome.status == "processed" else 200)


def _too_large(limit: int) -> str:
    return f"the file is over the {limit / 2**20:.0f} MiB upload limit"


def _copy_limited(upload_file: UploadFile, dest: Path, limit: int) -> bool:
    """Copy the upload to `dest`; False (and nothing kept) once it passes `limit` bytes."""
    written = 0
    with dest.open("wb") as out:
        while chunk := upload_file.file.read(_CHUNK):
            written += len(chunk)
            if written > limit:
                return False
            out.write(chunk)
    return True


def _ingest(ctx: WebContext, path: Path, name: str, dossier_code: str | None) -> Any:
    from pipeline.ingest import ingest_file
    from pipeline.process import make_engine

    limited = ctx.settings.model_copy(
        update={"max_file_bytes": min(ctx.settings.max_file_bytes, ctx.web.max_upload_bytes),
                "max_pages": min(ctx.settings.max_pages, ctx.web.max_upload_pages)}
    )  # fmt: skip
    return ingest_file(path, name, limited, make_engine(limited), dossier_code=dossier_code)


def _index_all(ctx: WebContext, records: list[dict[str, Any]]) -> str:
    from search.indexer import index_records

    try:
        index_records(ctx.es(), ctx.settings, records, refresh=True)
    except (DependencyError, TransientError) as e:
        log.warning("upload archived; index unavailable, records left pending: %s", e)
        return "pending"
    ctx.archive.set_index_state(records, "indexed")
    return "indexed"


def _rejected(
    ctx: WebContext, request: Request, user: User, name: str, status: int, code: str, message: str
) -> JSONResponse:
    ctx.record(request, "upload", user=user, outcome=code, detail={"file": name})
    body = {"error": {"status": status, "code": code, "message": message}}
    return JSONResponse(body, status_code=status)


class NewUser(BaseModel):
    """An account to create."""

    username: str
    role: str = "officer"
    password: str | None = None


@router.get("/users", tags=["admin"])
def list_users(ctx: Ctx, user: Admin) -> dict[str, Any]:
    """Every account (no secrets)."""
    return {"users": ctx.accounts.list()}


@router.post("/users", tags=["admin"], status_code=201)
def add_user(request: Request, ctx: Ctx, user: Admin, body: NewUser) -> dict[str, Any]:
    """Create an account; the API key is returned once."""
    created = ctx.accounts.add(body.username, body.role, body.password)
    key = ctx.accounts.reset_key(created.username)
    ctx.record(request, "user", user=user, detail={"op": "add", "username": created.username,
                                                     "role": created.role})  # fmt: skip
    return {"username": created.username, "role": created.role, "api_key": key}


@router.post("/users/{username}/disable", tags=["admin"])
def disable_user(request: Request, ctx: Ctx, user: Admin, username: str) -> dict[str, Any]:
    """Disable an account: its sessions and API key stop working at once."""
    ctx.accounts.set_disabled(username, True)
    ctx.record(request, "user", user=user, detail={"op": "disable", "username": username})
    return {"username": username, "disabled": True}


@router.post("/users/{username}/reset-key", tags=["admin"])
def reset_key(request: Request, ctx: Ctx, user: Admin, username: str) -> dict[str, Any]:
    """A new API key for an account (the old one stops working)."""
    key = ctx.accounts.reset_key(username)
    ctx.record(request, "user", user=user, detail={"op": "reset-key", "username": username})
    return {"username": username, "api_key": key}


@router.post("/admin/reindex", tags=["admin"])
def reindex_all(request: Request, ctx: Ctx, user: Admin) -> dict[str, Any]:
    """Rebuild the search index from the archive (the system of record)."""
    from search.reindex import reindex

    report = reindex(ctx.es(), ctx.settings, ctx.archive)
    ctx.record(request, "reindex", user=user, detail={"indexed": report.indexed})
    return {"index": report.index, "indexed": report.indexed, "failed": len(report.failed),
            "skipped": len(report.skipped)}  # fmt: skip


@router.get("/audit", tags=["admin"])
def read_audit(
    ctx: Ctx, user: Admin, username: str | None = None, action: str | None = None,
    since: str | None = None, until: str | None = None,
    contains: Annotated[str | None, Query(max_length=100)] = None,
    page: Annotated[int, Query(ge=1)] = 1, size: Annotated[int, Query(ge=1, le=500)] = 100,
) -> dict[str, Any]:  # fmt: skip
    """Audit entries, newest first, filtered by user, action, time range or text."""
    criteria = AuditFilter(username, action, since, until, contains, size, (page - 1) * size)
    total = ctx.audit.count(criteria)
    return {"total": total, "page": page, "size": size, "entries": ctx.audit.read(criteria)}
