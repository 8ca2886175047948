from datetime import date

from card_zone import card_zone

from ocr_models.mrz import check_digit, repair_mrz, zone_fields, zone_name
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
    other = str((int(line2[29]) + 5) % 10)  # the composite digit itself misread
    smudged = line2[:29] + other
    fields = zone_fields("\n".join([line1, smudged]), TODAY)
    assert fields == {"date_of_birth": "1978-03-10", "expiry_date": "2038-03-10"}


def test_a_filler_misread_is_set_right_when_every_check_digit_agrees() -> None:
    # Line 2 rebuilt from its own dates: the fillers are fixed text, and the composite
    # digit, read as such, then vouches for line 1 too.
    line1, line2, _ = ZONE
    smudged = line2[:20] + "X" + line2[21:]
    assert repair_mrz("\n".join([line1, smudged]), TODAY).split("\n") == [line1, line2]
    assert zone_fields("\n".join([line1, smudged]), TODAY)["id_number"] == "079078985309"


# A clean card read on generator seed 1212: every 0 of the number read as 6 in both copies
# and a 6 put into line 2, which the zone's own check digits cannot settle.
CARD = card_zone("024310779602", "100125", "F", "350125", "NGUYEN<<NGOC<HUONG")
FACES = [
    "Số định danh cá nhân / Personal identification number:",
    "024310779602",
    "Ngày, tháng, năm sinh / Date of birth: 25/01/2010",
    "Ngày, tháng, năm cấp / Date of issue: 19/04/2025",
    "Ngày, tháng, năm hết hạn / Date of expiry: 25/01/2035",
]


def _misread(line: str, *slips: tuple[int, str]) -> str:
    chars = list(line)
    for k, ch in slips:
        chars[k] = ch
    return "".join(chars)


def test_a_zone_its_check_digits_cannot_settle_is_rebuilt_from_the_faces() -> None:
    line1, line2, line3 = CARD
    read1 = line1.replace("0", "6")
    read2 = "16001255F3561254VNM<<<<<<<<<<<9"
    assert line2 == "1001255F3501254VNM<<<<<<<<<<<9" and read1 != line1
    out = repair_mrz("\n".join([*FACES, read1, read2, line3]), TODAY).split("\n")
    assert out[-3:] == CARD
    assert out[:-3] == FACES


def test_a_date_read_right_with_its_check_digit_misread_is_set_right() -> None:
    line1, line2, line3 = CARD
    read2 = _misread(line2, (14, "8"))  # expiry 350125's check digit read 8
    faces = FACES[:4]  # and the face's expiry date unreadable
    out = repair_mrz("\n".join([*faces, line1, read2, line3]), TODAY).split("\n")
    assert out[-3:] == CARD


def test_a_face_number_misread_where_no_check_digit_looks_does_not_rewrite_the_zone() -> None:
    # Seed 1602: the face read 086… for 066…; the document number (the last nine digits)
    # and its check digit are the same, only line 2's composite digit tells them apart.
    zone = card_zone("066080986952", "891221", "M", "481221", "NGUYEN<<XUAN<HUNG")
    read1 = "TDVNM98609869527966089986952<<<"
    faces = ["S6 /.No. 086080986952.", "Ngày sinh / Date of birth: 21/12/1989"]
    text = "\n".join([*faces, read1, zone[1], zone[2]])
    assert repair_mrz(text, TODAY).split("\n")[2] == read1


def test_a_zone_read_right_is_kept_though_the_face_reads_another_number() -> None:
    line1, line2, line3 = CARD
    faces = [FACES[0], "024316779662", *FACES[2:]]  # the face misread, the zone right
    text = "\n".join([*faces, line1, line2, line3])
    assert repair_mrz(text, TODAY) == text


def test_a_zone_whose_check_digit_disagrees_with_the_face_is_left_as_read() -> None:
    line1, line2, line3 = CARD
    read1 = _misread(line1.replace("0", "6"), (14, "1"))  # its check digit misread too
    out = repair_mrz("\n".join([*FACES, read1]), TODAY).split("\n")
    assert out[-1] != line1 and out[-1][5:15] == read1[5:15]


def test_line_three_spells_the_holders_name() -> None:
    line1, line2, _ = ZONE
    assert (
        zone_name("\n".join([line1, line2, "LE<<HOANG<PHONG<<<<<<<<<<<<<<<"])) == "LE HOANG PHONG"
    )
    assert zone_name("\n".join([line1, line2, "HO<<HA1<TRANG<<<<"])) == "HO HAI TRANG"
    assert zone_name("LE<<HOANG<PHONG<<<<<<<<<<<<<<<") is None  # no line 2 above it
    assert zone_name("\n".join([line1, line2, "NGÓN TRỎ TRÁI"])) is None


def test_a_zone_is_rebuilt_for_a_holder_born_last_century() -> None:
    # Seed 8383, a fax: born 1993, card valid to 2033 (93… sorts after 33… as YYMMDD).
    zone = card_zone("079093483107", "930403", "M", "330403", "LE<<CONG<TIEN")
    faces = ["079093483107", "Ngày sinh / Date of birth: 03/04/1993", "Có giá trị đến: 03/04/2033"]
    read1 = "IDVNM0934831979079093483167<<<"
    read2 = "9304033M3364631VNM<<<<<<<<<<<5"
    assert zone[1][-1] == "5"
    out = repair_mrz("\n".join([*faces, read1, read2, zone[2]]), TODAY).split("\n")
    assert out[-3:] == zone
