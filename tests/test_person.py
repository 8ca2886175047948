"""The reuse look-up by ID number and by exact name plus birth date (real Elasticsearch node)."""

from __future__ import annotations

import hashlib
import uuid
from datetime import date
from typing import Any

import pytest
from elasticsearch import Elasticsearch
from es_support import index_all, private_index

from pipeline.config import Settings
from pipeline.errors import InputError
from search.person import birth_date_of, name_of, reuse, reuse_by_name

LAN_ID = "079190001234"
OTHER_ID = "001190005678"


def record(doc_type: str, fields: dict[str, str], source_file: str) -> dict[str, Any]:
    """A minimal sidecar record (docs/record.md shape)."""
    sha = hashlib.sha256(uuid.uuid4().bytes).hexdigest()
    return {
        "schema_version": 1, "id": f"{sha}-1", "sha256": sha, "doc_index": 1,
        "source_file": source_file, "original_path": f"originals/{sha[:2]}/{sha}.pdf",
        "media_type": "application/pdf", "doc_type": doc_type, "text": "",
        "fields": {k: {"value": v, "confidence": 0.9} for k, v in fields.items()},
    }  # fmt: skip


LAN = {"full_name": "Nguyễn Thị Lan", "date_of_birth": "1990-03-05"}


@pytest.fixture(scope="module")
def person_settings(settings: Settings, es_node: Elasticsearch) -> Settings:
    """A private index (under the session prefix, so the session cleans it up)."""
    return private_index(settings, "person")


@pytest.fixture(scope="module")
def papers(es_node: Elasticsearch, person_settings: Settings) -> dict[str, dict[str, Any]]:
    """Lan's papers with and without an ID, and people who share only part of her identity."""
    papers = {
        "card": record("citizen_id_card", {**LAN, "id_number": LAN_ID,
                                            "issue_date": "2021-04-01"}, "lan-cccd.pdf"),
        "marital": record("marital_status_certificate",
                          {**LAN, "id_number": LAN_ID, "issue_date": "2025-01-10"}, "lan-tthn.pdf"),
        # No ID number printed: linked by exact name (in capitals) + birth date.
        "birth": record("birth_certificate", {"full_name": "NGUYỄN THỊ LAN",
                                              "date_of_birth": "1990-03-05",
                                              "issue_date": "1990-03-20"}, "lan-ks.pdf"),
        # Same name, another birth date: never linked.
        "namesake": record("birth_certificate", {"full_name": "Nguyễn Thị Lan",
                                                 "date_of_birth": "1991-03-05"}, "other-ks.pdf"),
        # Same name and birth date but another ID number: another person.
        "twin_card": record("citizen_id_card", {**LAN, "id_number": OTHER_ID,
                                                "issue_date": "2022-02-02"}, "other-cccd.pdf"),
        # Other accents, same birth date: only a folded (no-diacritics) query finds it.
        "lan_accent": record("birth_certificate", {"full_name": "Nguyễn Thị Lân",
                                                   "date_of_birth": "1990-03-05"}, "lan-acc.pdf"),
    }  # fmt: skip
    return index_all(es_node, person_settings, papers)


pytestmark = pytest.mark.integration
AS_OF = date(2025, 6, 1)
CONTRACT = {"id", "doc_type", "source_file", "issue_date", "expiry_date", "reusable", "reason"}


def by_file(result: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {d["source_file"]: d for d in result["documents"]}


def test_id_lookup_adds_papers_without_id_that_share_name_and_birth_date(
    es_node: Elasticsearch, person_settings: Settings, papers: dict
) -> None:
    result = reuse(es_node, person_settings, LAN_ID, as_of=AS_OF)
    assert result["id_number"] == LAN_ID
    assert (result["name"], result["date_of_birth"]) == ("Nguyễn Thị Lan", "1990-03-05")
    docs = by_file(result)
    assert set(docs) == {"lan-cccd.pdf", "lan-tthn.pdf", "lan-ks.pdf"}
    assert {f: d["linked_by"] for f, d in docs.items()} == {
        "lan-cccd.pdf": "id_number", "lan-tthn.pdf": "id_number", "lan-ks.pdf": "name+dob",
    }  # fmt: skip
    for doc in result["documents"]:
        assert set(doc) >= CONTRACT
    assert [d["issue_date"] for d in result["documents"]] == [
        "2025-01-10", "2021-04-01", "1990-03-20",
    ]  # fmt: skip
    assert docs["lan-ks.pdf"]["reusable"] is True


def test_name_and_birth_date_lookup_matches_exact_accents_case_insensitively(
    es_node: Elasticsearch, person_settings: Settings, papers: dict
) -> None:
    result = reuse_by_name(es_node, person_settings, "nguyễn  thị LAN", "05/03/1990", as_of=AS_OF)
    assert set(by_file(result)) == {"lan-cccd.pdf", "lan-tthn.pdf", "lan-ks.pdf", "other-cccd.pdf"}
    assert all(d["linked_by"] == "name+dob" for d in result["documents"])
    assert result["date_of_birth"] == "1990-03-05"
    assert result["id_number"] is None  # two ID numbers: namesakes born the same day
    only_lan = reuse_by_name(es_node, person_settings, "Nguyễn Thị Lân", "1990-03-05")
    assert set(by_file(only_lan)) == {"lan-acc.pdf"}
    assert only_lan["id_number"] is None


def test_name_without_diacritics_is_matched_folded(
    es_node: Elasticsearch, person_settings: Settings, papers: dict
) -> None:
    result = reuse_by_name(es_node, person_settings, "Nguyen Thi Lan", "1990-03-05")
    assert set(by_file(result)) == {
        "lan-cccd.pdf", "lan-tthn.pdf", "lan-ks.pdf", "other-cccd.pdf", "lan-acc.pdf",
    }  # fmt: skip


def test_never_by_name_alone(
    es_node: Elasticsearch, person_settings: Settings, papers: dict
) -> None:
    assert (
        reuse_by_name(es_node, person_settings, "Nguyễn Thị Lan", "1990-03-06")["documents"] == []
    )
    assert reuse_by_name(es_node, person_settings, "Nguyễn Thị", "1990-03-05")["documents"] == []


def test_a_paper_without_id_links_to_every_id_with_that_name_and_birth_date(
    es_node: Elasticsearch, person_settings: Settings, papers: dict
) -> None:
    # Namesakes born the same day share the paper without an ID: `linked_by` says why.
    docs = by_file(reuse(es_node, person_settings, OTHER_ID, as_of=AS_OF))
    assert docs["other-cccd.pdf"]["linked_by"] == "id_number"
    assert docs["lan-ks.pdf"]["linked_by"] == "name+dob"
    assert "lan-cccd.pdf" not in docs


@pytest.mark.parametrize(
    ("text", "expected"),
    [("1990-03-05", date(1990, 3, 5)), ("05/03/1990", date(1990, 3, 5)),
     ("5/3/1990", date(1990, 3, 5)), ("05.03.1990", date(1990, 3, 5))],
)  # fmt: skip
def test_birth_date_formats(text: str, expected: date) -> None:
    assert birth_date_of(text) == expected


@pytest.mark.parametrize("text", ["", "1990", "31/02/1990", "1990-13-01", "03/05"])
def test_bad_birth_dates_are_input_errors(text: str) -> None:
    with pytest.raises(InputError):
        birth_date_of(text)


def test_names_are_canonical_and_validated() -> None:
    assert name_of("  NGUYỄN   Thị  Lan ") == "nguyễn thị lan"
    assert name_of("Trần Thị Hoà") == name_of("Trần Thị Hòa")  # one tone style
    for bad in ["", "   ", "1990", "x" * 200]:
        with pytest.raises(InputError):
            name_of(bad)
