"""OCR engines behind one small protocol, and the registry that names them."""

from __future__ import annotations

import logging
import subprocess
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Protocol

import numpy as np

log = logging.getLogger(__name__)

# Debian's tesseract-ocr-vie installs here; tesserocr's wheel bundles its own libtesseract.
TESSDATA = Path("/usr/share/tesseract-ocr/5/tessdata")
_OSD_MIN_CONF = 1.5
_TSV_KEYS = ("level", "page_num", "block_num", "par_num", "line_num", "word_num",
             "left", "top", "width", "height", "conf", "text")  # fmt: skip


@dataclass(frozen=True)
class OcrWord:
    """A word as the engine saw it: text, box in pixels, confidence 0–1, line key."""

    text: str
    left: int
    top: int
    width: int
    height: int
    confidence: float
    line: tuple[int, int, int]


@dataclass
class OcrOutput:
    """Engine output for one image: reading-order text, words and mean confidence."""

    text: str
    words: list[OcrWord] = field(default_factory=list)
    confidence: float = 0.0


class EngineTimeout(Exception):
    """The engine did not finish the page in time."""


class EngineFailure(Exception):
    """The engine crashed or returned garbage for this page."""


class OcrEngine(Protocol):
    """What the pipeline needs from an OCR engine."""

    name: str

    def recognize(self, image: np.ndarray, *, dpi: int, psm: int = 3) -> OcrOutput:
        """Recognise text in a gray uint8 image."""
        ...

    def orientation(self, image: np.ndarray) -> int | None:
        """Clockwise rotation (0/90/180/270) that makes the page upright, when known."""
        ...


class TesseractEngine:
    """Tesseract through pytesseract (one `tesseract` process per call)."""

    name = "tesseract"

    def __init__(self, lang: str = "vie", timeout_s: float = 60.0) -> None:
        self.lang = lang
        self.timeout_s = timeout_s

    def recognize(self, image: np.ndarray, *, dpi: int, psm: int = 3) -> OcrOutput:
        """Run Tesseract and group its words into lines and blocks in reading order."""
        import pytesseract

        config = f"--psm {psm} --dpi {dpi} -c preserve_interword_spaces=0"
        try:
            data = pytesseract.image_to_data(
                image,
                lang=self.lang,
                config=config,
                output_type=pytesseract.Output.DICT,
                timeout=self.timeout_s,
            )
        except RuntimeError as e:  # pytesseract signals its timeout as RuntimeError
            raise EngineTimeout(f"tesseract took over {self.timeout_s:.0f}s") from e
        except (pytesseract.TesseractError, subprocess.SubprocessError, OSError) as e:
            raise EngineFailure(f"tesseract failed: {e}") from e
        return _assemble(data)

    def orientation(self, image: np.ndarray) -> int | None:
        """Tesseract OSD rotation, or None when it cannot tell."""
        import pytesseract

        try:
            osd = pytesseract.image_to_osd(
                image, config="--psm 0", output_type=pytesseract.Output.DICT, timeout=30
            )
        except (RuntimeError, pytesseract.TesseractError, OSError):
            return None
        if float(osd.get("orientation_conf", 0)) < _OSD_MIN_CONF:
            return None
        return int(osd.get("rotate", 0)) % 360


class TesserocrEngine:
    """Tesseract through tesserocr: the model stays loaded, no process per call.

    Holds a live C++ API object, so build one per worker process (it does not pickle).
    """

    name = "tesserocr"

    def __init__(
        self, lang: str = "vie", timeout_s: float = 60.0, tessdata: Path = TESSDATA
    ) -> None:
        self.lang = lang
        self.timeout_s = timeout_s
        self.tessdata = tessdata
        self._api: Any = None
        self._osd: Any = None

    def _ensure(self) -> Any:
        if self._api is None:
            import tesserocr

            try:
                self._api = tesserocr.PyTessBaseAPI(path=str(self.tessdata), lang=self.lang)
            except RuntimeError as e:
                raise EngineFailure(f"tesserocr cannot load {self.lang!r}: {e}") from e
        return self._api

    def recognize(self, image: np.ndarray, *, dpi: int, psm: int = 3) -> OcrOutput:
        """Recognise a gray image; a false return from Recognize is a timeout or crash."""
        from PIL import Image

        api = self._ensure()
        api.SetPageSegMode(psm)
        api.SetImage(Image.fromarray(image))
        api.SetSourceResolution(dpi)
        start = time.monotonic()
        if not api.Recognize(timeout=int(self.timeout_s * 1000)):
            if time.monotonic() - start >= self.timeout_s * 0.95:
                raise EngineTimeout(f"tesseract took over {self.timeout_s:.0f}s")
            raise EngineFailure("tesseract failed to recognise the page")
        return _assemble(_parse_tsv(api.GetTSVText(0)))

    def orientation(self, image: np.ndarray) -> int | None:
        """Clockwise rotation that makes the page upright, from Tesseract's OSD."""
        import tesserocr
        from PIL import Image

        if self._osd is None:
            self._osd = tesserocr.PyTessBaseAPI(
                path=str(self.tessdata), lang="osd", psm=tesserocr.PSM.OSD_ONLY
            )
        self._osd.SetImage(Image.fromarray(image))
        osd = self._osd.DetectOrientationScript()
        if not osd or float(osd.get("orient_conf", 0)) < _OSD_MIN_CONF:
            return None
        # orient_deg is how far the page is turned clockwise; undo it.
        return (360 - int(osd["orient_deg"])) % 360


def _parse_tsv(tsv: str) -> dict[str, list]:
    """Tesseract TSV text (no header row) → the column dict pytesseract returns."""
    data: dict[str, list] = {k: [] for k in _TSV_KEYS}
    for row in tsv.splitlines():
        cells = row.split("\t")
        if len(cells) < len(_TSV_KEYS):
            cells += [""] * (len(_TSV_KEYS) - len(cells))
        for key, cell in zip(_TSV_KEYS, cells, strict=False):
            data[key].append(cell)
    return data


def _assemble(data: dict[str, list]) -> OcrOutput:
    """Tesseract TSV dict → words plus text with one line per line and a blank between blocks."""
    words: list[OcrWord] = []
    for i, raw in enumerate(data["text"]):
        text = (raw or "").strip()
        conf = float(data["conf"][i])
        if not text or conf < 0:
            continue
        key = (int(data["block_num"][i]), int(data["par_num"][i]), int(data["line_num"][i]))
        words.append(
            OcrWord(
                text, int(data["left"][i]), int(data["top"][i]), int(data["width"][i]),
                int(data["height"][i]), conf / 100.0, key,
            )
        )  # fmt: skip
    return join_words(words)


def word_lines(words: list[OcrWord]) -> list[list[OcrWord]]:
    """Words in reading order cut into their lines (runs of one line key)."""
    lines: list[list[OcrWord]] = []
    for w in words:
        if lines and lines[-1][-1].line == w.line:
            lines[-1].append(w)
        else:
            lines.append([w])
    return lines


def moved(
    words: list[OcrWord], dx: int, dy: int, line: tuple[int, int, int] | None = None
) -> list[OcrWord]:
    """The words shifted by (dx, dy): from a crop read again back to the image it came from.

    With `line`, all of them go on that line key; else each keeps its own.
    """
    return [
        replace(w, left=w.left + dx, top=w.top + dy, line=w.line if line is None else line)
        for w in words
    ]


def join_words(words: list[OcrWord]) -> OcrOutput:
    """Words in reading order → text with one line per line key and a blank between blocks."""
    lines: list[str] = []
    block = None
    for line in word_lines(words):
        if block is not None and line[0].line[0] != block:
            lines.append("")
        lines.append(" ".join(w.text for w in line))
        block = line[0].line[0]
    conf = float(np.mean([w.confidence for w in words])) if words else 0.0
    return OcrOutput("\n".join(lines), words, conf)


ENGINES: dict[str, type[TesseractEngine] | type[TesserocrEngine]] = {
    "tesseract": TesseractEngine,
    "tesserocr": TesserocrEngine,
}


def tesserocr_available() -> bool:
    """True when the tesserocr wheel imports (its own libtesseract, no system library)."""
    try:
        import tesserocr  # noqa: F401
    except ImportError:
        return False
    return True
