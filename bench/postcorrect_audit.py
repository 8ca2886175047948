"""Post-correct real Vietnamese the rules were never tuned on and list every word it changes.

The text is the Vietnamese translations of the programs on this machine (the `msgstr` of
`/usr/share/locale/vi/LC_MESSAGES/*.mo`: apt, coreutils, git, GTK …), written by people,
not by the sample generator. Sentences of five words or more, two in five of them with a
Vietnamese mark, without format codes. The text is correct but for the translators' own
typos, so nearly every change is a repair that would damage a page read right; a typo put
right (`sử dung` → `sử dụng`) is the exception. The report groups changes by what happened
to the tone mark, most frequent first.

    .venv/bin/python bench/postcorrect_audit.py [--show 40]

Prints the counts and the changes; exit status 0. Nothing is written.
"""

from __future__ import annotations

import argparse
import gettext
import re
import unicodedata
from collections import Counter
from pathlib import Path

from ocr_models.postcorrect import postcorrect
from ocr_models.vietnamese import canonicalize, tone_mark

LOCALE = Path("/usr/share/locale/vi/LC_MESSAGES")
_CODES = re.compile(r"[%<>`{}\[\]\\|=_*#@$&~^]")
_MARK_NAMES = {None: "none", "\u0300": "grave", "\u0301": "acute", "\u0309": "hook",
               "\u0303": "tilde", "\u0323": "dot below"}  # fmt: skip


def sentences(folder: Path = LOCALE) -> list[str]:
    """Distinct Vietnamese sentences of the translation catalogues, NFC and one tone style."""
    found: set[str] = set()
    for path in sorted(folder.glob("*.mo")):
        try:
            with path.open("rb") as f:
                catalogue = gettext.GNUTranslations(f)._catalog  # type: ignore[attr-defined]
        except (OSError, UnicodeDecodeError):
            continue
        for key, value in catalogue.items():
            if not key or not isinstance(value, str):
                continue
            for part in re.split(r"(?<=[.!?:])\s+", value.replace("\n", " ")):
                words = part.split()
                marked = sum(unicodedata.normalize("NFD", w) != w for w in words)
                if len(words) >= 5 and marked >= 0.4 * len(words) and not _CODES.search(part):
                    found.add(canonicalize(" ".join(words)))
    return sorted(found)


def changes(texts: list[str]) -> Counter[tuple[str, str, str, str]]:
    """(mark change, left word, read, written) → how often, over word-for-word changes."""
    out: Counter[tuple[str, str, str, str]] = Counter()
    for text in texts:
        fixed = postcorrect(text)
        if fixed == text:
            continue
        before, after = text.split(), fixed.split()
        if len(before) != len(after):
            out[("words joined or split", "", text[:50], fixed[:50])] += 1
            continue
        for k, (a, b) in enumerate(zip(before, after, strict=True)):
            if a != b:
                marks = (tone_mark(a.lower()), tone_mark(b.lower()))
                kind = " → ".join(_MARK_NAMES.get(m, "other") for m in marks)
                out[(kind, before[k - 1] if k else "", a, b)] += 1
    return out


def main() -> None:
    """Print how many words post-correction changes and which."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--show", type=int, default=40, help="changes listed per kind")
    args = ap.parse_args()
    texts = sentences()
    if not texts:
        raise SystemExit(f"no Vietnamese translations under {LOCALE}")
    found = changes(texts)
    words = sum(len(t.split()) for t in texts)
    print(f"{len(texts)} sentences, {words} words: {sum(found.values())} words changed")
    by_kind: dict[str, list[tuple[tuple[str, str, str, str], int]]] = {}
    for key, n in found.most_common():
        by_kind.setdefault(key[0], []).append((key, n))
    for kind, rows in sorted(by_kind.items(), key=lambda kv: -sum(n for _, n in kv[1])):
        print(f"\n{kind}: {sum(n for _, n in rows)}")
        for (_, left, read, written), n in rows[: args.show]:
            print(f"  {n:>3}× {left} {read} → {written}")


if __name__ == "__main__":
    main()
