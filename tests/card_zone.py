"""A chip ID card's machine-readable zone built from its facts, as ICAO 9303 TD1 lays it out.

The tests' own reference for `ocr_models.mrz` (its check digit is pinned to ICAO's worked
examples in `test_mrz.py`).
"""

from __future__ import annotations

from ocr_models.mrz import check_digit


def card_zone(id_number: str, birth: str, sex: str, expiry: str, name: str) -> list[str]:
    """The three 30-character lines: number, dates and sex, name."""
    doc = id_number[3:]
    line1 = f"IDVNM{doc}{check_digit(doc)}{id_number}<<<"
    line2 = f"{birth}{check_digit(birth)}{sex}{expiry}{check_digit(expiry)}VNM" + "<" * 11
    line2 += check_digit(line1[5:30] + line2[0:7] + line2[8:15] + line2[18:29])
    line3 = (name + "<" * 30)[:30]
    return [line1, line2, line3]
