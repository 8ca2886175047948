"""Training data for the doc_type model, and the training run itself.

Examples come from three places:

- the sample generator's layouts, rendered to text only (no images, no OCR: seconds, and
  deterministic from the seed), each text also in OCR-damaged and unaccented variants;
- folders of generated scans with `*.truth.json` (the truth text of every document);
- officers' corrections in the archive: a sidecar whose `corrections` list changes the
  `doc_type`, or a reviewed sidecar (non-empty `corrections`) that confirms it.
"""

from __future__ import annotations

import json
import logging
import math
import random
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ocr_models.classifier import TextClassifier, fit
from ocr_models.vietnamese import fold
from pipeline.archive import Archive
from pipeline.classify import rule_log_probs, rule_scores
from pipeline.models import DOC_TYPES

log = logging.getLogger(__name__)

# Letters Tesseract's `vie` model confuses, in both directions.
_CONFUSIONS = (
    ("l", "I"), ("I", "l"), ("rn", "m"), ("m", "rn"), ("0", "O"), ("O", "0"), ("1", "l"),
    ("ư", "u"), ("ơ", "o"), ("ấ", "ẩ"), ("ạ", "a"), ("đ", "d"), ("Đ", "D"), ("h", "b"),
    ("e", "c"), ("n", "u"), ("ệ", "ê"), ("ị", "i"),
)  # fmt: skip
_JUNK = "_-—.,:;'\"`ˆ¬|"
# Minutes, contracts, CVs, school papers: what `other` looks like at the counter.
_OTHER_TITLES = (
    "BIÊN BẢN", "HỢP ĐỒNG MUA BÁN", "SƠ YẾU LÝ LỊCH", "BẰNG TỐT NGHIỆP", "HÓA ĐƠN GIÁ TRỊ GIA TĂNG",
    "GIẤY RA VIỆN", "PHIẾU KHÁM SỨC KHỎE", "BẢN CAM KẾT", "HỢP ĐỒNG LAO ĐỘNG", "GIẤY BÁO NHẬP HỌC",
)  # fmt: skip


_MAX_MODEL_WEIGHT = 1.0


@dataclass(frozen=True)
class Example:
    """One labelled text and where it came from (for reports)."""

    text: str
    doc_type: str
    source: str


def ocr_noise(text: str, rng: random.Random, level: float) -> str:
    """The text as a poor OCR might give it: confusions, lost marks, junk, merged lines."""
    lines = text.splitlines()
    out: list[str] = []
    for line in lines:
        if rng.random() < level * 0.5:
            continue  # a dropped line
        if rng.random() < level:
            line = fold(line) if rng.random() < 0.5 else line
        chars = list(line)
        for i, ch in enumerate(chars):
            r = rng.random()
            if r < level * 0.04:
                chars[i] = ""
            elif r < level * 0.08:
                chars[i] = ch + rng.choice(_JUNK)
        line = "".join(chars)
        for a, b in _CONFUSIONS:
            if a in line and rng.random() < level * 0.3:
                line = line.replace(a, b, 1)
        if out and rng.random() < level * 0.3:
            out[-1] = f"{out[-1]} {line}"  # two columns read straight across
        else:
            out.append(line)
    return "\n".join(out)


def fragment(text: str, rng: random.Random) -> str:
    """A few lines from anywhere in a text, badly read: a torn, cropped or faint page."""
    lines = [ln for ln in text.splitlines() if ln.strip()]
    size = rng.randint(2, 8)
    start = rng.randrange(max(1, len(lines) - size + 1))
    return ocr_noise("\n".join(lines[start : start + size]), rng, rng.uniform(0.3, 0.8))


def generated_examples(count: int, seed: int, *, variants: int = 2) -> Iterator[Example]:
    """Texts of `count` generated papers (all types in turn) plus noisy variants of each.

    Multi-page papers also give one example per page, and ID cards their back alone, so
    the model can label the single pages the splitter asks about.
    """
    from pipeline.samples import DOC_TYPES as SAMPLE_TYPES
    from pipeline.samples.compose import random_style
    from pipeline.samples.idcard import citizen_id_card
    from pipeline.samples.layouts import LAYOUTS
    from pipeline.samples.render import available_faces

    faces = available_faces()
    for i in range(count):
        rng = random.Random(f"{seed}:train:{i}")
        doc_type = SAMPLE_TYPES[i % len(SAMPLE_TYPES)]
        style = random_style(rng, rng.choice(faces))
        state = rng.getstate()
        doc = LAYOUTS[doc_type](rng, style)
        texts = [doc.text]
        if len(doc.pages) > 1:
            texts += [p.text for p in doc.pages[1:] if p.lines]
        if doc_type == "citizen_id_card":
            after = rng.getstate()
            rng.setstate(state)
            front = citizen_id_card(rng, style, photo=True).text.splitlines()
            rng.setstate(after)
            texts.append("\n".join(doc.text.splitlines()[len(front) :]))
        for text in texts:
            yield Example(text, doc_type, "generated")
            for _ in range(variants):
                yield Example(ocr_noise(text, rng, rng.uniform(0.1, 0.6)), doc_type, "generated")
            yield Example(fragment(text, rng), doc_type, "generated")
        yield _other_example(doc.text, rng)


def _other_example(text: str, rng: random.Random) -> Example:
    """An `other` paper: an unrelated title over shuffled words of a real body."""
    words = " ".join(text.splitlines()[8:]).split()
    rng.shuffle(words)
    words = words[: rng.randint(3, 120)]
    body = [" ".join(words[k : k + 12]) for k in range(0, len(words), 12)]
    title = [rng.choice(_OTHER_TITLES)] if rng.random() < 0.7 else []
    return Example(ocr_noise("\n".join([*title, *body]), rng, 0.3), "other", "generated")


def truth_dir_examples(folder: Path) -> Iterator[Example]:
    """Document texts from a folder of generated scans with `*.truth.json`."""
    for path in sorted(folder.glob("*.truth.json")):
        try:
            truth = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as e:
            log.warning("skipping unreadable truth %s: %s", path, e)
            continue
        for doc in truth.get("documents", []):
            if doc.get("doc_type") in DOC_TYPES and doc.get("text"):
                yield Example(doc["text"], doc["doc_type"], f"truth:{path.name}")


def corrected_doc_type(record: dict[str, Any]) -> str | None:
    """The doc_type an officer set or confirmed on a sidecar, or None if never reviewed.

    Reads the review history written by `pipeline.review` (`corrections: [{"what":
    "doc_type", "new": …}, …]`, last one wins; older `"field"` keys are accepted too); a
    record an officer approved or corrected otherwise confirms its `doc_type`.
    """
    corrections = record.get("corrections")
    if not isinstance(corrections, list):
        corrections = []
    if not corrections and not isinstance(record.get("review"), dict):
        return None
    chosen: str | None = None
    for item in corrections:
        if isinstance(item, dict) and "doc_type" in (item.get("what"), item.get("field")):
            for key in ("value", "new", "to", "corrected"):
                if isinstance(item.get(key), str):
                    chosen = item[key]
                    break
    chosen = chosen or record.get("doc_type")
    return chosen if chosen in DOC_TYPES else None


def archive_examples(root: Path) -> Iterator[Example]:
    """Texts of archived documents whose type an officer corrected or confirmed."""
    if not (root / "records").is_dir():
        return
    for record in Archive(root).iter_records():
        label = corrected_doc_type(record)
        text = record.get("text")
        if label and isinstance(text, str) and text.strip():
            yield Example(text, label, f"archive:{record.get('id', '?')}")


def calibrate(model: TextClassifier, examples: Iterable[Example]) -> TextClassifier:
    """Fit the rule/model pooling weights by log-loss on held-out examples.

    The model never gets more weight than the rules, nor more than 1: held-out examples
    come from the same generator it learnt from, so it looks better on them than it will
    on real papers.
    """
    rows = []
    for ex in examples:
        rules = rule_log_probs(rule_scores(ex.text))
        rows.append((rules, model.log_probs(ex.text, DOC_TYPES), ex))
    best = (math.inf, 1.0, 1.0)
    grid = [0.25 * k for k in range(0, 13)]
    for a in grid:
        for b in grid:
            if a == 0 or b > min(a, _MAX_MODEL_WEIGHT):
                continue
            loss = sum(_nll(a, b, rules, model_lp, ex.doc_type) for rules, model_lp, ex in rows)
            if loss < best[0]:
                best = (loss, a, b)
    model.rule_weight, model.model_weight, model.temperature = best[1], best[2], 1.0
    log.info("pooling: rules ×%.2f, model ×%.2f (log-loss %.4f)", best[1], best[2], best[0])
    return model


def _nll(a: float, b: float, rules: dict[str, float], model_lp: dict[str, float], y: str) -> float:
    pooled = {t: a * rules[t] + b * model_lp[t] for t in DOC_TYPES}
    top = max(pooled.values())
    total = math.log(sum(math.exp(v - top) for v in pooled.values())) + top
    return total - pooled[y]


def train_model(
    samples: int,
    seed: int,
    *,
    archive_root: Path | None = None,
    truth_dirs: Iterable[Path] = (),
) -> tuple[TextClassifier, dict[str, int]]:
    """Train and calibrate a model; returns it with example counts per source."""
    examples = list(generated_examples(samples, seed))
    for folder in truth_dirs:
        examples.extend(truth_dir_examples(folder))
    if archive_root is not None:
        examples.extend(archive_examples(archive_root))
    counts: dict[str, int] = {}
    for ex in examples:
        key = re.sub(r":.*", "", ex.source)
        counts[key] = counts.get(key, 0) + 1
    meta = {"samples": samples, "seed": seed, "examples": counts}
    model = fit([e.text for e in examples], [e.doc_type for e in examples], meta=meta)
    model = TextClassifier.from_json(model.to_json())  # the rounded numbers that are saved
    held_out = list(generated_examples(max(28, samples // 4), seed + 7919, variants=1))
    return calibrate(model, held_out), counts
