"""The fast content-stream reading gives what pdfplumber's own (pdfminer's parser) gives."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pdfplumber
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pdfminer.ascii85 import ascii85decode
from pdfminer.pdfinterp import PDFContentParser
from pdfminer.pdftypes import PDFStream, resolve1
from pdfminer.psparser import PSEOF

from pipeline.pdfcontent import (
    SharedFonts,
    Unsupported,
    ascii85,
    content_objects,
    read_layout,
    read_objects,
    stream_data,
)
from pipeline.samples import generate


def pdfminer_objects(data: bytes) -> list[Any]:
    parser = PDFContentParser([PDFStream({}, data)])
    out = []
    while True:
        try:
            out.append(parser.nextobject()[1])
        except PSEOF:
            return out


@pytest.fixture(scope="module")
def born_digital(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """Generated born-digital papers of several types (seals, photos, tables, fonts)."""
    return generate(tmp_path_factory.mktemp("pdf_text"), count=5, seed=11, kinds=["pdf_text"])


def page_streams(path: Path) -> list[bytes]:
    """Every content stream of every page, Form XObjects included."""
    with pdfplumber.open(path) as pdf:
        out = []
        for page in pdf.pages:
            out += [resolve1(s).get_data() for s in page.page_obj.contents]
            xobjects = resolve1(resolve1(page.page_obj.resources).get("XObject", {}))
            for x in map(resolve1, xobjects.values()):
                if str(x.get("Subtype")) == "/'Form'":
                    out.append(x.get_data())
        return out


def test_generated_pages_read_as_pdfminer_reads_them(born_digital: list[Path]) -> None:
    streams = [s for path in born_digital for s in page_streams(path)]
    assert sum(map(len, streams)) > 50_000
    for data in streams:
        assert content_objects(data) == pdfminer_objects(data)  # and never Unsupported


EDGE_CASES = [
    rb"BT /F1 12 Tf 14.4 TL 1 0 0 1 72 700 Tm (Hello) Tj T* ET",
    rb"(a\(b\)c) Tj (\101\102\7x) Tj (tab\tnl\nbs\\) Tj (\8\q) Tj (line\
cont) Tj (crlf\
z) '",
    rb"<48656C6C6F> Tj <48 65 6c> Tj <4> Tj <> Tj",
    rb'[(A) -120 (B) 3.5 (C)] TJ 0 -14 Td 1 2 (x) "',
    rb"/Span << /ActualText (x) /MCID 3 /K [1 2 [3]] >> BDC EMC",
    rb"-5 +7 .5 -.25 5. 1.2.3 12abc 007 % a comment\n true false null",
    b"q 1 0 0 1 0 0 cm\x00Q /F\xc3\xa9 1 Tf /Gr\xff 2 Tf",
]


@pytest.mark.parametrize("data", EDGE_CASES)
def test_escapes_numbers_arrays_and_dictionaries_match_pdfminer(data: bytes) -> None:
    assert content_objects(data) == pdfminer_objects(data)


@pytest.mark.parametrize(
    "data",
    [
        b"BI /W 1 /H 1 /BPC 8 /CS /G ID \x00 EI Q",  # inline image
        b"(a(nested)b) Tj",
        b"/A#20B 1 Tf",
        b"{ 1 2 add }",
        b"[1 2 Tj",
        b"1 2 ] Tj",
        b"(\\777) Tj",
        b"<< /A >> BDC",
        b"- 5 Td",
        b") Tj",
    ],
)
def test_anything_outside_the_subset_is_left_to_pdfminer(data: bytes) -> None:
    with pytest.raises(Unsupported):
        content_objects(data)


FRAGMENTS = [
    b"BT", b"ET", b"Tj", b"TJ", b"T*", b"'", b'"', b"/F1", b"/Name", b"/", b"12", b"-3.5",
    b".5", b"5.", b"+7", b"-", b".", b"1.2.3", b"12abc", b"(abc)", b"(a\\)b)", b"(\\101\\12x)",
    b"(\\\r\nz)", b"(a(b)c)", b"<41 42>", b"<4>", b"<>", b"<", b">", b"[", b"]", b"<<", b">>",
    b"% note\n", b"true", b"false", b"\x00", b"/A#20", b"BI", b"ID", b"{", b"}", b")", b"#",
    b"*", b"\xc3\xa9", b"(\\777)",
]  # fmt: skip


@settings(max_examples=400, deadline=None)
@given(
    st.lists(
        st.tuples(st.sampled_from(FRAGMENTS), st.sampled_from([b" ", b"\n", b"", b"\t", b"\r\n"])),
        max_size=30,
    )
)
def test_token_soup_reads_as_pdfminer_reads_it_or_is_left_to_it(
    parts: list[tuple[bytes, bytes]],
) -> None:
    data = b"".join(f + sep for f, sep in parts)
    try:
        ours = content_objects(data)
    except Unsupported:
        return
    assert ours == pdfminer_objects(data)


def layout_dump(page: Any) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]], str]:
    chars = [(c["text"], c["fontname"], c["size"], c["x0"], c["top"], c["x1"]) for c in page.chars]
    edges = [(e["x0"], e["top"], e["x1"], e["bottom"]) for e in page.edges]
    return chars, edges, page.extract_text()


def pdfplumber_and_ours(path: Path, read: Any = read_layout) -> tuple[list[Any], list[Any]]:
    with pdfplumber.open(path) as plain, pdfplumber.open(path) as fast:
        theirs = [layout_dump(p) for p in plain.pages]
        for page in fast.pages:
            read(page)
        ours = [layout_dump(p) for p in fast.pages]
    return theirs, ours


def test_pages_lay_out_as_pdfplumber_lays_them_out(born_digital: list[Path]) -> None:
    for path in born_digital:
        theirs, ours = pdfplumber_and_ours(path)
        assert sum(len(chars) for chars, _, _ in ours) > 300
        assert ours == theirs


def all_objects(page: Any) -> dict[str, list[dict[str, Any]]]:
    # an image's stream is an object of its own document: compare what it holds
    def held(stream: PDFStream) -> tuple[Any, ...]:
        return stream.rawdata, {k: getattr(v, "objid", v) for k, v in stream.attrs.items()}

    return {
        kind: [{k: held(v) if k == "stream" else v for k, v in o.items()} for o in objs]
        for kind, objs in page.objects.items()
    }


def test_object_dicts_are_the_ones_pdfplumber_makes(born_digital: list[Path]) -> None:
    kinds: set[str] = set()
    for path in born_digital:
        with pdfplumber.open(path) as plain, pdfplumber.open(path) as fast:
            for theirs, ours in zip(plain.pages, fast.pages, strict=True):
                read_objects(ours)
                assert all_objects(ours) == all_objects(theirs)
                kinds |= set(ours.objects)
        theirs_dump, ours_dump = pdfplumber_and_ours(path, read_objects)
        assert ours_dump == theirs_dump
    assert {"char", "curve", "line", "image"} <= kinds  # leader dots are curves


def test_a_merged_page_with_a_rectangle_reads_as_pdfplumber_reads_it(tmp_path: Path) -> None:
    path = raw_pdf(tmp_path / "rect.pdf", [(TEXT, [500, 600, 700, 800, 900, 1000])] * 2)
    with pdfplumber.open(path) as plain, pdfplumber.open(path) as fast:
        for theirs, ours in zip(plain.pages, fast.pages, strict=True):
            read_objects(ours)
            assert all_objects(ours) == all_objects(theirs)
            assert set(ours.objects) == {"char", "line", "rect"}


def raw_pdf(path: Path, pages: list[tuple[bytes, list[int]]]) -> Path:
    """A PDF whose every page has its own content stream and its own copy of a font.

    Each page is (content, the font's widths for A-F); a merged PDF looks like this.
    """
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b""]
    kids = []
    for content, widths in pages:
        first = len(objects) + 1
        font = (
            b"<< /Type /Font /Subtype /Type1 /BaseFont /DossierTest /FirstChar 65 /LastChar 70"
            b" /Widths [" + b" ".join(b"%d" % w for w in widths) + b"] >>"
        )
        stream = b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream"
        page = (
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 200] /Contents %d 0 R"
            b" /Resources << /Font << /F1 %d 0 R >> >> >>" % (first + 1, first + 2)
        )
        objects += [page, stream, font]
        kids.append(b"%d 0 R" % first)
    objects[1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(kids), len(kids))
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for n, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    path.write_bytes(bytes(out))
    return path


TEXT = b"BT /F1 10 Tf 20 150 Td (ABCDEF) Tj ET 0 0 m 300 0 l S 10 10 50 20 re f"


def test_a_font_copied_onto_every_page_is_built_once(tmp_path: Path) -> None:
    path = raw_pdf(tmp_path / "merged.pdf", [(TEXT, [500, 600, 700, 800, 900, 1000])] * 3)
    theirs, ours = pdfplumber_and_ours(path)
    assert ours == theirs and theirs[0][0][0][0] == "A"
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            read_layout(page)
        assert isinstance(pdf.rsrcmgr, SharedFonts)
        assert len({id(f) for f in pdf.rsrcmgr._cached_fonts.values()}) == 1


def test_fonts_that_differ_only_in_their_widths_are_not_shared(tmp_path: Path) -> None:
    narrow, wide = [500, 600, 700, 800, 900, 1000], [1000, 900, 800, 700, 600, 500]
    path = raw_pdf(tmp_path / "two.pdf", [(TEXT, narrow), (TEXT, wide)])
    theirs, ours = pdfplumber_and_ours(path)
    assert ours == theirs
    b_right = [chars[1][5] for chars, _, _ in ours]  # where B ends depends on A's width
    assert b_right[0] != b_right[1]


def test_a_page_outside_the_subset_lays_out_as_pdfplumber_does(tmp_path: Path) -> None:
    odd = (
        b"BT /F1 10 Tf 20 150 Td (A(B)C) Tj ET "
        b"q 10 0 0 10 20 20 cm BI /W 2 /H 1 /BPC 8 /CS /G ID \x00\xff EI Q "
        b"BT /F1 10 Tf 20 100 Td (DEF) Tj ET"
    )
    path = raw_pdf(tmp_path / "odd.pdf", [(odd, [500] * 6)])
    theirs, ours = pdfplumber_and_ours(path, read_objects)
    assert ours == theirs
    assert "".join(c[0] for c in ours[0][0]) == "A(B)CDEF"


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=80), st.sampled_from([0, 7, 75]), st.booleans(), st.booleans())
def test_ascii85_decodes_as_pdfminer_does(raw: bytes, wrap: int, adobe: bool, end: bool) -> None:
    import base64

    # pdfminer takes either end marker: Adobe's `<~ … ~>` or a bare `~>`
    encoded = base64.a85encode(raw, wrapcol=wrap, adobe=adobe) + (
        b"~>" if end and not adobe else b""
    )
    ours = ascii85(encoded)
    if b"z" in encoded:
        assert ours is None  # four zero bytes as one letter: left to pdfminer
    else:
        assert ours == ascii85decode(encoded) == raw


def test_stream_data_is_what_pdfminer_decodes(born_digital: list[Path]) -> None:
    decoded = 0
    for path in born_digital:
        with pdfplumber.open(path) as ours, pdfplumber.open(path) as theirs:
            for a, b in zip(ours.pages, theirs.pages, strict=True):
                for x, y in zip(a.page_obj.contents, b.page_obj.contents, strict=True):
                    x, y = resolve1(x), resolve1(y)
                    decoded += "ASCII85" in str(x.get_filters())
                    assert stream_data(x) == y.get_data()
    assert decoded >= 5  # reportlab's streams: ASCII85 over Flate
