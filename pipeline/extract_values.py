"""Values next to printed labels: where a value is, how it is normalised, how sure we are.

`Context` holds one document's lines, their folded copies (same offsets) and the OCR
confidence of each word, so a value's confidence reflects how well it was read.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from rapidfuzz.distance import Levenshtein
from rapidfuzz.fuzz import partial_ratio_alignment

from ocr_models.postcorrect import default_corrector
from ocr_models.vietnamese import fold
from pipeline.extract_labels import ENUM, STOP, Hit, Label, compiled, find_labels, fold_aligned
from pipeline.models import FieldValue, PageText
from pipeline.normalize import (
    clean_value,
    mostly_caps,
    normalize_area,
    normalize_authority,
    normalize_digits,
    normalize_doc_number,
    normalize_gender,
    normalize_name,
    numeric_run,
    parse_date,
)
from pipeline.validate import PROVINCE_CODES

Normaliser = Callable[[str], "str | None"]


def _text(value: str) -> str | None:
    cleaned = clean_value(value)
    return cleaned if len(cleaned) >= 2 and any(ch.isalpha() for ch in cleaned) else None


def _digits(*lengths: int) -> Normaliser:
    return lambda v: normalize_digits(v, lengths)


def _id_number(value: str) -> str | None:
    """A 12-digit personal ID (or a 9-digit old one), also glued to its label (`CCCDsố0661…`).

    Every 12-digit ID starts with 0 (its province code, 001-096): a first 6, 8 or 9 that
    makes one with a 0 is that 0, read with the dot or slash some typefaces put inside it
    (Liberation Mono: `648175451304` for `048175451304`).
    """
    number = normalize_digits(re.sub(r"(?<=[^\W\d_])(?=\d{9})", " ", value), (12, 9))
    if number and len(number) == 12 and number[0] in "689" and f"0{number[1:3]}" in PROVINCE_CODES:
        return f"0{number[1:]}"
    return number


def _tax_code(value: str) -> str | None:
    m = re.search(r"\d{10}(?:\s*-\s*\d{3})?", numeric_run(value).replace(" ", ""))
    return m.group(0) if m else None


def _serial(value: str) -> str | None:
    m = re.search(r"\b([A-Z]{2})\s*[-:.]?\s*(\d{6,8})\b", value)
    return f"{m.group(1)} {m.group(2)}" if m else None


def _dossier_code(value: str) -> str | None:
    m = re.search(r"[A-Z0-9][A-Z0-9.\-]{8,}[0-9]", value.replace(" ", ""))
    return m.group(0) if m else None


def _book_number(value: str) -> str | None:
    m = re.search(r"\d+(?:\s*/\s*\d{2,4})?", numeric_run(value))
    return re.sub(r"\s", "", m.group(0)) if m else None


def _nationality(value: str) -> str | None:
    value = clean_value(re.sub(r"(?i)\s*(dân tộc|quốc tịch).*$", "", value))
    if re.search(r"\bvi\w{0,3}\s*nam\b|\bviet\b", fold(value).lower()):  # `Việ Nam`
        return "Việt Nam"
    return _text(value)


# The 54 ethnic groups recognised in Viet Nam, as papers print them.
ETHNIC_GROUPS = (
    "Kinh", "Tày", "Thái", "Mường", "Khmer", "Hoa", "Nùng", "Mông", "Dao", "Gia Rai", "Ê Đê",
    "Ba Na", "Sán Chay", "Chăm", "Cơ Ho", "Xơ Đăng", "Sán Dìu", "Hrê", "Ra Glai", "Mnông",
    "Thổ", "Xtiêng", "Khơ Mú", "Bru - Vân Kiều", "Cơ Tu", "Giáy", "Tà Ôi", "Mạ", "Giẻ Triêng",
    "Co", "Chơ Ro", "Xinh Mun", "Hà Nhì", "Chu Ru", "Lào", "La Chí", "Kháng", "Phù Lá",
    "La Hủ", "La Ha", "Pà Thẻn", "Lự", "Ngái", "Chứt", "Lô Lô", "Mảng", "Cơ Lao", "Bố Y",
    "Cống", "Si La", "Pu Péo", "Rơ Măm", "Brâu", "Ơ Đu",
)  # fmt: skip


def _ethnic_key(text: str) -> str:
    """Letters only, folded: "Bru - Vân Kiều" → "bruvankieu"."""
    return re.sub(r"[^a-z]", "", fold(text).lower())


_ETHNIC_BY_FOLD = {_ethnic_key(g): g for g in ETHNIC_GROUPS}


def _ethnicity(value: str) -> str | None:
    """One of the 54 groups when the printed words (OCR noise allowed) name one."""
    from rapidfuzz.distance import Levenshtein

    words = value.split()
    if not words:
        return None
    for n in (4, 3, 2, 1):  # the longest name first: "Bru - Vân Kiều", "Gia Rai", "Kinh"
        key = _ethnic_key(" ".join(words[:n]))
        if key in _ETHNIC_BY_FOLD:
            return _ETHNIC_BY_FOLD[key]
    first = _ethnic_key(words[0])
    close = [
        g for k, g in _ETHNIC_BY_FOLD.items() if len(k) >= 4 and Levenshtein.distance(first, k) == 1
    ]
    # Four letters or more, or three read as letters only (`Knh`: an i lost from `Kinh`;
    # `K1nh?` is junk).
    if len(close) == 1 and (len(first) >= 4 or len(first) == 3 and words[0].isalpha()):
        return close[0]
    # A group this list lacks (a foreigner's) is a word; `<r£i` is OCR junk, not a group.
    return _text(words[0]) if words[0].isalpha() else None


KIND: dict[str, Normaliser] = {
    "name": normalize_name,
    "date": parse_date,
    "text": _text,
    "id": _id_number,
    "gender": normalize_gender,
    "area": normalize_area,
    "docnum": normalize_doc_number,
    "digits": _digits(*range(1, 8)),
    "tax": _tax_code,
    "serial": _serial,
    "dossier": _dossier_code,
    "book": _book_number,
    "authority": normalize_authority,
}
_FIELD_KIND = {"nationality": _nationality, "ethnicity": _ethnicity}
# Kinds whose values hold digits: a label with none beside it has its value under it.
_DIGIT_KINDS = frozenset(("id", "date", "digits", "tax", "book"))
_ENGLISH_LABEL = re.compile(r"^\s*[/7¿(|j2]\s*[^:\d]{1,45}(?=:)")
# `/ Place oƒ origin Xã …`: the English half of a bilingual label without its colon.
_ENGLISH_WORDS = re.compile(r"^\s*[/7¿(|j2]\s*(?:[A-Za-zƒ.]+\s+){1,4}(?=[A-ZĐ])")
# English label words that also spell Vietnamese syllables ("no", "on", "a").
_LABEL_ENGLISH = frozenset(("no", "on", "a", "of", "me", "name", "date", "sex", "place"))
_LABEL_TAIL = re.compile(r"[^\W\d]+(?: [^\W\d]+){0,3}")
# An item or section marker starts a new item, not the rest of a value (`b)`, `II.`, `3.`),
# also behind a speck read as a letter (`ị 1. Thành phần hồ sơ`, a phone photo).
_ENUMERATED = re.compile(r"^[\W_]*(?:[^\W\d]\s+)?(\d{1,2}|[a-zđ]|[IVX]{1,4})\s*[.)]")
# A line that ends on one of these words is cut mid-phrase: the next line continues it.
_OPEN_WORDS = frozenset(("theo", "cua", "va", "cho", "voi", "tai", "so", "o", "da", "la", "tu"))
_TABLE_HEAD = re.compile(r"\b(s?tt|ten giay to|so luong|hinh thuc|ghi chu|so ban)\b")
_DATE_CUT = re.compile(r"(ngay|thang|nam)\W*\d{0,2}\W*$")
_LEADER_RUN = re.compile(r"\.{4,}|…+")
_ADMIN = re.compile(r"\b(tinh|thanh pho|tp\.|huyen|quan|phuong|xa|thi tran|thi xa|to|thon|ap)\b")
_SURNAMES = frozenset(
    re.findall(
        r"\w+",
        "nguyen tran le pham hoang huynh phan vu vo dang bui do ho ngo duong ly dinh trinh mai "
        "truong lam luong ha cao quach tang ta chu thai kieu la doan van",
    )
)


@dataclass
class Context:
    """One document's lines, their folded copies, and OCR confidence per folded word."""

    lines: list[str]
    folded: list[str]
    word_conf: dict[str, float] = field(default_factory=dict)
    page_conf: float = 0.85  # used for values whose words were not found in the OCR output

    @classmethod
    def build(cls, text: str, pages: Iterable[PageText] = ()) -> Context:
        """Context from the document text and (optionally) its OCR'd pages."""
        lines = _join_label_tails([ln for ln in text.splitlines() if ln.strip()])
        pages = list(pages)
        conf: dict[str, float] = {}
        for page in pages:
            for w in page.words:
                key = _word_key(w.text)
                if key:
                    conf[key] = max(conf.get(key, 0.0), w.confidence)
        read = [p.confidence for p in pages if p.source in ("ocr", "text-layer")]
        page_conf = sum(read) / len(read) if read else 0.85
        return cls(lines, [fold_aligned(ln) for ln in lines], conf, page_conf)

    def confidence(self, value: str, evidence: float) -> float:
        """Evidence score times the mean OCR confidence of the value's words."""
        found = [self.word_conf[k] for k in map(_word_key, value.split()) if k in self.word_conf]
        ocr = sum(found) / len(found) if found else self.page_conf
        return round(max(0.05, min(0.99, evidence * (0.55 + 0.45 * ocr))), 3)


def _join_label_tails(lines: list[str]) -> list[str]:
    """Rejoin a label wrapped in a narrow box: `Ngày, tháng, năm đăng` + `ký`."""
    out: list[str] = []
    for line in lines:
        tail = line.strip(" _-'`|.")
        if (
            out
            and ":" not in out[-1]
            and tail.islower()
            and _LABEL_TAIL.fullmatch(tail)
            and not out[-1].rstrip().endswith((".", ";"))
        ):
            out[-1] = f"{out[-1].rstrip()} {tail}"
        else:
            out.append(line)
    return out


def _word_key(word: str) -> str:
    return re.sub(r"[\W_]+", "", fold(word).lower())


def label_values(
    ctx: Context, labels: tuple[Label, ...], wanted: frozenset[str], found: dict[str, FieldValue]
) -> None:
    """Fill `found` with the value after (or below) each wanted label; first one wins."""
    lines, folded = _join_split_labels(ctx.lines, ctx.folded, labels)
    hits_per_line = [find_labels(ln, fl, labels) for ln, fl in zip(lines, folded, strict=True)]
    _label_column(ctx, hits_per_line, wanted, found)
    for i, hits in enumerate(hits_per_line):
        empties = [h for h in hits if h.label.field != STOP and not _raw(lines[i], hits, h)]
        # Two different name labels side by side (husband | wife); a bilingual label is one
        # field named twice (`Họ, chữ đệm và tên / Surname, middle and given name`).
        fields = {h.label.field for h in empties}
        if len(fields) >= 2 and all(h.label.kind == "name" for h in empties):
            _column_names(ctx, i, empties, hits_per_line, found)
        for j, h in enumerate(hits):
            name = h.label.field
            if name == STOP or name in found or name not in wanted:
                continue
            raw = _raw(lines[i], hits, h)
            score = h.score
            at = i
            if not raw and j == len(hits) - 1:
                raw, at = _value_below(lines, hits_per_line, i)
                score *= 0.92
                if h.label.kind == "name" and raw:
                    raw, at = _name_wrapped(lines, hits_per_line, at, raw)
            if h.label.kind == "text" and j == len(hits) - 1 and raw:
                raw = _continued(lines, folded, hits_per_line, at, raw)
            normalise = _FIELD_KIND.get(name, KIND[h.label.kind])
            value = normalise(raw) if raw else None
            if (
                not value
                and raw
                and j == len(hits) - 1
                and h.label.kind in _DIGIT_KINDS
                and not re.search(r"\d", raw)
            ):
                # No digit beside the label: what is there is its English half garbled past
                # recognition (`SỐ định danh cá nhân ¡ Persorla) kenficatiôn number`), and
                # the number is under it, as on the cards.
                below, under = _value_below(lines, hits_per_line, i)
                if below and (value := normalise(below)):
                    at, score = under, score * 0.92
            wrapped = h.label.kind == "date" and _DATE_CUT.search(fold(raw).lower())
            if not value and raw and wrapped and at + 1 < len(lines):
                value = normalise(f"{raw} {lines[at + 1]}")  # a date wrapped over two lines
            if value:
                found[name] = FieldValue(value, ctx.confidence(value, score))


def _join_split_labels(
    lines: list[str], folded: list[str], labels: tuple[Label, ...]
) -> tuple[list[str], list[str]]:
    """Labels wrapped in a table's left column get their tails back.

        Tên công ty viết bằng   CÔNG TY TNHH ĐẦU TƯ VÀ PHÁT TRIỂN
        tiếng Việt              THÀNH CÔNG

    OCR reads both columns across; the label's tail (`tiếng Việt`) goes back to the label.
    """
    lines, folded = list(lines), list(folded)
    for i in range(len(lines)):
        words = lines[i].split()
        start = next((k for k, w in enumerate(words) if w[0].isdigit() or w.isupper()), 0)
        below = lines[i + 1].split() if i + 1 < len(lines) else []
        if below and _starts_with_label(folded[i + 1], labels):
            below = []  # its words are its own label's (`Tình trạng hôn nhân` under a date)
        if start < 2:
            start = _head_of_wrapped_label(words, below, labels)
        if start < 2:
            continue  # no label begun before the value: no tail to look for
        moved = _label_tail(words, start, below, labels)
        if moved is None:
            continue
        k, below_line = moved
        at = i + below_line
        tail = below[:k] if below_line else words[-k:]
        rest = words[start:] if below_line else words[start:-k]
        lines[i] = " ".join(words[:start] + tail + rest)
        if below_line:
            lines[at] = " ".join(below[k:])
        folded[i], folded[at] = fold_aligned(lines[i]), fold_aligned(lines[at])
    return lines, folded


# No label's head runs longer (`Họ, chữ đệm, tên người đi khai` is 7 words).
_LABEL_WORDS = 10


def _head_of_wrapped_label(words: list[str], below: list[str], labels: tuple[Label, ...]) -> int:
    """Where a value in sentence case starts, when its label's tail was read apart from it.

        Nội dung yêu cầu giải   Đăng ký khai tử
        quyết

    A value in capitals or digits shows where it starts; one in sentence case does not.
    The label is the longest head of the line that the whole line below (lower case, 1-3
    words) completes, or that the line's own last words complete (the tail joined after
    the value: `Nội dung yêu cầu giải Đăng ký khai tử quyết`), into a label exactly (a
    fuzzy match found `Giấy này có giá trị sử dụng | ngày` in a label that was whole).
    0 when there is none.
    """
    if 1 <= len(below) <= 3 and all(w.islower() for w in below):
        for start in range(min(len(words) - 1, _LABEL_WORDS), 1, -1):
            if _label_tail(words, start, below, labels, fuzzy=False) == (len(below), 1):
                return start
    if not words or not words[-1].islower():
        return 0  # no tail can end the line
    fline = fold_aligned(" ".join(words))
    if any(lab.field != STOP and compiled(lab.pattern).search(fline) for lab in labels):
        return 0  # a label is whole on it (`Họ, chữ đệm, tên người mẹ`): nothing to move
    for start in range(min(len(words) - 2, _LABEL_WORDS), 1, -1):
        moved = _label_tail(words, start, [], labels, fuzzy=False)
        if moved is not None and moved[1] == 0:
            return start
    return 0


def _starts_with_label(fline: str, labels: tuple[Label, ...]) -> bool:
    """True when a label starts the (folded) line, after any numbering."""
    body = ENUM.sub("", fline)
    return any(
        lab.field != STOP and (m := compiled(lab.pattern).search(body)) and m.start() == 0
        for lab in labels
    )


def _label_tail(
    words: list[str], start: int, below: list[str], labels: tuple[Label, ...], fuzzy: bool = True
) -> tuple[int, int] | None:
    """Where the rest of the label that `words[:start]` begins is, if anywhere.

    (k, 1): the next line's first k words end it; (k, 0): this line's last k words do
    (OCR read the tail after the value). Exact label matches are tried before fuzzy ones,
    and the longest fuzzy tail first.
    """
    head = fold(" ".join(words[:start])).lower()
    # Labels the head already holds whole need no tail: decided once, not once per tail.
    open_labels = [
        lab for lab in labels if lab.field != STOP and not compiled(lab.pattern).search(head)
    ]
    tails = []
    for k in range(1, 4):
        if k <= len(below):  # the whole line below may be the tail (`tiếng Việt` alone)
            tails.append((k, 1, below[:k]))
        if start + k < len(words) and all(w.islower() for w in words[-k:]):
            tails.append((k, 0, words[-k:]))
    passes = [(False, tails)] + ([(True, tails[::-1])] if fuzzy else [])
    for loose, order in passes:
        for k, below_line, tail in order:
            label = f"{head} {fold(' '.join(tail)).lower()}"
            if any(_completes(lab, head, label, loose) for lab in open_labels):
                return k, below_line
    return None


def _completes(lab: Label, head: str, label: str, fuzzy: bool) -> bool:
    """`label` (head + tail words) ends with this label, begun in `head`.

    `head` alone does not hold it whole: `_label_tail` passes only labels it checked.
    """
    pattern = compiled(lab.pattern)
    if not fuzzy:
        return any(m.start() < len(head) and m.end() == len(label) for m in pattern.finditer(label))
    for phrase in filter(None, lab.phrase.split("|")):  # OCR noise inside (`có giảtrjsư`)
        al = partial_ratio_alignment(phrase, label)
        if al and al.score >= 84 and al.dest_start < len(head) <= al.dest_end >= len(label) - 1:
            alone = partial_ratio_alignment(phrase, head)
            return alone is None or alone.score < 84
    return False


def _bare_label(line: str, hits: list[Hit]) -> bool:
    """A line that holds one label and nothing else."""
    return len(hits) == 1 and not _raw(line, hits, hits[0])


def _label_column(
    ctx: Context,
    hits_per_line: list[list[Hit]],
    wanted: frozenset[str],
    found: dict[str, FieldValue],
) -> None:
    """A boxed form read column by column: a run of bare labels, then their values in order.

    The values may follow a title line, so the alignment (offset 0–2) where most values
    normalise is taken, and only when nearly all of them do.
    """
    lines, i = ctx.lines, 0
    while i < len(lines):
        run: list[Hit] = []
        while i < len(lines) and _bare_label(lines[i], hits_per_line[i]):
            run.append(hits_per_line[i][0])
            i += 1
        if len(run) < 3:
            i += 1
            continue
        after = [k for k in range(i, min(i + len(run) + 2, len(lines))) if not hits_per_line[k]]
        best: list[tuple[str, str]] = []
        for offset in range(3):
            values = []
            for h, k in zip(run, after[offset:], strict=False):
                kind = KIND.get(h.label.kind)
                value = _FIELD_KIND.get(h.label.field, kind)(lines[k]) if kind else None
                if value and h.label.field != STOP:
                    values.append((h.label.field, value))
            if len(values) > len(best):
                best = values
        named = [h for h in run if h.label.field != STOP]
        if len(best) >= max(3, len(named) - 1):
            for name, value in best:
                if name in wanted and name not in found:
                    found[name] = FieldValue(value, ctx.confidence(value, 0.75))


_TOKEN_EDGE = ".,:;¡!¿'\"`"  # stripped from a label token's ends before it is looked up


def _strip_garbled_english(seg: str) -> str:
    """`/ Pl@ce óy ólginc Phường Tân Lợi`: drop an OCR-garbled English label half.

    After the slash, tokens that are not Vietnamese syllables are the English label; the
    value starts at the first capitalised syllable (card values start with a capital).
    A short run of such tokens alone is the whole label: the value is on the next line.
    A slash lost or misread (`Place Of reSidorice Số 238 …`, `f Place of fesidertce Xóm
    9`, `P'â@oc£ cý residence`) is no slash: there one of the first four tokens must be
    an English label word a letter or two off.
    """
    corrector = default_corrector()
    m = re.match(r"\s*[/7¿(|j]\s*", seg)
    if m:
        tokens = seg[m.end() :].split(" ")
    else:
        tokens = seg.strip().split(" ")
        first = tokens[0].strip(_TOKEN_EDGE)
        if corrector.is_valid(first) or not any(_english_label_word(t) for t in tokens[:4]):
            return seg
    for k, token in enumerate(tokens[:6]):
        word = token.strip(_TOKEN_EDGE)
        if k and word[:1].isupper() and corrector.is_valid(word):
            return " ".join([word, *tokens[k + 1 :]])
        if len(word) > 2 and corrector.is_valid(word) and word.lower() not in _LABEL_ENGLISH:
            return seg  # a Vietnamese word before any capital: not a label
    if corrector.syllables and len(tokens) <= 5 and any(t.strip() for t in tokens):
        return ""  # only the label's English half: the value is on the next line
    return seg


# The English words of the cards' bilingual labels that a value never starts with.
_CARD_ENGLISH = ("place", "residence", "origin", "birth", "nationality", "expiry", "surname")


def _english_label_word(token: str) -> bool:
    word = fold(token.strip(_TOKEN_EDGE + "()")).lower()
    return len(word) >= 5 and any(
        Levenshtein.normalized_similarity(word, english) >= 0.7 for english in _CARD_ENGLISH
    )


def _raw(line: str, hits: list[Hit], h: Hit) -> str:
    """The text between a label and the next one, without an English label or leaders."""
    nxt = [o.start for o in hits if o.start > h.start]
    seg = _LEADER_RUN.split(line[h.end : min(nxt) if nxt else len(line)])[0]
    if re.fullmatch(r"\s*[/7]\s*[A-Za-z ,.'ƒ]*", seg):
        return ""  # only the English half of the label (`/ Surname, middle and given`)
    seg = _ENGLISH_LABEL.sub("", seg)
    seg = _strip_garbled_english(_ENGLISH_WORDS.sub("", seg))
    colon = seg.find(":")
    if 0 < colon <= 60 and clean_value(seg[:colon]) and not re.search(r"\d{4}", seg[:colon]):
        seg = seg[colon + 1 :]  # the rest of a noisy bilingual label (`… / Full nạme:`)
    return clean_value(seg)


def _value_below(lines: list[str], hits_per_line: list[list[Hit]], i: int) -> tuple[str, int]:
    """Label alone on its line (cards, boxed forms): the value is the next label-free line."""
    for k in range(i + 1, min(i + 3, len(lines))):
        if hits_per_line[k]:
            break
        if re.fullmatch(r"[\W_]*[a-z][a-z ,.']*:[\W_]*", lines[k]):
            continue  # the wrapped end of an English label (`name:`)
        value = clean_value(lines[k])
        if len([ch for ch in value if ch.isalnum()]) >= 2:
            return value, k
    return "", i


def _name_wrapped(
    lines: list[str], hits_per_line: list[list[Hit]], at: int, name: str
) -> tuple[str, int]:
    """A name in capitals wrapped in a narrow column: `NGUYỄN MẠNH TRỌNG` / `LONG`."""
    nxt = clean_value(lines[at + 1]) if at + 1 < len(lines) else ""
    words = nxt.split()
    if (
        name.isupper()
        and len(name.split()) + len(words) <= 6
        and 1 <= len(words) <= 2
        and not hits_per_line[at + 1]
        and all(w.isalpha() and w.isupper() and default_corrector().is_valid(w) for w in words)
    ):
        return f"{name} {nxt}", at + 1
    return name, at


def _continued(
    lines: list[str], folded: list[str], hits_per_line: list[list[Hit]], i: int, raw: str
) -> str:
    """Join an address or long text wrapped onto the next line(s)."""
    comma = _ends_with_comma(lines[i])
    for k in range(i + 1, min(i + 3, len(lines))):
        nxt = clean_value(re.split(r"\s:\s", lines[k])[0])  # `Hải Phòng : anh`: debris
        if hits_per_line[k] or not nxt or _ENUMERATED.match(nxt):
            break
        if len(_TABLE_HEAD.findall(fold(nxt).lower())) >= 2:
            break  # a table's header row (`TT | Tên giấy tờ | Số lượng`), not the value
        letters = [ch for ch in nxt if ch.isalpha()]
        heading = len(nxt.split()) >= 2 and letters and all(ch.isupper() for ch in letters)
        if heading and not mostly_caps(raw):
            break  # a heading, unless the value itself is in capitals (company names)
        last = fold(raw.split()[-1]).lower() if raw.split() else ""
        ends_open = comma or nxt[0].islower() or len(nxt.split()) <= 3 or last in _OPEN_WORDS
        ends_open = ends_open or (mostly_caps(raw) and mostly_caps(nxt))
        if not (ends_open or (_ADMIN.search(fold(nxt).lower()) and ":" not in nxt)):
            break
        raw = f"{raw}{',' if comma else ''} {nxt}"
        comma = _ends_with_comma(lines[k])
        if not comma:
            break
    return raw


def _ends_with_comma(line: str) -> bool:
    return line.rstrip(" _.-|`'\"„¬").endswith(",")


def _column_names(
    ctx: Context,
    i: int,
    empties: list[Hit],
    hits_per_line: list[list[Hit]],
    found: dict[str, FieldValue],
) -> None:
    """Two name labels side by side (husband | wife): split the names line below them."""
    raw, _ = _value_below(ctx.lines, hits_per_line, i)
    parts = [p for p in re.split(r"\s+[-¬|]+\s+|\s{3,}", raw) if normalize_name(p)]
    if len(parts) == 2:  # the columns are still apart (`NAME - NAME`)
        halves = (parts[0].split(), parts[1].split())
    else:
        words = [w for w in re.split(r"[\s¬|_]+", re.sub(r"[.,\-`'\"]", " ", raw)) if w]
        cuts = [k for k in range(2, len(words) - 1) if fold(words[k]).lower() in _SURNAMES]
        if not cuts:
            return
        # A woman's or man's middle name (`Thị`, `Văn`) right after the cut is the best
        # evidence; otherwise two names of similar length.
        cut = min(
            cuts,
            key=lambda k: (
                fold(words[k + 1]).lower() not in ("thi", "van"),
                abs(k - len(words) / 2),
            ),
        )
        halves = (words[:cut], words[cut:])
    for h, part in zip(empties[:2], halves, strict=True):
        value = normalize_name(" ".join(part))
        if value and h.label.field not in found:
            found[h.label.field] = FieldValue(value, ctx.confidence(value, 0.75 * h.score))
