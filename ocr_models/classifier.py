"""Trainable doc_type model: TF-IDF over folded n-grams + multinomial logistic regression.

Training uses scikit-learn (`train`); prediction needs only NumPy: the saved model holds
the vocabulary, IDF weights and coefficients as gzip-compressed JSON with a format version,
written atomically and byte-for-byte reproducible from the same examples. The pooling
weights that combine it with the rules (`pipeline.classify`) are fitted at training time and
stored beside the coefficients.
"""

from __future__ import annotations

import gzip
import json
import logging
import math
import os
import re
import tempfile
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from ocr_models.vietnamese import fold

log = logging.getLogger(__name__)

FORMAT_VERSION = 1
MODEL_NAME = "classifier-v1.json.gz"
DEFAULT_PATH = Path(__file__).parent / "data" / MODEL_NAME

_TOKEN = re.compile(r"[a-z0-9/]+(?:-[a-z0-9]+)*")
_DIGITS = re.compile(r"\d+")
_CHAR_N = (3, 4, 5)
# Share of a uniform distribution mixed into the model's output before pooling.
UNIFORM_MIX = 0.05


class ModelFormatError(ValueError):
    """A model file that is not a classifier of this format version."""


def analyze(text: str) -> list[str]:
    """Features of a text: char 3–5-grams inside words and word 1–2-grams, all folded.

    Folding (no diacritics, lower case, digits as 0) makes OCR-damaged and unaccented
    text look like clean text; character n-grams survive single misread letters.
    """
    words = _TOKEN.findall(_DIGITS.sub("0", fold(text).lower()))
    feats: list[str] = []
    for w in words:
        padded = f" {w} "
        for n in _CHAR_N:
            if len(padded) < n:
                break
            feats.extend(padded[i : i + n] for i in range(len(padded) - n + 1))
    feats.extend(f"w:{w}" for w in words)
    feats.extend(f"b:{a}_{b}" for a, b in zip(words, words[1:], strict=False))
    return feats


@dataclass
class TextClassifier:
    """A fitted model: vocabulary, IDF, coefficients and the rule-pooling weights."""

    classes: list[str]
    vocabulary: dict[str, int]
    idf: np.ndarray
    coef: np.ndarray  # (classes, features)
    intercept: np.ndarray
    rule_weight: float = 1.0
    model_weight: float = 1.0
    temperature: float = 1.0
    meta: dict[str, Any] | None = None

    def vector(self, text: str) -> np.ndarray:
        """Sublinear TF-IDF vector, L2-normalised (as sklearn's TfidfVectorizer computes it)."""
        x = np.zeros(len(self.vocabulary), dtype=np.float64)
        for feat, count in Counter(analyze(text)).items():
            j = self.vocabulary.get(feat)
            if j is not None:
                x[j] = (1.0 + math.log(count)) * self.idf[j]
        norm = float(np.linalg.norm(x))
        return x / norm if norm else x

    def predict_proba(self, text: str) -> dict[str, float]:
        """Probability per class for one text."""
        logits = self.coef @ self.vector(text) + self.intercept
        logits = logits - logits.max()
        p = np.exp(logits)
        p /= p.sum()
        return {c: float(v) for c, v in zip(self.classes, p, strict=True)}

    def log_probs(self, text: str, classes: Sequence[str]) -> dict[str, float]:
        """Log-probabilities mixed with a uniform floor, for pooling with other evidence.

        The floor bounds how far the model alone can move a decision: it learnt from
        generated papers and is surer of itself than real scans warrant.
        """
        probs = self.predict_proba(text)
        floor = UNIFORM_MIX / len(classes)
        return {c: math.log((1 - UNIFORM_MIX) * probs.get(c, 0.0) + floor) for c in classes}

    def to_json(self) -> dict[str, Any]:
        """Plain, rounded data for the model file (vocabulary in index order)."""
        vocab = sorted(self.vocabulary, key=self.vocabulary.__getitem__)
        return {
            "format_version": FORMAT_VERSION,
            "kind": "tfidf-logreg",
            "classes": self.classes,
            "vocabulary": vocab,
            "idf": [round(float(v), 5) for v in self.idf],
            "coef": [[round(float(v), 4) for v in row] for row in self.coef],
            "intercept": [round(float(v), 5) for v in self.intercept],
            "pooling": {
                "rule_weight": self.rule_weight,
                "model_weight": self.model_weight,
                "temperature": self.temperature,
            },
            "meta": self.meta or {},
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> TextClassifier:
        """Rebuild from `to_json` data; raises ModelFormatError for another format."""
        version = data.get("format_version") if isinstance(data, dict) else None
        if version != FORMAT_VERSION or data.get("kind") != "tfidf-logreg":
            raise ModelFormatError(
                f"classifier format {version!r}, this code reads {FORMAT_VERSION}: "
                "retrain with `dossier train`"
            )
        try:
            vocab = data["vocabulary"]
            pooling = data.get("pooling", {})
            model = cls(
                classes=list(data["classes"]),
                vocabulary={f: i for i, f in enumerate(vocab)},
                idf=np.asarray(data["idf"], dtype=np.float64),
                coef=np.asarray(data["coef"], dtype=np.float64),
                intercept=np.asarray(data["intercept"], dtype=np.float64),
                rule_weight=float(pooling.get("rule_weight", 1.0)),
                model_weight=float(pooling.get("model_weight", 1.0)),
                temperature=float(pooling.get("temperature", 1.0)),
                meta=dict(data.get("meta", {})),
            )
        except (KeyError, TypeError, ValueError) as e:
            raise ModelFormatError(f"classifier file is damaged: {e}") from e
        if model.coef.shape != (len(model.classes), len(vocab)) or len(model.idf) != len(vocab):
            raise ModelFormatError("classifier file is damaged: array shapes disagree")
        return model


def save(model: TextClassifier, path: Path) -> None:
    """Write the model atomically (temp file + rename); gzip without a timestamp."""
    payload = json.dumps(model.to_json(), ensure_ascii=False, separators=(",", ":"))
    data = gzip.compress(payload.encode("utf-8"), compresslevel=9, mtime=0)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        Path(tmp).chmod(0o644)  # mkstemp makes it private; the model is shipped data
        Path(tmp).replace(path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def load(path: Path) -> TextClassifier:
    """Read a model file; ModelFormatError when it is of another version or damaged."""
    try:
        data = json.loads(gzip.decompress(path.read_bytes()).decode("utf-8"))
    except (OSError, EOFError, ValueError) as e:
        raise ModelFormatError(f"cannot read classifier {path}: {e}") from e
    return TextClassifier.from_json(data)


def load_default(path: Path = DEFAULT_PATH) -> TextClassifier | None:
    """The checked-in model, or None (rules only) when absent or of another version."""
    if not path.exists():
        log.info("no classifier model at %s: classifying by rules only", path)
        return None
    try:
        return load(path)
    except ModelFormatError as e:
        log.warning("ignoring classifier model: %s", e)
        return None


def fit(
    texts: Sequence[str],
    labels: Sequence[str],
    *,
    max_features: int = 6000,
    c: float = 4.0,
    meta: dict[str, Any] | None = None,
) -> TextClassifier:
    """Fit TF-IDF + logistic regression on labelled texts (needs scikit-learn)."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    vectorizer = TfidfVectorizer(
        analyzer=analyze, sublinear_tf=True, max_features=max_features, min_df=2, dtype=np.float64
    )
    x = vectorizer.fit_transform(list(texts))
    clf = LogisticRegression(C=c, max_iter=2000)
    clf.fit(x, list(labels))
    vocab = {str(f): int(i) for f, i in vectorizer.vocabulary_.items()}
    return TextClassifier(
        classes=[str(v) for v in clf.classes_],
        vocabulary=vocab,
        idf=np.asarray(vectorizer.idf_, dtype=np.float64),
        coef=np.asarray(clf.coef_, dtype=np.float64),
        intercept=np.asarray(clf.intercept_, dtype=np.float64),
        meta=meta,
    )
