"""Templates ask ``org.access`` too: ``{% load access_rules %}{% if user|may:"manage_projects" %}``.

Only the rules that take the user alone are offered (``org.access.USER_RULES``); a rule
about one object (a project, a problem) is decided by the view and passed as a flag.
"""

from django import template

from vanguard.org import access

register = template.Library()


@register.filter
def may(user, rule):
    """True when ``user`` passes the ``org.access`` rule named ``rule``."""
    return access.USER_RULES[rule](user)
