"""Settings of the web app (env prefix `DOSSIER_WEB_`), apart from the pipeline's Settings."""

from __future__ import annotations

import secrets
from pathlib import Path

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from pipeline.config import Settings
from pipeline.errors import ConfigError

# Secrets that ship in examples and tutorials: never accepted outside development mode.
WEAK_SECRETS = frozenset({"", "secret", "changeme", "change-me", "dev", "development", "dossier"})
MIN_SECRET_CHARS = 32


class WebSettings(BaseSettings):
    """Knobs of the web app; the secret key signs session cookies and CSRF tokens."""

    model_config = SettingsConfigDict(env_prefix="DOSSIER_WEB_", frozen=True, extra="ignore")

    secret: SecretStr | None = Field(default=None, description="Key that signs sessions")
    dev: bool = Field(default=False, description="Local demo mode: a random secret is allowed")
    secure_cookie: bool = Field(default=True, description="Send the session cookie on HTTPS only")
    db_path: Path | None = Field(default=None, description="Users and audit log (SQLite)")
    session_hours: float = 10.0
    max_upload_bytes: int = 50 * 1024 * 1024
    max_upload_pages: int = 200
    login_max_failures: int = 5
    lockout_base_s: float = 30.0
    lockout_max_s: float = 900.0

    def database(self, settings: Settings) -> Path:
        """Path of the SQLite database (default `$DOSSIER_HOME/web/app.db`)."""
        return (self.db_path or settings.home_path / "web" / "app.db").expanduser().resolve()

    def secret_key(self) -> str:
        """The signing key; ConfigError when it is missing or weak outside development mode."""
        value = self.secret.get_secret_value() if self.secret is not None else ""
        if value.lower() not in WEAK_SECRETS and len(value) >= MIN_SECRET_CHARS:
            return value
        if self.dev:
            return value or secrets.token_urlsafe(32)
        raise ConfigError(
            "DOSSIER_WEB_SECRET is missing or too weak; the web app refuses to start",
            hint=f"set it to {MIN_SECRET_CHARS}+ random characters "
            "(python -c 'import secrets; print(secrets.token_urlsafe(48))'), "
            "or DOSSIER_WEB_DEV=1 for a local demo",
        )
