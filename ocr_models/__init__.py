"""OCR engines, models and Vietnamese text tools shared by the pipeline and search."""
