"""The navigation bar's links: ``{% load navigation %}{% nav_links %}`` in base.html.

Every page draws them, and they differ only by what the reader may see, the language and
the section the page belongs to. So each combination is drawn once (``core/_nav_links.html``)
and kept for the process: about a tenth of a simple page's time before.
"""

from django import template
from django.template.loader import render_to_string
from django.urls import get_script_prefix
from django.utils.translation import get_language

from vanguard.org import access
from vanguard.org.choices import Battle

register = template.Library()

# The rules that decide which links a reader sees (org.access.USER_RULES).
RULES = ("see_supervision", "see_orders", "see_talks", "see_referrals", "see_map")
_drawn = {}


@register.simple_tag(takes_context=True)
def nav_links(context):
    request = context.get("request")
    user = context.get("user")
    match = getattr(request, "resolver_match", None)
    here = match.namespace if match else ""
    may = {rule: bool(access.USER_RULES[rule](user)) for rule in RULES}
    key = (get_language(), get_script_prefix(), here, tuple(may.values()))
    found = _drawn.get(key)
    if found is None:
        found = render_to_string(
            "core/_nav_links.html", {"nav_battles": Battle.choices, "here": here, "may": may}
        )
        _drawn[key] = found
    return found
