"""The Elasticsearch client, built once from Settings, and typed errors for its failures."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import urlsplit

from elasticsearch import (
    ApiError,
    AuthenticationException,
    AuthorizationException,
    ConnectionTimeout,
    Elasticsearch,
    SerializationError,
    SSLError,
    TransportError,
    UnsupportedProductError,
)
from elasticsearch import ConnectionError as ESConnectionError

from pipeline.config import Settings
from pipeline.errors import (
    ConfigError,
    DependencyError,
    DossierError,
    ProcessingError,
    TransientError,
)

log = logging.getLogger(__name__)

# The reachability check must answer within a few seconds even when the host drops packets.
PING_TIMEOUT_S = 3.0
MAX_RETRIES = 2
# HTTP statuses worth retrying: throttling and server-side unavailability.
TRANSIENT_STATUSES = frozenset({429, 500, 502, 503, 504})
START_HINT = "start it with `dossier services up`, or set DOSSIER_ES_URL"


def _client_options(settings: Settings) -> dict[str, Any]:
    """Keyword arguments for `Elasticsearch(...)` from Settings."""
    options: dict[str, Any] = {
        "request_timeout": settings.es_timeout_s,
        "retry_on_timeout": True,
        "max_retries": MAX_RETRIES,
    }
    if settings.es_api_key:
        options["api_key"] = settings.es_api_key
    if settings.es_ca_certs is not None:
        if urlsplit(settings.es_url).scheme != "https":
            raise ConfigError(
                f"DOSSIER_ES_CA_CERTS is set but DOSSIER_ES_URL={settings.es_url!r} is not https",
                hint="use an https:// URL, or unset DOSSIER_ES_CA_CERTS",
            )
        ca_certs = settings.es_ca_certs.expanduser()
        if not ca_certs.is_file():
            raise ConfigError(
                f"DOSSIER_ES_CA_CERTS={ca_certs} is not a file",
                hint="point it at the PEM file of the CA that signed the node's certificate",
            )
        options["ca_certs"] = str(ca_certs)
    return options


def connect(settings: Settings) -> Elasticsearch:
    """A client for `settings.es_url`, checked to answer; DependencyError when it does not."""
    try:
        es = Elasticsearch(settings.es_url, **_client_options(settings))
    except ValueError as e:
        raise ConfigError(
            f"DOSSIER_ES_URL={settings.es_url!r} is not a usable Elasticsearch URL ({e})",
            hint="use e.g. http://127.0.0.1:9200",
        ) from e
    check_reachable(es, settings.es_url)
    log.debug("connected to Elasticsearch at %s", settings.es_url)
    return es


def check_reachable(es: Elasticsearch, url: str) -> None:
    """Ask the node for its health with a short timeout and no retries."""
    quick = es.options(request_timeout=PING_TIMEOUT_S, max_retries=0, retry_on_timeout=False)
    try:
        quick.cluster.health()
    except AuthorizationException:
        # Reachable and authenticated; the key merely lacks the `monitor` privilege.
        return
    except AuthenticationException as e:
        raise DependencyError(
            f"Elasticsearch at {url} rejected the credentials",
            hint="check DOSSIER_ES_API_KEY",
        ) from e
    except SSLError as e:
        raise DependencyError(
            f"TLS handshake with Elasticsearch at {url} failed",
            hint="set DOSSIER_ES_CA_CERTS to the node's CA certificate",
        ) from e
    except (ESConnectionError, ConnectionTimeout) as e:
        raise DependencyError(f"Elasticsearch is not reachable at {url}", hint=START_HINT) from e
    except ApiError as e:
        if isinstance(e, UnsupportedProductError) or not _from_elasticsearch(e):
            raise DependencyError(
                f"the server at {url} is not Elasticsearch (HTTP {e.meta.status})",
                hint="check DOSSIER_ES_URL",
            ) from e
        raise as_dossier_error(e, f"checking Elasticsearch at {url}") from e
    except TransportError as e:
        raise as_dossier_error(e, f"checking Elasticsearch at {url}") from e


def _from_elasticsearch(exc: ApiError) -> bool:
    """True when an error response carries Elasticsearch's product header."""
    return exc.meta.headers.get("x-elastic-product", "") == "Elasticsearch"


def is_transient(exc: BaseException) -> bool:
    """True for failures a caller should retry: no connection, timeout, 429 or 5xx."""
    if isinstance(exc, SSLError):
        return False
    if isinstance(exc, ESConnectionError | ConnectionTimeout):
        return True
    return isinstance(exc, ApiError) and exc.meta.status in TRANSIENT_STATUSES


def as_dossier_error(exc: BaseException, action: str) -> DossierError:
    """Translate an elasticsearch-py exception into the project's typed error."""
    if isinstance(exc, DossierError):
        return exc
    if is_transient(exc):
        return TransientError(
            f"Elasticsearch is unavailable while {action}: {_describe(exc)}", hint=START_HINT
        )
    if isinstance(exc, AuthenticationException | AuthorizationException):
        return DependencyError(
            f"Elasticsearch refused {action}: {_describe(exc)}",
            hint="check DOSSIER_ES_API_KEY and its privileges",
        )
    if isinstance(exc, SSLError):
        return DependencyError(
            f"TLS failure while {action}", hint="set DOSSIER_ES_CA_CERTS to the node's CA"
        )
    return ProcessingError(f"Elasticsearch failed while {action}: {_describe(exc)}")


@contextmanager
def es_errors(action: str) -> Iterator[None]:
    """Turn elasticsearch-py exceptions raised inside the block into typed errors."""
    try:
        yield
    except (ApiError, TransportError, SerializationError) as e:
        raise as_dossier_error(e, action) from e


def _describe(exc: BaseException) -> str:
    """A short description: status and error type for API errors, class name otherwise."""
    if isinstance(exc, ApiError):
        return f"HTTP {exc.meta.status} {exc.error}"
    return type(exc).__name__
