"""A faster reading of PDF content streams for pdfplumber's text layer.

pdfplumber reads a page through pdfminer, whose parser splits the content stream into
tokens one state-machine step at a time: 24 of the 66 ms a generated born-digital page
takes (8,000 objects a page; `docs/BENCHMARKS.md`). `content_objects` splits the same bytes
with one regular expression and builds the very objects pdfminer's `PDFContentParser`
would (numbers, names, strings, arrays, dictionaries, operators); `FastInterpreter` then
runs pdfminer's own operators on them. pdfplumber, pdfminer's fonts, text positions and
layout stay as they are. `stream_data` decodes reportlab's ASCII85 with numpy,
`SharedFonts` builds a font copied onto every page of a merged PDF once, and
`read_objects` makes pdfplumber's dicts of characters and curves without its generic
attribute resolver.

Only a common subset is taken: anything else (inline images, PostScript procedures,
`#` escapes in names, octal escapes over 255, unbalanced brackets, nested parentheses in a
string, stray delimiters) raises `Unsupported`, and that stream is read by pdfminer's
parser instead. `tests/test_pdfcontent.py` checks the objects against pdfminer's on
generated pages and on random token soup.
"""

from __future__ import annotations

import hashlib
import re
import zlib
from collections.abc import Iterator, Mapping, Sequence
from typing import Any
from unicodedata import normalize as normalize_unicode

import numpy as np
from pdfminer import settings as pdfminer_settings
from pdfminer.ascii85 import end_re as a85_end
from pdfminer.ascii85 import start_re as a85_start
from pdfminer.layout import LTChar, LTContainer, LTCurve
from pdfminer.pdfinterp import PDFInterpreterError, PDFPageInterpreter, PDFResourceManager
from pdfminer.pdftypes import (
    LITERALS_ASCII85_DECODE,
    LITERALS_FLATE_DECODE,
    PDFStream,
    resolve1,
    stream_value,
)
from pdfminer.psparser import KWD, LIT, PSKeyword, PSLiteral
from pdfplumber.page import ALL_ATTRS, PDFPageAggregatorWithMarkedContent
from pdfplumber.utils.exceptions import PdfminerException
from pdfplumber.utils.pdfinternals import resolve_all, resolve_and_decode

# pdfminer's own classes: whitespace is `\s`, a name or operator ends at one of these.
_END = rb"#/%\[\]()<>{}\s"
_TOKEN = re.compile(
    rb"[\s\x00]+"  # whitespace (NUL is skipped too)
    rb"|%[^\r\n]*"  # comment
    rb"|(?P<num>[-+]?(?:\d+(?:\.\d*)?|\.\d+))"
    rb"|/(?P<name>[^" + _END + rb"]*)(?![^/%\[\]()<>{}\s])"  # not before '#'
    rb"|\((?P<str>(?:[^()\\]|\\.)*)\)"
    rb"|<(?P<hex>[0-9A-Fa-f\s]*)>"
    rb"|(?P<open><<|\[)|(?P<close>>>|\])"
    rb"|(?P<op>[A-Za-z][^" + _END + rb"]*|['\"])"
    rb"|(?P<bad>.)",
    re.DOTALL,
)
_NUM, _NAME, _STR, _HEX, _OPEN, _CLOSE, _OP, _BAD = (
    _TOKEN.groupindex[g] for g in ("num", "name", "str", "hex", "open", "close", "op", "bad")
)
_ESCAPE = re.compile(rb"\\(\r\n|[0-7]{1,3}|.)", re.DOTALL)
_ESCAPED = {b"b": b"\b", b"t": b"\t", b"n": b"\n", b"f": b"\f", b"r": b"\r"}
_ESCAPED.update({b"(": b"(", b")": b")", b"\\": b"\\"})
_HEX_PAIR = re.compile(rb"[0-9A-Fa-f]{2}|[0-9A-Fa-f]")
_SPACE = re.compile(rb"\s")
_INLINE_IMAGE = {KWD(b"BI"), KWD(b"ID"), KWD(b"EI")}
_CLOSERS = {b"]": b"[", b">>": b"<<"}


class Unsupported(ValueError):
    """The stream holds something outside the subset read here; pdfminer reads it."""


def content_objects(data: bytes) -> list[Any]:
    """The objects pdfminer's content parser makes of `data`, in order.

    Raises `Unsupported` where the bytes leave the subset this reads exactly.
    """
    out: list[Any] = []
    stack: list[tuple[bytes, list[Any]]] = []
    current = out
    operators: dict[bytes, Any] = {}  # each operator interned once per stream
    for m in _TOKEN.finditer(data):
        kind = m.lastindex
        if kind is None:
            continue  # whitespace or a comment
        token = m.group(kind)
        if kind == _OP:
            op = operators.get(token)
            if op is None:
                op = operators[token] = _operator(token)
            current.append(op)
        elif kind == _NUM:
            current.append(float(token) if b"." in token else int(token))
        elif kind == _NAME:
            current.append(_name(token))
        elif kind == _STR:
            current.append(_string(token))
        elif kind == _HEX:
            current.append(_hex(token))
        elif kind == _OPEN:
            stack.append((token, current))
            current = []
        elif kind == _CLOSE:
            current = _close(stack, current, token)
        else:
            raise Unsupported(f"byte {token!r} at {m.start()}")
    if stack:
        raise Unsupported("unclosed array or dictionary")
    return out


def _operator(text: bytes) -> Any:
    if text == b"true":
        return True
    if text == b"false":
        return False
    keyword = KWD(text)
    if keyword in _INLINE_IMAGE:
        raise Unsupported("inline image")
    return keyword


def _name(raw: bytes) -> PSLiteral:
    try:
        return LIT(str(raw, "utf-8"))
    except UnicodeDecodeError:
        return LIT(raw)


def _string(raw: bytes) -> bytes:
    if b"\\" not in raw:
        return raw
    return _ESCAPE.sub(_unescape, raw)


def _unescape(m: re.Match[bytes]) -> bytes:
    code = m.group(1)
    if code[0] in b"01234567":
        value = int(code, 8)
        if value > 255:
            raise Unsupported(f"octal escape \\{code.decode()}")
        return bytes((value,))
    # pdfminer drops a backslash with any character it does not know (line ends too)
    return _ESCAPED.get(code, b"")


def _hex(raw: bytes) -> bytes:
    # pdfminer's reading of an odd last digit: its own value, not the digit followed by 0
    return _HEX_PAIR.sub(lambda m: bytes((int(m.group(0), 16),)), _SPACE.sub(b"", raw))


def _close(stack: list[tuple[bytes, list[Any]]], items: list[Any], closer: bytes) -> list[Any]:
    if not stack or stack[-1][0] != _CLOSERS[closer]:
        raise Unsupported(f"unbalanced {closer!r}")
    _opener, outer = stack.pop()
    if closer == b"]":
        outer.append(items)
        return outer
    keys, values = items[::2], items[1::2]
    if len(keys) != len(values) or not all(_str_name(k) for k in keys):
        raise Unsupported("malformed dictionary")
    outer.append({k.name: v for k, v in zip(keys, values, strict=True)})
    return outer


def _str_name(obj: object) -> bool:
    return isinstance(obj, PSLiteral) and isinstance(obj.name, str)


def stream_data(stream: PDFStream) -> bytes:
    """`stream.get_data()`, with its ASCII85 step (reportlab's streams) done by numpy.

    Python's `base64.a85decode` took ~3 ms of a generated page. Only ASCII85 and Flate
    without parameters are done here; any other filter, an encrypted stream, a byte outside
    plain ASCII85 digits or bad zlib data goes to pdfminer, which then decodes it all.
    """
    if stream.data is not None or stream.rawdata is None or stream.decipher:
        return stream.get_data()
    filters = stream.get_filters()
    if not any(f in LITERALS_ASCII85_DECODE for f, _ in filters) or any(
        params or (f not in LITERALS_ASCII85_DECODE and f not in LITERALS_FLATE_DECODE)
        for f, params in filters
    ):
        return stream.get_data()
    data: bytes | None = stream.rawdata
    for f, _ in filters:
        if data is None:
            break
        if f in LITERALS_ASCII85_DECODE:
            data = ascii85(data)
            continue
        try:
            data = zlib.decompress(data)
        except zlib.error:
            data = None
    if data is None:
        return stream.get_data()
    stream.data, stream.rawdata = data, None  # as `PDFStream.decode` leaves it
    return data


_A85_SKIPPED = re.compile(rb"[ \t\n\r\v]+")  # what `base64.a85decode` ignores


def ascii85(data: bytes) -> bytes | None:
    """Pdfminer's `ascii85decode`, vectorised; None for anything but plain digits."""
    data = _A85_SKIPPED.sub(b"", a85_end.sub(b"", a85_start.sub(b"", data)))
    digits = np.frombuffer(data, np.uint8)
    if digits.size == 0:
        return b""
    if ((digits < 33) | (digits > 117)).any():
        return None  # `z`, `y`, `~` or junk: pdfminer's own rules
    pad = -digits.size % 5
    groups = np.concatenate([digits, np.full(pad, 117, np.uint8)]).astype(np.uint64) - 33
    groups = groups.reshape(-1, 5)
    values = (((groups[:, 0] * 85 + groups[:, 1]) * 85 + groups[:, 2]) * 85 + groups[:, 3]) * 85
    values += groups[:, 4]
    if (values > 0xFFFFFFFF).any():
        return None
    out = values.astype(">u4").tobytes()
    return out[: len(out) - pad]


class FastInterpreter(PDFPageInterpreter):
    """pdfminer's page interpreter, fed by `content_objects` where it can be."""

    def execute(self, streams: Sequence[object]) -> None:
        """Run the operators of the page's (or a form's) content streams."""
        # pdfminer reads the streams as one: a token may run on into the next stream
        data = b"".join(stream_data(s) for s in self._valid_streams(streams))
        try:
            objects = content_objects(data)
        except Unsupported:
            super().execute(streams)
            return
        self._run(objects)

    def _valid_streams(self, streams: Sequence[object]) -> Iterator[PDFStream]:
        # As pdfminer's execute: no inline stream, no stream already being run (a loop).
        self.stream_ids.clear()
        for obj in streams:
            stream = stream_value(obj)
            if stream.objid is None or stream.objid in self.parent_stream_ids:
                continue
            self.stream_ids.add(stream.objid)
            yield stream

    def _run(self, objects: list[Any]) -> None:
        methods: dict[PSKeyword, tuple[Any, int] | None] = {}
        for obj in objects:
            if not isinstance(obj, PSKeyword):
                self.push(obj)
                continue
            if obj not in methods:
                methods[obj] = self._method(obj)
            found = methods[obj]
            if found is None:
                continue
            func, nargs = found
            if nargs:
                args = self.pop(nargs)
                if len(args) == nargs:
                    func(*args)
            else:
                func()

    def _method(self, keyword: PSKeyword) -> tuple[Any, int] | None:
        name = keyword.name.decode("latin-1")
        attr = "do_" + name.replace("*", "_a").replace('"', "_w").replace("'", "_q")
        func = getattr(self, attr, None)
        if func is None:
            if pdfminer_settings.STRICT:
                raise PDFInterpreterError(f"Unknown operator: {name!r}")
            return None
        return func, func.__code__.co_argcount - 1


def read_layout(page: Any) -> None:
    """Lay out a pdfplumber page with `FastInterpreter`, as `page.layout` would.

    pdfplumber keeps the result in `page._layout` and reads chars, words and edges from it;
    a pdfplumber without that cache just lays the page out again its own way.
    """
    if hasattr(page, "_layout"):
        return
    if not isinstance(page.pdf.rsrcmgr, SharedFonts):
        page.pdf.rsrcmgr = SharedFonts()
    fonts = page.pdf.rsrcmgr
    device = PDFPageAggregatorWithMarkedContent(
        fonts, pageno=page.page_number, laparams=page.pdf.laparams
    )
    try:
        FastInterpreter(fonts, device).process_page(page.page_obj)
    except Exception as e:  # pdfminer raises many unrelated types, as pdfplumber wraps them
        raise PdfminerException(e) from e
    page._layout = device.get_result()


class SharedFonts(PDFResourceManager):
    """pdfminer's resource manager, which also reuses a font seen before under another id.

    A PDF put together from single-page files (a counter's merged dossier, the born-digital
    benchmark) carries its own copy of each font on every page; pdfminer caches fonts by
    object id, so it would build every copy again (ToUnicode map, widths).
    """

    def __init__(self) -> None:
        super().__init__(caching=True)
        self._by_content: dict[bytes, Any] = {}

    def get_font(self, objid: object, spec: Mapping[str, object]) -> Any:
        """The font for `spec`, built once for each distinct content."""
        if objid and objid in self._cached_fonts:
            return self._cached_fonts[objid]
        key = _fingerprint(spec)
        font = self._by_content.get(key) if key is not None else None
        if font is None:
            font = super().get_font(objid, spec)
            if key is not None:
                self._by_content[key] = font
        elif objid:
            self._cached_fonts[objid] = font
        return font


def _fingerprint(spec: Mapping[str, object]) -> bytes | None:
    """A digest of everything a font spec holds (streams by their raw bytes), or None."""
    digest = hashlib.sha1(usedforsecurity=False)
    try:
        _feed(digest, spec, 0)
    except _TooDeep:
        return None
    return digest.digest()


class _TooDeep(Exception):
    pass


def _feed(digest: Any, obj: object, depth: int) -> None:
    if depth > 8:
        raise _TooDeep
    obj = resolve1(obj)
    if isinstance(obj, PDFStream):
        digest.update(b"S%d:" % len(obj.rawdata or b""))
        digest.update(obj.rawdata or b"")
        obj = obj.attrs
    if isinstance(obj, dict):
        digest.update(b"{")
        for k in sorted(obj, key=str):
            digest.update(repr(k).encode() + b"=")
            _feed(digest, obj[k], depth + 1)
        digest.update(b"}")
    elif isinstance(obj, list) and all(type(v) in (int, float) for v in obj):
        digest.update(repr(obj).encode())  # a font's widths: hundreds of numbers
    elif isinstance(obj, list):
        digest.update(b"[")
        for v in obj:
            _feed(digest, v, depth + 1)
        digest.update(b"]")
    else:
        digest.update(repr(obj).encode() + b";")


def read_objects(page: Any) -> None:
    """Pdfplumber's objects of a laid-out page, its characters and curves made directly.

    `Page.process_object` looks at every attribute of every layout object (a third of a
    born-digital page's time); the dicts of characters and curves (lines and rectangles
    too) are built here from the attributes pdfplumber takes, with the same values. Other
    objects (images, figures) go through pdfplumber. `tests/test_pdfcontent.py` compares
    the dicts with pdfplumber's.
    """
    if hasattr(page, "_objects"):
        return
    read_layout(page)
    dicts = _ObjectDicts(page)
    objects: dict[str, list[dict[str, Any]]] = {}
    # depth first, a container before its children, as `Page.iter_layout_objects`
    stack = [iter(page.layout._objs)]
    while stack:
        obj = next(stack[-1], None)
        if obj is None:
            stack.pop()
            continue
        if isinstance(obj, LTChar) and isinstance(obj.fontname, str):
            attr = dicts.char(obj)
        elif isinstance(obj, LTCurve):
            attr = dicts.curve(obj)
        elif isinstance(obj, LTContainer):
            stack.append(iter(obj._objs))
            if page.pdf.laparams is None:
                continue
            attr = page.process_object(obj)
        else:
            attr = page.process_object(obj)
        if attr["object_type"] != "anno":
            objects.setdefault(attr["object_type"], []).append(attr)
    page._objects = objects


class _ObjectDicts:
    """`Page.process_object` for characters and curves, with pdfplumber's own sums.

    A curve's points are plain numbers: they need none of the resolving pdfplumber puts
    every attribute through (a generated page draws each leader dot as one).
    """

    def __init__(self, page: Any) -> None:
        self.page = page
        self.x_shift, self.mb_top = page.mediabox[:2]
        self.height, self.doctop = page.height, page.initial_doctop
        self.norm, self.number = page.pdf.unicode_norm, page.page_number
        self.spaces: dict[str, Any] = {}  # a colour space's decoded name, once per page

    def _space(self, name: Any) -> Any:
        if not isinstance(name, str):
            return resolve_and_decode(name)
        if name not in self.spaces:
            self.spaces[name] = resolve_and_decode(name)
        return self.spaces[name]

    def curve(self, obj: Any) -> dict[str, Any]:
        """The dict of one `LTCurve` (or line or rectangle)."""
        attr = {
            k: v if k == "pts" or isinstance(v, (int, float)) or v is None else resolve_all(v)
            for k, v in obj.__dict__.items()
            if k in ALL_ATTRS
        }
        attr["object_type"] = type(obj).__name__[2:].lower()
        attr["page_number"] = self.number
        to_page = self.page.point2coord
        attr["pts"] = [to_page(pt) for pt in obj.pts]
        attr["path"] = [(cmd, *map(to_page, pts)) for cmd, *pts in obj.original_path]
        attr["dash"] = obj.dashing_style
        attr["top"] = (self.height - attr["y1"]) + self.mb_top
        attr["bottom"] = (self.height - attr["y0"]) + self.mb_top
        attr["doctop"] = self.doctop + attr["top"]
        if self.x_shift:
            attr["x0"], attr["x1"] = attr["x0"] + self.x_shift, attr["x1"] + self.x_shift
        return attr

    def char(self, obj: Any) -> dict[str, Any]:
        """The dict of one `LTChar` whose font name is text."""
        gs, text, shift = obj.graphicstate, obj.get_text(), self.x_shift
        top = (self.height - obj.y1) + self.mb_top
        return {
            "matrix": obj.matrix, "fontname": obj.fontname, "adv": obj.adv,
            "upright": obj.upright, "x0": obj.x0 + shift if shift else obj.x0, "y0": obj.y0,
            "x1": obj.x1 + shift if shift else obj.x1, "y1": obj.y1, "width": obj.width,
            "height": obj.height, "size": obj.size, "mcid": obj.mcid, "tag": obj.tag,
            "object_type": "char", "page_number": self.number,
            "ncs": self._space(obj.ncs.name),
            "text": normalize_unicode(self.norm, text) if self.norm is not None else text,
            "stroking_color": gs.scolor if isinstance(gs.scolor, tuple) else (gs.scolor,),
            "non_stroking_color": gs.ncolor if isinstance(gs.ncolor, tuple) else (gs.ncolor,),
            "top": top, "bottom": (self.height - obj.y0) + self.mb_top,
            "doctop": self.doctop + top,
        }  # fmt: skip
