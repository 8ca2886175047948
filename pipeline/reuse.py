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
from dataclasses import dataclass
from datetime import date, timedelta

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


@dataclass(frozen=True)
class Validity:
    """When a paper may be reused, independent of the day asked about (one source of truth).

    Reusable on a day when it is not `void`, not before `valid_from` (its issue date), not
    on or after `void_from`, and not after `valid_until` (None: no expiry). `why` names the
    rule (or, for a void paper, the reason it is never reusable); `void_reason` is the
    reason given from `void_from` on.
    """

    why: str
    valid_from: date | None = None
    valid_until: date | None = None
    void: bool = False
    void_from: date | None = None
    void_reason: str = ""

    @property
    def last_day(self) -> date | None:
        """Last day the paper is reusable (None: no end), `void_from` taken into account."""
        ends = [] if self.valid_until is None else [self.valid_until]
        if self.void_from is not None:
            ends.append(self.void_from - timedelta(days=1))
        return min(ends) if ends else None

    def verdict(self, as_of: date) -> Verdict:
        """Whether the paper may be reused on `as_of`, and why."""
        if self.valid_from is not None and self.valid_from > as_of:
            return False, f"issued on {self.valid_from.isoformat()}, after {as_of.isoformat()}"
        if self.void:
            return False, self.why
        if self.void_from is not None and as_of >= self.void_from:
            return False, self.void_reason
        if self.valid_until is None:
            return True, self.why
        if as_of <= self.valid_until:
            return True, f"valid until {self.valid_until.isoformat()} ({self.why})"
        return False, f"expired on {self.valid_until.isoformat()} ({self.why})"


def card_expiry(date_of_birth: date, issue_date: date) -> tuple[date | None, str]:
    """Expiry of a citizen ID card from its holder's birth date and its issue date."""
    for age in RENEWAL_AGES:
        renewal = add_years(date_of_birth, age)
        if issue_date < add_years(renewal, -RENEWAL_GRACE_YEARS):
            return renewal, f"card renewal at age {age}"
    last = RENEWAL_AGES[-1] - RENEWAL_GRACE_YEARS
    return None, f"card issued at age {last} or later"


def _citizen_id_card(fields: Mapping[str, str], issued: date | None) -> Validity:
    """12-digit citizen ID card (CCCD / thẻ căn cước) without a printed expiry date."""
    born = parse_iso_date(fields.get("date_of_birth"))
    if issued is None or born is None:
        missing = "issue date" if issued is None else "date of birth"
        why = f"{missing} unknown, so the card's expiry cannot be computed"
        return Validity(why, valid_from=issued, void=True)
    expiry, why = card_expiry(born, issued)
    if expiry is None:
        return Validity(f"does not expire ({why})", valid_from=issued)
    return Validity(why, valid_from=issued, valid_until=expiry)


def _old_cmnd(issued: date | None) -> Validity:
    """Old 9-digit CMND: 15 years from issue, and never after 2024-12-31."""
    until, why = CMND_LAST_VALID_DAY, "old CMND cards end on that day"
    if issued is not None and add_years(issued, CMND_VALIDITY_YEARS) < CMND_LAST_VALID_DAY:
        until, why = add_years(issued, CMND_VALIDITY_YEARS), "CMND valid 15 years"
    return Validity(
        why, valid_from=issued, valid_until=until,
        void_from=CMND_LAST_VALID_DAY + timedelta(days=1),
        void_reason=f"old 9-digit CMND cards are void after {CMND_LAST_VALID_DAY.isoformat()}",
    )  # fmt: skip


Rule = Callable[[Mapping[str, str], date | None], Validity]


def _months_from_issue(months: int, label: str) -> Rule:
    """Rule for papers valid a number of months from their issue date."""

    def rule(fields: Mapping[str, str], issued: date | None) -> Validity:
        if issued is None:
            why = f"issue date unknown, so the {label} validity cannot be checked"
            return Validity(why, void=True)
        until = add_months(issued, months)
        return Validity(f"{months} months from issue", valid_from=issued, valid_until=until)

    return rule


_RULES: dict[str, Rule] = {
    "citizen_id_card": _citizen_id_card,
    # DOMAIN: 6 months (marked "check"); CT07 residence confirmation: 1 year.
    "marital_status_certificate": _months_from_issue(6, "marital status certificate"),
    "residence_confirmation": _months_from_issue(12, "residence confirmation"),
}


def _without_expiry_rule(doc_type: str, issued: date | None) -> Validity:
    """Validity of types that carry no validity rule of their own."""
    if doc_type in NO_LIMIT_TYPES:
        return Validity(f"no validity limit for a {NO_LIMIT_TYPES[doc_type]}", valid_from=issued)
    if doc_type in SINGLE_USE_TYPES:
        why = "made for a single dossier, not reusable"
    elif doc_type == "power_of_attorney":
        why = "term of the authorisation not recorded; check the paper"
    elif doc_type in {"official_letter", "other"}:
        why = "no reuse rule for this document type; check the paper"
    else:
        why = f"unknown document type {doc_type!r}"
    return Validity(why, valid_from=issued, void=True)


def validity(doc_type: str, fields: Mapping[str, str]) -> Validity:
    """The window in which a paper of `doc_type` with `fields` may be reused."""
    if doc_type == "household_book":
        return Validity(
            "household books end on that day", valid_until=HOUSEHOLD_BOOK_LAST_VALID_DAY,
            void_from=HOUSEHOLD_BOOK_VOID_FROM,
            void_reason=f"household books are void since {HOUSEHOLD_BOOK_VOID_FROM.isoformat()}",
        )  # fmt: skip
    issued = parse_iso_date(fields.get("issue_date"))
    if doc_type == "citizen_id_card" and len(_digits(fields.get("id_number"))) == 9:
        return _old_cmnd(issued)
    expiry = parse_iso_date(fields.get("expiry_date"))
    if expiry is not None:
        return Validity("printed expiry date", valid_from=issued, valid_until=expiry)
    rule = _RULES.get(doc_type)
    if rule is not None:
        return rule(fields, issued)
    return _without_expiry_rule(doc_type, issued)


def assess(doc_type: str, fields: Mapping[str, str], as_of: date) -> tuple[bool, str]:
    """Whether a paper of `doc_type` with `fields` may be reused on `as_of`, and why."""
    return validity(doc_type, fields).verdict(as_of)
