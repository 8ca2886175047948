"""Fuzzing the query builders against the real node: any typed string is a valid, inert query.

Whatever lands in the search box, the filter boxes or the reuse-by-name form (Lucene syntax,
control characters, lone surrogates as `sys.argv` delivers undecodable bytes, megabyte
strings, nothing at all) must give a query body that Elasticsearch accepts (no 400/500) and
that holds no clause type that parses syntax. Each example runs the real search functions
against a small real index; the bodies they send are captured on the way and inspected.

The default run tries FUZZ_EXAMPLES examples per test (100); `make soak` runs the long
profile with `DOSSIER_FUZZ_EXAMPLES=2000`.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from typing import Any

import pytest
from elasticsearch import Elasticsearch
from hypothesis import HealthCheck, event, example, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from pipeline.config import Settings
from pipeline.errors import InputError
from pipeline.models import DOC_TYPES
from search.indexer import index_records
from search.person import reuse, reuse_by_name
from search.queries import SORTS, SearchFilters, search

pytestmark = pytest.mark.integration

FUZZ_EXAMPLES = int(os.environ.get("DOSSIER_FUZZ_EXAMPLES", "100"))
FUZZ = hsettings(
    max_examples=FUZZ_EXAMPLES,
    deadline=None,
    derandomize=FUZZ_EXAMPLES <= 100,  # the default run is reproducible; the long one explores
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    database=None,
)
# Clause types whose text is parsed as a query language (or as a pattern): user input must
# never reach one of them.
SYNTAX_CLAUSES = frozenset(
    {"query_string", "simple_query_string", "regexp", "wildcard", "prefix", "fuzzy", "script",
     "intervals", "span_multi"}
)  # fmt: skip
LUCENE = ["*", "?", "~", "~2", "^10", '"', "(", ")", "[", "]", "{", "}", "\\", ":", "/", "!",
          "&&", "||", "AND", "OR", "NOT", "+", "-", "*:*", "_exists_:x", "text:lan", "/.*/",
          "person.name:*", "[* TO *]", "{!lucene}", "\\u0000", "<em>", "</em>", "${x}"]  # fmt: skip
WORDS = ["Nguyễn", "Thị", "Lan", "nguyen", "thi", "lan", "Hoàng", "huynh", "Vũ", "Võ", "hoà",
         "thuỷ", "001190012345", "079085001122", "05/03/1990", "1990", "1990-03-05", "CS",
         "123456", "HS-2026-0001", "ĐĂNG", "Đ", "ký", "QĐ-UBND", "12/2023/QĐ"]  # fmt: skip
# Every code point, lone surrogates included (undecodable argv bytes arrive as U+DC80..DCFF).
ANY_CHAR = st.characters(exclude_categories=())
CONTROL = st.characters(min_codepoint=0, max_codepoint=0x1F) | st.sampled_from(
    ["\x7f", "\u200b", "\u202e", "\ufeff", "\udcff", "\ud800", "\U0010ffff"]
)
TOKENS = st.sampled_from(LUCENE + WORDS) | st.text(ANY_CHAR, max_size=6) | CONTROL
USER_TEXT = st.one_of(
    st.text(ANY_CHAR, max_size=80),
    st.lists(TOKENS, max_size=40).map(" ".join),
    st.lists(TOKENS, max_size=40).map("".join),
    # Huge input: a short piece repeated up to ~200k characters.
    st.tuples(st.text(ANY_CHAR, min_size=1, max_size=8), st.integers(1_000, 25_000)).map(
        lambda t: t[0] * t[1]
    ),
)


class RecordingClient:
    """Forwards `search` / `msearch` to the real client and keeps every request body."""

    def __init__(self, es: Elasticsearch) -> None:
        self.es = es
        self.requests: list[dict[str, Any]] = []

    def search(self, **kwargs: Any) -> Any:
        self.requests.append(kwargs)
        return self.es.search(**kwargs)

    def msearch(self, **kwargs: Any) -> Any:
        self.requests.append(kwargs)
        response = self.es.msearch(**kwargs)
        # msearch reports a rejected body per item, with a 200 for the whole request.
        errors = [r["error"] for r in response["responses"] if "error" in r]
        assert not errors, errors
        return response


def _record(n: int, doc_type: str, name: str, number: str | None, dob: str) -> dict[str, Any]:
    sha = hashlib.sha256(f"fuzz-{n}".encode()).hexdigest()
    fields = {
        "full_name": name,
        "date_of_birth": dob,
        "issue_date": "2021-10-10",
        "issuing_authority": "Cục Cảnh sát QLHC về TTXH",
        "dossier_code": "HS-2026-0001",
    }
    if number:
        fields["id_number"] = number
    text = f"CĂN CƯỚC CÔNG DÂN Số: {number or ''} Họ và tên: {name.upper()} Ngày sinh: {dob}"
    return {
        "schema_version": 1, "id": f"{sha}-1", "sha256": sha, "doc_index": 1,
        "source_file": f"fuzz-{n}.png", "original_path": f"originals/{sha[:2]}/{sha}.png",
        "media_type": "image/png", "ingested_at": f"2026-01-0{n + 1}T09:00:00+07:00",
        "doc_type": doc_type, "doc_type_confidence": 0.9, "page_start": 1, "page_end": 1,
        "page_count": 1, "text": text, "ocr_confidence": 0.9,
        "fields": {k: {"value": v, "confidence": 0.9} for k, v in fields.items()},
        "needs_review": False, "warnings": [], "dossier_code": "HS-2026-0001",
        "index_state": "indexed",
    }  # fmt: skip


@pytest.fixture(scope="module")
def fuzz_settings(settings: Settings, es_node: Elasticsearch) -> Settings:
    """A small real index: namesakes, a regional variant pair, a paper without an ID."""
    s = Settings(es_url=settings.es_url, index_prefix=f"{settings.index_prefix}-fuzz")
    records = [
        _record(0, "citizen_id_card", "Nguyễn Thị Lan", "001190012345", "1990-03-05"),
        _record(1, "citizen_id_card", "Hoàng Văn Nam", "079085001122", "1985-11-12"),
        _record(2, "citizen_id_card", "Huỳnh Văn Nam", "079085001123", "1985-11-12"),
        _record(3, "birth_certificate", "Nguyễn Thị Lan", None, "1990-03-05"),
    ]
    assert index_records(es_node, s, records).indexed == len(records)
    return s


def _walk(node: Any, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], Any]]:
    """Every (key path, value) in a JSON-like body."""
    if isinstance(node, dict):
        for key, value in node.items():
            yield (*path, str(key)), value
            yield from _walk(value, (*path, str(key)))
    elif isinstance(node, list | tuple):
        for value in node:
            yield from _walk(value, path)


def assert_inert(client: RecordingClient, raw: str, *, printable: bool = True) -> None:
    """No syntax-parsing clause anywhere; with `printable`, no control character is sent."""
    assert client.requests, "nothing was sent"
    for request in client.requests:
        for path, value in _walk(request):
            assert path[-1] not in SYNTAX_CLAUSES, (path, raw[:80])
            if printable and isinstance(value, str):
                bad = [ch for ch in value if not ch.isprintable() and ch not in " "]
                assert not bad, (path, value[:80])


@hsettings(FUZZ)
@given(text=USER_TEXT, sort=st.sampled_from(SORTS), facets=st.booleans(),
       doc_type=st.none() | st.sampled_from(DOC_TYPES), page=st.integers(1, 3))  # fmt: skip
@example(text="*:* AND (person.name:* OR /.*/)", sort="relevance", facets=True, doc_type=None,
         page=1)  # fmt: skip
@example(text='Lan~2 "Nguyễn Thị^10 \\ : ( [* TO *]', sort="relevance", facets=False,
         doc_type="citizen_id_card", page=1)  # fmt: skip
@example(text="\udcff\udcfe Ho\x00àng\x1b[31m 05/03/1990", sort="newest", facets=True,
         doc_type=None, page=2)  # fmt: skip
@example(text="", sort="relevance", facets=True, doc_type=None, page=1)
@example(text="x" * 1_000_000, sort="relevance", facets=False, doc_type=None, page=1)
def test_any_search_box_string_gives_an_accepted_inert_query(
    fuzz_settings: Settings, es_node: Elasticsearch, text: str, sort: str, facets: bool,
    doc_type: str | None, page: int,
) -> None:  # fmt: skip
    client = RecordingClient(es_node)
    result = search(client, fuzz_settings, text, sort=sort, facets=facets,
                    doc_type=doc_type, page=page)  # fmt: skip
    assert 0 <= result["total"] <= 4
    assert_inert(client, text)


@hsettings(FUZZ)
@given(authority=st.none() | USER_TEXT, dossier_code=st.none() | USER_TEXT, query=USER_TEXT)
@example(authority="Cục Cảnh sát* OR 1=1", dossier_code="HS-2026-0001\\", query="lan")
@example(authority="\udcff\x00", dossier_code="\u202e*", query="")
def test_any_filter_text_is_accepted_or_refused_as_input(
    fuzz_settings: Settings, es_node: Elasticsearch, authority: str | None,
    dossier_code: str | None, query: str,
) -> None:  # fmt: skip
    client = RecordingClient(es_node)
    filters = SearchFilters(authority=authority, dossier_code=dossier_code)
    try:
        result = search(client, fuzz_settings, query, filters=filters)
    except InputError as e:  # an over-long filter is refused before any request
        assert "longer than" in e.message and not client.requests
        event("filter refused as InputError")
        return
    event("filter sent to Elasticsearch")
    assert 0 <= result["total"] <= 4
    # Filter values are exact terms and phrases, sent as typed (control characters included:
    # they match nothing); only the search box and the reuse form strip non-printables.
    assert_inert(client, f"{authority!r} {dossier_code!r}", printable=False)


@hsettings(FUZZ)
@given(
    name=st.lists(TOKENS, min_size=1, max_size=6).map(" ".join) | USER_TEXT,
    dob=st.sampled_from(["05/03/1990", "1990-03-05", "5/3/1990", "31/02/1990"]) | USER_TEXT,
    id_number=st.sampled_from(["001190012345", "001 190 012.345", "079085001122"])
    | st.from_regex(r"\A[0-9 .]{9,16}\Z")
    | USER_TEXT,
)
@example(name="nguyen thi lan", dob="05/03/1990", id_number="001190012345")
@example(name="Nguyễn* OR Thị~ Lan", dob="1990-03-05", id_number="00119001234*")
@example(name="\udcffLan\x00", dob="05/03/1990\x1b", id_number="\udcff")
def test_reuse_lookups_take_any_text_without_syntax(
    fuzz_settings: Settings, es_node: Elasticsearch, name: str, dob: str, id_number: str
) -> None:
    for lookup in (lambda c: reuse_by_name(c, fuzz_settings, name, dob),
                   lambda c: reuse(c, fuzz_settings, id_number)):  # fmt: skip
        client = RecordingClient(es_node)
        try:
            result = lookup(client)
        except InputError:  # not a name / date / ID number: refused before any request
            assert not client.requests
            event("look-up refused as InputError")
            continue
        event("look-up sent to Elasticsearch")
        assert len(result["documents"]) <= 4
        assert_inert(client, f"{name!r} {id_number!r}")
