"""Sections a domain adds to the monthly bulletin, beside the narrative's own.

A domain whose facts deserve more than a line of the battle's paragraph (city cases:
their rates and the units named for them) registers, in its ``AppConfig.ready()``, a
section: ``register_section(code, label, draft=..., table=...)``.

- ``draft(lines)`` writes the section's first draft in Chinese from the bulletin's
  stored lines (``BulletinLine`` with ``unit`` loaded); "" leaves the section out. The
  office edits the text like any other section.
- ``table(lines)`` gives ``(headers, rows)`` shown under the text on the page and in the
  document, or None; a cell is a value or ``(value, url)`` (a relative url, made
  absolute in the document).

Both read the stored lines only, so an issued bulletin prints what it was issued with.
Sections stand after the battles' paragraphs, in the order registered.
"""

from collections.abc import Callable
from dataclasses import dataclass

# The narrative's own sections (``narrative.sections``): a domain's may not take them.
RESERVED = {"overview", "problems", "named", "next"}


@dataclass(frozen=True)
class Section:
    code: str
    label: object
    draft: Callable
    table: Callable | None = None


SECTIONS: dict[str, Section] = {}


def register_section(code, label, *, draft, table=None):
    """Add a section to every bulletin; a code is registered once; it keys the narrative."""
    if code in RESERVED or code.startswith("battle_"):
        raise ValueError("bulletin section {!r} is the narrative's own".format(code))
    if code in SECTIONS:
        raise ValueError("bulletin section {!r} is registered twice".format(code))
    SECTIONS[code] = Section(code, label, draft, table)
    return SECTIONS[code]


def table_of(code, lines):
    """``(headers, rows)`` of the registered section ``code`` for ``lines``, or None."""
    section = SECTIONS.get(code)
    if section is None or section.table is None:
        return None
    found = section.table(lines)
    return found if found and found[1] else None
