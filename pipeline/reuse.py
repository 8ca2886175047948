"""Whether an archived paper can be reused in a new dossier on a given day (pure rules).

Rules from DOMAIN.md: household books are void since 2023-01-01; old 9-digit CMND cards
since the end of 2024-12-31; a citizen ID card lasts to the next renewal age (14, 25, 40,
60), a card issued within two years before a renewal age lasts to the following one and a
card issued from age 58 does not expire; a marital-status certificate is valid 6 months and
a residence confirmation (CT07) 1 year from issue; a printed expiry date always counts.
"""

from __future__ import annotations

import calendar
import logging
import re
from collections.abc import Callable, Mapping
from datetime import date

log = logging.getLogger(__name__)

HOUSEHOLD_BOOK_VOID_FROM = date(2023, 1, 1)
HOUSEHOLD_BOOK_LAST_VALID_DAY = date(2022, 12, 31)
# Law on Identification 2023, Art. 46: CMND cards stay valid "to the end of 31/12/2024".
CMND_LAST_VALID_DAY = date(2024, 12, 31)
# Decree 05/1999: a CMND card was valid 15 years from issue.
CMND_VALIDITY_YEARS = 15
RENEWAL_AGES: tuple[int, ...] = (14, 25, 40, 60)
# A card issued within this many years before a renewal age lasts to the next one.
RENEWAL_GRACE_YEARS = 2
NO_LIMIT_TYPES: dict[str, str] = {
    "birth_certificate": "birth certificate",
    "marriage_certificate": "marriage certificate",
    "death_extract": "death extract",
    "land_use_certificate": "land use certificate",
    "business_registration": "business registration certificate",
    "administrative_decision": "administrative decision",
}
SINGLE_USE_TYPES = frozenset({"application_form", "dossier_receipt"})
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")

Verdict = tuple[bool, str]


def parse_iso_date(value: object) -> date | None:
    """`YYYY-MM-DD` → date; anything else (missing, malformed, impossible) → None."""
    if not isinstance(value, str) or not _ISO_DATE.match(value.strip()):
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        return None


def _digits(value: object) -> str:
    """The digits of a value (ID numbers are sometimes printed with spaces)."""
    return "".join(ch for ch in str(value or "") if ch.isdigit())


def add_years(day: date, years: int) -> date:
    """Same day `years` later; 29 February becomes 28 February in a common year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def add_months(day: date, months: int) -> date:
    """Corresponding day `months` later, or the month's last day (Civil Code 2015, Art. 148)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _until(valid_until: date, as_of: date, why: str) -> Verdict:
    """Verdict for a paper valid through `valid_until` (inclusive)."""
    if as_of <= valid_until:
        return True, f"valid until {valid_until.isoformat()} ({why})"
    return False, f"expired on {valid_until.isoformat()} ({why})"


def card_expiry(date_of_birth: date, issue_date: date) -> tuple[date | None, str]:
    """Expiry of a citizen ID card from its holder's birth date and its issue date."""
    for age in RENEWAL_AGES:
        renewal = add_years(date_of_birth, age)
        if issue_date < add_years(renewal, -RENEWAL_GRACE_YEARS):
            return renewal, f"card renewal at age {age}"
    last = RENEWAL_AGES[-1] - RENEWAL_GRACE_YEARS
    return None, f"card issued at age {last} or later"


def _citizen_id_card(fields: Mapping[str, str], as_of: date) -> Verdict:
    """12-digit citizen ID card (CCCD / thẻ căn cước) without a printed expiry date."""
    issued = parse_iso_date(fields.get("issue_date"))
    born = parse_iso_date(fields.get("date_of_birth"))
    if issued is None or born is None:
        missing = "issue date" if issued is None else "date of birth"
        return False, f"{missing} unknown, so the card's expiry cannot be computed"
    expiry, why = card_expiry(born, issued)
    if expiry is None:
        return True, f"does not expire ({why})"
    return _until(expiry, as_of, why)


def _old_cmnd(issued: date | None, as_of: date) -> Verdict:
    """Old 9-digit CMND: 15 years from issue, and never after 2024-12-31."""
    if as_of > CMND_LAST_VALID_DAY:
        return False, f"old 9-digit CMND cards are void after {CMND_LAST_VALID_DAY.isoformat()}"
    if issued is not None and add_years(issued, CMND_VALIDITY_YEARS) < CMND_LAST_VALID_DAY:
        return _until(add_years(issued, CMND_VALIDITY_YEARS), as_of, "CMND valid 15 years")
    return _until(CMND_LAST_VALID_DAY, as_of, "old CMND cards end on that day")


def _months_from_issue(months: int, label: str) -> Callable[[Mapping[str, str], date], Verdict]:
    """Rule for papers valid a number of months from their issue date."""

    def rule(fields: Mapping[str, str], as_of: date) -> Verdict:
        issued = parse_iso_date(fields.get("issue_date"))
        if issued is None:
            return False, f"issue date unknown, so the {label} validity cannot be checked"
        return _until(add_months(issued, months), as_of, f"{months} months from issue")

    return rule


_RULES: dict[str, Callable[[Mapping[str, str], date], Verdict]] = {
    "citizen_id_card": _citizen_id_card,
    # DOMAIN: 6 months (marked "check"); CT07 residence confirmation: 1 year.
    "marital_status_certificate": _months_from_issue(6, "marital status certificate"),
    "residence_confirmation": _months_from_issue(12, "residence confirmation"),
}


def _without_expiry_rule(doc_type: str) -> Verdict:
    """Verdict for types that carry no validity rule of their own."""
    if doc_type in NO_LIMIT_TYPES:
        return True, f"no validity limit for a {NO_LIMIT_TYPES[doc_type]}"
    if doc_type in SINGLE_USE_TYPES:
        return False, "made for a single dossier, not reusable"
    if doc_type == "power_of_attorney":
        return False, "term of the authorisation not recorded; check the paper"
    if doc_type in {"official_letter", "other"}:
        return False, "no reuse rule for this document type; check the paper"
    return False, f"unknown document type {doc_type!r}"


def assess(doc_type: str, fields: Mapping[str, str], as_of: date) -> tuple[bool, str]:
    """Whether a paper of `doc_type` with `fields` may be reused on `as_of`, and why."""
    if doc_type == "household_book":
        if as_of >= HOUSEHOLD_BOOK_VOID_FROM:
            return False, f"household books are void since {HOUSEHOLD_BOOK_VOID_FROM.isoformat()}"
        return _until(HOUSEHOLD_BOOK_LAST_VALID_DAY, as_of, "household books end on that day")
    issued = parse_iso_date(fields.get("issue_date"))
    if issued is not None and issued > as_of:
        return False, f"issued on {issued.isoformat()}, after {as_of.isoformat()}"
    if doc_type == "citizen_id_card" and len(_digits(fields.get("id_number"))) == 9:
        return _old_cmnd(issued, as_of)
    expiry = parse_iso_date(fields.get("expiry_date"))
    if expiry is not None:
        return _until(expiry, as_of, "printed expiry date")
    rule = _RULES.get(doc_type)
    if rule is not None:
        return rule(fields, as_of)
    return _without_expiry_rule(doc_type)
