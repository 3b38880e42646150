"""Paths of pages a list links to on every row, resolved once a list instead of once a row."""

import re

from django.urls import NoReverseMatch, reverse

# Values every converter a row links with takes as they are (str and slug; int for digits).
_WORD = re.compile(r"[-A-Za-z0-9_]+")
_DIGITS = re.compile(r"[0-9]+")


def path_of(name):
    """A function giving ``reverse(name, args=[value])`` for one argument.

    ``reverse`` matches the name against every pattern each time: a list of 50 rows
    linking each to its page spent more on that than on the rest of the row. Here the
    path is reversed once and a plain value (letters, digits, "-" and "_"; digits for a
    number) is put into it; any other value goes through ``reverse``, which quotes or
    refuses it as before.
    """
    before, after, plain = _reversed_once(name)

    def path(value):
        text = str(value)
        if plain.fullmatch(text):
            return before + text + after
        return reverse(name, args=[value])

    return path


def _reversed_once(name):
    """The path of ``name`` before and after its argument, and the values put in as
    they are: letters and digits for a code, digits for a number."""
    for mark, plain in (("vanguardmark", _WORD), ("918273645", _DIGITS)):
        try:
            before, after = reverse(name, args=[mark]).split(mark)
        except NoReverseMatch:
            continue
        return before, after, plain
    raise NoReverseMatch("{} takes no single plain argument".format(name))
