"""pipeline.reuse.assess: DOMAIN's validity rules, each at its boundary dates."""

from __future__ import annotations

from datetime import date

import pytest

from pipeline.reuse import add_months, add_years, assess, card_expiry

D = date.fromisoformat


def card(dob: str | None = None, issued: str | None = None, **extra: str) -> dict[str, str]:
    """Fields of a 12-digit citizen ID card."""
    fields = {"id_number": "079190001234", **extra}
    if dob:
        fields["date_of_birth"] = dob
    if issued:
        fields["issue_date"] = issued
    return fields


# --- calendar helpers -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        ("2024-01-15", 6, "2024-07-15"),
        ("2024-08-31", 6, "2025-02-28"),
        ("2023-08-31", 6, "2024-02-29"),
        ("2024-10-31", 12, "2025-10-31"),
        ("2024-12-01", 1, "2025-01-01"),
    ],
)
def test_add_months_takes_the_corresponding_day_or_the_month_end(
    start: str, months: int, expected: str
) -> None:
    assert add_months(D(start), months) == D(expected)


def test_add_years_moves_29_february_to_28_february() -> None:
    assert add_years(D("2000-02-29"), 25) == D("2025-02-28")
    assert add_years(D("2000-02-29"), 4) == D("2004-02-29")


# --- household book ---------------------------------------------------------------------


def test_household_book_is_void_from_2023_01_01() -> None:
    ok, reason = assess("household_book", {"issue_date": "2010-05-01"}, D("2023-01-01"))
    assert not ok
    assert "2023-01-01" in reason


def test_household_book_was_usable_on_2022_12_31() -> None:
    ok, reason = assess("household_book", {}, D("2022-12-31"))
    assert ok
    assert "2022-12-31" in reason


def test_household_book_ignores_a_printed_expiry_date() -> None:
    ok, _ = assess("household_book", {"expiry_date": "2030-01-01"}, D("2024-01-01"))
    assert not ok


# --- old 9-digit CMND -------------------------------------------------------------------


def test_cmnd_is_valid_through_2024_12_31() -> None:
    ok, reason = assess("citizen_id_card", {"id_number": "123456789"}, D("2024-12-31"))
    assert ok
    assert "2024-12-31" in reason


def test_cmnd_is_void_from_2025_01_01_even_with_a_later_printed_expiry() -> None:
    fields = {"id_number": "123456789", "expiry_date": "2030-01-01"}
    ok, reason = assess("citizen_id_card", fields, D("2025-01-01"))
    assert not ok
    assert "CMND" in reason
    assert "2024-12-31" in reason


def test_cmnd_with_spaces_in_its_number_is_still_a_cmnd() -> None:
    ok, _ = assess("citizen_id_card", {"id_number": "123 456 789"}, D("2025-06-01"))
    assert not ok


def test_cmnd_lasts_15_years_from_issue_before_the_cutoff() -> None:
    fields = {"id_number": "123456789", "issue_date": "2005-06-01"}
    assert assess("citizen_id_card", fields, D("2020-06-01"))[0]
    ok, reason = assess("citizen_id_card", fields, D("2020-06-02"))
    assert not ok
    assert "2020-06-01" in reason


# --- 12-digit citizen ID card: renewal ages 14, 25, 40, 60 ------------------------------


def test_card_issued_at_31_lasts_to_age_40_inclusive() -> None:
    fields = card(dob="1990-03-05", issued="2021-04-01")
    ok, reason = assess("citizen_id_card", fields, D("2030-03-05"))
    assert ok
    assert reason == "valid until 2030-03-05 (card renewal at age 40)"
    ok, reason = assess("citizen_id_card", fields, D("2030-03-06"))
    assert not ok
    assert "2030-03-05" in reason
    assert "40" in reason


def test_card_issued_exactly_two_years_before_25_lasts_to_40() -> None:
    # 25th birthday 2015-03-05; the two-year window opens 2013-03-05.
    fields = card(dob="1990-03-05", issued="2013-03-05")
    ok, reason = assess("citizen_id_card", fields, D("2020-01-01"))
    assert ok
    assert "2030-03-05" in reason


def test_card_issued_the_day_before_the_window_expires_at_25() -> None:
    fields = card(dob="1990-03-05", issued="2013-03-04")
    ok, reason = assess("citizen_id_card", fields, D("2015-03-06"))
    assert not ok
    assert "2015-03-05" in reason
    assert assess("citizen_id_card", fields, D("2015-03-05"))[0]


def test_child_card_issued_within_two_years_of_14_lasts_to_25() -> None:
    # 14th birthday 2026-06-01; window opens 2024-06-01.
    assert card_expiry(D("2012-06-01"), D("2024-08-01"))[0] == D("2037-06-01")
    assert card_expiry(D("2012-06-01"), D("2024-05-31"))[0] == D("2026-06-01")


def test_card_issued_at_58_never_expires() -> None:
    fields = card(dob="1960-01-10", issued="2018-01-10")
    ok, reason = assess("citizen_id_card", fields, D("2050-01-01"))
    assert ok
    assert "does not expire" in reason


def test_card_issued_the_day_before_58_expires_at_60() -> None:
    fields = card(dob="1960-01-10", issued="2018-01-09")
    assert assess("citizen_id_card", fields, D("2020-01-10"))[0]
    ok, reason = assess("citizen_id_card", fields, D("2020-01-11"))
    assert not ok
    assert "2020-01-10" in reason


def test_card_of_someone_born_on_29_february() -> None:
    assert card_expiry(D("2000-02-29"), D("2020-01-01"))[0] == D("2025-02-28")


def test_printed_expiry_date_wins_over_the_computed_one() -> None:
    fields = card(dob="1990-03-05", issued="2021-04-01", expiry_date="2029-01-01")
    assert assess("citizen_id_card", fields, D("2029-01-01"))[0]
    ok, reason = assess("citizen_id_card", fields, D("2029-01-02"))
    assert not ok
    assert "2029-01-01" in reason


def test_card_without_issue_date_cannot_be_assessed() -> None:
    ok, reason = assess("citizen_id_card", card(dob="1990-03-05"), D("2025-01-01"))
    assert not ok
    assert "issue date" in reason


def test_card_without_birth_date_cannot_be_assessed() -> None:
    ok, reason = assess("citizen_id_card", card(issued="2021-04-01"), D("2025-01-01"))
    assert not ok
    assert "date of birth" in reason


def test_malformed_dates_count_as_missing() -> None:
    fields = card(dob="05/03/1990", issued="2021-04-01", expiry_date="31/12/2030")
    ok, reason = assess("citizen_id_card", fields, D("2025-01-01"))
    assert not ok
    assert "date of birth" in reason


# --- papers valid for a period from issue -----------------------------------------------


def test_marital_status_certificate_is_valid_six_months() -> None:
    fields = {"issue_date": "2024-01-15"}
    ok, reason = assess("marital_status_certificate", fields, D("2024-07-15"))
    assert ok
    assert "2024-07-15" in reason
    ok, reason = assess("marital_status_certificate", fields, D("2024-07-16"))
    assert not ok
    assert reason.startswith("expired on 2024-07-15")


def test_marital_status_certificate_issued_on_31_august_ends_in_february() -> None:
    fields = {"issue_date": "2024-08-31"}
    assert assess("marital_status_certificate", fields, D("2025-02-28"))[0]
    assert not assess("marital_status_certificate", fields, D("2025-03-01"))[0]


def test_marital_status_certificate_without_issue_date_is_not_reusable() -> None:
    ok, reason = assess("marital_status_certificate", {}, D("2025-01-01"))
    assert not ok
    assert "issue date" in reason


def test_residence_confirmation_is_valid_one_year() -> None:
    fields = {"issue_date": "2024-06-01"}
    assert assess("residence_confirmation", fields, D("2025-06-01"))[0]
    ok, reason = assess("residence_confirmation", fields, D("2025-06-02"))
    assert not ok
    assert "2025-06-01" in reason


def test_printed_expiry_date_counts_for_a_period_paper_too() -> None:
    fields = {"issue_date": "2024-01-15", "expiry_date": "2024-03-01"}
    assert not assess("marital_status_certificate", fields, D("2024-03-02"))[0]


# --- papers without a validity limit, and the rest --------------------------------------


@pytest.mark.parametrize(
    "doc_type",
    [
        "birth_certificate",
        "marriage_certificate",
        "death_extract",
        "land_use_certificate",
        "business_registration",
        "administrative_decision",
    ],
)
def test_papers_without_a_validity_limit_are_reusable(doc_type: str) -> None:
    ok, reason = assess(doc_type, {"issue_date": "1995-01-01"}, D("2025-01-01"))
    assert ok
    assert "no validity limit" in reason


def test_explicit_expiry_is_respected_for_any_type() -> None:
    fields = {"issue_date": "2020-01-01", "expiry_date": "2024-12-31"}
    ok, reason = assess("business_registration", fields, D("2025-01-01"))
    assert not ok
    assert "2024-12-31" in reason
    fields = {"expiry_date": "2026-05-01"}
    assert assess("power_of_attorney", fields, D("2026-05-01"))[0]


@pytest.mark.parametrize(
    "doc_type", ["application_form", "dossier_receipt", "power_of_attorney", "other", "bogus"]
)
def test_papers_without_a_reuse_rule_are_not_reusable(doc_type: str) -> None:
    ok, reason = assess(doc_type, {}, D("2025-01-01"))
    assert not ok
    assert reason


def test_a_paper_issued_after_the_day_asked_about_is_not_reusable() -> None:
    ok, reason = assess("birth_certificate", {"issue_date": "2025-02-01"}, D("2025-01-01"))
    assert not ok
    assert "2025-02-01" in reason


def test_reasons_are_short_sentences() -> None:
    cases = [
        ("citizen_id_card", card(dob="1990-03-05", issued="2021-04-01")),
        ("household_book", {}),
        ("marital_status_certificate", {"issue_date": "2024-01-15"}),
        ("birth_certificate", {}),
    ]
    for doc_type, fields in cases:
        _, reason = assess(doc_type, fields, D("2025-01-01"))
        assert 10 < len(reason) < 120
        assert "\n" not in reason
