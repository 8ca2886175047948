"""Tone repair from context: fix a valid syllable whose tone makes no word with its neighbours.

Tesseract's Vietnamese model reads a hook as an acute on degraded print ("tổng" → "tống",
"khẩu" → "khấu", "thể" → "thế"). Each misreading is a real syllable, so the closed-set
check of `postcorrect` cannot see it. Its neighbours can: "xuất khấu" is no Vietnamese
word, "xuất khẩu" is. In lower-case words a lost grave ("quyên" for "quyền"), a tilde
for a hook ("khẫu") and the dot of an i read as a hook ("chỉ phí") are repaired the same
way. A syllable is changed only when

- it forms a known word with neither neighbour (on the same line, no punctuation between),
- exactly one variant of the same letters forms a known word with a neighbour; a
  neighbour that makes a word of two of the commonest syllables with the word beyond it
  is no context ("có thể nhấn", can press, is no "thể nhân", a legal person), one of the
  ten commonest words vouches only for a word as common ("được mua" is no "được mùa"),
  and one word of a term of three words or more is none alone (`_in_term`);
- it is not glued to digits or code characters, not part of a run of capitalised words
  (a person's or place's name: "Văn Tám" stays); a capitalised word after a lower-case
  one starts a name and is no context ("xã Đông Phong" is no "xả đông");
- in an all-capitals word (a heading: "SỐ HỘ KHẨU" → "SỔ HỘ KHẨU", "KẾT QUÁ" → "KẾT
  QUẢ"), only the hook read as an acute is repaired, and only capitals around count. On
  the OCR of 332 files it mended 23 words and changed no other; no ground truth changed;
- a capitalised word is repaired as a lower-case one when it opens a line or a sentence
  and a lower-case word follows (sentence case, not a name: "Giây tờ" → "Giấy tờ"; 5
  files of 491 better, none worse, no ground truth changed);
- outside headings, no word becomes one over 2.5× rarer in running text (wordfreq's
  frequencies: `data/vi-freq.txt`), and a word among the most common (0.1 % of running
  text or more) does not lose its mark: common words combine freely, so a pair missing
  from the word list says little ("ông nói", he said, is no "ống nói", a mouthpiece;
  "cùng cấp" no "cung cấp"; "có chứa" no "có chửa", "ở đâu" no "ở đậu", "chỉ ra" no
  "chi ra"). A misreading mostly makes a rarer word ("xuất khấu" for "xuất khẩu").

Where no neighbour tells, a lower-case word with an acute on its hat that is far rarer
than the same word with a hook, one of the commonest words, is that word (`_common_slip`:
"đế" → "để", "tống" → "tổng"). And a rare syllable found in one known word only settles
its partner's tone, any tone (`_bound_partner`: "rụt rẻ" → "rụt rè").

Known words are the ~25,000 multi-syllable entries of the word list shipped with pyvi
(MIT licence, `data/vi-words.LICENSE.txt`), stored in `data/vi-words.txt.gz`, and the
titles and field labels of the papers themselves (`data/vi-terms.txt`, from DOMAIN.md):
pyvi lacks "quyển số", read "Quyến số" on about one civil-status paper in twelve. On the
OCR of 491 generated files those terms made 27 files read better and none worse, and
changed no ground truth.
"""

from __future__ import annotations

import gzip
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable
from functools import lru_cache
from importlib import resources

from rapidfuzz.distance import Levenshtein

from ocr_models.vietnamese import (
    ACUTE,
    DOT_BELOW,
    GRAVE,
    HOOK,
    TILDE,
    TONE_MARKS,
    canonical_tone,
    fold,
    same_case,
    tone_mark,
)

_WORD_FILE = "data/vi-words.txt.gz"
# Titles and field labels of the papers (DOMAIN.md) that pyvi's list lacks: "quyển số".
_TERMS_FILE = "data/vi-terms.txt"
# Words with their frequencies (wordfreq, CC BY-SA 4.0): `_kept_as_read`.
_FREQ_FILE = "data/vi-freq.txt"
_COMMON_BIN = 300  # 0.1 % of running text or more: "ông", "cho", "tôi", "quá"
_UNLISTED_BIN = 600  # under one in a million: the words the file does not list
_RARER_BY = 40  # a repair to a word over 10^0.4 ≈ 2.5× rarer is not made
# `_common_word`: a known word of two of the ~35 commonest words (0.3 % of running text
# each or more: `có thể`); `thị phần` (market share) does not hold `thị` from `hiển`.
_BOUND_BIN = 250
# `_words_fitting`: the ten commonest words (0.6 % of running text each or more: "là",
# "và", "có", "của", "được", "một", "các", "không", "trong", "cho").
_FUNCTION_BIN = 210
# `_common_slip`: the word meant is among the commonest (1 in 4,000 words of running text
# or more: "để", "tổng", "điểm", "biểu", "tiểu", "kiểu") and the word read 10× rarer.
_SLIP_COMMON_BIN = 360
_SLIP_RARER_BY = 100
# `_bound_partner`: a syllable rarer than 1 in 100,000 words of running text.
_RARE_BIN = 500
# Compounds pyvi's list lacks with a rare acute reading `_common_slip` would change.
_RARE_BESIDE = {("hoàng", "đế"), ("đế", "giày"), ("đế", "dép"), ("biếu", "tặng"), ("quà", "biếu")}
# Words with spaces between them and nothing else: a context pair.
_TOKENS = re.compile(r"[^\W\d_]+|\S")
_CODE_CHARS = set("/-_@")
# Tone misreadings repaired, as (read, meant): a hook read as an acute, and an acute read
# as a grave (`GIẦY CHỨNG NHẬN`, `GIẤY CHỪNG NHẬN`, `thị trần`: on the OCR of 491 files it
# mended 10 words and changed no other, nor any ground truth; the other way round it
# turned the name `THỚI` into `THỜI`), in any word; and,
# in lower-case words only, a grave lost over a hat ("quyên" for "quyền", "hô" for "hồ"),
# a hook read as a tilde ("khẫu") and a lost acute ("thành phô", "giây tờ", "tiêng Việt":
# 11 words of 491 OCR'd files, no ground truth changed once a word that makes a word
# across a line break is left alone). Each changed no word of the generated ground truth
# and only misread words of 238 OCR'd files; a capitalised word is left alone there
# ("Thanh" would become "Thành"; in capitals a lost acute turned 16 names and titles,
# `THANH` → `THÁNH`, `BIÊN` → `BIẾN`). Then, measured one at a time on the same 491 texts
# and kept when no ground truth changed: a lost dot below (`chữ đêm` → `chữ đệm`, `quy`
# → `quỵ`), an acute read as a hook (`đường phổ` → `đường phố`) and a lost tilde (`ghi
# ro` → `ghi rõ`), 11 files better, none worse. A grave read where there is none (`nhần`
# → `nhân`, `thần:` → `thân:`, `cờ` → `cơ`) and an acute read where there is none changed
# `từ` into `tư` and `chính` into `chinh` until the most common words were kept as read
# (`_kept_as_read`); with that, 12 files better, none worse. Not kept: a dot below
# dropped (`quận` → `quân`), a hook read for a grave (`tỉnh` → `tình`), a hook dropped
# (`cổng` → `công`): each still changed ground truths; a lost hook (`Quyên số`) made
# `hô sơ tại` `hô sở tại` (the neighbours are the words as read).
_Pairs = set[tuple[str | None, str | None]]
_ANY_CASE: _Pairs = {(ACUTE, HOOK), (GRAVE, ACUTE)}
_LOWER_CASE: _Pairs = _ANY_CASE | {
    (None, GRAVE), (TILDE, HOOK), (None, ACUTE), (None, DOT_BELOW), (HOOK, ACUTE), (None, TILDE),
    (GRAVE, None), (ACUTE, None), (None, HOOK),
}  # fmt: skip
# A lost hook (`xuất khâu`, `có thê vượt`, `tông lượng`, a fax of seed 418) is repaired
# only in a word outside the commonest (`_COMMON_BIN`: `bậc hai dương` is no `hải dương`,
# `lại qua các` no `quả`) and not where the word as read makes a known word with another
# tone of a neighbour (`hô sơ tại` is `hồ sơ tại`, not `hô sở tại`: `_neighbour_misread`).
# On the 568 + 18 dumped eval files 5 words mended, none made worse, no ground truth
# changed; in real text 3 words changed (`dòng đôi màu`; `trí tương tứng`, a typo) and 5
# typos mended (`có thê hủy`, `được hiên thị`, `cho sư dụng`).
# The dot of an i read as a hook ("chi phí" → "chỉ phí", "an ninh" → "an nỉnh"): dropped
# only when the hook sits on the i, in lower-case words (a hook dropped elsewhere turned
# "cổng" into "công"). It changed no word of the generated ground truth and 7 misread
# words of 202 OCR'd files.
_ON_I: _Pairs = {(HOOK, None)}
# A hook read as a grave (`TRƯỜNG PHÒNG`, `Quyền số`), in any case, only where the repair
# makes one of the papers' terms: on the eval pages it put right 7 words that way, and
# elsewhere it turned the name `NGUYỄN THÙY CHI` into `THỦY`.
_INTO_TERMS: _Pairs = {(GRAVE, HOOK)}


def _tone_on_i(syllable: str) -> bool:
    """True when the tone mark sits on an i or y: "chỉ", "tỷ" (not "tiểu")."""
    nfd = unicodedata.normalize("NFD", syllable)
    return any(c in TONE_MARKS and nfd[k - 1] in "iy" for k, c in enumerate(nfd) if k)


@lru_cache(maxsize=1 << 15)
def strip_tone(syllable: str) -> str:
    """The syllable without its tone mark (hats and horns stay): "khẩu" → "khâu"."""
    nfd = unicodedata.normalize("NFD", syllable)
    return unicodedata.normalize("NFC", "".join(c for c in nfd if c not in TONE_MARKS))


class ToneContext:
    """Pairs of syllables that occur side by side in known words, and tone variants."""

    def __init__(self, words: Iterable[str], terms: Iterable[str] = ()) -> None:
        """Known words from `words` and from `terms`, the papers' own.

        A repair into a term is made even where it is rarer in general text ("Họ, chữ đêm"
        → "chữ đệm", "Số vào số cấp" → "Số vào sổ cấp"). A term of three words or more
        vouches for a repair only with two of its words beside the repaired one, in order
        (`_in_term`): one word of it says little in general text ("tỉnh tiền giang" made
        "Tính tiền" (to charge) "Tỉnh tiền", "số giấy tờ" made "Số giây" "Số giấy").
        """
        # Pairs of known words and two-word terms: a repair that makes one is a word.
        self.word_pairs: set[tuple[str, str]] = set()
        # Every pair, long terms' too: a word read that makes one is left as read.
        self.pairs: set[tuple[str, str]] = set()
        self._tones: dict[str, set[str]] = defaultdict(set)
        # In how many known words each syllable occurs: "ghi" 20 ("ghi chép", "ghi nhớ" …),
        # "ghì" 1. A rough measure of how common a syllable is.
        self.usage: Counter[str] = Counter()
        for word in words:
            self.word_pairs.update(self._learn(word))
        self.term_pairs: set[tuple[str, str]] = set()
        # Three words in a row of the terms of three words or more: one word as written,
        # the other two folded (their marks may be misread too: `TRƯỚNG CỤC CÁNH SÁT`),
        # and the place of the one in the three.
        self.term_triples: set[tuple[str, str, str, int]] = set()
        for term in terms:
            pairs = self._learn(term)
            self.term_pairs.update(pairs)
            if len(pairs) == 1:  # a two-word term is a word
                self.word_pairs.update(pairs)
            for (a, b), (_, c) in zip(pairs, pairs[1:], strict=False):
                fa, fb, fc = fold(a), fold(b), fold(c)
                self.term_triples.update({(a, fb, fc, 0), (fa, b, fc, 1), (fa, fb, c, 2)})
        # Pairs of a term that are words in their own right: `trưởng phòng`, `quyển số`.
        self.term_words = self.term_pairs & self.word_pairs

    def _learn(self, word: str) -> list[tuple[str, str]]:
        """Take in one known word; its pairs of neighbouring syllables."""
        syllables = [canonical_tone(s) for s in word.lower().split()]
        self.usage.update(syllables)
        for s in syllables:
            self._tones[strip_tone(s)].add(s)
        pairs = list(zip(syllables, syllables[1:], strict=False))
        self.pairs.update(pairs)
        return pairs

    def attested(self, left: str | None, right: str | None) -> bool:
        """True when `left right` occurs inside a known word or term."""
        return left is not None and right is not None and (left, right) in self.pairs

    def fitting(self, candidates: Iterable[str], left: str | None, right: str | None) -> list[str]:
        """The candidates that make a known word or a term with the word on their left or right."""
        return [c for c in candidates if self.attested(left, c) or self.attested(c, right)]

    def _words_fitting(
        self, candidates: Iterable[str], left: str | None, right: str | None
    ) -> list[str]:
        """The candidates that make a known word or a two-word term with a neighbour.

        One of the ten commonest words (`được`, `có`, `cho` …) makes known words with a
        great many others, so it vouches only for a candidate among the commonest words too
        (`có thể`), not for `được mùa` (a good harvest) where `được mua` (bought) was read.
        """
        bins = _word_bins()

        def vouches(
            neighbour: str | None, pair: tuple[str | None, str | None], candidate: str
        ) -> bool:
            return pair in self.word_pairs and (
                bins.get(neighbour or "", _UNLISTED_BIN) > _FUNCTION_BIN
                or bins.get(candidate, _UNLISTED_BIN) <= _BOUND_BIN
            )

        return [
            c for c in candidates if vouches(left, (left, c), c) or vouches(right, (c, right), c)
        ]

    def _common_word(self, first: str | None, second: str | None) -> bool:
        """True for a known word of two of the commonest syllables (`có thể`, `cho nên`)."""
        bins = _word_bins()
        return (first, second) in self.word_pairs and all(
            bins.get(s, _UNLISTED_BIN) <= _BOUND_BIN for s in (first, second) if s
        )

    def _in_term(self, word: str, around: _Around) -> bool:
        """True when `word` and its neighbours make a term, or three words in a row of one.

        A pair suffices when it is a word in its own right: a two-word term, or a known word
        inside a longer term (`trưởng phòng`). Of three words, the other two count by their
        letters. `around` is the two words before it and the two after (None: none there).
        """
        ll, left, right, rr = around
        if (left, word) in self.term_words or (word, right) in self.term_words:
            return True
        fll, fl, fr, frr = (fold(w) if w is not None else None for w in around)
        return (
            (word, fr, frr, 0) in self.term_triples
            or (fl, word, fr, 1) in self.term_triples
            or (fll, fl, word, 2) in self.term_triples
        )

    def variants(self, syllable: str, lower: bool = True) -> set[str]:
        """The tones a misread `syllable` may have had (fewer for a capitalised word).

        Only the confusions of _ANY_CASE and _LOWER_CASE are repaired: the others changed
        correct words on generated ground truth ("quận" → "quân", "tỉnh" → "tình") for
        lack of word frequencies.
        """
        read = tone_mark(syllable)
        pairs = _LOWER_CASE if lower else _ANY_CASE
        if lower and _tone_on_i(syllable):  # a hook on an i is its dot: "chỉ phí" → "chi"
            pairs = (pairs - {(HOOK, ACUTE)}) | _ON_I  # not also "chí" ("lưu ý chỉ phí")
        common = _word_bins().get(syllable, _UNLISTED_BIN) <= _COMMON_BIN
        return {
            v
            for v in self._tones.get(strip_tone(syllable), ())
            if (read, tone_mark(v)) in pairs
            and not (common and (read, tone_mark(v)) == (None, HOOK))
        }

    def _term_variants(self, low: str, around: _Around) -> list[str]:
        """The tones of `_INTO_TERMS` that make one of the papers' terms with its neighbours."""
        read = tone_mark(low)
        return [
            v
            for v in self._tones.get(strip_tone(low), ())
            if (read, tone_mark(v)) in _INTO_TERMS and self._in_term(v, around)
        ]

    def _common_slip(self, low: str, left: str | None, right: str | None) -> list[str]:
        """A common word with a hook on its hat, read with an acute into a far rarer one.

        `để` read `đế`, `tổng` `tống`, `điểm` `điếm`, `kiểu` `kiếu`: Tesseract's slip
        (`_hook_on_hat_read_as_acute`) where no neighbour tells, repaired when the word
        meant is common (`_SLIP_COMMON_BIN`) and the word read over 10× rarer. On the OCR
        of 568 generated files it mended 9 words and changed no other, nor any ground
        truth; in 444,000 words of real Vietnamese (the catalogues, LibreOffice's help and
        Debian's maintainers' guide, the VLSP 2013 test set) it changed `hoàng đế`
        (emperor), a compound the word list lacks (`_RARE_BESIDE`), and four typos
        (`chuyên đế`, `liên quan đế`).
        """
        if (left, low) in _RARE_BESIDE or (low, right) in _RARE_BESIDE:
            return []
        bins = _word_bins()
        rare = bins.get(low, _UNLISTED_BIN) - _SLIP_RARER_BY
        return [
            v
            for v in self._tones.get(strip_tone(low), ())
            if _hook_on_hat_read_as_acute(low, v)
            and bins.get(v, _UNLISTED_BIN) <= min(_SLIP_COMMON_BIN, rare)
        ]

    def _bound_partner(self, low: str, left: str | None, right: str | None) -> list[str]:
        """The tone of `low` that a rare neighbour, found in one known word only, takes.

        `rụt` (under 1 in 100,000 words of running text) is only ever `rụt rè` (shy):
        `giọng còn rụt rẻ` (cheap) is `rụt rè`, whatever the tones read, and though `rè`
        is rarer than `rẻ`. A common word in one known word is free (`từ phía` is no `tứ
        phía`, `từ vẫn` no `tự vẫn`). On the 568 dumped eval files it mended that one
        word and changed no other; no word of 426,000 words of real text.
        """
        bins = _word_bins()

        def bound(n: str | None) -> bool:
            return n is not None and self.usage[n] == 1 and bins.get(n, _UNLISTED_BIN) >= _RARE_BIN

        return [
            v
            for v in self._tones.get(strip_tone(low), ())
            if v != low
            and (
                bound(left)
                and (left, v) in self.word_pairs
                or bound(right)
                and (v, right) in self.word_pairs
            )
        ]

    def correct(self, text: str) -> str:
        """Text with tone misreadings repaired where the context is unambiguous."""
        tokens = [(m.start(), m.end(), m.group(0)) for m in _TOKENS.finditer(text)]
        out = []
        last = 0
        for i, (start, end, token) in enumerate(tokens):
            fixed = self._fix(text, tokens, i) if token.isalpha() else token
            out.append(text[last:start] + fixed)
            last = end
        out.append(text[last:])
        return "".join(out)

    def _wrapped_word(
        self, text: str, tokens: list[tuple[int, int, str]], i: int, low: str
    ) -> bool:
        """True when the word makes a known word with the word across a line break.

        "Sở Tài chính thông / báo" is "thông báo" wrapped, not "chính thống".
        """
        before = neighbour_word(text, tokens, i, -1, wrapped=True)
        after = neighbour_word(text, tokens, i, +1, wrapped=True)
        return self.attested(before and before.lower(), low) or self.attested(
            low, after and after.lower()
        )

    def _fix(self, text: str, tokens: list[tuple[int, int, str]], i: int) -> str:
        start, end, token = tokens[i]
        capitals = token.isupper() and len(token) >= 2
        if not (capitals or token.islower() or token.istitle()):
            return token
        glued = (text[start - 1 : start], text[end : end + 1])
        if any(c.isalnum() or c in _CODE_CHARS for c in glued if c):
            return token  # part of a code or number: "QĐ-UBND", "5/TB"
        left = neighbour_word(text, tokens, i, -1)
        right = neighbour_word(text, tokens, i, +1)
        if token.istitle() and any(n is not None and n.istitle() for n in (left, right)):
            return token  # a name run: "Trần Văn Tám", "Sơn Tinh"
        if token.islower() and right is not None and right.istitle():
            right = None  # a name starts there: "xã Đông Phong" is no "xả đông"
        if capitals:  # a heading: only capitals around count ("SỐ HỘ KHẨU", "KẾT QUÁ")
            left, right = (n if n is not None and n.isupper() else None for n in (left, right))
        low = canonical_tone(token.lower())
        lows = [n.lower() if n is not None else None for n in (left, right)]
        if self.attested(lows[0], low) or self.attested(low, lows[1]):
            return token
        around = _around(text, tokens, i, left, right, capitals)
        # A capitalised word opening a line or a sentence, before a lower-case word, is in
        # sentence case, not a name: "Giây tờ" is "Giấy tờ", repaired as lower case is.
        opening = token.istitle() and left is None and right is not None and right.islower()
        variants = self.variants(low, token.islower() or opening)
        # A neighbour that makes a common known word with the word beyond it is taken:
        # `có thể nhấn` (can press) is no `thể nhân` (a legal person).
        ll, _, _, rr = around
        free = (
            None if self._common_word(ll, lows[0]) else lows[0],
            None if self._common_word(lows[1], rr) else lows[1],
        )
        fits = self._words_fitting(variants, *free)
        fits += [v for v in variants if v not in fits and self._in_term(v, around)]
        if not fits:
            fits = self._term_variants(low, around)
        if not fits and (token.islower() or opening):
            fits = self._common_slip(low, lows[0], lows[1])
        bound = False
        if not fits and token.islower():
            fits = self._bound_partner(low, lows[0], lows[1])
            bound = bool(fits)
        if len(fits) != 1 or self._wrapped_word(text, tokens, i, low):
            return token
        in_term = self._in_term(fits[0], around)
        slip = _hook_on_hat_read_as_acute(low, fits[0])
        if not (capitals or in_term or slip or bound) and _kept_as_read(low, fits[0]):
            return token  # "ông nói" is no "ống nói": a misreading mostly makes a rarer word
        if (
            tone_mark(low) is None
            and tone_mark(fits[0]) == HOOK
            and self._neighbour_misread(low, lows[0], lows[1])
        ):
            return token  # `hô sơ tại` is `hồ sơ tại`, not `hô sở tại`
        return same_case(fits[0], token)

    def _neighbour_misread(self, low: str, left: str | None, right: str | None) -> bool:
        """True when the word as read makes a known word with another tone of a neighbour.

        Then the neighbour may be the misread one (`hô` for `hồ` in `hô sơ tại`), and the
        word, as read, right.
        """
        before = self.variants(left) if left else set()
        after = self.variants(right) if right else set()
        return any((v, low) in self.word_pairs for v in before) or any(
            (low, v) in self.word_pairs for v in after
        )


_Around = tuple[str | None, str | None, str | None, str | None]


def _around(
    text: str,
    tokens: list[tuple[int, int, str]],
    i: int,
    left: str | None,
    right: str | None,
    capitals: bool,
) -> _Around:
    """The two words before token i and the two after, in lower case (None: none there).

    `left` and `right` are the neighbours `_fix` takes as context; the outer two are the
    words beyond them, maybe across a line break (a heading's term wraps: `CỤC TRƯỞNG CỤC
    / CẢNH SÁT …`), and in capitals when the word is.
    """
    ll = rr = None
    if left is not None:
        ll = neighbour_word(text, tokens, i - 1, -1) or neighbour_word(
            text, tokens, i - 1, -1, wrapped=True
        )
    if right is not None:
        rr = neighbour_word(text, tokens, i + 1, +1) or neighbour_word(
            text, tokens, i + 1, +1, wrapped=True
        )
    if capitals:
        ll, rr = (w if w is not None and w.isupper() else None for w in (ll, rr))
    return tuple(w.lower() if w is not None else None for w in (ll, left, right, rr))  # type: ignore[return-value]


def neighbour_word(
    text: str, tokens: list[tuple[int, int, str]], i: int, step: int, wrapped: bool = False
) -> str | None:
    """The word next to token i when only spaces (no punctuation) lie between.

    Without `wrapped`, a line break between them makes it none; with it, only one line
    break (a word pair wrapped onto the next line) is allowed, and no other.
    """
    j = i + step
    if not 0 <= j < len(tokens):
        return None
    a, b = (tokens[j][1], tokens[i][0]) if step < 0 else (tokens[i][1], tokens[j][0])
    between = text[a:b]
    word = tokens[j][2]
    breaks = between.count("\n")
    if between.strip() or not between or not word.isalpha() or breaks != (1 if wrapped else 0):
        return None
    return word


def _data_lines(name: str) -> list[str]:
    """The lines of a shipped data file, without blank lines and `#` comments."""
    text = resources.files("ocr_models").joinpath(name).read_text("utf-8")
    return [line.strip() for line in text.splitlines() if line.strip() and line[0] != "#"]


@lru_cache(maxsize=1)
def _word_bins() -> dict[str, int]:
    """Words and their frequency bins (the share of running text is 10^(-bin/100))."""
    return {
        word: int(rank) for word, rank in (line.split("\t") for line in _data_lines(_FREQ_FILE))
    }


def _kept_as_read(read: str, meant: str) -> bool:
    """True when the repair would make a word over 2.5× rarer, or take a common one's mark.

    A pair absent from the word list says little about words that combine freely: "ông
    nói" (he said) is no compound, "ống nói" (a mouthpiece) is one, and "ông" is 30× as
    common; "cơ quan cùng cấp" (of the same level) is no "cung cấp" (to supply); "có chứa"
    (contains), "ở đâu" (where), "chỉ ra" (to point out) are no "có chửa" (pregnant), "ở
    đậu" (to lodge), "chi ra" (to spend). "kết quá" still becomes "kết quả" (2× rarer),
    "xuất khấu" "xuất khẩu", "chính thông" "chính thống".
    """
    bins = _word_bins()
    bin_read = bins.get(read, _UNLISTED_BIN)
    if bin_read <= _COMMON_BIN and tone_mark(meant) is None:
        return True
    return bins.get(meant, _UNLISTED_BIN) > bin_read + _RARER_BY


def _hook_on_hat_read_as_acute(read: str, meant: str) -> bool:
    """True for Tesseract's own slip, which befalls common words as often as rare ones.

    A hook on a circumflex read as an acute (DOMAIN.md: "ấ/ẩ"; `bố sung` for `bổ sung`,
    `bố` 2.5× as common as `bổ`). The dot of an i read as a hook is no such exception any
    more: "chỉ" (only) is 3× as common as "chi" and free with any word ("chỉ ra", "chỉ là"
    became "chi ra", "chi là" in real text); the papers' "chi nhánh" is a term.
    """
    marks = (tone_mark(read), tone_mark(meant))
    return marks == (ACUTE, HOOK) and any(c in "âêô" for c in strip_tone(read))


@lru_cache(maxsize=1)
def _terms() -> tuple[str, ...]:
    return tuple(_data_lines(_TERMS_FILE))


@lru_cache(maxsize=1)
def default_context() -> ToneContext:
    """The context model over the shipped word list and the papers' own terms."""
    data = resources.files("ocr_models").joinpath(_WORD_FILE).read_bytes()
    return ToneContext(gzip.decompress(data).decode("utf-8").splitlines(), _terms())


# A term of three words or more whose letters OCR read right is that term, marks and all:
# `ỦY BẠN NHÂN DẪN`, `BỀN ỦY QUYÊN`, `Hồ vã tên`. Two words are too few (`quyển số` and
# `quyền số` fold alike), and so are these, which fold like another phrase of the papers:
# `Số hộ khẩu: 123` is the household book's number.
_TERM_MIN_WORDS = 3
# A term of four words or more is that term with one word (not its first) a letter off:
# the signature caption crossed by the signature (`Ký, ghi rẽ họ, chữ đệm, tên`, `ghi rõ
# hẹ`, `tầu, chức vụ`), where a letter, not only a mark, is lost.
_FUZZY_TERM_MIN_WORDS = 4
_FOLD_TWINS = {"sổ hộ khẩu", "sổ tạm trú"}
_LETTERS = re.compile(r"[^\W\d_]+")
# Between two words of a term: spaces, a dash (`Độc lập - Tự do - Hạnh phúc`) or a comma
# (`Họ, chữ đệm, tên`).
_TERM_GAP = re.compile(r"[ \t]*(?:[-–—,][ \t]*)?")
_WRAP_GAP = re.compile(r"[ \t]*\n[ \t]*")  # a heading's term wrapped onto the next line


@lru_cache(maxsize=1)
def _terms_by_first_word() -> dict[str, list[tuple[tuple[str, ...], tuple[str, ...]]]]:
    """Terms of three words or more (and their folded words) by their first folded word."""
    index: dict[str, list[tuple[tuple[str, ...], tuple[str, ...]]]] = defaultdict(list)
    for term in _terms():
        words = tuple(term.split())
        if len(words) >= _TERM_MIN_WORDS and term not in _FOLD_TWINS:
            folded = tuple(fold(w) for w in words)
            index[folded[0]].append((words, folded))
    for terms in index.values():
        terms.sort(key=lambda t: len(t[0]), reverse=True)  # the longest term that fits
    return index


def restore_terms(text: str) -> str:
    """Text with the marks of the papers' fixed terms put back where OCR read their letters.

    On the OCR of 491 generated files it made 149 files read better and none worse
    (`ỦY BẠN NHÂN DÂN` → `ỦY BAN`, `BỀN ỦY QUYỀN` → `BÊN`, `GẮN LIÊN VỚI ĐẤT`, `Họ, chữ
    đêm, tên`), and changed no ground truth; a heading's term wrapped onto the next line,
    6 more files (`THÀNH PHÔ / ĐÀ NĂNG`, `GIẦY CHỨNG NHẬN / QUYỀN SỬ DỤNG ĐẤT`), none worse.
    A term of four words or more with one word a letter off (`ghi rẽ họ`) is taken too: on
    the pages of fifteen eval sets 30 words, each put right, and no ground truth changed.
    """
    index = _terms_by_first_word()
    tokens = [(m.start(), m.end(), m.group(0)) for m in _LETTERS.finditer(text)]
    folded = [fold(token).lower() for _, _, token in tokens]
    fixed: dict[int, str] = {}
    i = 0
    while i < len(tokens):
        words = next(
            (w for w, f in index.get(folded[i], ()) if _term_fits(text, tokens, folded, i, f)), ()
        )
        for j, word in enumerate(words):
            token = tokens[i + j][2]
            if token.lower() != word:
                fixed[i + j] = same_case(word, token)
        i += len(words) or 1
    if not fixed:
        return text
    out, last = [], 0
    for k, (start, end, token) in enumerate(tokens):
        out += [text[last:start], fixed.get(k, token)]
        last = end
    return "".join(out) + text[last:]


def _term_fits(
    text: str, tokens: list[tuple[int, int, str]], folded: list[str], i: int, term: tuple[str, ...]
) -> bool:
    """True when the words from token i on fold to `term`, with a term's gaps between.

    A heading in capitals may wrap once, with two of the term's words or more on each line
    (`THÀNH PHÔ / ĐÀ NĂNG`); one word at the end of the line above is likelier the end of
    another name (`HUYỆN XUÂN TRƯỜNG / CÔNG AN XÃ` holds no `TRƯỞNG CÔNG AN XÃ`).
    """
    n = len(term)
    if i + n > len(tokens):
        return False
    read = folded[i : i + n]
    if tuple(read) != term and not (n >= _FUZZY_TERM_MIN_WORDS and _one_letter_off(read, term)):
        return False
    gaps = [(tokens[k][1], tokens[k + 1][0]) for k in range(i, i + n - 1)]
    breaks = [g for g, (a, b) in enumerate(gaps) if not _TERM_GAP.fullmatch(text, a, b)]
    if not breaks:
        return True
    if len(breaks) > 1 or not _WRAP_GAP.fullmatch(text, *gaps[breaks[0]]):
        return False
    heading = all(token.isupper() for _, _, token in tokens[i : i + n])
    return heading and 2 <= breaks[0] + 1 <= n - 2


def _one_letter_off(read: list[str], term: tuple[str, ...]) -> bool:
    """True when one word after the first is a letter off its term word (two letters or more)."""
    off = [k for k, (r, t) in enumerate(zip(read, term, strict=True)) if r != t]
    return (
        len(off) == 1
        and off[0] > 0
        and len(term[off[0]]) >= 2
        and Levenshtein.distance(read[off[0]], term[off[0]]) == 1
    )


# The signature caption of the civil-status papers (DOMAIN.md: the extracts and
# certificates of the Circular 04/2020 templates): `(Ký, ghi rõ họ, chữ đệm, tên, chức vụ
# và đóng dấu)`, printed right where the signer signs. On gray and bilevel pages the
# signature's ink is as dark as the print and runs through its middle: `(Ký, ghi rõ hẹ, vụ
# đêm, tên, chức vụ`, `(Ký, ghi Z2 “CHẾ tên, chức vụ`; the most missed line of the eval
# forms. Its two ends are read right far more often: a line from `(Ký` to `chức vụ` whose
# middle still shows `chữ` or `đệm` (a letter off at most) is that caption. The shorter
# caption `(Ký, ghi rõ họ tên, chức vụ và đóng dấu)` shows neither and is left alone.
_CAPTION = re.compile(r"\(K[ýy](?P<middle>[^()\n]{1,40}?)(?P<end>chức vụ)")
_CAPTION_MIDDLE = ", ghi rõ họ, chữ đệm, tên, "
_CAPTION_CLUES = ("chu", "dem")


# The caption wraps before `đóng dấu)` or `dấu)` on narrow signature columns, and the
# signature crosses that short line too (`đău)`, `tiấu)`, `Mấu)`, `dt)`): a line of one
# or two short words and a closing parenthesis under `chức vụ và (đóng)` is its end.
_CAPTION_TAIL = re.compile(
    r"(?P<head>chức vụ và(?P<dong>[ \t]+đóng)?[ \t]*\n[ \t]*)"
    r"(?:(?P<first>[^\W\d_]{1,6})[ \t]+)?(?P<last>[^\W\d_]{1,5})\)[ \t]*$",
    re.MULTILINE,
)


def signature_caption(text: str) -> str:
    """Text with the civil-status signature caption put back where its middle was crossed."""
    return _CAPTION_TAIL.sub(_caption_tail, _CAPTION.sub(_caption, text))


def _caption_tail(m: re.Match[str]) -> str:
    words = ([] if m["dong"] else ["đóng"]) + ["dấu"]
    read = [w for w in (m["first"], m["last"]) if w]
    near = len(read) == len(words) and all(
        Levenshtein.distance(fold(r).lower(), fold(w), score_cutoff=2) <= 2
        for r, w in zip(read, words, strict=True)
    )
    return f"{m['head']}{' '.join(words)})" if near else m.group(0)


def _caption(m: re.Match[str]) -> str:
    words = [fold(w).lower() for w in _LETTERS.findall(m["middle"])]
    clue = any(
        Levenshtein.distance(w, c, score_cutoff=1) <= 1 for w in words for c in _CAPTION_CLUES
    )
    if not clue or m["middle"] == _CAPTION_MIDDLE:
        return m.group(0)
    return f"(Ký{_CAPTION_MIDDLE}{m['end']}"
