"""Password rules beyond Django's: no name or word followed by a year (zhangsan2026)."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# Letters (a pinyin name, a word), an optional separator, then a year: the pattern most
# often guessed first, and which Django's list of common passwords does not cover.
_NAME_AND_YEAR = re.compile(r"^[^\W\d_]+[\W_]?(19|20)\d{2}[\W_]*$|^(19|20)\d{2}[\W_]?[^\W\d_]+$")


class NameAndYearValidator:
    """Refuses a password that is only a name or word and a year."""

    def validate(self, password, user=None):
        if _NAME_AND_YEAR.match(password.strip()):
            raise ValidationError(
                _("This password is a name or word with a year, which is guessed first."),
                code="password_name_and_year",
            )

    def get_help_text(self):
        return _("Your password cannot be a name or word followed by a year.")
