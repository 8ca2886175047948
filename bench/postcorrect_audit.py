"""Post-correct real Vietnamese the rules were never tuned on and list every word it changes.

The text is the Vietnamese translations of the programs on this machine (the `msgstr` of
`/usr/share/locale/vi/LC_MESSAGES/*.mo`: apt, coreutils, git, GTK …), written by people,
not by the sample generator. Sentences of five words or more, two in five of them with a
Vietnamese mark, without format codes. The text is correct but for the translators' own
typos, so nearly every change is a repair that would damage a page read right; a typo put
right (`sử dung` → `sử dụng`) is the exception. The report groups changes by what happened
to the tone mark, most frequent first.

    .venv/bin/python bench/postcorrect_audit.py [--show 40]
    .venv/bin/python bench/postcorrect_audit.py --html /usr/share/libreoffice/help/vi
    .venv/bin/python bench/postcorrect_audit.py --samples /tmp/mo-prose --count 12

`--html DIR` audits the Vietnamese of the HTML pages under DIR instead, such as
LibreOffice's help (`apt-get install libreoffice-help-vi`, or `apt-get download
libreoffice-help-vi` and `dpkg-deb -x` it anywhere): 15,478 sentences, 210,281 words of
prose, where the catalogues hold mostly short messages. Prints the counts and the changes;
nothing is written. With `--samples DIR` it instead renders the sentences as prose pages
(the sample generator's news-article layout and its six captures, articles of 16
sentences) for `dossier eval DIR --baseline`.
"""

from __future__ import annotations

import argparse
import gettext
import html
import re
import unicodedata
from collections import Counter
from pathlib import Path

from ocr_models.postcorrect import postcorrect
from ocr_models.vietnamese import (
    ACUTE,
    DOT_BELOW,
    GRAVE,
    HOOK,
    TILDE,
    canonicalize,
    tone_mark,
)

LOCALE = Path("/usr/share/locale/vi/LC_MESSAGES")
_TAGS = re.compile(r"<[^>]+>")
_SCRIPTS = re.compile(r"(?s)<script.*?</script>|<style.*?</style>")
_CODES = re.compile(r"[%<>`{}\[\]\\|=_*#@$&~^]")
_MARK_NAMES = {None: "none", GRAVE: "grave", ACUTE: "acute", HOOK: "hook", TILDE: "tilde",
               DOT_BELOW: "dot below"}  # fmt: skip


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
            if key and isinstance(value, str):
                found.update(_vietnamese_sentences(value))
    return sorted(found)


def html_sentences(folder: Path) -> list[str]:
    """Distinct Vietnamese sentences of the HTML pages under `folder` (tags, scripts dropped)."""
    found: set[str] = set()
    for path in sorted(folder.rglob("*.html")):
        page = _SCRIPTS.sub(" ", path.read_text("utf-8", "replace"))
        for block in html.unescape(_TAGS.sub("\n", page)).split("\n"):
            found.update(_vietnamese_sentences(block))
    return sorted(found)


def _vietnamese_sentences(text: str) -> list[str]:
    """Sentences of five words or more, two in five with a mark, without format codes."""
    out = []
    for part in re.split(r"(?<=[.!?:])\s+", text.replace("\n", " ")):
        words = part.split()
        marked = sum(unicodedata.normalize("NFD", w) != w for w in words)
        if len(words) >= 5 and marked >= 0.4 * len(words) and not _CODES.search(part):
            out.append(canonicalize(unicodedata.normalize("NFC", " ".join(words))))
    return out


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


def render_samples(texts: list[str], out: Path, count: int, seed: int) -> None:
    """Prose sample scans whose articles are these sentences (16 to an article)."""
    import random

    from pipeline.samples import generate, prose

    shuffled = list(texts)
    random.Random(seed).shuffle(shuffled)
    articles = []
    for k in range(0, len(shuffled) - 15, 16):
        chunk = shuffled[k : k + 16]
        title = " ".join(chunk[0].rstrip(".").split()[:9])
        articles.append((title, chunk[1], *(" ".join(chunk[i : i + 4]) for i in (2, 6, 10))))
    original = prose.articles
    prose.articles = lambda: tuple(articles[:50])  # type: ignore[assignment]
    try:
        kinds = ["news_article", "clean", "scan200", "phone", "fax", "photocopy", "lowres"]
        generate(out, count, seed, kinds=kinds)
    finally:
        prose.articles = original
    print(f"wrote {count} prose scans of the translations to {out}")


def main() -> None:
    """Print how many words post-correction changes and which."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--show", type=int, default=40, help="changes listed per kind")
    ap.add_argument("--samples", type=Path, help="render prose scans of the text here instead")
    ap.add_argument("--count", type=int, default=12, help="scans to render (default 12)")
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--html", type=Path, help="audit the HTML pages under this folder instead")
    args = ap.parse_args()
    texts = html_sentences(args.html) if args.html else sentences()
    if not texts:
        raise SystemExit(f"no Vietnamese sentences under {args.html or LOCALE}")
    if args.samples:
        render_samples(texts, args.samples, args.count, args.seed)
        return
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
