"""OCR engines behind one small protocol, and the registry that names them."""

from __future__ import annotations

import logging
import subprocess
from dataclasses import dataclass, field
from typing import Protocol

import numpy as np

log = logging.getLogger(__name__)


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
        if float(osd.get("orientation_conf", 0)) < 1.5:
            return None
        return int(osd.get("rotate", 0)) % 360


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
    lines: list[str] = []
    prev: tuple[int, int, int] | None = None
    for w in words:
        if prev is None or w.line != prev:
            if prev is not None and w.line[0] != prev[0]:
                lines.append("")
            lines.append(w.text)
        else:
            lines[-1] += " " + w.text
        prev = w.line
    conf = float(np.mean([w.confidence for w in words])) if words else 0.0
    return OcrOutput("\n".join(lines), words, conf)


ENGINES: dict[str, type[TesseractEngine]] = {"tesseract": TesseractEngine}
