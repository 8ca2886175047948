import pytest

from ocr_models.context import ToneContext
from ocr_models.postcorrect import SyllableCorrector, load_syllables, postcorrect

SYLLABLES = ["hòa", "hóa", "hoa", "ngày", "nguyễn", "nguyên", "bà", "ba", "bá", "tờ", "tỏ", "tô"]


@pytest.fixture
def corrector() -> SyllableCorrector:
    return SyllableCorrector(SYLLABLES)


@pytest.mark.parametrize(
    ("ocr", "fixed"),
    [("Hổà", "Hòa"), ("bằ", "bà"), ("NGÀỴ", "NGÀY"), ("ngàỵ", "ngày")],
)
def test_invalid_syllable_is_repaired_to_the_one_close_candidate(
    corrector: SyllableCorrector, ocr: str, fixed: str
) -> None:
    assert corrector.correct(ocr) == fixed


def test_valid_syllables_are_never_changed(corrector: SyllableCorrector) -> None:
    # NGUYÊN is a real syllable: turning it into NGUYỄN would need context, not a lexicon.
    assert corrector.correct("NGUYÊN Nguyên hóa") == "NGUYÊN Nguyên hóa"


def test_numbers_codes_and_unaccented_words_are_left_alone(corrector: SyllableCorrector) -> None:
    text = "Số: 5/TB-UBND, QĐ-UBND, H10.22.15-240315-0042, CCCD 048191458169, Nguyen Van A, Mr"
    assert corrector.correct(text) == text


@pytest.mark.parametrize(
    ("read", "meant"),
    [
        ("các xe máy trorig ngày", "các xe máy trong ngày"),  # `n` read `ri` (fax)
        ("tuyến đường veri biển", "tuyến đường ven biển"),
        ("chăm sóc sức khỏe târn thần", "chăm sóc sức khỏe tâm thần"),  # `m` read `rn`
        ("uri của gói", "uri của gói"),  # under four letters: left ("un" is a syllable)
        ("bà Veri nói", "bà Veri nói"),  # not lower case: may be a name
        ("các series và tri thức", "các series và tri thức"),  # no syllable either way
    ],
)
def test_a_letter_read_as_two_is_joined_where_that_makes_a_syllable(read: str, meant: str) -> None:
    corrector = SyllableCorrector(
        ["trong", "ven", "tâm", "các", "ngày", "tri", "gói", "của", "un", "bà", "nói"]
    )
    assert corrector.correct(read) == meant


@pytest.mark.parametrize(
    ("read", "meant"),
    [
        ("(Ký, gh1 rõ họ tên)", "(Ký, ghi rõ họ tên)"),  # Liberation Mono's i has a foot
        ("Nơ1 cư trú: Xóm 9, Đ1nh Xá", "Nơi cư trú: Xóm 9, Đinh Xá"),
        ("Lô A1, Q1, TP1, H10.22, 5/1a", "Lô A1, Q1, TP1, H10.22, 5/1a"),  # codes
        ("số1 tờ 1", "số1 tờ 1"),  # `sối` is no syllable: a number glued on
        ("x1z", "x1z"),  # no syllable with the i either
    ],
)
def test_an_i_read_as_the_digit_one_inside_a_word(read: str, meant: str) -> None:
    corrector = SyllableCorrector(["ghi", "rõ", "họ", "tên", "nơi", "cư", "trú", "xóm", "đinh"])
    assert corrector.correct(read) == meant


def test_a_tie_no_tied_syllable_settles_goes_to_the_one_close_syllable_making_a_word() -> None:
    # `khãu` (a tilde on a bare a: no syllable) is one mark from `khâu` and `khẫu`, neither
    # of which makes a word with `xuất`; `khẩu`, two marks off, does (a fax, seed 418).
    context = ToneContext(["xuất khẩu", "khâu vá", "cửa khẩu"])
    corrector = SyllableCorrector(["khâu", "khẫu", "khẩu", "xuất", "gạo"], context=context)
    assert corrector.correct("gạo xuất khãu") == "gạo xuất khẩu"
    assert corrector.correct("gạo khãu") == "gạo khãu"  # no neighbour settles it: as read


def test_ambiguous_repair_is_not_guessed(corrector: SyllableCorrector) -> None:
    assert corrector.correct("tö") == "tö"  # tờ, tỏ, tô are equally close


def test_a_tie_goes_to_a_far_more_common_syllable_in_lower_case_only() -> None:
    corrector = SyllableCorrector(["ghi", "ghì", "thời", "thới"], {"ghi": 20, "ghì": 1})
    assert corrector.correct("ghỉ rõ") == "ghi rõ"
    assert corrector.correct("Ghỉ") == "Ghỉ"  # a capital may start a name: no guess


def test_a_tie_between_syllables_of_like_use_is_not_guessed() -> None:
    corrector = SyllableCorrector(["ghi", "ghì", "việt", "viết"], {"việt": 6, "viết": 7, "ghì": 4})
    assert corrector.correct("viêt") == "viêt"
    assert corrector.correct("ghỉ") == "ghỉ"  # "ghi" unknown to the word list, "ghì" rare


def test_a_tie_goes_to_the_one_syllable_that_makes_a_word_with_a_neighbour() -> None:
    # `đân` is one mark from dân, đàn and đần; only `dân cư` is a word.
    context = ToneContext(["dân cư", "đàn hát", "đần độn", "cư trú"])
    corrector = SyllableCorrector(["dân", "đàn", "đần", "cư", "hát", "trú"], {}, context)
    assert corrector.correct("nơi đân cư") == "nơi dân cư"
    assert corrector.correct("đân hát") == "đàn hát"  # the word on the left works too
    assert corrector.correct("đân") == "đân"  # no neighbour: no word to go by
    assert corrector.correct("đân, cư") == "đân, cư"  # a comma between: no word
    assert corrector.correct("Đân Cư") == "Đân Cư"  # capitalised: perhaps a name
    # Without a context model the tie stays, as before.
    assert SyllableCorrector(["dân", "đàn", "đần", "cư"]).correct("đân cư") == "đân cư"


def test_a_tie_that_two_candidates_settle_is_not_guessed() -> None:
    context = ToneContext(["dân cư", "đàn cư"])
    corrector = SyllableCorrector(["dân", "đàn", "đần", "cư"], {}, context)
    assert corrector.correct("đân cư") == "đân cư"


def test_shipped_word_list_repairs_signature_caption_but_not_names() -> None:
    if not load_syllables():
        pytest.skip("hunspell-vi is not installed")
    assert postcorrect("(Ký, ghỉ rõ họ tên)") == "(Ký, ghi rõ họ tên)"
    assert postcorrect("xã Tân Thới, huyện Hoằng Hóa") == "xã Tân Thới, huyện Hoằng Hóa"


def test_postcorrect_normalises_nfc_and_tone_style(corrector: SyllableCorrector) -> None:
    decomposed = "Thanh Hoa\u0300"
    assert postcorrect(decomposed, corrector) == "Thanh Hòa"


def test_missing_word_list_turns_repair_off(tmp_path) -> None:
    assert load_syllables(tmp_path / "none.dic") == frozenset()
    assert postcorrect("bằ", SyllableCorrector([])) == "bằ"


def test_system_word_list_when_installed() -> None:
    syllables = load_syllables()
    if not syllables:
        pytest.skip("hunspell-vi is not installed")
    assert {"nguyễn", "hòa", "ủy", "nghiêng"} <= syllables
    assert len(syllables) > 5000


def test_dash_and_underscore_debris_between_words_goes_from_page_text() -> None:
    page = "kể chuyện Sơn Tinh —- Thủy Tinh\nthời gian _\nchờ 45 phút, tình : __ trạng -- x"
    assert postcorrect(page) == (
        "kể chuyện Sơn Tinh - Thủy Tinh\nthời gian\nchờ 45 phút, tình : trạng - x"
    )
    # Codes, a blank line to fill in and a lone word box are left as they are.
    assert postcorrect("Số 12/QĐ--UBND\n______") == "Số 12/QĐ--UBND\n______"
    assert postcorrect("_", context=False) == "_"


def test_underscores_glued_to_a_word_or_number_go_and_codes_keep_theirs() -> None:
    page = "Bản chính 2_\n_TT Hòa Phong\nHappiness_\nmã ho_so, file_name.pdf\n______"
    meant = "Bản chính 2\nTT Hòa Phong\nHappiness\nmã ho_so, file_name.pdf\n______"
    assert postcorrect(page) == meant


@pytest.mark.parametrize(
    ("read", "meant"),
    [
        ("Ngày cấp: 17i12I2022", "Ngày cấp: 17/12/2022"),
        ("sinh ngày 22I10/1969", "sinh ngày 22/10/1969"),
        ("30/12l1986 và 1|2|2001", "30/12/1986 và 1/2/2001"),
    ],
)
def test_a_date_whose_slash_was_read_as_a_letter_gets_it_back(read: str, meant: str) -> None:
    assert postcorrect(read) == meant


@pytest.mark.parametrize(
    ("read", "meant"),
    [
        ("Nơi cư trú: Sô 80 đường Lê Lợi", "Nơi cư trú: Số 80 đường Lê Lợi"),
        ("Quyển sô: 08/2024", "Quyển số: 08/2024"),
        ("SỘ: 12/QĐ-UBND", "SỐ: 12/QĐ-UBND"),
        ("Sổ 02, Sô cô la, Nô 5", "Sổ 02, Sô cô la, Nô 5"),  # a book, a word, no `Số`
    ],
)
def test_the_word_for_number_before_a_number_gets_its_acute(read: str, meant: str) -> None:
    assert postcorrect(read) == meant


@pytest.mark.parametrize(
    ("read", "meant"),
    [
        ("Nơi cư trú: Tố 11, xã Bắc Sơn", "Nơi cư trú: Tổ 11, xã Bắc Sơn"),
        ("Địa chỉ: Tố  7 Khu phố 2", "Địa chỉ: Tổ  7 Khu phố 2"),
        ("Nơi nhận:\n- Như Điêu 3;\n- Lưu: VT.", "Nơi nhận:\n- Như Điều 3;\n- Lưu: VT."),
        ("ĐIÊU 1. Công nhận", "ĐIỀU 1. Công nhận"),
        # Not before a number: a name, a word, a law's title.
        ("Nguyễn Thị Tố, yếu tố 2, Luật Tố chức", "Nguyễn Thị Tố, yếu tố 2, Luật Tố chức"),
        ("Điêu Chính Tơi, điêu 3", "Điêu Chính Tơi, điêu 3"),
    ],
)
def test_a_group_or_article_word_before_its_number_gets_its_mark(read: str, meant: str) -> None:
    assert postcorrect(read) == meant


@pytest.mark.parametrize("text", ["17/12/2022", "12i2022", "H10i12i2022", "5i3i1850", "1I2I20222"])
def test_other_numbers_with_letters_between_are_left_alone(text: str) -> None:
    assert postcorrect(text) == text


def test_signs_read_for_specks_go_and_their_words_close_up() -> None:
    page = "CÔNG AN QUẬN HOÀNG MAI ˆ CỘNG HÒA\nˆXã Hòa Phong\n1ˆ Nguyễn Văn Hùng\n` ¬ Độc lập"
    assert postcorrect(page) == (
        "CÔNG AN QUẬN HOÀNG MAI CỘNG HÒA\nXã Hòa Phong\n1 Nguyễn Văn Hùng\nĐộc lập"
    )
    assert postcorrect("Diện tích 60,5 mˆ") == "Diện tích 60,5 m²"  # square metres first


def test_square_metres_after_a_number_get_their_superscript_back() -> None:
    page = "c) Diện tích: 60,5 mˆ (Bằng chữ)\nDiện tích: 350,0 m? (Bằng\nGiao 165 m2 đất ở"
    assert postcorrect(page) == (
        "c) Diện tích: 60,5 m² (Bằng chữ)\nDiện tích: 350,0 m² (Bằng\nGiao 165 m² đất ở"
    )
    # Not after a number, or part of a code: left alone.
    assert postcorrect("mã m2 và M2, số 12 m2b") == "mã m2 và M2, số 12 m2b"


def test_hooked_f_is_an_italic_f() -> None:
    assert postcorrect("Ngày sinh / Date oƒ birth") == "Ngày sinh / Date of birth"
    assert postcorrect("oƒ", context=False) == "of"
    assert postcorrect("Ngày sinh / Date øƒ birth") == "Ngày sinh / Date of birth"


def test_a_brace_closed_by_a_parenthesis_is_one() -> None:
    page = "Ông Trần Văn Dũng {62 tuổi, phường Láng) đến\nông Lê (50 tuổi} và"
    assert postcorrect(page) == "Ông Trần Văn Dũng (62 tuổi, phường Láng) đến\nông Lê (50 tuổi) và"
    # A brace with no parenthesis to pair with, or across lines: left as read.
    for text in ("Họ và tên { Full name:", "a {b}", "{62 tuổi\nLáng)"):
        assert postcorrect(text) == text


def test_a_slashed_o_is_a_list_letter_g_or_the_o_of_of() -> None:
    page = "e) Thời hạn sử dụng: Lâu dài\nø) Nguồn gốc sử dụng: Nhà nước giao đất"
    assert postcorrect(page) == (
        "e) Thời hạn sử dụng: Lâu dài\ng) Nguồn gốc sử dụng: Nhà nước giao đất"
    )
    assert postcorrect("ø)", context=False) == "g)"
    assert postcorrect("Date øf expiry") == "Date of expiry"
    # Elsewhere it is left as read: no guess.
    assert postcorrect("Cư Møar, (ø), øff") == "Cư Møar, (ø), øff"


def test_fraction_and_division_slashes_are_plain_slashes() -> None:
    assert postcorrect("Sáng 19\u20445, số 15\u2215QĐ-UBND") == "Sáng 19/5, số 15/QĐ-UBND"
    assert postcorrect("12\u204403\u20442020", context=False) == "12/03/2020"


def test_roman_section_numbers_missing_a_stroke_are_put_back_in_sequence() -> None:
    read = "I. BÊN ỦY QUYỀN\nI. BÊN ĐƯỢC ỦY QUYỀN\nII. NỘI DUNG\n1V. THỜI HẠN\nV. CAM KẾT"
    assert postcorrect(read).splitlines() == [
        "I. BÊN ỦY QUYỀN", "II. BÊN ĐƯỢC ỦY QUYỀN", "III. NỘI DUNG", "IV. THỜI HẠN",
        "V. CAM KẾT",
    ]  # fmt: skip
    # A heading lost (four headings up to V), or an Arabic list: left as read.
    lost = "1. BÊN ỦY QUYỀN\nII. NỘI DUNG\n1V. THỜI HẠN\nV. CAM KẾT"
    assert postcorrect(lost) == lost
    arabic = "1. Họ và tên\n1. Ngày sinh\n1. Nơi sinh"
    assert postcorrect(arabic) == arabic
    # Two serif I's touching read as H (fax pages, seeds 5555 and 7070).
    fax = "I. BÊN ỦY QUYỀN\nII. BÊN ĐƯỢC ỦY QUYỀN\nHI. NỘI DUNG\nIV. THỜI HẠN"
    assert postcorrect(fax).splitlines()[2] == "III. NỘI DUNG"
    initial = "H. Nguyễn Văn An\nK. Trần Thị Bình\nL. Lê Văn Cường"  # not a Roman run
    assert postcorrect(initial) == initial


@pytest.mark.parametrize(
    ("read", "meant"),
    [
        ("Họ và tên: NGUYỄN VĂN AN..........", "Họ và tên: NGUYỄN VĂN AN"),
        ("Dân tộc: Kinh .... Quốc tịch: Việt Nam ....", "Dân tộc: Kinh Quốc tịch: Việt Nam"),
        ("Nơi ở: . . . . . Xóm 7", "Nơi ở: Xóm 7"),
        ("Ghi chú: ……", "Ghi chú:"),
        ("cân bằng... để bảo đảm", "cân bằng... để bảo đảm"),  # an ellipsis stays
        ("học sinh…\nSố 1.000.000 đồng.", "học sinh…\nSố 1.000.000 đồng."),
        # The first dots of a leader, kept by the speck step next to the value (fax pages).
        ("Số CCCD: 079199547193...", "Số CCCD: 079199547193"),
        ("Dân tộc: Kinh.. Quốc tịch: Việt Nam…", "Dân tộc: Kinh Quốc tịch: Việt Nam"),
        ("Họ, chữ đệm, tên: NGUYỄN MINH ĐỨC ..", "Họ, chữ đệm, tên: NGUYỄN MINH ĐỨC"),
        ("Ông nói rằng nước uống...", "Ông nói rằng nước uống..."),  # no label: an ellipsis
        (
            "Bà Hương, Phó Giám đốc Trung tâm, cho biết: giấy khai sinh… Nay nếu",
            "Bà Hương, Phó Giám đốc Trung tâm, cho biết: giấy khai sinh… Nay nếu",
        ),
        ("Ghi chú: bản sao, bản chính... Nay nộp", "Ghi chú: bản sao, bản chính... Nay nộp"),
        ("Kết luận: đồng ý.", "Kết luận: đồng ý."),  # one stop ends a sentence
    ],
)
def test_dotted_leaders_left_on_a_form_go_from_page_text(read: str, meant: str) -> None:
    assert postcorrect(read) == meant


@pytest.mark.parametrize(
    ("read", "meant"),
    [
        ("điều kiện kết:hôn và cán.bộ", "điều kiện kết hôn và cán bộ"),  # glued by a speck
        ("thật bất ngờ. còn nữa", "thật bất ngờ còn nữa"),  # no sentence goes on in lower case
        ("chỉ mất 45 phút..", "chỉ mất 45 phút."),
        # Abbreviations, codes, domains, times and real sentence ends keep their stops.
        ("các giấy tờ v.v. còn lại", "các giấy tờ v.v. còn lại"),
        ("TP. Hồ Chí Minh, ubnd.hanoi.gov.vn", "TP. Hồ Chí Minh, ubnd.hanoi.gov.vn"),
        ("lúc 10:30 sáng. Sau đó", "lúc 10:30 sáng. Sau đó"),
        ("Số 15/QĐ.UBND", "Số 15/QĐ.UBND"),
        ("Email: ten.ho@gmail.com, it@abc.vn", "Email: ten.ho@gmail.com, it@abc.vn"),
        ("Website: nhadat.vn/ban-nha", "Website: nhadat.vn/ban-nha"),
    ],
)
def test_stops_added_by_specks_between_words_go(read: str, meant: str) -> None:
    assert postcorrect(read) == meant


@pytest.mark.parametrize(
    ("read", "meant"),
    [
        # A land certificate's frame and a table's outer rule read at the ends of lines.
        ("SỞ TÀI NGUYÊN VÀ MÔI TRƯỜNG lÍ\nGIÁM ĐỐC l", "SỞ TÀI NGUYÊN VÀ MÔI TRƯỜNG\nGIÁM ĐỐC"),
        (
            "| b) Địa chỉ: Xã Hố Nai 3\nị a) Thửa đất số: 280",
            "b) Địa chỉ: Xã Hố Nai 3\na) Thửa đất số: 280",
        ),
        ("e) Thời hạn sử dụng: Lâu dài lÍI", "e) Thời hạn sử dụng: Lâu dài"),
        ("Nguyễn Xuân Cường Í", "Nguyễn Xuân Cường"),
        # Numerals, litres and the word `lí` stay.
        ("Quý III\nPhần I\nI. BÊN ỦY QUYỀN", "Quý III\nPhần I\nI. BÊN ỦY QUYỀN"),
        ("dung tích 5 l", "dung tích 5 l"),
        # Signs alone at a line's edge: a seal's arc, a signature's tail, toner.
        (
            "“ Nguyễn Văn An\nĐộc lập - Tự do ~\n| | ___ Ngày cấp: 09/05/2022",
            "Nguyễn Văn An\nĐộc lập - Tự do\nNgày cấp: 09/05/2022",
        ),
        # List marks (and `~`, a dash read so), brackets, `-/-` and a zone's `<` stay.
        (
            "- Như trên;\n~ Lưu: VT\n+ Bản sao\n[ ] Có\n2. Nhà ở: -/-\nIDVNM0904727052 <<<",
            "- Như trên;\n~ Lưu: VT\n+ Bản sao\n[ ] Có\n2. Nhà ở: -/-\nIDVNM0904727052 <<<",
        ),
        ("nêu rõ lí\nlí do từ chối", "nêu rõ lí\nlí do từ chối"),
    ],
)
def test_bits_and_signs_alone_at_the_ends_of_lines_go(read: str, meant: str) -> None:
    assert postcorrect(read) == meant


def test_an_inverted_sign_alone_is_a_cards_label_slash_and_debris_elsewhere() -> None:
    card = "CĂN CƯỚC\nNơi thường trú ¿ Place of residence:\nSỐ định danh cá nhân ¡ Persorla)"
    assert postcorrect(card, card=True).split("\n")[1:] == [
        "Nơi thường trú / Place of residence:",
        "SỐ định danh cá nhân / Persorla)",
    ]
    assert postcorrect("Yên ¡ Định, ngày 24 tháng 02", card=False) == "Yên Định, ngày 24 tháng 02"


def test_a_diaeresis_vietnamese_never_writes_is_read_as_the_plain_vowel() -> None:
    assert postcorrect("Vũ Thị Loän, sinh năm 1990") == "Vũ Thị Loan, sinh năm 1990"
    assert postcorrect("HOÀNG THỊ LOÄN") == "HOÀNG THỊ LOAN"


@pytest.mark.parametrize(
    "text",
    [
        "Họ và tên: Giàng A Páo, dân tộc Mông",  # a Hmong name: `páo` is no Kinh syllable
        "Lò Văn Páo, bản Pá Khoang, xã Mường Phăng",
        "GIÀNG A PÁO",
    ],
)
def test_a_names_rare_but_well_formed_syllable_is_kept(text: str) -> None:
    if not load_syllables():
        pytest.skip("hunspell-vi is not installed")
    assert postcorrect(text) == text


def test_a_name_read_with_two_marks_is_still_repaired() -> None:
    if not load_syllables():
        pytest.skip("hunspell-vi is not installed")
    assert postcorrect("Hổà Bình") == "Hòa Bình"
    assert postcorrect("Nguyễn Công Dụy") == "Nguyễn Công Duy"  # a speck's dot below
    assert postcorrect("páo") == "pao"  # lower case: a word, repaired as before


def test_a_sentence_case_opener_with_a_tie_is_settled_by_the_next_word() -> None:
    if not load_syllables():
        pytest.skip("hunspell-vi is not installed")
    assert postcorrect("02/05/2001\nĐân tộc: Kinh") == "02/05/2001\nDân tộc: Kinh"
    assert postcorrect("ông Đân tộc") == "ông Đân tộc"  # inside a line: may be a name
