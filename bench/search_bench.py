"""Search benchmark: bulk rate, query latency and folded-name accuracy on synthetic records.

Generates realistic sidecar-shaped records (Vietnamese names drawn with population weights,
so common names collide heavily; consistent 12-digit IDs; ~1-2 KB of OCR-like text), loads
them through the same path `dossier reindex` uses (new index + alias switch), then times a
mix of queries and measures whether the right person is in the top 3. Everything lives
under a private `bench-<random>` index prefix that is deleted at the end.

    .venv/bin/python bench/search_bench.py --records 100000 --people 1000
"""

from __future__ import annotations

import argparse
import hashlib
import json
import platform
import random
import statistics
import subprocess
import sys
import time
import uuid
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from elasticsearch import Elasticsearch

from ocr_models.vietnamese import fold
from pipeline.config import Settings
from pipeline.samples.people import Person, random_date, random_person
from search.client import connect
from search.queries import search
from search.reindex import build_index

BOILERPLATE = (
    "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;",
    "Căn cứ Luật Hộ tịch ngày 20 tháng 11 năm 2014;",
    "Căn cứ Nghị định số 123/2015/NĐ-CP ngày 15 tháng 11 năm 2015 của Chính phủ;",
    "Căn cứ Luật Căn cước ngày 27 tháng 11 năm 2023;",
    "Xét đề nghị của Trưởng phòng Tư pháp và hồ sơ kèm theo;",
    "Người yêu cầu cam đoan những nội dung khai trên đây là đúng sự thật.",
    "Nơi nhận: Như Điều 3; Lưu: VT, hồ sơ.",
    "Bản sao được cấp từ sổ đăng ký gốc, có giá trị như bản chính.",
    "Đề nghị cơ quan có thẩm quyền xem xét, giải quyết theo quy định của pháp luật.",
    "Chịu trách nhiệm trước pháp luật về tính chính xác của thông tin đã cung cấp.",
)
AUTHORITIES = (
    "Ủy ban nhân dân tỉnh Bắc Ninh", "Ủy ban nhân dân thành phố Hà Nội",
    "Ủy ban nhân dân phường Bến Nghé", "Sở Tư pháp tỉnh Nghệ An",
    "Cục Cảnh sát quản lý hành chính về trật tự xã hội", "Ủy ban nhân dân xã Tân Lập",
    "Sở Kế hoạch và Đầu tư thành phố Hồ Chí Minh", "Công an tỉnh Thanh Hóa",
)  # fmt: skip
PERSON_TYPES = (
    ("citizen_id_card", 40), ("birth_certificate", 12), ("marital_status_certificate", 10),
    ("residence_confirmation", 12), ("application_form", 10), ("land_use_certificate", 6),
    ("household_book", 4),
)  # fmt: skip
T0 = date(2026, 11, 25)


@dataclass
class Truth:
    """Who is in the synthetic archive, for the accuracy check."""

    people: list[Person] = field(default_factory=list)
    records_of: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))


def _text(rng: random.Random, head: list[str]) -> str:
    """OCR-like text: the paper's own lines plus legal boilerplate up to ~1-2 KB."""
    lines = ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", *head]
    target = rng.randint(1000, 2000)
    while sum(len(line) + 1 for line in lines) < target:
        lines.append(rng.choice(BOILERPLATE))
    return "\n".join(lines)


def _record(rng: random.Random, n: int, doc_type: str, fields: dict[str, str], text: str) -> dict:
    sha = hashlib.sha256(f"bench-{n}".encode()).hexdigest()
    return {
        "schema_version": 1, "id": f"{sha}-1", "sha256": sha, "doc_index": 1,
        "source_file": f"scan-{n:06d}.pdf", "original_path": f"originals/{sha[:2]}/{sha}.pdf",
        "media_type": "application/pdf",
        "ingested_at": f"{T0 - timedelta(minutes=n)}T08:00:00+07:00",
        "pipeline_version": "0.1.0", "doc_type": doc_type, "doc_type_confidence": 0.9,
        "page_start": 1, "page_end": 1, "page_count": 1, "text": text, "ocr_confidence": 0.9,
        "fields": {k: {"value": v, "confidence": 0.9} for k, v in fields.items()},
        "needs_review": False, "warnings": [], "dossier_code": None, "index_state": "indexed",
    }  # fmt: skip


def _person_paper(rng: random.Random, n: int, p: Person, doc_type: str) -> dict:
    issued = random_date(rng, max(p.dob + timedelta(days=5000), date(2012, 1, 1)), T0)
    fields = {"full_name": p.full_name, "date_of_birth": p.dob.isoformat(),
              "gender": p.gender, "issue_date": issued.isoformat(),
              "place_of_residence": p.residence.address(),
              "issuing_authority": rng.choice(AUTHORITIES)}  # fmt: skip
    if doc_type in ("citizen_id_card", "residence_confirmation", "marital_status_certificate",
                    "application_form", "household_book"):  # fmt: skip
        fields["id_number"] = p.id_number
    if doc_type == "land_use_certificate":
        fields["certificate_serial"] = f"C{rng.choice('SDEK')} {rng.randrange(10**6):06d}"
    head = [doc_type.replace("_", " ").upper(), f"Họ và tên: {p.full_name.upper()}",
            f"Ngày sinh: {p.dob:%d/%m/%Y}", f"Nơi cư trú: {p.residence.address()}",
            f"Số định danh: {p.id_number}", f"Ngày cấp: {issued:%d/%m/%Y}"]  # fmt: skip
    return _record(rng, n, doc_type, fields, _text(rng, head))


def generate(n_records: int, seed: int, truth: Truth) -> Iterator[dict]:
    """`n_records` sidecar records: ~90% papers of people (1-4 each), ~10% decisions."""
    rng = random.Random(seed)
    types, weights = zip(*PERSON_TYPES, strict=True)
    n = 0
    while n < n_records:
        if rng.random() < 0.1:
            number = f"{rng.randint(1, 2999)}/QĐ-UBND"
            issued = random_date(rng, date(2015, 1, 1), T0).isoformat()
            fields = {"document_number": number, "issue_date": issued,
                      "issuing_authority": rng.choice(AUTHORITIES),
                      "subject": "Về việc cấp giấy phép xây dựng"}  # fmt: skip
            n += 1
            yield _record(
                rng,
                n,
                "administrative_decision",
                fields,
                _text(rng, ["QUYẾT ĐỊNH", f"Số: {number}", fields["subject"]]),
            )
            continue
        person = random_person(rng)
        truth.people.append(person)
        for doc_type in rng.choices(types, weights, k=rng.choice((1, 1, 2, 2, 3, 4))):
            if n >= n_records:
                break
            n += 1
            record = _person_paper(rng, n, person, doc_type)
            truth.records_of[person.id_number].append(record["id"])
            yield record


def _percentiles(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)
    pick = lambda q: ordered[min(len(ordered) - 1, int(q * len(ordered)))]  # noqa: E731
    return {"p50": round(pick(0.5), 1), "p95": round(pick(0.95), 1),
            "mean": round(statistics.fmean(ordered), 1)}  # fmt: skip


def _timed_search(es: Elasticsearch, settings: Settings, query: str, took: list[float],
                  wall: list[float]) -> dict[str, Any]:  # fmt: skip
    """Run one search, recording the server-side `took` and the end-to-end time in ms."""
    es.search_took_ms = 0.0  # type: ignore[attr-defined]
    started = time.perf_counter()
    result = search(es, settings, query, size=10)
    wall.append((time.perf_counter() - started) * 1000)
    took.append(float(es.search_took_ms))  # type: ignore[attr-defined]
    return result


class _TookRecorder:
    """Wraps the client so each `search` call's server-side `took` is remembered."""

    def __init__(self, es: Elasticsearch) -> None:
        self._es = es
        self.search_took_ms = 0.0

    def search(self, **kwargs: Any) -> Any:
        response = self._es.search(**kwargs)
        self.search_took_ms += float(response["took"])  # a search may take two requests
        return response

    def __getattr__(self, name: str) -> Any:
        return getattr(self._es, name)


def warm_up(es: Elasticsearch, settings: Settings, truth: Truth, seed: int, n: int = 100) -> None:
    """Untimed mixed queries first, so a freshly built index and the JVM are warm."""
    for person in random.Random(seed + 3).sample(truth.people, min(n, len(truth.people))):
        for query in (person.id_number, fold(person.full_name).lower(), person.full_name):
            search(es, settings, query)


def latency(es: Elasticsearch, settings: Settings, truth: Truth, n: int, seed: int) -> dict:
    """p50/p95 of server `took` and end-to-end time per query kind."""
    rng = random.Random(seed + 1)
    rec = _TookRecorder(es)
    kinds = {
        "id_exact": lambda p: p.id_number,
        "folded_name": lambda p: fold(p.full_name).lower(),
        "accented_name": lambda p: p.full_name,
        "name_year": lambda p: f"{fold(p.full_name).lower()} {p.dob.year}",
    }
    out: dict[str, Any] = {}
    all_took: list[float] = []
    all_wall: list[float] = []
    for kind, make in kinds.items():
        took: list[float] = []
        wall: list[float] = []
        for person in rng.sample(truth.people, min(n, len(truth.people))):
            _timed_search(rec, settings, make(person), took, wall)  # type: ignore[arg-type]
        out[kind] = {"took_ms": _percentiles(took), "end_to_end_ms": _percentiles(wall),
                     "queries": len(took)}  # fmt: skip
        all_took += took
        all_wall += wall
    out["all"] = {"took_ms": _percentiles(all_took), "end_to_end_ms": _percentiles(all_wall),
                  "queries": len(all_took)}  # fmt: skip
    return out


def accuracy(es: Elasticsearch, settings: Settings, truth: Truth, n: int, seed: int) -> dict:
    """Share of `n` people with a name collision found in the top 3, per query form."""
    by_name: dict[str, list[Person]] = defaultdict(list)
    for person in truth.people:
        by_name[fold(person.full_name).lower()].append(person)
    colliding = [p for p in truth.people if len(by_name[fold(p.full_name).lower()]) > 1]
    sample = random.Random(seed + 2).sample(colliding, min(n, len(colliding)))
    forms = {
        "name_id": lambda p: f"{fold(p.full_name).lower()} {p.id_number}",
        "name_year": lambda p: f"{fold(p.full_name).lower()} {p.dob.year}",
        "name_dob": lambda p: f"{fold(p.full_name).lower()} {p.dob:%d/%m/%Y}",
        "name_only": lambda p: fold(p.full_name).lower(),
    }
    out: dict[str, Any] = {"people": len(sample), "collision_group_median": statistics.median(
        len(by_name[fold(p.full_name).lower()]) for p in sample)}  # fmt: skip
    for form, make in forms.items():
        found: list[tuple[bool, int]] = []  # (in top 3, people sharing the name and year)
        for person in sample:
            top = {h["id"] for h in search(es, settings, make(person), size=3)["hits"]}
            twins = [q for q in by_name[fold(person.full_name).lower()]
                     if q.dob.year == person.dob.year]  # fmt: skip
            found.append((bool(top & set(truth.records_of[person.id_number])), len(twins)))
        out[form] = {"top3": round(sum(ok for ok, _ in found) / len(found), 4)}
        if form == "name_year":
            # With 4+ namesakes born the same year, 3 slots cannot hold them all.
            fits = [ok for ok, twins in found if twins <= 3]
            out[form]["shared_name_and_year"] = sum(twins > 1 for _, twins in found)
            out[form]["four_or_more_namesakes_that_year"] = len(found) - len(fits)
            out[form]["top3_when_at_most_3_namesakes"] = round(sum(fits) / max(1, len(fits)), 4)
    return out


def machine() -> dict[str, str]:
    """nproc, memory and CPU model, as the benchmark section records them."""

    def run(*cmd: str) -> str:
        return subprocess.run(cmd, capture_output=True, text=True, check=False).stdout.strip()

    cpu = next((line.split(":", 1)[1].strip() for line in run("cat", "/proc/cpuinfo").splitlines()
                if line.startswith("model name")), platform.processor())  # fmt: skip
    mem = run("free", "-h").splitlines()
    return {"nproc": run("nproc"), "memory": mem[1] if len(mem) > 1 else "", "cpu": cpu,
            "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())}  # fmt: skip


def _cleanup(es: Elasticsearch, prefix: str) -> None:
    quiet = es.options(ignore_status=404)
    for index in quiet.indices.get(index=f"{prefix}-*", expand_wildcards="all").body or {}:
        quiet.indices.delete(index=index)
    quiet.indices.delete_index_template(name=f"{prefix}-documents")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--people", type=int, default=1000, help="accuracy sample size")
    parser.add_argument("--queries", type=int, default=250, help="latency queries per kind")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--es-url", default="http://127.0.0.1:9200")
    args = parser.parse_args()
    prefix = f"bench-{uuid.uuid4().hex[:8]}"
    settings = Settings(es_url=args.es_url, index_prefix=prefix, es_replicas=0, es_timeout_s=60)
    es = connect(settings)
    truth = Truth()
    command = " ".join([".venv/bin/python bench/search_bench.py", *sys.argv[1:]])
    result: dict[str, Any] = {"machine": machine(), "command": command,
                              "records": args.records, "prefix": prefix}  # fmt: skip
    try:
        started = time.perf_counter()
        report = build_index(es, settings, generate(args.records, args.seed, truth))
        seconds = time.perf_counter() - started
        assert not report.failed, report.failed[:3]
        result["bulk"] = {"indexed": report.indexed, "seconds": round(seconds, 1),
                          "records_per_s": round(report.indexed / seconds)}  # fmt: skip
        result["people"] = len(truth.people)
        warm_up(es, settings, truth, args.seed)
        result["latency"] = latency(es, settings, truth, args.queries, args.seed)
        result["accuracy"] = accuracy(es, settings, truth, args.people, args.seed)
    finally:
        _cleanup(es, prefix)
    print(json.dumps(result, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
