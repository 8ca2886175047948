from pipeline.validate import (
    date_order_problems,
    field_problems,
    personal_id_problems,
    tax_code_valid,
)


def test_personal_id_consistent_with_birth_and_gender() -> None:
    # 001 Hà Nội, 0 = male born 1900s, 90 = 1990
    assert personal_id_problems("001090012345", "1990-03-05", "Nam") == []
    # 3 = female born 2000s
    assert personal_id_problems("079305012345", "2005-01-01", "Nữ") == []


def test_personal_id_problems_are_named() -> None:
    assert any("province" in p for p in personal_id_problems("003090012345"))
    assert any("birth year" in p for p in personal_id_problems("001090012345", "1991-03-05"))
    assert any("gender" in p for p in personal_id_problems("001090012345", None, "Nữ"))
    assert personal_id_problems("00109001234")  # 11 digits


def test_tax_code_check_digit() -> None:
    assert tax_code_valid("0100047516")
    assert tax_code_valid("0100047516-001")
    assert not tax_code_valid("0100047517")
    assert not tax_code_valid("010004751")


def test_date_order() -> None:
    assert date_order_problems({"date_of_birth": "1990-01-01", "issue_date": "2020-01-01"}) == []
    assert date_order_problems({"date_of_birth": "2020-01-01", "issue_date": "2019-01-01"})
    assert date_order_problems({"issue_date": "2020-01-01", "expiry_date": "2019-01-01"})


def test_field_problems_name_the_field_to_distrust() -> None:
    problems = field_problems(
        {
            "id_number": "001090012345",
            "date_of_birth": "1991-03-05",
            "gender": "Nữ",
            "issue_date": "2021-01-01",
            "expiry_date": "2020-01-01",
            "business_code": "0100047517",
        }
    )
    assert set(problems) == {"id_number", "expiry_date", "business_code"}
    assert len(problems["id_number"]) == 2  # birth year and gender both disagree


def test_registration_and_receipt_dates_in_order() -> None:
    assert "issue_date" in field_problems(
        {"first_registration_date": "2020-05-01", "issue_date": "2019-01-01"}
    )
    assert "appointment_date" in field_problems(
        {"received_date": "2024-03-15", "appointment_date": "2024-03-01"}
    )
    assert field_problems({"received_date": "2024-03-15", "appointment_date": "2024-03-20"}) == {}


def test_implausible_single_dates() -> None:
    assert "date_of_birth" in field_problems({"date_of_birth": "1850-01-01"})
    assert "issue_date" in field_problems({"issue_date": "2999-01-01"})
    assert field_problems({"expiry_date": "2060-01-01"}) == {}  # expiry lies ahead


def test_old_cmnd_and_branch_codes() -> None:
    assert personal_id_problems("113036176", "1990-01-01", "Nam") == []
    assert not tax_code_valid("0100047516-01")
