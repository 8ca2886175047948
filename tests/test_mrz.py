from datetime import date

from card_zone import card_zone

from ocr_models.mrz import check_digit, repair_mrz, zone_fields
from ocr_models.postcorrect import postcorrect

TODAY = date(2026, 11, 26)


ZONE = card_zone("079078985309", "780310", "M", "380310", "NGUYEN<<NGOC<CUONG")


def test_the_check_digit_is_icaos() -> None:
    # ICAO 9303 part 3's worked example: document number L898902C3 has check digit 6.
    assert check_digit("L898902C3") == "6"
    assert check_digit("740812") == "2"


def test_a_zone_read_right_is_left_as_it_is() -> None:
    text = "Ngón trỏ trái Ngón trỏ phải\n" + "\n".join(ZONE)
    assert repair_mrz(text, TODAY) == text


def test_fixed_text_and_letters_in_digit_fields_are_set_right() -> None:
    line1, line2, line3 = ZONE
    read = ["T" + line1[1:], line2[:2] + "O" + line2[3:], line3]  # TDVNM, 78O310
    assert repair_mrz("\n".join(read), TODAY).split("\n") == ZONE


def test_a_misread_digit_in_a_date_is_set_right_by_its_check_digit() -> None:
    line1, line2, line3 = ZONE
    read = line2[:10] + "6" + line2[11:]  # expiry 380310 read 386310: no 68th month
    assert repair_mrz("\n".join([line1, read, line3]), TODAY).split("\n") == ZONE


def test_the_number_is_set_right_from_its_copy_and_line_two() -> None:
    # 0 read as 6 at the start of the document number and of the ID number it repeats:
    # the province code starts with 0, and line 2 gives the sex, century and birth year.
    line1, line2, line3 = ZONE
    read = "IDVNM6" + line1[6:15] + "6" + line1[16:18] + "6" + line1[19:]
    assert read != line1
    assert repair_mrz("\n".join([read, line2, line3]), TODAY).split("\n") == ZONE


def test_a_number_the_zone_cannot_settle_is_left_as_read() -> None:
    line1, _, _ = ZONE
    read = line1[:8] + "3" + line1[9:]  # a digit of the document number alone, no line 2
    out = repair_mrz(read, TODAY)
    assert out == read


def test_other_lines_are_never_touched() -> None:
    text = "\n".join(
        [
            "Số / No.: 036178992667",
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
            "Số: 15/2024/QĐ-UBND",
            "IDVNM0780789853091079078985309<<<",  # 33 characters: a line Tesseract garbled
            "TDVNM12345",
        ]
    )
    assert repair_mrz(text, TODAY) == text


def test_page_text_post_correction_repairs_the_zone() -> None:
    line1, line2, line3 = ZONE
    page = "Ngày, tháng, năm / Date, month, year: 10/03/2023\nT" + line1[1:] + f"\n{line2}\n{line3}"
    assert postcorrect(page).split("\n")[1:] == ZONE


def test_the_zone_vouches_for_the_number_dates_and_sex() -> None:
    text = "Đặc điểm nhân dạng / Personal identification\n" + "\n".join(ZONE)
    assert zone_fields(text, TODAY) == {
        "id_number": "079078985309",
        "date_of_birth": "1978-03-10",
        "gender": "Nam",
        "expiry_date": "2038-03-10",
    }


def test_a_number_read_the_same_wrong_way_twice_is_not_vouched_for() -> None:
    # A 0 read as 6 in both copies, where line 2 cannot set it right: the copies agree,
    # the check digits do not.
    line1, line2, _ = ZONE
    both = line1[:12] + "6" + line1[13:25] + "6" + line1[26:]
    assert both[5:14] == both[18:27] != line1[5:14]
    fields = zone_fields("\n".join([both, line2]), TODAY)
    assert "id_number" not in fields and fields["date_of_birth"] == "1978-03-10"


def test_a_zone_that_does_not_add_up_vouches_for_nothing_it_cannot_check() -> None:
    line1, line2, _ = ZONE
    garbled = line2[:7] + "F" + line2[8:]  # sex read F: the ID number says a man
    fields = zone_fields("\n".join([line1, garbled]), TODAY)
    assert "gender" not in fields and fields["date_of_birth"] == "1978-03-10"
    assert zone_fields("Số / No.: 079078985309\nHọ và tên / Full name:", TODAY) == {}


def test_blank_lines_between_the_zone_lines_do_not_matter() -> None:
    # Tesseract often sets the three lines apart as blocks, with a blank line between.
    line1, line2, line3 = ZONE
    read = "IDVNM6" + line1[6:15] + "6" + line1[16:18] + "6" + line1[19:]
    assert repair_mrz(f"{read}\n\n{line2}\n\n{line3}", TODAY) == "\n\n".join(ZONE)
    assert zone_fields("\n\n".join(ZONE), TODAY)["id_number"] == "079078985309"


def test_a_second_line_read_with_a_d_is_not_taken_for_the_first() -> None:
    # Born in 2010: line 2 starts "10…"; a 0 read as D must not make it look like "ID…".
    zone = card_zone("001210012345", "100305", "M", "350305", "LE<<AN")
    read = "1D" + zone[1][2:]
    out = repair_mrz("\n".join([zone[0], read, zone[2]]), TODAY).split("\n")
    assert out[1].startswith("100305") and out[0] == zone[0]


def test_a_second_line_that_fails_the_composite_check_vouches_only_for_its_dates() -> None:
    line1, line2, _ = ZONE
    smudged = line2[:20] + "X" + line2[21:]  # a filler read as X: the composite fails
    fields = zone_fields("\n".join([line1, smudged]), TODAY)
    assert fields == {"date_of_birth": "1978-03-10", "expiry_date": "2038-03-10"}
