"""Evaluate the pipeline against generated scans with ground truth (`*.truth.json`).

Reports, per degradation kind: character error rate (CER), order-insensitive word recall,
document type accuracy and field accuracy, plus a confusion matrix and invented fields.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rapidfuzz.distance import Levenshtein
from rapidfuzz.fuzz import ratio

from ocr_models.vietnamese import canonicalize, fold
from pipeline.models import DocumentResult, FileResult

# Long free text is scored by similarity (≥ 0.9), everything else must match exactly.
LONG_TEXT_FIELDS = frozenset(
    {"place_of_origin", "place_of_residence", "place_of_birth", "issuing_authority",
     "subject", "business_name", "head_office_address", "land_address", "procedure_name",
     "marital_status"}
)  # fmt: skip
CASE_INSENSITIVE_FIELDS = frozenset(
    {"full_name", "father_name", "mother_name", "husband_name", "wife_name", "signer_name",
     "nationality", "ethnicity", "gender"}
)  # fmt: skip
SIMILARITY_THRESHOLD = 0.9
_TYPOGRAPHIC = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'", "–": "-", "—": "-"})


def normalize_for_cer(text: str) -> str:
    """NFC, canonical tones, typographic quotes/dashes/ellipses folded, whitespace collapsed."""
    text = canonicalize(unicodedata.normalize("NFC", text)).translate(_TYPOGRAPHIC)
    return " ".join(text.replace("…", "...").split())


def cer(predicted: str, truth: str) -> float:
    """Character error rate: edit distance over the truth length."""
    p, t = normalize_for_cer(predicted), normalize_for_cer(truth)
    if not t:
        return 0.0 if not p else 1.0
    return Levenshtein.distance(p, t) / len(t)


def word_recall(predicted: str, truth: str) -> float:
    """Share of truth words (with multiplicity, any order) found in the prediction."""
    words = lambda s: Counter(re.findall(r"\w+", normalize_for_cer(s).lower()))  # noqa: E731
    t, p = words(truth), words(predicted)
    total = sum(t.values())
    return 1.0 if total == 0 else sum((t & p).values()) / total


def field_matches(name: str, predicted: str | None, truth: str) -> bool:
    """Exact after normalisation, or ≥ 0.9 similarity for addresses and other long text."""
    if predicted is None:
        return False
    p, t = normalize_for_cer(predicted), normalize_for_cer(truth)
    if name in LONG_TEXT_FIELDS:
        return ratio(p.lower(), t.lower()) / 100 >= SIMILARITY_THRESHOLD
    if name in CASE_INSENSITIVE_FIELDS:
        return p.lower() == t.lower()
    return (
        p == t or fold(p).replace(" ", "") == fold(t).replace(" ", "") and name.endswith("serial")
    )


@dataclass
class Tally:
    """Counts for one degradation kind (or the total)."""

    files: int = 0
    cer_sum: float = 0.0
    recall_sum: float = 0.0
    text_files: int = 0
    docs: int = 0
    docs_right: int = 0
    fields: int = 0
    fields_right: int = 0
    invented: int = 0

    def as_json(self) -> dict[str, Any]:
        """Rates rounded for a report."""
        n = max(1, self.text_files)
        return {
            "files": self.files,
            "cer": round(self.cer_sum / n, 5),
            "word_recall": round(self.recall_sum / n, 4),
            "type_accuracy": round(self.docs_right / max(1, self.docs), 4),
            "field_accuracy": round(self.fields_right / self.fields, 4) if self.fields else None,
            "documents": self.docs,
            "fields": self.fields,
            "invented_fields": self.invented,
        }


@dataclass
class EvalReport:
    """Tallies per degradation, the confusion matrix and the field misses."""

    by_kind: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))
    total: Tally = field(default_factory=Tally)
    confusion: Counter[tuple[str, str]] = field(default_factory=Counter)
    field_totals: Counter[str] = field(default_factory=Counter)
    field_right: Counter[str] = field(default_factory=Counter)
    misses: list[dict[str, Any]] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        """The whole report as JSON."""
        return {
            "total": self.total.as_json(),
            "by_degradation": {k: v.as_json() for k, v in sorted(self.by_kind.items())},
            "by_field": {
                name: round(self.field_right[name] / n, 4)
                for name, n in sorted(self.field_totals.items())
            },
            "confusion": [
                {"truth": t, "predicted": p, "count": c}
                for (t, p), c in sorted(self.confusion.items())
            ],
            "field_misses": self.misses,
        }


def iter_truth(folder: Path) -> Iterator[tuple[Path, dict[str, Any]]]:
    """(scan path, truth) pairs in a generated folder, in name order."""
    for truth_path in sorted(folder.glob("*.truth.json")):
        scan = truth_path.with_name(truth_path.name.removesuffix(".truth.json"))
        if scan.exists():
            yield scan, json.loads(truth_path.read_text(encoding="utf-8"))


def _match(truth_doc: dict[str, Any], docs: list[DocumentResult]) -> DocumentResult | None:
    """The predicted document that overlaps the truth document's pages the most."""
    lo, hi = truth_doc["page_start"], truth_doc["page_end"]
    best, best_overlap = None, 0
    for d in docs:
        overlap = min(hi, d.page_end) - max(lo, d.page_start) + 1
        if overlap > best_overlap:
            best, best_overlap = d, overlap
    return best


def sample_kind(truth: dict[str, Any]) -> str:
    """The row a scan is reported in: its degradation; running prose gets rows of its own."""
    kind = str(truth.get("degradation", "unknown"))
    return f"prose/{kind}" if truth.get("sample") == "news_article" else kind


def score_file(report: EvalReport, truth: dict[str, Any], result: FileResult) -> None:
    """Add one processed file's scores to the report."""
    kind = sample_kind(truth)
    tallies = (report.by_kind[kind], report.total)
    truth_text = "\n".join(d["text"] for d in truth["documents"])
    predicted_text = "\n".join(d.text for d in result.documents)
    c, r = cer(predicted_text, truth_text), word_recall(predicted_text, truth_text)
    for t in tallies:
        t.files += 1
        t.text_files += 1
        t.cer_sum += c
        t.recall_sum += r
    for tdoc in truth["documents"]:
        _score_document(report, tallies, tdoc, _match(tdoc, result.documents), truth["file"])


def _score_document(
    report: EvalReport,
    tallies: tuple[Tally, Tally],
    tdoc: dict[str, Any],
    pred: DocumentResult | None,
    file: str,
) -> None:
    predicted_type = pred.doc_type if pred else "(missing)"
    report.confusion[(tdoc["doc_type"], predicted_type)] += 1
    values = {k: v.value for k, v in pred.fields.items()} if pred else {}
    for t in tallies:
        t.docs += 1
        t.docs_right += predicted_type == tdoc["doc_type"]
        t.invented += sum(1 for k in values if k not in tdoc["fields"])
    for name, truth_value in tdoc["fields"].items():
        ok = field_matches(name, values.get(name), truth_value)
        report.field_totals[name] += 1
        report.field_right[name] += ok
        for t in tallies:
            t.fields += 1
            t.fields_right += ok
        if not ok:
            report.misses.append(
                {"file": file, "doc_type": tdoc["doc_type"], "field": name,
                 "truth": truth_value, "predicted": values.get(name)}
            )  # fmt: skip


def evaluate(
    folder: Path,
    process: Callable[[Path], FileResult],
    progress: Callable[[int, int], None] | None = None,
) -> EvalReport:
    """Run `process` on every generated scan in `folder` and score it against its truth."""
    pairs = list(iter_truth(folder))
    report = EvalReport()
    for i, (scan, truth) in enumerate(pairs, start=1):
        score_file(report, truth, process(scan))
        if progress:
            progress(i, len(pairs))
    return report


@dataclass
class OcrTally:
    """CER and word recall summed over the files of one degradation kind."""

    files: int = 0
    cer_sum: float = 0.0
    recall_sum: float = 0.0
    seconds: float = 0.0

    def add(self, c: float, r: float, seconds: float) -> None:
        """Count one file."""
        self.files += 1
        self.cer_sum += c
        self.recall_sum += r
        self.seconds += seconds

    def as_json(self) -> dict[str, Any]:
        """Mean rates, rounded for a report."""
        n = max(1, self.files)
        return {
            "files": self.files,
            "cer": round(self.cer_sum / n, 5),
            "word_recall": round(self.recall_sum / n, 4),
            "seconds": round(self.seconds, 2),
        }


def evaluate_text(
    folder: Path,
    read_text: Callable[[Path], str],
    progress: Callable[[int, int], None] | None = None,
) -> dict[str, OcrTally]:
    """Text-only scores (no classification): `read_text` gives a scan's whole text.

    Used for the raw-Tesseract baseline and for OCR work independent of the later stages.
    The key "total" holds all files.
    """
    import time

    pairs = list(iter_truth(folder))
    tallies: dict[str, OcrTally] = defaultdict(OcrTally)
    for i, (scan, truth) in enumerate(pairs, start=1):
        start = time.perf_counter()
        predicted = read_text(scan)
        seconds = time.perf_counter() - start
        truth_text = "\n".join(d["text"] for d in truth["documents"])
        c, r = cer(predicted, truth_text), word_recall(predicted, truth_text)
        for key in (sample_kind(truth), "total"):
            tallies[key].add(c, r, seconds)
        if progress:
            progress(i, len(pairs))
    return dict(tallies)
