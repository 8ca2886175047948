from pathlib import Path

import numpy as np
import pypdfium2 as pdfium
from hostile import text_image

from pipeline.models import Word
from pipeline.searchable_pdf import PdfPage, write_searchable_pdf


def test_pdf_has_the_page_image_and_an_invisible_searchable_text_layer(tmp_path: Path) -> None:
    image = np.asarray(text_image(["Nguyễn Văn An"], size=(1240, 1754)))
    words = [Word("Nguyễn", 80, 80, 160, 40, 0.95), Word("Văn", 250, 80, 80, 40, 0.9),
             Word("An", 340, 80, 50, 40, 0.9)]  # fmt: skip
    out = write_searchable_pdf([PdfPage(image, 150, words), PdfPage(image, 150, [])],
                               tmp_path / "doc.pdf")  # fmt: skip
    pdf = pdfium.PdfDocument(str(out))
    assert len(pdf) == 2
    width, height = pdf[0].get_size()
    assert abs(width - 1240 * 72 / 150) < 1 and abs(height - 1754 * 72 / 150) < 1
    text = pdf[0].get_textpage().get_text_range()
    assert "Nguyễn" in text and "An" in text
    left, bottom, right, top = pdf[0].get_textpage().get_charbox(0)
    assert abs(left - 80 * 72 / 150) < 3  # the word sits where the scan shows it
    assert pdf[1].get_textpage().get_text_range().strip() == ""


def test_a_page_image_file_is_embedded_without_decoding_it_first(tmp_path: Path) -> None:
    path = tmp_path / "page-1.jpg"
    text_image(["Nguyễn Văn An"], size=(1240, 1754)).convert("L").save(path, quality=70)
    words = [Word("Nguyễn", 80, 80, 160, 40, 0.95)]
    out = write_searchable_pdf([PdfPage(path, 150, words)], tmp_path / "doc.pdf")
    pdf = pdfium.PdfDocument(str(out))
    width, height = pdf[0].get_size()
    assert abs(width - 1240 * 72 / 150) < 1 and abs(height - 1754 * 72 / 150) < 1
    assert "Nguyễn" in pdf[0].get_textpage().get_text_range()
