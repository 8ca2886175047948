from pipeline.validate import date_order_problems, personal_id_problems, tax_code_valid


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
