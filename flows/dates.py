"""Dates on the command line: options in, dd/mm/yyyy out."""

from __future__ import annotations

from datetime import date
from typing import Any

from pipeline.errors import InputError


def dmy(iso: Any) -> str:
    """ISO date → dd/mm/yyyy for officers (anything else unchanged)."""
    text = str(iso or "")
    if len(text) != 10 or text[4] != "-":
        return text
    return f"{text[8:10]}/{text[5:7]}/{text[:4]}"


def option_date(option: str, text: str | None) -> date | None:
    """A YYYY-MM-DD command-line option as a date (None when not given)."""
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError as e:
        raise InputError(f"{option} {text!r} is not a date", hint="use YYYY-MM-DD") from e
