"""The reusable-only search filter: the indexed validity window agrees with `assess`."""

from __future__ import annotations

import hashlib
import json
import os
import uuid
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from elasticsearch import Elasticsearch
from es_support import index_all, private_index
from fastapi.testclient import TestClient
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st
from test_cli import dossier
from test_web_support import as_, seed

from pipeline.config import Settings
from pipeline.errors import InputError
from pipeline.models import DOC_TYPES
from pipeline.reuse import assess, validity
from search.indexer import index_records, to_es_doc
from search.mapping import alias_name, document_mapping, template_name
from search.person import VIETNAM_TZ
from search.queries import search

D = date.fromisoformat
NAME = "Trần Văn Bình"
BINH = {"full_name": NAME, "date_of_birth": "1990-03-05"}


def record(doc_type: str, fields: dict[str, str], source_file: str) -> dict[str, Any]:
    """A minimal sidecar record (docs/record.md shape)."""
    sha = hashlib.sha256(uuid.uuid4().bytes).hexdigest()
    return {
        "schema_version": 1, "id": f"{sha}-1", "sha256": sha, "doc_index": 1,
        "source_file": source_file, "original_path": f"originals/{sha[:2]}/{sha}.pdf",
        "media_type": "application/pdf", "doc_type": doc_type, "text": "",
        "fields": {k: {"value": v, "confidence": 0.9} for k, v in fields.items()},
    }  # fmt: skip


# --- the indexed window is `assess` in another form -------------------------------------


def in_window(doc: dict[str, Any], day: date) -> bool:
    """What the ES filter computes, evaluated in Python on an index document."""
    window = doc["reuse"]
    low, high = window.get("valid_from"), window.get("valid_until")
    return (
        not window["void"] and (low is None or D(low) <= day) and (high is None or day <= D(high))
    )


_days = st.dates(min_value=date(1940, 1, 1), max_value=date(2040, 12, 31))


@hsettings(max_examples=400, deadline=None)
@given(
    doc_type=st.sampled_from(DOC_TYPES),
    issued=st.none() | _days,
    born=st.none() | _days,
    expiry=st.none() | _days,
    id_number=st.sampled_from([None, "079190001234", "123456789"]),
    day=_days,
)
def test_indexed_window_agrees_with_assess_on_every_day(
    doc_type: str,
    issued: date | None,
    born: date | None,
    expiry: date | None,
    id_number: str | None,
    day: date,
) -> None:
    values = {"issue_date": issued, "date_of_birth": born, "expiry_date": expiry}
    fields = {k: v.isoformat() for k, v in values.items() if v is not None}
    if id_number:
        fields["id_number"] = id_number
    doc = to_es_doc(record(doc_type, fields, "x.pdf"))
    assert in_window(doc, day) == assess(doc_type, fields, day)[0]


def test_window_of_a_card_ends_at_the_next_renewal_age() -> None:
    window = validity("citizen_id_card", {**BINH, "issue_date": "2021-04-01"})
    assert (window.valid_from, window.last_day, window.void) == (
        D("2021-04-01"), D("2030-03-05"), False
    )  # fmt: skip


def test_window_of_an_old_cmnd_never_passes_2024() -> None:
    window = validity("citizen_id_card", {"id_number": "123456789", "issue_date": "2015-01-01"})
    assert window.last_day == D("2024-12-31")
    assert window.valid_until == D("2024-12-31")


def test_household_book_and_single_use_papers() -> None:
    assert validity("household_book", {}).last_day == D("2022-12-31")
    assert validity("application_form", {"issue_date": "2024-01-01"}).void
    assert not validity("birth_certificate", {}).void
    assert validity("birth_certificate", {}).last_day is None


# --- against the real node --------------------------------------------------------------

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def reuse_settings(settings: Settings, es_node: Elasticsearch) -> Settings:
    """A private index (under the session prefix, so the session cleans it up)."""
    return private_index(settings, "reusable")


@pytest.fixture(scope="module")
def papers(es_node: Elasticsearch, reuse_settings: Settings) -> dict[str, dict[str, Any]]:
    """One person's papers: valid, expired, void, never expiring, and one from the future."""
    papers = {
        # 12-digit card: valid to the 40th birthday, 2030-03-05.
        "card": record("citizen_id_card", {**BINH, "id_number": "079090001234",
                                           "issue_date": "2021-04-01"}, "card.pdf"),
        # 6 months from issue: valid through 2024-07-10.
        "marital": record("marital_status_certificate", {**BINH, "issue_date": "2024-01-10"},
                          "marital.pdf"),
        # CT07, 12 months from issue: valid through 2026-03-01.
        "residence": record("residence_confirmation", {**BINH, "issue_date": "2025-03-01"},
                            "ct07.pdf"),
        "household": record("household_book", {**BINH, "issue_date": "2010-05-01"},
                            "hokhau.pdf"),
        "form": record("application_form", {**BINH, "issue_date": "2025-02-01"}, "don.pdf"),
        "birth": record("birth_certificate", {**BINH, "issue_date": "1990-03-20"}, "ks.pdf"),
        # Printed expiry date.
        "printed": record("business_registration", {**BINH, "issue_date": "2020-01-01",
                                                    "expiry_date": "2025-12-31"}, "dkkd.pdf"),
    }  # fmt: skip
    return index_all(es_node, reuse_settings, papers)


def found(es: Elasticsearch, s: Settings, **options: Any) -> set[str]:
    result = search(es, s, NAME, size=100, suggest=False, **options)
    assert result["total"] == len(result["hits"])
    return {hit["source_file"] for hit in result["hits"]}


def test_without_the_filter_every_paper_is_found(
    es_node: Elasticsearch, reuse_settings: Settings, papers: dict
) -> None:
    assert found(es_node, reuse_settings) == {p["source_file"] for p in papers.values()}


def test_reusable_only_leaves_out_expired_void_and_single_use_papers(
    es_node: Elasticsearch, reuse_settings: Settings, papers: dict
) -> None:
    hits = found(es_node, reuse_settings, reusable_only=True, as_of=D("2025-06-01"))
    assert hits == {"card.pdf", "ct07.pdf", "ks.pdf", "dkkd.pdf"}


def test_a_paper_is_reusable_through_its_last_day_only(
    es_node: Elasticsearch, reuse_settings: Settings, papers: dict
) -> None:
    on_last_day = found(es_node, reuse_settings, reusable_only=True, as_of=D("2026-03-01"))
    day_after = found(es_node, reuse_settings, reusable_only=True, as_of=D("2026-03-02"))
    assert "ct07.pdf" in on_last_day
    assert "ct07.pdf" not in day_after
    # The printed expiry date (2025-12-31) has passed on both days.
    assert "dkkd.pdf" not in on_last_day


def test_a_paper_is_not_reusable_before_it_was_issued(
    es_node: Elasticsearch, reuse_settings: Settings, papers: dict
) -> None:
    hits = found(es_node, reuse_settings, reusable_only=True, as_of=D("2022-06-01"))
    # The household book was still valid in 2022; the 2024/2025 papers were not issued yet.
    assert hits == {"card.pdf", "hokhau.pdf", "ks.pdf", "dkkd.pdf"}


BOUNDARY_DAYS = ["2019-01-01", "2022-12-31", "2023-01-01", "2024-07-10", "2024-07-11",
                 "2025-12-31", "2026-01-01", "2031-01-01"]  # fmt: skip


@pytest.mark.parametrize("day", BOUNDARY_DAYS)
def test_the_filter_agrees_with_the_reuse_verdict(
    es_node: Elasticsearch, reuse_settings: Settings, papers: dict, day: str
) -> None:
    expected = {
        p["source_file"]
        for p in papers.values()
        if assess(p["doc_type"], {k: v["value"] for k, v in p["fields"].items()}, D(day))[0]
    }
    assert found(es_node, reuse_settings, reusable_only=True, as_of=D(day)) == expected


def test_reusable_only_defaults_to_today_in_vietnam(
    es_node: Elasticsearch, reuse_settings: Settings, papers: dict
) -> None:
    result = search(es_node, reuse_settings, NAME, reusable_only=True, suggest=False)
    today = datetime.now(VIETNAM_TZ).date()
    assert result["filters"]["reusable_on"] in {
        today.isoformat(), (today + timedelta(days=1)).isoformat()  # midnight in Hanoi
    }  # fmt: skip
    assert "don.pdf" not in {hit["source_file"] for hit in result["hits"]}


def test_as_of_without_reusable_only_is_refused(
    es_node: Elasticsearch, reuse_settings: Settings, papers: dict
) -> None:
    with pytest.raises(InputError):
        search(es_node, reuse_settings, NAME, as_of=D("2025-01-01"))


def test_search_command_reusable_only(
    reuse_settings: Settings, papers: dict, tmp_path: Any
) -> None:
    env = {
        **os.environ, "DOSSIER_HOME": str(tmp_path), "DOSSIER_ES_URL": reuse_settings.es_url,
        "DOSSIER_INDEX_PREFIX": reuse_settings.index_prefix,
    }  # fmt: skip
    res = dossier("search", "tran van binh", "--reusable-only", "--as-of", "2026-03-02",
                  "--size", "50", "--json", env=env)  # fmt: skip
    assert res.returncode == 0, res.stderr
    out = json.loads(res.stdout)
    assert {hit["source_file"] for hit in out["hits"]} == {"card.pdf", "ks.pdf"}
    assert out["filters"]["reusable_on"] == "2026-03-02"
    everything = dossier("search", "tran van binh", "--size", "50", "--json", env=env)
    assert json.loads(everything.stdout)["total"] == len(papers)
    refused = dossier("search", "tran van binh", "--as-of", "2026-03-02", env=env)
    assert refused.returncode == 2


def test_an_index_of_the_previous_mapping_gets_the_new_properties(
    es_node: Elasticsearch, settings: Settings
) -> None:
    """Writes into a v1 index behind the alias still succeed; old documents are left out."""
    s = Settings(es_url=settings.es_url, index_prefix=f"{settings.index_prefix}-oldmap",
                 es_shards=1, es_replicas=0)  # fmt: skip
    old_mapping = document_mapping()
    del old_mapping["properties"]["reuse"]
    old_index = f"{s.index_prefix}-documents-v1-20250101000000000000"
    es_node.indices.create(
        index=old_index, mappings=old_mapping, aliases={alias_name(s.index_prefix): {}},
        settings={"number_of_shards": 1, "number_of_replicas": 0,
                  "analysis": {"normalizer": {"dossier_lowercase": {
                      "type": "custom", "filter": ["lowercase"]}}}},
    )  # fmt: skip
    legacy = to_es_doc(record("birth_certificate", BINH, "legacy.pdf"))
    del legacy["reuse"]
    es_node.index(index=old_index, id=legacy["id"], document=legacy, refresh=True)

    report = index_records(es_node, s, [record("birth_certificate", BINH, "new.pdf")])

    assert report.failed == []
    assert es_node.indices.exists_index_template(name=template_name(s.index_prefix))
    assert found(es_node, s) == {"legacy.pdf", "new.pdf"}
    assert found(es_node, s, reusable_only=True, as_of=D("2025-01-01")) == {"new.pdf"}


def test_search_endpoint_passes_reusable_only_through(
    tmp_path_factory: pytest.TempPathFactory, settings: Settings, es_node: Elasticsearch
) -> None:
    world = seed(tmp_path_factory.mktemp("web-reusable"), settings, es_node, suffix="webreuse")
    expired = record("marital_status_certificate", {**BINH, "issue_date": "2024-01-10"}, "m.pdf")
    assert index_records(es_node, world.settings, [expired]).failed == []
    headers = as_(world, "officer")
    with TestClient(world.app) as client:
        every = client.get("/api/v1/search", params={"q": NAME}, headers=headers).json()
        params = {"q": NAME, "reusable_only": "true", "as_of": "2025-01-01"}
        reusable = client.get("/api/v1/search", params=params, headers=headers).json()
        refused = client.get("/api/v1/search", params={"q": NAME, "as_of": "2025-01-01"},
                             headers=headers)  # fmt: skip
    assert "m.pdf" in {hit["source_file"] for hit in every["hits"]}
    assert "m.pdf" not in {hit["source_file"] for hit in reusable["hits"]}
    assert reusable["filters"]["reusable_on"] == "2025-01-01"
    assert refused.status_code == 400
