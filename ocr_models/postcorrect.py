"""Vietnamese OCR post-correction: repair syllables that cannot exist, leave the rest alone.

Vietnamese syllables form a closed set (~6,600 in the hunspell-vi word list). An OCR token
with Vietnamese diacritics that is not in the set is a detectable error ("Hổà", "ngàỵ");
when exactly one valid syllable has the same letters and the closest diacritics, it is
the repair. Numbers, codes ("QĐ-UBND", "05/TB"), unaccented words (names, abbreviations,
foreign words) and valid syllables are never touched, so "Nguyên" stays "Nguyên" (only
where it starts a person's name is it read as the family name Nguyễn: `names.py`).

The syllable list is read from Debian's `hunspell-vi` (GPL-2, so it is not copied into this
repository); without it, post-correction is NFC and tone style only.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Mapping
from functools import lru_cache
from pathlib import Path

from rapidfuzz.distance import Levenshtein

from ocr_models.cardwords import on_id_card, repair_card_words
from ocr_models.context import (
    ToneContext,
    default_context,
    neighbour_word,
    restore_terms,
    signature_caption,
    strip_tone,
)
from ocr_models.vietnamese import (
    DOT_BELOW,
    TONE_MARKS,
    canonical_tone,
    canonicalize,
    fold,
    same_case,
)

log = logging.getLogger(__name__)

HUNSPELL_VI = Path("/usr/share/hunspell/vi_VN.dic")
_TOKEN = re.compile(r"[^\W\d_]+")
# Letters glued to these belong to a code or number ("QĐ-UBND", "5/TB", "H10.22"): skip.
_CODE_NEIGHBOURS = set("0123456789/-.@_")
_MAX_DIACRITIC_EDITS = 2
# Equally close repairs of a lower-case token: the one found in this many times more known
# words than any other, and in at least this many, is taken ("ghỉ" → "ghi", not "ghì").
_USAGE_RATIO = 5
_USAGE_MIN = 5


@lru_cache(maxsize=4)
def load_syllables(path: Path = HUNSPELL_VI) -> frozenset[str]:
    """Lower-case, canonical-tone syllables from a hunspell .dic (empty when missing)."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()[1:]  # first line: count
    except OSError:
        log.info("no Vietnamese syllable list at %s: syllable repair is off", path)
        return frozenset()
    words = (line.split("/", 1)[0].strip() for line in lines)
    return with_y_spellings(canonical_tone(w.lower()) for w in words if w.isalpha())


# After a one-letter consonant, a syllable whose only vowel is i is also written with y:
# "lí"/"lý", "kĩ"/"kỹ", "sĩ"/"sỹ", and in names "Mý", "Vy", "Ly". hunspell-vi lists only
# some of the y spellings, and OCR does not confuse i with y (y has a tail).
_I_VOWELS = "iìíỉĩị"
_I_TO_Y = str.maketrans(_I_VOWELS, "yỳýỷỹỵ")
_Y_ONSETS = set("bdđhklmnrstvx")


def with_y_spellings(syllables: Iterable[str]) -> frozenset[str]:
    """The syllables plus the y spelling of every one-consonant-and-i syllable."""
    out = set(syllables)
    out.update(
        s[0] + s[1].translate(_I_TO_Y)
        for s in list(out)
        if len(s) == 2 and s[0] in _Y_ONSETS and s[1] in _I_VOWELS
    )
    return frozenset(out)


def _rare_toned(low: str, syllables: frozenset[str]) -> bool:
    """True for a known syllable with one tone mark the list lacks: `páo` (`pao` + acute).

    Hunspell-vi holds the Kinh vocabulary; names of people and places of other peoples
    (`Páo`, `Pá`, `Sủ`, `Dình`, `Phìn`) use syllables that are well formed but not in it.
    OCR's own slips give two marks (`Hổà`), or a dot below from a speck under the line
    (`Dụy` for `Duy` on a fax page of seed 2626): a dot below is never taken for a name's.
    """
    nfd = unicodedata.normalize("NFD", low)
    marks = [c for c in nfd if c in TONE_MARKS]
    return len(marks) == 1 and marks[0] != DOT_BELOW and strip_tone(low) in syllables


# A word of letters with one 1 in it, not glued to a code or number (`_one_for_i`).
_ONE_FOR_I = re.compile(r"(?<![\w/.@-])([^\W\d_]*)1([^\W\d_]*)(?![\w/@-])")
# One letter Tesseract reads as two on fax and photocopies (`_letters_split`).
_SPLIT_LETTERS = (("rn", "m"), ("ri", "n"))


class SyllableCorrector:
    """Repairs invalid Vietnamese syllables from a closed syllable set.

    `usage` (how many known words each syllable occurs in) breaks a tie between equally
    close repairs of a lower-case token when one candidate is far more common. Capitalised
    tokens keep the tie: names are where the rare syllables are ("Tân Thới", "Hoằng Hóa").
    """

    def __init__(
        self,
        syllables: Iterable[str],
        usage: Mapping[str, int] | None = None,
        context: ToneContext | None = None,
    ) -> None:
        self.syllables = frozenset(canonical_tone(s.lower()) for s in syllables)
        self.usage = usage or {}
        self.context = context
        self._by_letters: dict[str, list[str]] = defaultdict(list)
        for s in self.syllables:
            self._by_letters[fold(s)].append(s)

    def is_valid(self, token: str) -> bool:
        """True when the token (any case) is a Vietnamese syllable."""
        return canonical_tone(token.lower()) in self.syllables

    def repair(self, token: str, neighbours: tuple[str | None, str | None] = (None, None)) -> str:
        """The one closest valid syllable with the same letters, or the token unchanged.

        `neighbours` (the words right before and after, if any) settle a tie between
        equally close repairs of a lower-case token: see `_in_a_word`.
        """
        low = canonical_tone(token.lower())
        if len(low) < 2 or low in self.syllables:
            return token
        if token.islower() and (joined := self._letters_split(low)):
            return joined
        if low.isascii():
            return token
        if not (token.islower() or token.isupper() or token.istitle()):
            return token  # mixed case: a code or a name written oddly
        if not token.islower() and _rare_toned(low, self.syllables):
            return token  # a name's rare syllable: `Giàng A Páo`, `bản Pá Khoang`
        candidates = self._by_letters.get(fold(low), [])
        nfd = unicodedata.normalize("NFD", low)
        scored = sorted(
            (Levenshtein.distance(nfd, unicodedata.normalize("NFD", c)), c) for c in candidates
        )
        if not scored or scored[0][0] > _MAX_DIACRITIC_EDITS:
            return token
        if len(scored) > 1 and scored[1][0] == scored[0][0]:
            tied = [c for d, c in scored if d == scored[0][0]]
            left, right = neighbours
            if token.istitle() and left is None and right is not None and right.islower():
                # sentence case, opening a line: only a word with the next settles it
                # (`Đân tộc:` → `Dân tộc:`; 3 of 491 OCR'd files better, none worse)
                fit = self._in_a_word(tied, neighbours)
                return same_case(fit, token) if fit else token
            if not token.islower():
                return token  # two equally likely repairs: leave it for a human
            return (
                self._far_more_common(tied)
                or self._in_a_word(tied, neighbours)
                or self._in_a_word([c for d, c in scored if d <= _MAX_DIACRITIC_EDITS], neighbours)
                or token
            )
        return same_case(scored[0][1], token)

    def _letters_split(self, low: str) -> str | None:
        """The syllable a letter read as two makes, as it stands (marks and all), or None.

        Fax and photocopies: `m` read `rn` (`târn` → `tâm`), `n` read `ri` (`trorig` →
        `trong`, `veri` → `ven`). Four letters or more (`uri` stays); on the page texts of
        sixteen eval sets and three prose sets as OCR read them, 4 words better and none
        worse; no word changed in 127,796 words of the system's translations.
        """
        if len(low) < 4:
            return None
        for read, letter in _SPLIT_LETTERS:
            if low.count(read) == 1 and (joined := low.replace(read, letter)) in self.syllables:
                return joined
        return None

    def _one_for_i(self, m: re.Match[str]) -> str:
        """`gh1` → `ghi`, `Nơ1` → `Nơi`: an i read as the digit 1 inside a word.

        Typefaces whose i has a foot serif (Liberation Mono) give it: 8 words of 27 pages
        set in it, none on the 568 eval pages in the usual faces; in 426,000 words of real
        Vietnamese text the rule would change `Th1` twice. Only where the letters make a
        syllable with an i, there are two of them or more, and they are not all capitals
        (codes: `TP1`, `A1`).
        """
        letters = m.group(1) + m.group(2)
        word = f"{m.group(1)}i{m.group(2)}"
        if len(letters) < 2 or letters.isupper() or not self.is_valid(word):
            return m.group(0)
        return word

    def _far_more_common(self, candidates: list[str]) -> str | None:
        ranked = sorted(candidates, key=lambda c: self.usage.get(c, 0), reverse=True)
        top, runner_up = (self.usage.get(c, 0) for c in ranked[:2])
        return ranked[0] if top >= _USAGE_MIN and top >= _USAGE_RATIO * runner_up else None

    def _in_a_word(
        self, candidates: list[str], neighbours: tuple[str | None, str | None]
    ) -> str | None:
        """The one candidate that makes a known word with a neighbour.

        `repair` asks first among the closest candidates, then, when none of those fits,
        among all within `_MAX_DIACRITIC_EDITS`: `xuất khãu` (no syllable) is one mark from
        `khâu` and `khẫu`, and `xuất khẩu`, two marks off, is the word (3 eval files better,
        none worse; in real text `bị gẫy`, an old spelling, became `bị gậy`).

        `đân cư` (the stroke of a d read as đ): `dân`, `đàn`, `đần` … are all one mark
        away from `đân`, and only `dân cư` is a word. On the OCR of 491 generated files
        it mended 16 words (`giạn` → `gian`, `cở` → `cơ`) and changed no ground truth;
        names (capitalised) are left out, where it turned `Thới` into `Thời`.
        """
        if self.context is None:
            return None
        left, right = (canonical_tone(n.lower()) if n else None for n in neighbours)
        fits = self.context.fitting(candidates, left, right)
        return fits[0] if len(fits) == 1 else None

    def correct(self, text: str) -> str:
        """Text with invalid syllables repaired; everything else byte-for-byte the same."""
        if "1" in text:
            text = _ONE_FOR_I.sub(self._one_for_i, text)
        tokens = [(m.start(), m.end(), m.group(0)) for m in _TOKEN.finditer(text)]
        out: list[str] = []
        last = 0
        for i, (start, end, token) in enumerate(tokens):
            before = text[start - 1] if start else " "
            after = text[end] if end < len(text) else " "
            code = before in _CODE_NEIGHBOURS or after in _CODE_NEIGHBOURS and after != "."
            if not code and not self.is_valid(token):
                left, right = (neighbour_word(text, tokens, i, step) for step in (-1, 1))
                token = self.repair(token, (left, right))
            out.append(text[last:start] + token)
            last = end
        out.append(text[last:])
        return "".join(out)


@lru_cache(maxsize=1)
def default_corrector() -> SyllableCorrector:
    """A corrector over the system's hunspell-vi syllables (possibly empty)."""
    context = default_context()
    return SyllableCorrector(load_syllables(), context.usage, context)


def postcorrect(
    text: str,
    corrector: SyllableCorrector | None = None,
    *,
    context: bool = True,
    card: bool | None = None,
) -> str:
    """NFC, one tone style, repair of invalid syllables, then tones fixed from context.

    On an ID card page (`card`, else `on_id_card` of the text) invalid syllables include
    the card's English words read with marks (`cardwords`). The page text also gets the
    marks of the papers' fixed terms back (`restore_terms`), the tilde of the family name
    Nguyễn (`names`) and a chip ID card's machine-readable zone repaired from its own
    check digits (`mrz`).

    `context=False` for a lone word (a word box), which has no neighbours to go by: pass
    `card` from its page (`on_id_card` of the page's post-corrected text).
    """
    from ocr_models.mrz import repair_mrz
    from ocr_models.names import surname_marks

    text = canonicalize(text).translate(_LOOKALIKES)
    if "ø" in text:
        text = _SLASHED_O_OF.sub("o", _SLASHED_O_ITEM.sub(r"\1g)", text))
    corrector = corrector or default_corrector()
    if corrector.syllables:
        text = corrector.correct(text)
    if context:
        text = repair_mrz(text)  # first: a card's zone, read right, says the page is a card
    on_card = card if card is not None else on_id_card(text)
    if corrector.syllables and on_card:
        text = repair_card_words(text, corrector.is_valid)
    if not context:
        return text
    if "¿" in text or "¡" in text:
        text = _INVERTED_SIGN.sub(" / " if on_card else " ", text)
    text = default_context().correct(drop_speck_stops(tidy_marks(text), corrector))
    return surname_marks(signature_caption(restore_terms(text)))


# `¿` or `¡` alone between words: on an ID card the slash between a label's Vietnamese and
# English halves (`Nơi thường trú ¿ Place of residence`, `SỐ định danh cá nhân ¡ Persorla)`:
# 25 on the 568 eval files, every one of them so); elsewhere debris (`Yên ¡ Định`).
# Vietnamese never writes either.
_INVERTED_SIGN = re.compile(r"(?<=\S)[ \t]+[¿¡][ \t]+(?=\S)")
# Signs Tesseract outputs for plain ones: "ƒ" (the florin hook) for an italic "f" (`Date
# oƒ birth` on ID cards), the fraction and division slashes for "/" (`19⁄5` on a phone
# photo: a date or a code such as `15/QĐ-UBND` must keep its plain slash to be found), and
# a diaeresis, which Vietnamese never writes, for two specks over a vowel (`Vũ Thị Loän`).
# Not on i: `ï` came only as debris glued to a word (`ïTừ`), where a plain `i` would take
# the word's tone mark when tones are put in place.
_LOOKALIKES = str.maketrans(
    {"ƒ": "f", "\u2044": "/", "\u2215": "/"} | dict(zip("äëöüÿÄËÖÜŸ", "aeouyAEOUY", strict=True))
)
# "ø", which Vietnamese never writes, for the "g" of a lettered list's `g)` (`ø) Nguồn gốc
# sử dụng`, on every land certificate whatever the capture: the papers' lists run a) b) c)
# d) đ) e) g) h)) and for the "o" of a card's `Date øf birth`.
_SLASHED_O_ITEM = re.compile(r"^([ \t]*)ø\)", re.MULTILINE)
_SLASHED_O_OF = re.compile(r"(?<![^\W\d_])ø(?=f(?![^\W\d_]))")


# A dash read as two (`Sơn Tinh —- Thủy Tinh`); a speck read as an underscore after a word
# (`thời gian _ chờ`, `thời gian _` at the end of a line). Neither occurs in Vietnamese
# running text; a line of underscores to fill in stays.
_DOUBLE_DASH = re.compile(r"(?<=\s)[-–—]{2}(?=\s)")
_LONE_UNDERSCORES = re.compile(r"(?<=\S)[ \t]+_+(?=[ \t]|$)", re.MULTILINE)
# ...and glued to the start or end of a word or number (`2_`, `_TT`, `Happiness_`): a
# line to fill in is underscores alone, and a code's underscore has a letter each side.
# On the OCR of 491 generated files 36 files read better, none worse, no truth changed.
_EDGE_UNDERSCORES = re.compile(r"(?<=[^\W_])_+(?![^\W_])|(?<![^\W_])_+(?=[^\W_])")
# A date whose slash was read as `i`, `I`, `l` or `|` (`17i12I2022`, `22I10/1969`).
_DATE_SLASHES = re.compile(r"(?<![\w/])(\d{1,2})[/iIl|](\d{1,2})[/iIl|]((?:19|20)\d{2})(?![\w/])")
# `Số` (number) before a number with its acute read as another tone or none (`Sô 80`,
# `Sộ: 12`, `sô 214/7`): no such word comes before a number (`Sổ 02`, a book, stays).
_NUMBER_WORD = re.compile(r"(?<![\w/])(?:[Ss][ôồỗộ]|S[ÔỒỖỘ])(?=[ \t]*[:/]?[ \t]*\d)")
# `Tổ` (a residential group: `Nơi cư trú: Tổ 11, xã Bắc Sơn`) with its hook read as an
# acute before its number (8 of 98 on fifteen eval sets), and `Điều` (article) with its
# grave lost (`Như Điêu 3;`, 4 decisions): neither misreading comes before a number.
_BEFORE_NUMBER = {"Tố": "Tổ", "Điêu": "Điều", "ĐIÊU": "ĐIỀU"}
_WORD_BEFORE_NUMBER = re.compile(rf"(?<![\w/])(?:{'|'.join(_BEFORE_NUMBER)})(?=[ \t]+\d)")
# A brace for a parenthesis, which Tesseract reads on fax pages (`Ông Trần Văn Dũng {62
# tuổi, phường Láng)`): the papers and running text write no braces, so a brace whose
# partner on its line is a parenthesis is one.
_OPEN_BRACE = re.compile(r"\{(?=[^{}()\n]*\))")
_CLOSE_BRACE = re.compile(r"(?<=\()([^{}()\n]*)\}")
# Square metres after a number, the superscript read as "?", "ˆ", "^" or "2" ("60,5 m?",
# "165 m2 đất"): land certificates and decisions give every area so.
_SQUARE_METRES = re.compile(r"(?<=\d )m[?ˆ^2](?![\w²])")


# Signs Tesseract reads specks and stroke ends as, alone or glued to a word ("ˆXã", "1ˆ",
# "`", "¬"): none is written in Vietnamese papers.
_DEBRIS = re.compile("[ˆ`¬‹›†‡]+")
# What is left of a form's dotted leader ("Dân tộc: Kinh ........ Quốc tịch"): four or
# more full stops (spaced or not) or two ellipsis signs. Never content, and no Vietnamese
# punctuation; an ellipsis ("cân bằng... để") stays.
_LEADER = re.compile(r"(?:[.…][ \t]?){3,}[.…]|…{2,}")


# The first dots of a leader, after the value before it (`Kinh...`, `ĐỨC ..`, `123456..`):
# the speck step keeps the dots next to a letter and takes the rest. Only on a label's line
# (a colon after at most six words), at its end or before the next label: no form value
# ends in two or three stops, while running text may end in an ellipsis (`nước uống…`),
# even after a colon (`…, cho biết: “… giấy khai sinh… Nay nếu …`).
_LEADER_TAIL = re.compile(r"(?<=[^\s.…:])[ \t]*(?:\.{2,3}|…)(?=[ \t]|$)")
_LABEL_WORDS = 6


# Bits of a frame or a table's outer rule read as a lone `l`, `|`, `Í`, `ị` … at the end
# or the start of a line (`SỞ TÀI NGUYÊN VÀ MÔI TRƯỜNG lÍ`, `| b) Địa chỉ`): no word of a
# paper, while `I`, `II`, `III` alone may be a numeral and stay, as does an `l` after a
# number (litres).
_EDGE_BITS = "l|ÍÌỊịí"
_BITS_AT_END = re.compile(
    rf"(?<=[^\s\d])[ \t]+((?=[{_EDGE_BITS}I]{{0,3}}[{_EDGE_BITS}])[{_EDGE_BITS}I]{{1,4}})[ \t]*$",
    re.MULTILINE,
)
_BITS_AT_START = re.compile(rf"^[ \t]*([{_EDGE_BITS}]{{1,2}})[ \t]+(?=\S)", re.MULTILINE)
_BITS_THAT_ARE_WORDS = frozenset(("lí", "lì", "lị"))  # `lí do`, `xử lí`, `lì lợm`
# Signs alone at the end or the start of a line that no paper prints there (specks, a
# seal's arc, a signature's tail: `“ Nguyễn Văn An`, `Độc lập - Tự do ~`). List marks
# (`-`, `+`, `*`, and `~` at a line's start: a dash read so), brackets (`[ ]`), stops,
# colons, slashes (`-/-`) and a machine-readable zone's `<` stay. With the bits above,
# 124 of 568 eval files read better, none worse but ties, no field lost; in real text it
# takes quotes set apart from their words (`“ Dân`, a tokenised corpus: 26 of 426,000
# words).
_SIGNS = r"""'"“”„^\\|£¡¿%&="""
_SIGNS_AT_EDGES = re.compile(
    rf"(?<=\S)[ \t]+[{_SIGNS}~]+[ \t]*$|^[ \t]*(?:[{_SIGNS}]+[ \t]+)+(?=\S)", re.MULTILINE
)


def _bits(m: re.Match[str]) -> str:
    return m[0] if m[1] in _BITS_THAT_ARE_WORDS else ""


def tidy_marks(text: str) -> str:
    """Page text without the dash, underscore, leader and sign debris left between words."""
    text = renumber_sections(_SQUARE_METRES.sub("m²", text))
    text = "\n".join(
        _leader_tails(
            " ".join(_LEADER.sub(" ", _DEBRIS.sub("", line)).split())
            if _DEBRIS.search(line) or _LEADER.search(line)
            else line
        )
        for line in text.split("\n")
    )
    text = _LONE_UNDERSCORES.sub("", _DOUBLE_DASH.sub("-", text))
    text = _BITS_AT_START.sub(_bits, _BITS_AT_END.sub(_bits, text))
    text = _SIGNS_AT_EDGES.sub("", text)
    text = _NUMBER_WORD.sub(lambda m: same_case("số", m[0]), text)
    text = _WORD_BEFORE_NUMBER.sub(lambda m: _BEFORE_NUMBER[m[0]], text)
    if "{" in text or "}" in text:
        text = _CLOSE_BRACE.sub(r"\1)", _OPEN_BRACE.sub("(", text))
    return _DATE_SLASHES.sub(r"\1/\2/\3", _EDGE_UNDERSCORES.sub("", text))


def _leader_tails(line: str) -> str:
    colon = line.find(":")
    if colon < 0 or len(line[:colon].split()) > _LABEL_WORDS:
        return line
    rest = line[colon + 1 :]
    # at the end of the line, or with another label's colon after it
    leader = lambda m: "" if not rest[m.end() :].strip() or ":" in rest[m.end() :] else m[0]  # noqa: E731
    return line[: colon + 1] + _LEADER_TAIL.sub(leader, rest)


# Toner and fax specks read as stops between words: "kết:hôn", "cán.bộ" (a speck glued
# between two words), "ngờ. còn" (a full stop before a lower-case word), "phút.." (two).
_WORD = r"[^\W\d_]{2,}"
# Not in an e-mail address or a web address: `ten.ho@gmail.com`, `it@abc.vn`.
_GLUED_STOP = re.compile(rf"(?<![\w.@/])({_WORD})[.:]({_WORD})(?![\w.@/])")
_STOP_BEFORE_LOWER = re.compile(rf"(?<![\w.])({_WORD})\.(?= [^\W\d_])")
_TWO_STOPS = re.compile(r"(?<=[^\W\d_])\.\.(?!\.)")


def drop_speck_stops(text: str, corrector: SyllableCorrector) -> str:
    """Page text without the stops specks add between and after words.

    Only between lower-case Vietnamese syllables of two or more letters, so codes, domain
    names, abbreviations ("v.v.", "TP. Hồ Chí Minh") and numbers keep theirs; a sentence
    does not go on in lower case after a full stop. No generated ground truth changes.
    """
    word = lambda w: w.islower() and corrector.is_valid(w)  # noqa: E731
    if corrector.syllables:
        text = _GLUED_STOP.sub(
            lambda m: f"{m[1]} {m[2]}" if word(m[1]) and word(m[2]) else m[0], text
        )
        text = _STOP_BEFORE_LOWER.sub(
            lambda m: m[1] if word(m[1]) and m.string[m.end() + 1].islower() else m[0], text
        )
    return _TWO_STOPS.sub(".", text)


# A section heading numbered in Roman numerals ("III. NỘI DUNG ỦY QUYỀN"), its I's maybe
# read as 1, l or |, and two serif I's that touch as H ("HI." on a fax).
_SECTION = re.compile(r"^[ \t]*([IVXl1|H]{1,4})\.[ \t]+(?=[^\W\d_])", re.MULTILINE)
_ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")


def renumber_sections(text: str) -> str:
    """Roman section numbers put back in sequence where OCR dropped a stroke.

    Tesseract often reads "III." as "II." and "II." as "I.". Only a complete run is
    renumbered: at least three headings that start with a capital, the last numbered as
    many as there are, each read as its number or as its number with one I missing.
    Anything else (a heading lost, an Arabic list) is left as read.
    """
    heads = [m for m in _SECTION.finditer(text) if text[m.end()].isupper()]
    read = [
        m.group(1).replace("1", "I").replace("l", "I").replace("|", "I").replace("H", "II")
        for m in heads
    ]
    if len(heads) < 3 or read[-1] != _ROMAN[min(len(heads), len(_ROMAN)) - 1]:
        return text
    if not any(set(m.group(1)) & set("VX") or m.group(1) in ("II", "III") for m in heads):
        return text  # nothing unmistakably Roman: "1." may start an Arabic list
    for n, numeral in enumerate(read):
        right = _ROMAN[n] if n < len(_ROMAN) else None
        if numeral != right and not (right and right.replace("I", "", 1) == numeral):
            return text
    out, last = [], 0
    for n, m in enumerate(heads):
        out.append(text[last : m.start(1)] + _ROMAN[n])
        last = m.end(1)
    return "".join(out) + text[last:]
