import numpy as np
from hostile import text_image

from ocr_models.engines import EngineFailure, EngineTimeout, OcrOutput, OcrWord
from pipeline.decode import PageInput
from pipeline.ocr import ocr_page


class FakeEngine:
    """Returns canned output or raises, and records what it was asked."""

    name = "fake"

    def __init__(self, outputs=None, error=None, rotate=None):
        self.outputs = list(outputs or [])
        self.error = error
        self.rotate = rotate
        self.calls = 0

    def recognize(self, image, *, dpi, psm=3):
        self.calls += 1
        if self.error:
            raise self.error
        return self.outputs.pop(0)

    def orientation(self, image):
        return self.rotate


def _out(text: str, conf: float, n: int = 30) -> OcrOutput:
    words = [OcrWord(text, 0, 0, 1, 1, conf, (1, 1, i)) for i in range(n)]
    return OcrOutput(text, words, conf)


def _page() -> PageInput:
    return PageInput(1, np.asarray(text_image(["Giấy khai sinh", "Họ và tên: Lê Văn An"])), 150)


def test_timeout_marks_page_failed_instead_of_raising() -> None:
    page = ocr_page(_page(), FakeEngine(error=EngineTimeout("tesseract took over 60s")))
    assert page.source == "failed"
    assert page.confidence == 0.0
    assert "took over 60s" in page.warnings[0]


def test_engine_crash_marks_page_failed() -> None:
    page = ocr_page(_page(), FakeEngine(error=EngineFailure("tesseract failed: signal 11")))
    assert page.source == "failed" and "signal 11" in page.warnings[0]


def test_blank_page_is_not_sent_to_the_engine() -> None:
    engine = FakeEngine()
    blank = PageInput(2, np.full((800, 600), 250, np.uint8), 200)
    assert ocr_page(blank, engine).source == "blank"
    assert engine.calls == 0


def test_noise_only_page_is_blank() -> None:
    rng = np.random.default_rng(1)
    img = np.full((1000, 700), 245, np.uint8)
    img[rng.integers(0, 1000, 30), rng.integers(0, 700, 30)] = 0  # scanner dust
    assert ocr_page(PageInput(1, img, 200), FakeEngine()).source == "blank"


def test_text_layer_skips_ocr_and_is_canonicalised() -> None:
    engine = FakeEngine()
    page = ocr_page(PageInput(1, None, 300, text_layer="Ủy ban nhân dân tỉnh Hoà Bình"), engine)
    assert page.source == "text-layer" and engine.calls == 0
    assert page.text == "Ủy ban nhân dân tỉnh Hòa Bình"


def test_low_confidence_page_is_retried_upright() -> None:
    engine = FakeEngine([_out("ǝuǝ", 0.2), _out("GIẤY KHAI SINH", 0.9)], rotate=180)
    page = ocr_page(_page(), engine)
    assert engine.calls == 2
    assert page.text.startswith("GIẤY KHAI SINH")
    assert page.confidence == 0.9


def test_confident_page_is_not_retried() -> None:
    engine = FakeEngine([_out("GIẤY KHAI SINH", 0.95)], rotate=180)
    ocr_page(_page(), engine)
    assert engine.calls == 1
