"""The officers' web app and REST API (FastAPI): search, records, review, stats, audit."""
