"""Finding a unit by the name a workbook gives it: full name, code, short name or an alias.

A miss names the closest unit, so an office's typo is answered with a suggestion.
"""

import difflib
import re

from vanguard.exchange.parsers import clean_name
from vanguard.org.models import Unit


def unit_key(name):
    """A unit's name reduced for matching: no spaces, invisible characters or line breaks."""
    return re.sub(r"\s+", "", clean_name(name)).lower()


class UnitNames:
    """Every unit by its full name, code, short name and aliases, and the closest to a typo."""

    def __init__(self):
        self.by_key = {}
        units = list(
            Unit.objects.only("pk", "code", "name", "short_name", "aliases").order_by("pk")
        )
        for unit in units:
            for name in (unit.name, unit.code):
                self.by_key[unit_key(name)] = unit
        # Short names and aliases never override a full name or a code.
        for unit in units:
            for name in unit.other_names():
                self.by_key.setdefault(unit_key(name), unit)

    def get(self, name):
        return self.by_key.get(unit_key(name))

    def closest(self, name):
        """The full name of the unit whose name (or alias) is closest to ``name``, or None."""
        found = difflib.get_close_matches(unit_key(name), list(self.by_key), n=1, cutoff=0.6)
        return self.by_key[found[0]].name if found else None
