"""One frozen settings object, built once from the environment (prefix `DOSSIER_`) and CLI."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from pipeline.errors import ConfigError

_REPO_ROOT = Path(__file__).resolve().parents[1]


def _default_cache_dir() -> Path:
    """`.cache/` at the repository root when run from a checkout, else under the home dir."""
    if (_REPO_ROOT / "pyproject.toml").exists():
        return _REPO_ROOT / ".cache"
    return Path.home() / ".cache" / "dossier"


class Settings(BaseSettings):
    """Every knob of the system; stages receive it, they never read `os.environ`."""

    model_config = SettingsConfigDict(env_prefix="DOSSIER_", frozen=True, extra="ignore")

    home: Path = Field(default=Path("var"), description="Root for local state")
    archive_dir: Path | None = Field(default=None, description="System of record")
    inbox_dir: Path | None = Field(default=None, description="Where nightly jobs look")
    cache_dir: Path = Field(default_factory=_default_cache_dir)

    es_url: str = "http://127.0.0.1:9200"
    es_api_key: str | None = None
    es_ca_certs: Path | None = None
    es_timeout_s: float = 10.0
    index_prefix: str = "dossier"
    es_shards: int = 1
    es_replicas: int = 0

    # Local Elasticsearch node (only used by `dossier services`).
    es_version: str = "9.2.4"
    es_heap: str = "768m"
    es_user: str = "dossier-es"
    es_java_home: Path | None = None

    prefect_host: str = "127.0.0.1"
    prefect_port: int = 4200

    notify_webhook_url: str | None = Field(
        default=None, description="POSTed a JSON summary when a batch has failures"
    )

    ocr_lang: str = "vie"
    ocr_dpi: int = 300
    ocr_page_timeout_s: float = 60.0
    max_file_bytes: int = 512 * 1024 * 1024
    max_image_pixels: int = 120_000_000
    max_pages: int = 2000

    @model_validator(mode="after")
    def _check(self) -> Settings:
        if (
            not self.index_prefix
            or not self.index_prefix.replace("-", "").replace("_", "").isalnum()
        ):
            raise ConfigError(
                f"DOSSIER_INDEX_PREFIX={self.index_prefix!r} is not a valid index prefix",
                hint="use lowercase letters, digits, '-' or '_'",
            )
        if self.index_prefix != self.index_prefix.lower():
            raise ConfigError(
                f"DOSSIER_INDEX_PREFIX={self.index_prefix!r} must be lowercase",
                hint="Elasticsearch index names are lowercase",
            )
        return self

    @property
    def home_path(self) -> Path:
        """Absolute DOSSIER_HOME."""
        return self.home.expanduser().resolve()

    @property
    def archive_path(self) -> Path:
        """Absolute archive directory (default `$DOSSIER_HOME/archive`)."""
        return (self.archive_dir or self.home_path / "archive").expanduser().resolve()

    @property
    def inbox_path(self) -> Path:
        """Absolute inbox directory (default `$DOSSIER_HOME/inbox`)."""
        return (self.inbox_dir or self.home_path / "inbox").expanduser().resolve()

    @property
    def prefect_api_url(self) -> str:
        """URL of the local Prefect server's API."""
        return f"http://{self.prefect_host}:{self.prefect_port}/api"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """Settings from the environment, read once per process."""
    return Settings()
