"""A light as the small coloured dot pages draw: ``{% load light_badges %}{{ light|light_badge }}``.

Drawn in Python rather than by an included template: a list draws one on each of its
rows, and an include with its translations cost more than the rest of the row. Each
dot is made once per language and kept.
"""

from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from vanguard.supervision.choices import Light

register = template.Library()

_made = {}


@register.filter
def light_badge(light):
    """The dot of ``light`` (a ``Light``; any other word draws as no data); "" when empty."""
    if not light:
        return ""
    light = light if light in Light.values else Light.GREY
    key = (get_language(), light)
    found = _made.get(key)
    if found is None:
        found = mark_safe(
            '<span class="vg-light vg-light-{light}" role="img" aria-label="{name}" '
            'title="{name}"></span>'.format(light=light, name=escape(Light(light).label))
        )
        _made[key] = found
    return found
