"""REST API for officers and machines: search, records and their files, reuse, stats, health."""

from __future__ import annotations

import hashlib
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request, Response
from fastapi.responses import FileResponse, JSONResponse, PlainTextResponse

from pipeline.errors import DossierError, InputError
from search.web import stats as stats_mod
from search.web.accounts import User
from search.web.context import WebContext, get_ctx
from search.web.files import (
    NotFound,
    load_record,
    original_file,
    page_numbers,
    render_page,
    safe_filename,
    searchable_pdf,
)
from search.web.labels import reuse_reason_vi
from search.web.security import require

router = APIRouter(prefix="/api/v1")
Ctx = Annotated[WebContext, Depends(get_ctx)]
Officer = Annotated[User, Depends(require("officer"))]


def not_modified(request: Request, etag: str) -> bool:
    """True when the client already holds this version (If-None-Match)."""
    return etag in {t.strip() for t in request.headers.get("if-none-match", "").split(",")}


@router.get("/health", tags=["system"])
def health(ctx: Ctx) -> JSONResponse:
    """Liveness: the archive is readable and whether Elasticsearch answers (no login)."""
    try:
        ctx.es().options(request_timeout=3, max_retries=0).cluster.health()
        es_state = "up"
    except DossierError:
        es_state = "down"
    except Exception:  # a flaky node must not make the health check itself fail
        es_state = "down"
    archive_ok = ctx.settings.archive_path.is_dir() or not ctx.settings.archive_path.exists()
    ok = es_state == "up" and archive_ok
    body = {"status": "ok" if ok else "degraded", "elasticsearch": es_state, "archive": archive_ok}
    return JSONResponse(body, status_code=200 if ok else 503)


@router.get("/search", tags=["search"])
def search_records(
    request: Request,
    ctx: Ctx,
    user: Officer,
    q: Annotated[str, Query(max_length=256, description="ID number, name, words")] = "",
    doc_type: str | None = None,
    page: Annotated[int, Query(ge=1)] = 1,
    size: Annotated[int, Query(ge=1, le=100)] = 20,
    sort: str = "relevance",
    issued_from: date | None = None,
    issued_to: date | None = None,
    born_from: date | None = None,
    born_to: date | None = None,
    authority: Annotated[str | None, Query(max_length=256)] = None,
    dossier_code: Annotated[str | None, Query(max_length=64)] = None,
    reusable_only: bool = False,
    as_of: date | None = None,
) -> dict[str, Any]:
    """Ranked documents with highlights and facet counts (doc_type, authority, year)."""
    from search.queries import SearchFilters, search

    filters = SearchFilters(
        issued_from=issued_from, issued_to=issued_to, born_from=born_from, born_to=born_to,
        authority=authority or None, dossier_code=dossier_code or None,
    )  # fmt: skip
    result = search(
        ctx.es(), ctx.settings, q, doc_type=doc_type or None, size=size, page=page,
        filters=filters, sort=sort, facets=True, reusable_only=reusable_only, as_of=as_of,
    )  # fmt: skip
    result["pages"] = -(-int(result["total"]) // size)
    ctx.record(
        request, "search", user=user, query=q, records=[h["id"] for h in result["hits"]],
        detail={"total": result["total"], "page": page, "filters": result.get("filters", {})},
    )  # fmt: skip
    return result


@router.get("/records/{record_id}", tags=["records"])
def record_detail(request: Request, ctx: Ctx, user: Officer, record_id: str) -> Response:
    """The sidecar record (the system of record) plus links to its files; ETag-cached."""
    record, raw = load_record(ctx.archive, record_id)
    ctx.record(request, "view", user=user, records=[record["id"]])
    etag = f'"{hashlib.sha256(raw).hexdigest()[:32]}"'
    if not_modified(request, etag):
        return Response(status_code=304, headers={"ETag": etag})
    base = f"/api/v1/records/{record['id']}"
    pdf = searchable_pdf(ctx.archive, record)
    record["files"] = {
        "original": f"{base}/original",
        "searchable_pdf": f"{base}/searchable.pdf" if pdf else None,
        "pages": [f"{base}/pages/{n}" for n in page_numbers(record)],
    }
    return JSONResponse(record, headers={"ETag": etag, "Cache-Control": "private, no-cache"})


@router.get("/records/{record_id}/original", tags=["records"])
def download_original(
    request: Request, ctx: Ctx, user: Officer, record_id: str, inline: bool = False
) -> Response:
    """The archived original file, as scanned (content-addressed, so the ETag is its hash)."""
    record, _ = load_record(ctx.archive, record_id)
    path = original_file(ctx.archive, record)
    ctx.record(request, "download", user=user, records=[record["id"]], detail={"file": "original"})
    etag = f'"{record["sha256"]}"'
    if not_modified(request, etag):
        return Response(status_code=304, headers={"ETag": etag})
    name = safe_filename(str(record.get("source_file") or ""), default=path.name)
    return FileResponse(
        path, media_type=str(record.get("media_type") or "application/octet-stream"),
        filename=name, content_disposition_type="inline" if inline else "attachment",
        headers={"ETag": etag, "Cache-Control": "private, max-age=3600",
                 "X-Content-Type-Options": "nosniff"},
    )  # fmt: skip


@router.get("/records/{record_id}/searchable.pdf", tags=["records"])
def download_searchable(request: Request, ctx: Ctx, user: Officer, record_id: str) -> Response:
    """The searchable PDF (scan + invisible text), when the pipeline has made one."""
    record, _ = load_record(ctx.archive, record_id)
    path = searchable_pdf(ctx.archive, record)
    if path is None:
        raise NotFound(f"no searchable PDF for {record['id']} yet", reason="not-found")
    ctx.record(request, "download", user=user, records=[record["id"]], detail={"file": "pdf"})
    name = safe_filename(str(record.get("source_file") or "document")).rsplit(".", 1)[0] + ".pdf"
    return FileResponse(path, media_type="application/pdf", filename=name)


@router.get("/records/{record_id}/pages/{number}", tags=["records"])
def page_image(request: Request, ctx: Ctx, user: Officer, record_id: str, number: int) -> Response:
    """One page of the original as a JPEG, for viewing beside the extracted fields."""
    record, _ = load_record(ctx.archive, record_id)
    if number not in page_numbers(record):
        raise NotFound(f"page {number} is not part of {record['id']}", reason="not-found")
    etag = f'"{record["sha256"]}-{number}"'
    if not_modified(request, etag):
        return Response(status_code=304, headers={"ETag": etag})
    body = render_page(original_file(ctx.archive, record), str(record["media_type"]), number)
    headers = {"ETag": etag, "Cache-Control": "private, max-age=3600"}
    return Response(body, media_type="image/jpeg", headers=headers)


@router.get("/dossiers/{code}", tags=["search"])
def dossier_detail(
    request: Request, ctx: Ctx, user: Officer, code: Annotated[str, Path(max_length=64)]
) -> dict[str, Any]:
    """A dossier: procedure, applicant, dates and status, its papers and its results."""
    from search.dossiers import dossier_view

    view = dossier_view(ctx.es(), ctx.settings, code)
    ids = [d["id"] for d in (*view["papers"], *view["results"])]
    ctx.record(request, "view", user=user, query=code, records=ids)
    if not view["total"]:
        raise NotFound(f"no archived document carries dossier code {code}", reason="not-found")
    return view


@router.get("/reuse/{id_number}", tags=["search"])
def reuse_lookup(
    request: Request, ctx: Ctx, user: Officer, id_number: str, as_of: date | None = None
) -> dict[str, Any]:
    """A person's archived papers and whether each may be reused (Circular 01/2023, Art. 4)."""
    from search.queries import reuse

    try:
        result = reuse(ctx.es(), ctx.settings, id_number, as_of=as_of)
    except InputError:
        ctx.record(request, "reuse", user=user, outcome="bad-input", query=id_number)
        raise
    docs = result["documents"]
    for doc in docs:
        doc["reason_vi"] = reuse_reason_vi(str(doc.get("reason") or ""))
    reusable = sum(bool(d["reusable"]) for d in docs)
    ctx.record(
        request, "reuse", user=user, query=result["id_number"], records=[d["id"] for d in docs],
        detail={"found": len(docs), "reusable": reusable},
    )  # fmt: skip
    return result


def _range(start: date | None, end: date | None) -> None:
    if start and end and start > end:
        raise InputError(f"date range is empty: {start} is after {end}")


@router.get("/stats", tags=["stats"])
def stats_json(
    ctx: Ctx, user: Officer, start: Annotated[date | None, Query(alias="from")] = None,
    end: Annotated[date | None, Query(alias="to")] = None,
) -> dict[str, Any]:  # fmt: skip
    """Papers per day, by type and agency; review backlog; OCR confidence; reuse rate."""
    _range(start, end)
    return stats_mod.compute(ctx.archive, ctx.store, start, end)


@router.get("/stats.csv", tags=["stats"])
def stats_csv(
    ctx: Ctx, user: Officer, start: Annotated[date | None, Query(alias="from")] = None,
    end: Annotated[date | None, Query(alias="to")] = None,
) -> PlainTextResponse:  # fmt: skip
    """The same figures as CSV (section, key, value)."""
    _range(start, end)
    body = stats_mod.to_csv(stats_mod.compute(ctx.archive, ctx.store, start, end))
    return PlainTextResponse(
        body, media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="dossier-stats.csv"'},
    )  # fmt: skip
