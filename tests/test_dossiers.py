"""The dossier view: header from the receipt, papers filed vs results issued, one dossier only."""

from __future__ import annotations

import hashlib
import json
import os
import uuid
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from elasticsearch import Elasticsearch
from es_support import index_all, private_index
from fastapi.testclient import TestClient
from test_cli import dossier
from test_web_support import WebWorld, as_, audit_entries, seed

from pipeline.config import Settings
from pipeline.errors import InputError
from search.dossiers import dossier_code_of, dossier_view
from search.indexer import index_records

pytestmark = pytest.mark.integration

CODE = "H10.22.15-240315-0042"
OTHER = "H10.22.15-240316-0007"
WAITING = "G01.01.02-240320-0001"
NO_RECEIPT = "X99.00.01-240501-0003"
D = date.fromisoformat
MAI = {"full_name": "Phạm Thị Mai", "id_number": "036190004321", "date_of_birth": "1990-07-12"}


def record(
    doc_type: str, fields: dict[str, str], source_file: str, dossier_code: str | None = None
) -> dict[str, Any]:
    """A minimal sidecar record (docs/record.md shape), filed under `dossier_code`."""
    sha = hashlib.sha256(uuid.uuid4().bytes).hexdigest()
    return {
        "schema_version": 1, "id": f"{sha}-1", "sha256": sha, "doc_index": 1,
        "source_file": source_file, "original_path": f"originals/{sha[:2]}/{sha}.pdf",
        "media_type": "application/pdf", "doc_type": doc_type, "text": "",
        "fields": {k: {"value": v, "confidence": 0.9} for k, v in fields.items()},
        "dossier_code": dossier_code,
    }  # fmt: skip


def receipt(code: str, source_file: str, **extra: str) -> dict[str, Any]:
    fields = {**MAI, "dossier_code": code, "procedure_name": "Đăng ký kết hôn", **extra}
    return record("dossier_receipt", fields, source_file)


@pytest.fixture(scope="module")
def view_settings(settings: Settings, es_node: Elasticsearch) -> Settings:
    """A private index (under the session prefix, so the session cleans it up)."""
    return private_index(settings, "dossiers")


@pytest.fixture(scope="module")
def docs(es_node: Elasticsearch, view_settings: Settings) -> dict[str, dict[str, Any]]:
    """Dossier CODE (receipt, papers, results) beside other dossiers and a loose paper."""
    docs = {
        # The receipt prints the code; it was not filed under it at ingest.
        "receipt": receipt(CODE, "a-receipt.pdf", received_date="2024-03-15",
                           appointment_date="2024-03-22"),
        "form": record("application_form", {**MAI, "issue_date": "2024-03-15"}, "a-form.pdf",
                       CODE),
        "card": record("citizen_id_card", {**MAI, "issue_date": "2021-04-01"}, "a-card.pdf",
                       CODE),
        # A certificate issued long before the dossier: evidence, not a result.
        "birth": record("birth_certificate", {**MAI, "issue_date": "1990-07-20"}, "a-ks.pdf",
                        CODE),
        "decision": record("administrative_decision", {"document_number": "88/QĐ-UBND",
                                                        "issue_date": "2024-03-20"},
                           "a-qd.pdf", CODE),
        "certificate": record("marriage_certificate", {**MAI, "issue_date": "2024-03-21"},
                              "a-gckh.pdf", CODE.lower()),  # filed with the code in lowercase
        # Another dossier of the same applicant.
        "other_receipt": receipt(OTHER, "b-receipt.pdf", received_date="2024-03-16"),
        "other_decision": record("administrative_decision", {"issue_date": "2024-03-25"},
                                 "b-qd.pdf", OTHER),
        # Mentions CODE in its text only: not filed with it.
        "loose": {**record("official_letter", {"issue_date": "2024-03-18"}, "loose.pdf"),
                  "text": f"Về hồ sơ {CODE}"},
        # A dossier still waiting for its result.
        "waiting": receipt(WAITING, "c-receipt.pdf", received_date="2024-03-20",
                           appointment_date="2024-04-01"),
        # No receipt: the application form dates the dossier.
        "d_form": record("application_form", {**MAI, "issue_date": "2024-05-02"}, "d-form.pdf",
                         NO_RECEIPT),
        "d_birth": record("birth_certificate", {**MAI, "issue_date": "2010-01-01"},
                          "d-ks.pdf", NO_RECEIPT),
        "d_decision": record("administrative_decision", {"issue_date": "2024-05-10"},
                             "d-qd.pdf", NO_RECEIPT),
    }  # fmt: skip
    return index_all(es_node, view_settings, docs)


def files(entries: list[dict[str, Any]]) -> set[str]:
    return {e["source_file"] for e in entries}


def test_header_comes_from_the_receipt(
    es_node: Elasticsearch, view_settings: Settings, docs: dict
) -> None:
    view = dossier_view(es_node, view_settings, CODE, today=D("2024-04-01"))
    assert view["dossier_code"] == CODE
    assert view["procedure_name"] == "Đăng ký kết hôn"
    assert view["applicant"] == MAI
    assert (view["received_date"], view["appointment_date"]) == ("2024-03-15", "2024-03-22")
    assert view["receipt_id"] == docs["receipt"]["id"]
    assert view["status"] == "result_issued"


def test_papers_and_results_are_told_apart(
    es_node: Elasticsearch, view_settings: Settings, docs: dict
) -> None:
    view = dossier_view(es_node, view_settings, CODE)
    assert files(view["papers"]) == {"a-receipt.pdf", "a-form.pdf", "a-card.pdf", "a-ks.pdf"}
    assert files(view["results"]) == {"a-qd.pdf", "a-gckh.pdf"}
    assert view["total"] == 6
    decision = next(e for e in view["results"] if e["source_file"] == "a-qd.pdf")
    assert decision["document_number"] == "88/QĐ-UBND"
    assert [e["issue_date"] for e in view["results"]] == ["2024-03-20", "2024-03-21"]


def test_other_dossiers_and_loose_mentions_are_left_out(
    es_node: Elasticsearch, view_settings: Settings, docs: dict
) -> None:
    view = dossier_view(es_node, view_settings, CODE)
    listed = files(view["papers"]) | files(view["results"])
    assert listed.isdisjoint({"b-receipt.pdf", "b-qd.pdf", "loose.pdf", "c-receipt.pdf"})
    other = dossier_view(es_node, view_settings, OTHER)
    assert files(other["papers"]) == {"b-receipt.pdf"}
    assert files(other["results"]) == {"b-qd.pdf"}


def test_the_code_matches_whatever_its_case(
    es_node: Elasticsearch, view_settings: Settings, docs: dict
) -> None:
    view = dossier_view(es_node, view_settings, f"  {CODE.lower()} ")
    assert view["total"] == 6
    assert view["dossier_code"] == CODE


def test_status_follows_the_appointment_date(
    es_node: Elasticsearch, view_settings: Settings, docs: dict
) -> None:
    before = dossier_view(es_node, view_settings, WAITING, today=D("2024-04-01"))
    after = dossier_view(es_node, view_settings, WAITING, today=D("2024-04-02"))
    assert (before["status"], after["status"]) == ("in_progress", "overdue")
    assert before["results"] == []


def test_without_a_receipt_the_application_form_dates_the_dossier(
    es_node: Elasticsearch, view_settings: Settings, docs: dict
) -> None:
    view = dossier_view(es_node, view_settings, NO_RECEIPT)
    assert view["receipt_id"] is None
    assert view["received_date"] == "2024-05-02"
    assert files(view["papers"]) == {"d-form.pdf", "d-ks.pdf"}
    assert files(view["results"]) == {"d-qd.pdf"}
    assert view["applicant"]["full_name"] == MAI["full_name"]


def test_an_unknown_code_finds_nothing(
    es_node: Elasticsearch, view_settings: Settings, docs: dict
) -> None:
    view = dossier_view(es_node, view_settings, "H00.00.00-000000-0000")
    assert (view["total"], view["papers"], view["results"]) == (0, [], [])
    assert view["status"] == "unknown"


@pytest.mark.parametrize("bad", ["", "   ", "x" * 65])
def test_an_absurd_code_is_refused(bad: str) -> None:
    with pytest.raises(InputError):
        dossier_code_of(bad)


def test_dossier_command(view_settings: Settings, docs: dict, tmp_path: Path) -> None:
    env = {
        **os.environ, "DOSSIER_HOME": str(tmp_path), "DOSSIER_ES_URL": view_settings.es_url,
        "DOSSIER_INDEX_PREFIX": view_settings.index_prefix,
    }  # fmt: skip
    res = dossier("dossier", CODE, "--json", env=env)
    assert res.returncode == 0, res.stderr
    out = json.loads(res.stdout)
    assert files(out["results"]) == {"a-qd.pdf", "a-gckh.pdf"}
    assert out["procedure_name"] == "Đăng ký kết hôn"
    text = dossier("dossier", CODE, env=env)
    assert text.returncode == 0, text.stderr
    assert "Đăng ký kết hôn" in text.stdout and "a-gckh.pdf" in text.stdout
    assert "15/03/2024" in text.stdout
    missing = dossier("dossier", "H00.00.00-000000-0000", env=env)
    assert missing.returncode == 2
    assert "no archived document" in missing.stderr


# --- the web API ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def web(
    tmp_path_factory: pytest.TempPathFactory, settings: Settings, es_node: Elasticsearch
) -> Iterator[tuple[TestClient, WebWorld]]:
    world = seed(tmp_path_factory.mktemp("web-dossier"), settings, es_node, suffix="webdossier")
    extra = [
        receipt(CODE, "w-receipt.pdf", received_date="2024-03-15"),
        record("administrative_decision", {"issue_date": "2024-03-20"}, "w-qd.pdf", CODE),
    ]
    assert index_records(es_node, world.settings, extra).failed == []
    with TestClient(world.app) as client:
        yield client, world


def test_dossier_endpoint(web: tuple[TestClient, WebWorld]) -> None:
    client, world = web
    response = client.get(f"/api/v1/dossiers/{CODE}", headers=as_(world, "officer"))
    assert response.status_code == 200, response.text
    body = response.json()
    assert files(body["papers"]) == {"w-receipt.pdf"}
    assert files(body["results"]) == {"w-qd.pdf"}
    assert audit_entries(world, "view")[0]["query"] == CODE
    missing = client.get("/api/v1/dossiers/H00.00.00-000000-0000", headers=as_(world, "officer"))
    assert missing.status_code == 404
    assert client.get(f"/api/v1/dossiers/{CODE}").status_code == 401
