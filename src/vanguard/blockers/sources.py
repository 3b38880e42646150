"""Where blockers come from: each domain registers its source in ``AppConfig.ready()``.

A source names the blocker's field that links it (``project``, ``enterprise``), the
battle whose task force dispatches and closes its problems, the path from a blocker
to the unit answerable for the source (whose reporters see its problems even once
they are dispatched elsewhere), and how a page names it. The engine imports no domain.
"""

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Source:
    """One kind of place problems are raised (a dekad report, an enterprise visit)."""

    key: str
    battle: str
    label: object
    unit_path: str
    # Blocker relations a page loads to name the source (select_related paths).
    related: tuple = ()
    # blocker -> [(text, url), ...] naming where it was raised (url may be "").
    describe: Callable = field(default=lambda blocker: [])


SOURCES: dict[str, Source] = {}


def register_source(source):
    """Declare a source of blockers (called from the domain's ``AppConfig.ready()``)."""
    SOURCES[source.key] = source


def source_of(blocker):
    """The registered source ``blocker`` was raised from, or None."""
    for source in SOURCES.values():
        if getattr(blocker, source.key + "_id", None) is not None:
            return source
    return None


def related_paths():
    """Every source's select_related paths, for a list showing where problems came from."""
    return [path for source in SOURCES.values() for path in (source.key, *source.related)]
