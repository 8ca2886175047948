"""Run reports in the Prefect UI; an artifact is a nicety and never fails a run."""

from __future__ import annotations

import logging

from prefect.artifacts import create_markdown_artifact

log = logging.getLogger(__name__)


def publish_markdown(lines: list[str], *, key: str, description: str) -> None:
    """Publish a markdown artifact; any failure to publish is logged at debug level."""
    try:
        create_markdown_artifact("\n".join(lines), key=key, description=description)
    except Exception as e:  # an artifact is a nicety: never fail the run over it
        log.debug("artifact %s not published: %s", key, e)
