"""Digitisation pipeline: intake → preprocess → ocr → classify → extract → records.

Plain functions only; this package never imports Prefect, FastAPI or Elasticsearch.
"""

from __future__ import annotations

__version__ = "0.1.0"
