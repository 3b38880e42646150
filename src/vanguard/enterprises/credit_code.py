"""The unified social credit code (统一社会信用代码) of GB 32100-2015.

Eighteen characters from the 31 of the standard's alphabet (digits and capitals
without I, O, S, V, Z): the registration authority, the kind of organisation, the
six-digit administrative division, the nine-character organisation code, and a check
character. The check character is the 31's complement of the weighted sum of the first
seventeen, each weighted by 3 to the power of its position, modulo 31.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = [pow(3, i, 31) for i in range(17)]
LENGTH = 18


def normalise(code):
    """The code as written on a licence: stripped of spaces, capital letters."""
    return "".join(str(code or "").split()).upper()


def check_character(first17):
    """The check character that completes the first seventeen characters."""
    total = sum(ALPHABET.index(ch) * weight for ch, weight in zip(first17, WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def problem(code):
    """What is wrong with ``code`` (normalised), or None when it is a valid credit code."""
    if len(code) != LENGTH:
        return _("A unified social credit code has 18 characters; this one has {n}.").format(
            n=len(code)
        )
    wrong = [ch for ch in code if ch not in ALPHABET]
    if wrong:
        return _(
            "“{ch}” cannot appear in a unified social credit code "
            "(digits and capital letters except I, O, S, V, Z)."
        ).format(ch=wrong[0])
    if not code[2:8].isdigit():
        return _("Characters 3 to 8 of a unified social credit code are the area's six digits.")
    expected = check_character(code[:17])
    if code[17] != expected:
        return _(
            "The code does not check out: its first 17 characters give the check character "
            "{expected}, not {found}. Compare every character with the licence; the mistake "
            "may be in any of them."
        ).format(expected=expected, found=code[17])
    return None


def validate_credit_code(value):
    """Django validator: raise ValidationError saying what is wrong with the code."""
    message = problem(normalise(value))
    if message:
        raise ValidationError(message, code="invalid_credit_code")
