"""Prefect flows and the `dossier` command line: composition only, the work is in pipeline/."""
