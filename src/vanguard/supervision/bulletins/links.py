"""Where each figure of a bulletin comes from: the pages of the records behind it.

The page, the DOCX and the XLSX take their links from here, so a figure links to the
same records wherever it is read. A fact links to the page its provider names
(``register_facts(..., link=...)``); a unit to its page (its list, with its lights).
"""

from django.urls import reverse

from vanguard.supervision.bulletins.actions import month_window
from vanguard.supervision.bulletins.facts import source_of


def unit_url(unit_code):
    return reverse("org:unit_detail", args=[unit_code])


def line_url(bulletin, unit_code):
    """The unit's line on the bulletin's page."""
    return "{}#unit-{}".format(reverse("bulletins:detail", args=[bulletin.pk]), unit_code)


def fact_url(bulletin, unit_code, fact):
    source = source_of(fact)
    if source is None or source.link is None:
        return None
    start, end = month_window(bulletin.month)
    return source.link(bulletin.campaign, unit_code, start, end)


def component_url(bulletin, unit_code, component):
    """The records behind one part of a score: the first of its facts with a page."""
    for fact in component.get("facts", ()):
        url = fact_url(bulletin, unit_code, fact)
        if url:
            return url
    return None


def absolute(base, url):
    """``url`` on the site ``base`` (documents are read away from the site)."""
    return (base.rstrip("/") + url) if url and url.startswith("/") else url
