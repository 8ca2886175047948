"""Typed errors: each carries an exit code and a message that says how to fix it."""

from __future__ import annotations


class DossierError(Exception):
    """Base error; the CLI turns it into `exit_code` and prints `str(self)`."""

    exit_code = 1
    code = "error"

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message} ({self.hint})" if self.hint else self.message


class InputError(DossierError):
    """Unsupported type, corrupt or encrypted file, decompression bomb, missing path."""

    exit_code = 2
    code = "input"

    def __init__(self, message: str, *, reason: str = "invalid", hint: str | None = None) -> None:
        super().__init__(message, hint=hint)
        self.reason = reason


class ConfigError(DossierError):
    """Bad option or missing language data."""

    exit_code = 3
    code = "config"


class DependencyError(DossierError):
    """Tesseract, Elasticsearch or Prefect not reachable or not installed."""

    exit_code = 4
    code = "dependency"


class ProcessingError(DossierError):
    """A stage failed on good input."""

    exit_code = 5
    code = "processing"


class TransientError(DossierError):
    """Retry me: the search index is down, storage is busy."""

    exit_code = 75
    code = "transient"
